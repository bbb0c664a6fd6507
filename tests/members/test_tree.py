"""The organisation tree: kept sound by the database trigger, whoever writes, and by
Organisation.clean() for forms."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import PATH_STEP, Organisation
from tests.factories import make_organisation, make_type

pytestmark = pytest.mark.django_db


def step(organisation):
    return f"{organisation.pk:0{PATH_STEP}d}/"


def stored(organisation):
    """(path, depth) as the database has them now."""
    return tuple(Organisation.objects.filter(pk=organisation.pk).values_list("path", "depth")[0])


@pytest.fixture
def nesting():
    """A type that may sit under itself, so that only the cycle check can refuse a move."""
    group = make_type(slug="group", name="Group")
    group.allowed_parents.set([group])
    top = make_organisation(name="Top", type=group)
    middle = make_organisation(name="Middle", type=group, parent=top)
    bottom = make_organisation(name="Bottom", type=group, parent=middle)
    return top, middle, bottom


def test_path_and_depth_are_set_on_create(directory):
    d = directory
    assert stored(d.kedainiai_centre) == (step(d.kedainiai_centre), 0)
    assert stored(d.josvainiai) == (step(d.kedainiai_centre) + step(d.josvainiai), 1)
    assert stored(d.aidas) == (step(d.kedainiai_centre) + step(d.josvainiai) + step(d.aidas), 2)
    # save() reads back what the trigger wrote.
    assert (d.aidas.path, d.aidas.depth) == stored(d.aidas)
    assert d.aidas.ancestor_ids == [d.kedainiai_centre.pk, d.josvainiai.pk]


def test_a_path_sent_by_the_client_is_ignored(directory):
    d = directory
    Organisation.objects.filter(pk=d.aidas.pk).update(path="99999999/", depth=7)
    assert stored(d.aidas) == (d.aidas.path, 2)


def test_moving_an_organisation_rewrites_the_paths_of_its_descendants(directory):
    d = directory
    d.josvainiai.parent = d.tautos_namai
    d.josvainiai.save()
    assert stored(d.josvainiai) == (step(d.tautos_namai) + step(d.josvainiai), 1)
    assert stored(d.aidas) == (step(d.tautos_namai) + step(d.josvainiai) + step(d.aidas), 2)
    # The old parent's other sub-units stay where they were.
    assert stored(d.linelis) == (step(d.kedainiai_centre) + step(d.linelis), 1)


def test_moving_a_subtree_deeper_changes_the_depth_of_everything_in_it(directory):
    d = directory
    # A collective under a collective is not allowed: let collectives nest for this test.
    d.collective.allowed_parents.add(d.collective)
    extra = make_organisation(name="Jaunimo grupė", type=d.collective, parent=d.linelis)
    assert stored(extra)[1] == 2
    d.linelis.parent = d.aidas
    d.linelis.save()
    assert stored(d.linelis) == (d.aidas.path + step(d.linelis), 3)
    assert stored(extra) == (d.aidas.path + step(d.linelis) + step(extra), 4)


def test_an_orm_update_that_makes_a_cycle_is_refused(nesting):
    top, _middle, bottom = nesting
    # atomic(): the refused statement must not spoil the test's own transaction.
    refused = pytest.raises(IntegrityError, match="cannot be placed under itself")
    with refused, transaction.atomic():
        Organisation.objects.filter(pk=top.pk).update(parent=bottom)
    assert stored(top) == (step(top), 0)


def test_saving_an_organisation_under_its_own_descendant_is_refused(nesting):
    top, middle, _bottom = nesting
    top.parent = middle
    with pytest.raises(IntegrityError), transaction.atomic():
        top.save()


def test_an_organisation_cannot_be_its_own_parent(nesting):
    top, _middle, _bottom = nesting
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=top.pk).update(parent=top)


def test_full_clean_refuses_a_cycle_on_the_parent_field(nesting):
    top, _middle, bottom = nesting
    top.parent = bottom
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert error.value.message_dict["parent"] == [
        "An organisation cannot be part of itself or of its own sub-unit."
    ]


def test_full_clean_refuses_an_organisation_as_its_own_parent(nesting):
    top, _middle, _bottom = nesting
    top.parent = top
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert (
        "An organisation cannot be part of itself or of its own sub-unit."
        in (error.value.message_dict["parent"])
    )


def test_full_clean_accepts_a_move_that_makes_no_cycle(nesting):
    top, middle, bottom = nesting
    bottom.parent = top
    bottom.full_clean()  # raises nothing
    bottom.save()
    assert stored(bottom) == (step(top) + step(bottom), 1)
    assert stored(middle) == (step(top) + step(middle), 1)


def test_a_type_under_a_parent_type_it_may_not_sit_under_is_refused_by_the_database(directory):
    d = directory
    # A branch may sit under a centre only.
    with pytest.raises(IntegrityError, match="may not sit under type"), transaction.atomic():
        make_organisation(name="Filialo filialas", type=d.branch, parent=d.josvainiai)
    assert not Organisation.objects.filter(name="Filialo filialas").exists()


def test_a_type_under_a_parent_type_it_may_not_sit_under_is_refused_by_clean(directory):
    d = directory
    organisation = Organisation(
        name="Filialo filialas", slug="filialo-filialas", type=d.branch, parent=d.josvainiai
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["parent"] == ["A Branch cannot be part of a Branch."]


def test_an_existing_organisation_moved_under_a_disallowed_type_is_refused(directory):
    d = directory
    d.josvainiai.parent = d.linelis  # a branch under a collective
    with pytest.raises(IntegrityError), transaction.atomic():
        d.josvainiai.save()
    assert stored(d.josvainiai)[0].startswith(d.kedainiai_centre.path)


def test_a_type_that_cannot_stand_at_the_top_needs_a_parent_in_the_database(directory):
    with pytest.raises(IntegrityError, match="must have a parent"), transaction.atomic():
        make_organisation(name="Vienišas filialas", type=directory.branch)


def test_a_type_that_cannot_stand_at_the_top_needs_a_parent_in_clean(directory):
    organisation = Organisation(
        name="Vienišas filialas", slug="vienisas-filialas", type=directory.branch
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["parent"] == ["A Branch must be part of another organisation."]


def test_removing_the_parent_of_a_unit_is_refused(directory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=directory.aidas.pk).update(parent=None)


@pytest.fixture
def federation(directory):
    """A top-level type that centres' branches may not sit under."""
    return make_type(slug="federation", name="Federation")


