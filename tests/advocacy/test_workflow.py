"""The advocacy workflow in advocacy.services: every step a position may and may not take, member
input only while it is open, and co-signing only published positions, once per organisation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy import services
from advocacy.models import Endorsement, MemberInput, Position
from tests.factories import (
    make_endorsement,
    make_input,
    make_organisation,
    make_position,
    make_user,
)

pytestmark = pytest.mark.django_db

Status = Position.Status
ALLOWED = {
    (Status.DRAFT, Status.INPUT),
    (Status.DRAFT, Status.DRAFTING),
    (Status.DRAFT, Status.PUBLISHED),
    (Status.INPUT, Status.DRAFTING),
    (Status.DRAFTING, Status.SUBMITTED),
    (Status.DRAFTING, Status.PUBLISHED),
    (Status.SUBMITTED, Status.PUBLISHED),
}
PAIRS = [(now, to) for now in Status for to in Status]


def _position(status):
    # A deadline ahead, so that opening for input is refused only for the step itself.
    return make_position(status=status, input_deadline=timezone.now() + timedelta(days=3))


@pytest.mark.parametrize(
    ("now", "to"),
    [pair for pair in PAIRS if pair in ALLOWED],
    ids=lambda status: status.value,
)
def test_an_allowed_step(now, to, django_capture_on_commit_callbacks):
    position = _position(now)
    with django_capture_on_commit_callbacks() as callbacks:
        services.position_move(position=position, to=to)
    position.refresh_from_db()
    assert position.status == to
    queued = [callback.__qualname__ for callback in callbacks]
    # Opening for input, and only that, tells member staff (after commit).
    assert ("position_move.<locals>.<lambda>" in queued) == (to == Status.INPUT)
    if to == Status.INPUT:
        assert position.input_opened_at is not None
    if to == Status.SUBMITTED:
        assert position.submitted_on is not None
    if to == Status.PUBLISHED:
        assert position.published_at is not None


@pytest.mark.parametrize(
    ("now", "to"),
    [pair for pair in PAIRS if pair not in ALLOWED],
    ids=lambda status: status.value,
)
def test_a_refused_step(now, to, django_capture_on_commit_callbacks):
    position = _position(now)
    before = Position.objects.filter(pk=position.pk).values().get()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        services.position_move(position=position, to=to)
    assert refused.value.messages == [
        f"A position that is “{Status(now).label}” cannot become “{Status(to).label}”."
    ]
    assert Position.objects.filter(pk=position.pk).values().get() == before
    assert callbacks == []


def test_every_pair_is_decided():
    assert {(now, to) for now, steps in services.NEXT.items() for to in steps} == ALLOWED, (
        "the workflow changed: update ALLOWED, and these tests with it"
    )


@pytest.mark.parametrize(
    "deadline", [None, timedelta(0), -timedelta(minutes=1)], ids=["none", "now", "passed"]
)
def test_opening_for_input_without_a_deadline_ahead_is_refused(
    deadline, django_capture_on_commit_callbacks
):
    position = make_position(
        status="draft", input_deadline=None if deadline is None else timezone.now() + deadline
    )
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        services.position_move(position=position, to=Status.INPUT)
    assert refused.value.messages == [
        "Set a deadline for member input in the future before opening it."
    ]
    position.refresh_from_db()
    assert (position.status, position.input_opened_at) == (Status.DRAFT, None)
    assert callbacks == []


def test_submitting_keeps_a_date_given_and_fills_a_missing_one():
    given = make_position(status="drafting", submitted_on=timezone.localdate() - timedelta(days=5))
    services.position_move(position=given, to=Status.SUBMITTED)
    assert given.submitted_on == timezone.localdate() - timedelta(days=5)
    missing = make_position(status="drafting", submitted_on=None)
    services.position_move(position=missing, to=Status.SUBMITTED)
    assert missing.submitted_on == timezone.localdate()


# --- Member input -----------------------------------------------------------------------------


def test_input_is_saved_edited_and_withdrawn_while_open():
    position = make_position(status="input")
    member_input = MemberInput(
        position=position, organisation=make_organisation(), author=make_user(), text="Ours"
    )
    services.input_save(member_input=member_input)
    member_input.text = "Ours, edited"
    services.input_save(member_input=member_input)
    assert MemberInput.objects.get().text == "Ours, edited"
    services.input_withdraw(member_input=member_input)
    assert not MemberInput.objects.exists()


@pytest.mark.parametrize(
    ("status", "deadline"),
    [
        ("input", -timedelta(seconds=1)),
        ("input", timedelta(0)),
        ("draft", timedelta(days=1)),
        ("drafting", timedelta(days=1)),
        ("submitted", timedelta(days=1)),
        ("published", timedelta(days=1)),
    ],
)
def test_input_after_the_deadline_or_outside_the_input_step_is_refused(status, deadline):
    position = make_position(status="input")
    existing = make_input(position=position, text="Given in time")
    Position.objects.filter(pk=position.pk).update(
        status=status, input_deadline=timezone.now() + deadline
    )
    position.refresh_from_db()
    existing.position = position
    new = MemberInput(position=position, organisation=make_organisation(), text="Late")
    for call in (
        lambda: services.input_save(member_input=new),
        lambda: services.input_save(member_input=existing),
        lambda: services.input_withdraw(member_input=existing),
    ):
        existing.text = "Changed late"
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == ["Member input for this position is closed."]
    assert list(MemberInput.objects.values_list("text", flat=True)) == ["Given in time"]


# --- Co-signing -------------------------------------------------------------------------------


def _endorse(position, organisation, user=None):
    return services.endorse(
        position=position,
        organisation=organisation,
        user=user,
        name="Rūta Žemaitė",
        title="Chair",
    )


@pytest.mark.parametrize("status", ["draft", "input", "drafting", "submitted"])
def test_only_a_published_position_is_co_signed(status):
    position = make_position(status=status)
    with pytest.raises(ValidationError) as refused:
        _endorse(position, make_organisation())
    assert refused.value.messages == ["Only a published position can be co-signed."]
    assert not Endorsement.objects.exists()


def test_co_signing_twice_is_refused():
    position = make_position(status="published")
    organisation = make_organisation(name="Kaimo centras")
    first = _endorse(position, organisation, make_user())
    with pytest.raises(ValidationError) as refused:
        _endorse(position, organisation)
    assert refused.value.messages == ["Kaimo centras has already co-signed."]
    assert list(Endorsement.objects.all()) == [first]
    # Another organisation co-signs the same position; the first co-signs another.
    _endorse(position, make_organisation())
    _endorse(make_position(status="published"), organisation)
    assert Endorsement.objects.active().count() == 3


def test_withdrawing_then_co_signing_again_works():
    position = make_position(status="published")
    organisation = make_organisation()
    first = _endorse(position, organisation)
    services.endorsement_withdraw(endorsement=first)
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    again = _endorse(position, organisation)
    assert list(Endorsement.objects.active()) == [again]
    assert Endorsement.objects.count() == 2


def test_closed_signing_refuses_signing_and_withdrawing():
    position = make_position(status="published")
    signed = make_endorsement(position=position)
    Position.objects.filter(pk=position.pk).update(signing_closed=True)
    position.refresh_from_db()
    signed.position = position
    with pytest.raises(ValidationError) as refused:
        _endorse(position, make_organisation())
    assert refused.value.messages == ["Co-signing of this position is closed."]
    with pytest.raises(ValidationError) as refused:
        services.endorsement_withdraw(endorsement=signed)
    assert refused.value.messages == ["Co-signing of this position is closed."]
    signed.refresh_from_db()
    assert signed.withdrawn_at is None
    assert Endorsement.objects.count() == 1