def test_a_type_change_that_the_sub_units_forbid_is_refused_by_the_database(directory, federation):
    d = directory
    d.kedainiai_centre.type = federation  # its branch may sit under a centre only
    refused = pytest.raises(IntegrityError, match="has sub-units that may not sit under")
    with refused, transaction.atomic():
        d.kedainiai_centre.save()
    assert Organisation.objects.get(pk=d.kedainiai_centre.pk).type == d.centre


def test_a_type_change_that_the_sub_units_allow_is_accepted(directory, federation):
    d = directory
    d.branch.allowed_parents.add(federation)
    d.collective.allowed_parents.add(federation)
    d.kedainiai_centre.type = federation
    d.kedainiai_centre.save()
    assert Organisation.objects.get(pk=d.kedainiai_centre.pk).type == federation


def test_a_type_change_that_the_sub_units_forbid_is_refused_by_clean(directory, federation):
    d = directory
    d.kedainiai_centre.type = federation
    with pytest.raises(ValidationError) as error:
        d.kedainiai_centre.full_clean()
    assert "type" in error.value.message_dict or "parent" in error.value.message_dict


def test_within_returns_exactly_the_subtree(directory):
    d = directory
    assert set(Organisation.objects.within(d.kedainiai_centre)) == {
        d.kedainiai_centre, d.josvainiai, d.aidas, d.linelis, d.hidden,
    }  # fmt: skip
    assert set(Organisation.objects.within(d.josvainiai)) == {d.josvainiai, d.aidas}
    assert set(Organisation.objects.within(d.aidas)) == {d.aidas}
    assert set(Organisation.objects.published().within(d.kedainiai_centre)) == {
        d.kedainiai_centre, d.josvainiai, d.aidas, d.linelis,
    }  # fmt: skip


def test_within_follows_a_move(directory):
    d = directory
    d.josvainiai.parent = d.tautos_namai
    d.josvainiai.save()
    d.tautos_namai.refresh_from_db()
    assert set(Organisation.objects.within(d.tautos_namai)) == {
        d.tautos_namai, d.josvainiai, d.aidas,
    }  # fmt: skip
    d.kedainiai_centre.refresh_from_db()
    assert d.josvainiai not in Organisation.objects.within(d.kedainiai_centre)


@pytest.mark.parametrize("slug", ["map", "regions"])
def test_the_directorys_own_addresses_are_refused_as_slugs(directory, slug):
    organisation = Organisation(name="Map", slug=slug, type=directory.centre)
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["slug"] == [
        f"“{slug}” is reserved for the directory's own pages."
    ]


def test_a_slug_that_only_starts_like_a_reserved_word_is_accepted(directory):
    Organisation(name="Mapa", slug="mapa", type=directory.centre).full_clean()
