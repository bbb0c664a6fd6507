"""Member staff's advocacy pages (/my/advocacy/): who reaches what (every URL of
advocacy.staff_urls, for every kind of actor and every state of a position), input and
co-signing end to end, garbage in every field and in the address, and query counts."""

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from advocacy import staff_urls
from advocacy.models import Endorsement, MemberInput, Position
from members.models import Organisation, Role
from tests.advocacy.staff import (
    AUTHORS,
    build_advocacy_world,
    snapshot,
    url,
)
from tests.factories import make_input, make_position, make_user
from tests.members.conftest import built_once
from tests.members.staff import (
    LOGIN_PATH,
    as_post,
    error_summary,
    form_errors,
    form_values,
    messages_shown,
    stored_files,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; each test's changes are rolled back after it."""
    with built_once(django_db_blocker, build=build_advocacy_world) as built:
        yield built


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_in(client, user):
    client.force_login(user)
    return client


def own_org(world, actor):
    """The organisation an actor acts for (the secretariat holds none: centre A's, to try)."""
    return world.orgs[AUTHORS.get(actor, "centre-a")]


# --- Who reaches what -------------------------------------------------------------------------

ACTORS = ["anonymous", "admin_a", "editor_a", "unit_admin_a", "admin_b", "secretariat"]
ADMINS = {"admin_a", "unit_admin_a", "admin_b"}
WITH_ORGANISATIONS = {"admin_a", "editor_a", "unit_admin_a", "admin_b"}
# Whose input is a colleague's (same organisation, another author), and another organisation's.
COLLEAGUES = {
    "admin_a": ("open", "editor_a"),
    "editor_a": ("open", "admin_a"),
    "unit_admin_a": ("open", "colleague", "branch-a"),
    "admin_b": ("open", "colleague", "centre-b"),
    "secretariat": ("open", "admin_a"),
}
OTHER_ORGANISATION = {
    "admin_a": "admin_b",
    "editor_a": "admin_b",
    "unit_admin_a": "admin_b",
    "admin_b": "admin_a",
    "secretariat": "admin_b",
}


def _author(actor):
    return actor if actor in AUTHORS else "admin_a"


# Input addressed in each context: (the position slug in the address, the input's key).
def _input_context(world, actor, context):
    return {
        "own": ("open", ("open", _author(actor))),
        "own, closed": ("closed", ("closed", _author(actor))),
        "own, drafting": ("drafting", ("drafting", "admin_a")),
        "own, other address": ("visible", ("open", _author(actor))),
        "colleague's": ("open", COLLEAGUES[actor]),
        "other organisation's": ("open", ("open", OTHER_ORGANISATION[actor])),
    }[context]


def _endorsement_context(world, actor, context):
    signer = actor if actor in ADMINS else "admin_a"
    return {
        "own": ("endorsed", ("endorsed", signer)),
        "own, closed": ("signing-closed", ("signing-closed", signer)),
        "own, other address": ("published", ("endorsed", signer)),
        "withdrawn": ("endorsed", ("endorsed", signer, "withdrawn")),
        "other organisation's": ("endorsed", ("endorsed", OTHER_ORGANISATION[actor])),
    }[context]


@dataclass
class Case:
    name: str
    contexts: tuple
    kwargs: object  # (world, actor, context) -> URL args
    data: object  # (world, actor, context) -> POST data that would change something
    expected: object  # (actor, context, method) -> "ok", "closed", "refused" or 404
    done: object = None  # (world, actor, context) -> asserts the change was made
    lands_on: object = None  # (world, actor, context) -> where the POST redirects
    closed_to: object = None  # (world, actor, context) -> where a closed page redirects

    def url(self, world, actor, context):
        return url(self.name, *self.kwargs(world, actor, context))


def _input_expected(actor, context, method):
    if context in ("open", "closed", "published") and method == "GET":
        return "ok"
    if context == "open":
        return "ok" if actor in WITH_ORGANISATIONS else 404
    if context in ("closed", "published"):
        return "closed"
    return 404


def _own_input_expected(actor, context, method):
    if actor not in WITH_ORGANISATIONS:
        return 404
    if context == "own":
        return "ok"
    if context == "own, closed":
        return "closed"
    return 404


def _cosign_expected(actor, context, method):
    if context in ("published", "signing-closed", "endorsed") and method == "GET":
        return "ok"
    if context in ("published", "signing-closed", "endorsed") and actor not in ADMINS:
        return 404  # editors and people without organisations do not sign
    if context == "published":
        return "ok"
    if context in ("signing-closed", "endorsed"):
        return "refused"  # closed, or signed already: said in a message, nothing changes
    return 404


def _endorsement_expected(actor, context, method):
    if actor not in ADMINS:
        return 404
    if context == "own":
        return "ok"
    if context == "own, closed":
        return "closed"
    return 404


def _input_of(world, actor, context, finder):
    return world.inputs[finder(world, actor, context)[1]]


def _assert_input_given(world, actor, context):
    assert MemberInput.objects.filter(
        position=world.positions["open"],
        organisation=own_org(world, actor),
        author=getattr(world, actor),
        text="Given in the matrix",
    ).exists()


def _assert_input_edited(world, actor, context):
    member_input = MemberInput.objects.get(pk=_input_of(world, actor, context, _input_context).pk)
    assert member_input.text == "Edited in the matrix"


def _assert_input_gone(world, actor, context):
    assert not MemberInput.objects.filter(
        pk=_input_of(world, actor, context, _input_context).pk
    ).exists()


def _assert_cosigned(world, actor, context):
    endorsement = Endorsement.objects.active().get(
        position=world.positions["published"], organisation=own_org(world, actor)
    )
    assert (endorsement.signatory_name, endorsement.signed_by) == (
        "Matrix Signer",
        getattr(world, actor),
    )


def _assert_withdrawn(world, actor, context):
    key = _endorsement_context(world, actor, context)[1]
    assert Endorsement.objects.get(pk=world.endorsements[key].pk).withdrawn_at is not None


def _assert_unsubscribed(world, actor, context):
    user = getattr(world, actor)
    user.refresh_from_db()
    assert user.notify_advocacy is False


INPUT_CONTEXTS = (
    "own", "own, closed", "own, drafting", "own, other address", "colleague's",
    "other organisation's",
)  # fmt: skip
ENDORSEMENT_CONTEXTS = (
    "own",
    "own, closed",
    "own, other address",
    "withdrawn",
    "other organisation's",
)

CASES = {
    "list": Case(
        "list",
        contexts=("",),
        kwargs=lambda w, a, c: [],
        data=lambda w, a, c: {},
        expected=lambda a, c, m: "ok",
    ),
    "notifications": Case(
        "notifications",
        contexts=("",),
        kwargs=lambda w, a, c: [],
        data=lambda w, a, c: {},  # the box unticked
        expected=lambda a, c, m: "ok",
        done=_assert_unsubscribed,
        lands_on=lambda w, a, c: url("notifications"),
    ),
    "input": Case(
        "input",
        contexts=("open", "closed", "published", "draft", "drafting", "submitted", "unknown"),
        kwargs=lambda w, a, c: [c],
        data=lambda w, a, c: {"organisation": own_org(w, a).pk, "text": "Given in the matrix"},
        expected=_input_expected,
        done=_assert_input_given,
        lands_on=lambda w, a, c: url("input", "open"),
        closed_to=lambda w, a, c: url("input", c),
    ),
    **{
        name: Case(
            name,
            contexts=INPUT_CONTEXTS,
            kwargs=lambda w, a, c: [
                _input_context(w, a, c)[0],
                _input_of(w, a, c, _input_context).pk,
            ],
            data=data,
            expected=_own_input_expected,
            done=done,
            lands_on=lambda w, a, c: url("input", "open"),
            closed_to=lambda w, a, c: url("input", "closed"),
        )
        for name, data, done in [
            ("input-edit", lambda w, a, c: {"text": "Edited in the matrix"}, _assert_input_edited),
            ("input-withdraw", lambda w, a, c: {}, _assert_input_gone),
        ]
    },
    "cosign": Case(
        "cosign",
        contexts=(
            "published",
            "signing-closed",
            "endorsed",
            "open",
            "draft",
            "drafting",
            "submitted",
        ),
        kwargs=lambda w, a, c: [c],
        data=lambda w, a, c: {
            "organisation": own_org(w, a).pk,
            "signatory_name": "Matrix Signer",
            "signatory_title": "Chair",
        },
        expected=_cosign_expected,
        done=_assert_cosigned,
        lands_on=lambda w, a, c: url("cosign", "published"),
        closed_to=lambda w, a, c: url("cosign", c),
    ),
    "cosign-withdraw": Case(
        "cosign-withdraw",
        contexts=ENDORSEMENT_CONTEXTS,
        kwargs=lambda w, a, c: [
            _endorsement_context(w, a, c)[0],
            w.endorsements[_endorsement_context(w, a, c)[1]].pk,
        ],
        data=lambda w, a, c: {},
        expected=_endorsement_expected,
        done=_assert_withdrawn,
        lands_on=lambda w, a, c: url("cosign", "endorsed"),
        closed_to=lambda w, a, c: url("cosign", "signing-closed"),
    ),
}


def _matrix():
    """Generated from the URL configuration: a URL without a Case fails and says so."""
    for pattern in staff_urls.urlpatterns:
        case = CASES.get(pattern.name)
        if case is None:
            yield pytest.param(None, None, pattern.name, None, id=f"{pattern.name}-undescribed")
            continue
        for actor in ACTORS:
            contexts = case.contexts[:2] if actor == "anonymous" else case.contexts
            for context in contexts:
                for method in ("GET", "POST"):
                    yield pytest.param(
                        actor, context, case, method, id=f"{case.name}-{actor}-{context}-{method}"
                    )


def test_every_advocacy_staff_url_is_in_the_matrix():
    assert {pattern.name for pattern in staff_urls.urlpatterns} == set(CASES)


@pytest.mark.parametrize(("actor", "context", "case", "method"), list(_matrix()))
def test_advocacy_staff_url(client, world, tmp_path, actor, context, case, method):
    assert isinstance(case, Case), f"advocacy-staff:{case} is not described in the matrix"
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    target = case.url(world, actor if actor != "anonymous" else "admin_a", context)
    data = case.data(world, actor if actor != "anonymous" else "admin_a", context)
    before = snapshot(tmp_path)

    response = client.get(target) if method == "GET" else client.post(target, data)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_PATH}?next={quote(target)}"
        assert snapshot(tmp_path) == before
        return
    outcome = case.expected(actor, context, method)
    if outcome == 404:
        assert response.status_code == 404
    elif outcome in ("closed", "refused"):
        assert response.status_code == 302
        assert response["Location"] == case.closed_to(world, actor, context)
    elif method == "GET" or case.done is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302, response.context and form_errors(
            response.context["form"]
        )
        assert response["Location"] == case.lands_on(world, actor, context)
        case.done(world, actor, context)
        assert snapshot(tmp_path) != before
        return
    assert snapshot(tmp_path) == before


def test_a_removed_role_is_denied_on_the_very_next_request(client, world, tmp_path):
    admin = signed_in(client, world.admin_a)
    own = world.inputs[("open", "admin_a")]
    assert admin.get(url("input-edit", "open", own.pk)).status_code == 200
    Role.objects.filter(user=world.admin_a).delete()
    before = snapshot(tmp_path)
    for path, data in [
        (url("input", "open"), {"organisation": world.orgs["centre-a"].pk, "text": "Late"}),
        (url("input-edit", "open", own.pk), {"text": "Late"}),
        (url("input-withdraw", "open", own.pk), {}),
        (
            url("cosign", "published"),
            {
                "organisation": world.orgs["centre-a"].pk,
                "signatory_name": "A",
                "signatory_title": "B",
            },
        ),
        (url("cosign-withdraw", "endorsed", world.endorsements[("endorsed", "admin_a")].pk), {}),
    ]:
        assert admin.post(path, data).status_code == 404, path
    assert snapshot(tmp_path) == before


def test_an_organisation_cannot_take_the_address_of_the_advocacy_pages(world):
    from django.core.exceptions import ValidationError

    for slug in ("advocacy", "notifications"):
        organisation = Organisation(name=slug.title(), slug=slug, type=world.centre)
        with pytest.raises(ValidationError) as raised:
            organisation.full_clean()
        assert "slug" in raised.value.message_dict


# --- The list ---------------------------------------------------------------------------------


def _rows(content, heading_id):
    section = re.search(rf'aria-labelledby="{heading_id}".*?</section>', content, re.S).group()
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]:
        title = re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1)
        rows[title] = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", row, re.S)
        ]
    return rows


def test_the_list_shows_what_is_open_and_each_organisations_state(client, world):
    content = signed_in(client, world.colleague).get(url("list")).content.decode()
    # Open for input, the nearest deadline first: only those whose deadline is ahead.
    assert _rows(content, "input-heading") == {
        "Position open": [
            "Branch A: input given",
            "Branch B: no input yet",
            "Centre A: input given",
            "Centre B: input given",
        ],
        "Position visible": [
            "Branch A: no input yet",
            "Branch B: no input yet",
            "Centre A: input given",
            "Centre B: input given",
        ],
    }
    assert _rows(content, "cosign-heading") == {
        # Newest first; co-signing closed is not offered.
        "Position endorsed": [
            "Branch A: co-signed",
            "Branch B: not co-signed",
            "Centre A: co-signed",
            "Centre B: co-signed",
        ],
        "Position published": [
            "Branch A: not co-signed",
            "Branch B: not co-signed",
            "Centre A: not co-signed",
            "Centre B: not co-signed",
        ],
    }
    for hidden in ("draft", "drafting", "submitted", "closed", "signing-closed"):
        assert f"Position {hidden}<" not in content
    assert f'href="{url("input", "open")}"' in content
    assert f'href="{url("cosign", "published")}"' in content
    assert f'href="{url("notifications")}"' in content


def test_the_list_for_someone_without_an_organisation(client, world):
    content = signed_in(client, world.secretariat).get(url("list")).content.decode()
    assert "You do not work on any organisation here yet" in content
    assert "Position open" in content and "Your organisations" not in content


def test_a_deadline_within_two_days_is_marked(client, world):
    make_position(
        status="input", title="Urgent", input_deadline=timezone.now() + timedelta(hours=20)
    )
    content = signed_in(client, world.admin_a).get(url("list")).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", content, re.S)
    urgent = next(row for row in rows if ">Urgent<" in row)
    assert "closing soon" in urgent
    assert "closing soon" not in next(row for row in rows if ">Position open<" in row)


def test_the_list_is_paginated_and_survives_any_page_number(client, world):
    for number in range(30):
        make_position(status="published", title=f"Extra {number}")
    admin = signed_in(client, world.admin_a)
    assert len(admin.get(url("list")).context["page"].object_list) == 25
    for page in ["2", "abc", "-1", "0", "99999999999999999999", "2%00", "1.5"]:
        assert admin.get(url("list"), {"page": page}).status_code == 200, page
    assert len(admin.get(url("list"), {"page": "2"}).context["page"].object_list) == 7


def test_the_dashboard_and_the_account_menu_link_to_the_list(client, world):
    content = signed_in(client, world.editor_a).get(reverse("staff:dashboard")).content.decode()
    assert content.count(f'href="{url("list")}"') == 2


# --- Input ------------------------------------------------------------------------------------


def test_staff_give_change_and_withdraw_input(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    editor = signed_in(client, world.editor_a)
    page = editor.get(url("input", "open"))
    content = page.content.decode()
    assert "What position open is about." in content
    assert "Member input is open until" in content
    # Centre A's input, the editor's own and the admin's; never another organisation's.
    assert "Input of editor_a to open" in content and "Input of admin_a to open" in content
    assert "Input of admin_b to open" not in content
    assert "Input of the colleague" not in content
    own, admins = world.inputs[("open", "editor_a")], world.inputs[("open", "admin_a")]
    assert url("input-edit", "open", own.pk) in content
    assert url("input-edit", "open", admins.pk) not in content
    assert url("input-withdraw", "open", admins.pk) not in content
    # One organisation: chosen already.
    assert form_values(content, "text")["organisation"] == [str(world.orgs["centre-a"].pk)]

    values = form_values(content, "text") | {"text": ["Our choirs need rehearsal rooms."]}
    values["attachment"] = upload("Our notes.PDF", PDF, "application/pdf")
    response = editor.post(
        url("input", "open"), as_post(values) | {"attachment": values["attachment"]}, follow=True
    )
    assert response.redirect_chain == [(url("input", "open"), 302)]
    assert messages_shown(response) == [
        "Your input for Centre A is saved. You can change it until the deadline."
    ]
    given = MemberInput.objects.get(text="Our choirs need rehearsal rooms.")
    assert (given.organisation, given.author, given.position) == (
        world.orgs["centre-a"], world.editor_a, world.positions["open"],
    )  # fmt: skip
    # Stored under a name the portal chose.
    assert re.fullmatch(r"advocacy/input/[0-9a-f]{32}\.pdf", given.attachment.name)
    assert stored_files(tmp_path) == [given.attachment.name]

    # Changed: the form comes back with what was saved.
    edit = editor.get(url("input-edit", "open", given.pk))
    assert form_values(edit.content, "text")["text"] == ["Our choirs need rehearsal rooms."]
    assert "organisation" not in form_values(edit.content, "text")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            url("input-edit", "open", given.pk),
            {"text": "Rooms, and heating in winter.", "attachment-clear": "on"},
            follow=True,
        )
    assert messages_shown(response) == ["Your input is saved."]
    given.refresh_from_db()
    assert (given.text, given.attachment.name) == ("Rooms, and heating in winter.", "")
    assert stored_files(tmp_path) == []  # the removed attachment is gone

    # Withdrawn after confirmation.
    confirm = editor.get(url("input-withdraw", "open", given.pk))
    assert "Rooms, and heating in winter." in confirm.content.decode()
    assert MemberInput.objects.filter(pk=given.pk).exists()
    response = editor.post(url("input-withdraw", "open", given.pk), follow=True)
    assert messages_shown(response) == ["The input of Centre A is withdrawn."]
    assert not MemberInput.objects.filter(pk=given.pk).exists()


def test_a_replaced_attachment_is_deleted_with_the_change(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    editor = signed_in(client, world.editor_a)
    editor.post(
        url("input", "open"),
        {
            "organisation": world.orgs["centre-a"].pk,
            "text": "First",
            "attachment": upload("a.txt", b"first"),
        },
    )
    given = MemberInput.objects.get(text="First")
    first = given.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            url("input-edit", "open", given.pk),
            {"text": "Second", "attachment": upload("b.txt", b"second")},
        )
    given.refresh_from_db()
    assert given.attachment.name != first
    assert stored_files(tmp_path) == [given.attachment.name]
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url("input-withdraw", "open", given.pk))
    assert stored_files(tmp_path) == []


def test_with_several_organisations_the_person_chooses(client, world, tmp_path):
    colleague = signed_in(client, world.colleague)
    form = colleague.get(url("input", "open")).context["form"]
    assert [label for _value, label in form.fields["organisation"].choices] == [
        "Branch A", "Branch B", "Centre A", "Centre B",
    ]  # fmt: skip
    colleague.post(
        url("input", "open"), {"organisation": world.orgs["branch-b"].pk, "text": "From B's branch"}
    )
    assert MemberInput.objects.get(text="From B's branch").organisation == world.orgs["branch-b"]
    # An organisation the person holds no role in is none of the choices.
    before = snapshot(tmp_path)
    for organisation in ("choir-a", "collective-b"):
        response = colleague.post(
            url("input", "open"),
            {"organisation": world.orgs[organisation].pk, "text": "Not ours"},
        )
        assert form_errors(response.context["form"]) == {
            "organisation": ["Choose one of your organisations."]
        }
    assert snapshot(tmp_path) == before


def test_fields_not_on_the_form_are_ignored(client, world):
    admin = signed_in(client, world.admin_a)
    admin.post(
        url("input", "open"),
        {
            "organisation": world.orgs["centre-a"].pk,
            "text": "Mine",
            "author": world.admin_b.pk,
            "position": world.positions["visible"].pk,
            "created_at": "2000-01-01",
        },
    )
    given = MemberInput.objects.get(text="Mine")
    assert (given.author, given.position.slug) == (world.admin_a, "open")
    assert given.created_at.year == timezone.now().year
    own = world.inputs[("open", "admin_a")]
    admin.post(
        url("input-edit", "open", own.pk),
        {"text": "Edited", "organisation": world.orgs["centre-b"].pk, "author": world.admin_b.pk},
    )
    own.refresh_from_db()
    assert (own.text, own.organisation, own.author) == (
        "Edited", world.orgs["centre-a"], world.admin_a,
    )  # fmt: skip


def test_after_the_deadline_input_is_closed_and_nothing_changes(client, world, tmp_path):
    admin = signed_in(client, world.admin_a)
    for slug in ("closed", "published"):
        content = admin.get(url("input", slug)).content.decode()
        assert "Member input for this position is closed." in content
        assert '<form method="post" enctype' not in content
        assert url("input-edit", slug, world.inputs[("closed", "admin_a")].pk) not in content
    assert "Input of admin_a to closed" in admin.get(url("input", "closed")).content.decode()
    own = world.inputs[("closed", "admin_a")]
    before = snapshot(tmp_path)
    for path, data in [
        (url("input", "closed"), {"organisation": world.orgs["centre-a"].pk, "text": "Late"}),
        (url("input-edit", "closed", own.pk), {"text": "Late"}),
        (url("input-withdraw", "closed", own.pk), {}),
    ]:
        response = admin.post(path, data, follow=True)
        assert response.redirect_chain == [(url("input", "closed"), 302)], path
        assert messages_shown(response) == ["Member input for this position is closed."]
    assert snapshot(tmp_path) == before


def test_the_deadline_passing_while_the_form_is_open_refuses_the_post(client, world, tmp_path):
    admin = signed_in(client, world.admin_a)
    values = form_values(admin.get(url("input", "open")).content, "text")
    Position.objects.filter(slug="open").update(input_deadline=timezone.now())
    before = snapshot(tmp_path)
    response = admin.post(
        url("input", "open"), as_post(values | {"text": ["Too late"]}), follow=True
    )
    assert messages_shown(response) == ["Member input for this position is closed."]
    assert snapshot(tmp_path) == before


def test_other_members_input_shows_only_where_the_secretariat_allows(client, world):
    admin = signed_in(client, world.admin_a)
    hidden = admin.get(url("input", "open")).content.decode()
    assert "Other members" not in hidden and "Input of admin_b to open" not in hidden
    shown = admin.get(url("input", "visible")).content.decode()
    assert "Other members' input" in shown or "Other members&#x27; input" in shown
    assert "Input of admin_b to visible" in shown
    # Read only: no way to change another organisation's input.
    other = world.inputs[("visible", "admin_b")]
    assert url("input-edit", "visible", other.pk) not in shown
    assert url("input-withdraw", "visible", other.pk) not in shown
    # Nobody without an organisation reads it.
    assert (
        "Input of admin_b"
        not in signed_in(client, world.secretariat).get(url("input", "visible")).content.decode()
    )


def test_input_never_shows_on_the_public_pages(client, world):
    position = world.positions["published"]
    try:
        path = position.get_absolute_url()
    except NoReverseMatch:
        pytest.skip("the public position page is not there yet")
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert "Input of admin_a to published" not in response.content.decode()
    for slug in ("open", "closed", "drafting"):
        response = client.get(world.positions[slug].get_absolute_url())
        assert response.status_code == 404, slug


def test_someone_without_an_organisation_is_told_so(client, world, tmp_path):
    nobody = signed_in(client, make_user(email="nobody@example.org"))
    content = nobody.get(url("input", "open")).content.decode()
    assert "You do not work on any organisation here yet" in content
    assert 'name="text"' not in content
    content = nobody.get(url("cosign", "published")).content.decode()
    assert "You do not work on any organisation here yet" in content


# --- Garbage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ({"text": ""}, {"text": ["This field is required."]}),
        ({"text": "   \n  "}, {"text": ["This field is required."]}),
        (
            {"text": "x" * 10_001},
            {"text": ["Ensure this value has at most 10000 characters (it has 10001)."]},
        ),
        ({"text": "Null\x00byte"}, {"text": ["Null characters are not allowed."]}),
        ({"organisation": ""}, {"organisation": ["This field is required."]}),
        ({"organisation": "centre-a"}, {"organisation": ["Choose one of your organisations."]}),
        ({"organisation": "-1"}, {"organisation": ["Choose one of your organisations."]}),
        ({"organisation": "1.5"}, {"organisation": ["Choose one of your organisations."]}),
        (
            {"organisation": "99999999999999999999"},
            {"organisation": ["Choose one of your organisations."]},
        ),
        ({"organisation": "1\x00"}, {"organisation": ["Null characters are not allowed."]}),
        (
            {"attachment": ("run.exe", b"MZ")},
            {
                "attachment": [
                    "File extension “exe” is not allowed. Allowed extensions are: pdf, odt, "
                    "docx, txt."
                ]
            },
        ),
        (
            {"attachment": ("page.pdf", b"<html><script>alert(1)</script>")},
            {"attachment": ["The file is not a PDF document."]},
        ),
        (
            {"attachment": ("empty.pdf", b"")},
            {"attachment": ["The submitted file is empty."]},
        ),
        (
            {"attachment": ("big.txt", b"x" * 2048)},
            {"attachment": ["The file is larger than 20 MB."]},
        ),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_garbage_in_the_input_form_is_answered_field_by_field(
    client, world, tmp_path, monkeypatch, typed, errors
):
    monkeypatch.setattr("projects.models.MAX_DOCUMENT_BYTES", 1024)
    colleague = signed_in(client, world.colleague)
    data = {"organisation": str(world.orgs["centre-b"].pk), "text": "Kept as typed ✓ ąčęėįšųūž"}
    data |= typed
    if "attachment" in typed:
        data["attachment"] = upload(*typed["attachment"])
    before = snapshot(tmp_path)

    response = colleague.post(url("input", "open"), data)

    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    assert error_summary(response)
    shown = form_values(response.content, "text")
    if "text" not in typed:
        assert shown["text"] == ["Kept as typed ✓ ąčęėįšųūž"]
    if "organisation" not in typed:
        assert shown["organisation"] == [str(world.orgs["centre-b"].pk)]
    assert snapshot(tmp_path) == before


def test_garbage_in_an_edit_is_answered_and_the_input_kept(client, world, tmp_path):
    own = world.inputs[("open", "admin_a")]
    admin = signed_in(client, world.admin_a)
    before = snapshot(tmp_path)
    response = admin.post(url("input-edit", "open", own.pk), {"text": "x" * 10_001})
    assert response.status_code == 200
    assert list(form_errors(response.context["form"])) == ["text"]
    assert form_values(response.content, "text")["text"] == ["x" * 10_001]
    # The saved input is shown as saved, beside the form with what was typed.
    assert "Input of admin_a to open" in response.content.decode()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ({"signatory_name": ""}, {"signatory_name": ["This field is required."]}),
        ({"signatory_title": ""}, {"signatory_title": ["This field is required."]}),
        (
            {"signatory_name": "N" * 151},
            {"signatory_name": ["Ensure this value has at most 150 characters (it has 151)."]},
        ),
        (
            {"signatory_title": "Ch\x00ir"},
            {"signatory_title": ["Null characters are not allowed."]},
        ),
        ({"organisation": ""}, {"organisation": ["This field is required."]}),
        ({"organisation": "abc"}, {"organisation": ["Choose one of your organisations."]}),
        (
            {"organisation": "99999999999999999999"},
            {"organisation": ["Choose one of your organisations."]},
        ),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_garbage_in_the_cosign_form_is_answered_field_by_field(
    client, world, tmp_path, typed, errors
):
    admin = signed_in(client, world.admin_a)
    data = {
        "organisation": str(world.orgs["centre-a"].pk),
        "signatory_name": "Rūta Žemaitė",
        "signatory_title": "Pirmininkė",
    } | typed
    before = snapshot(tmp_path)
    response = admin.post(url("cosign", "published"), data)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    shown = form_values(response.content, "signatory_name")
    for name in ("signatory_name", "signatory_title"):
        if name not in typed:
            assert shown[name] == [data[name]]
    assert snapshot(tmp_path) == before


def test_a_co_signature_for_another_organisation_is_refused(client, world, tmp_path):
    admin = signed_in(client, world.admin_a)
    before = snapshot(tmp_path)
    # Centre B's: not a choice. Branch A's: under A, but A's admin speaks for centre A itself.
    for slug in ("centre-b", "branch-a"):
        response = admin.post(
            url("cosign", "published"),
            {"organisation": world.orgs[slug].pk, "signatory_name": "X", "signatory_title": "Y"},
        )
        assert form_errors(response.context["form"]) == {
            "organisation": ["Choose one of your organisations."]
        }
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "path",
    [
        "/en/my/advocacy/open/input/99999999999999999999/",
        "/en/my/advocacy/open/input/99999999999999999999/withdraw/",
        "/en/my/advocacy/open/input/-1/",
        "/en/my/advocacy/open/input/abc/",
        "/en/my/advocacy/endorsed/cosign/99999999999999999999/withdraw/",
        "/en/my/advocacy/open%00/input/",
        "/en/my/advocacy/..%2Fopen/input/",
        "/en/my/advocacy/" + "a" * 5000 + "/input/",
        "/en/my/advocacy/open/input/extra/",
        "/en/my/advocacy/published/cosign/extra/",
    ],
)
def test_garbage_in_the_address_is_not_found(client, world, tmp_path, path):
    admin = signed_in(client, world.admin_a)
    before = snapshot(tmp_path)
    response = admin.post(path, {"text": "x"})
    assert response.status_code == 404
    assert snapshot(tmp_path) == before


def test_unticking_and_ticking_the_notifications_box(client, world):
    editor = signed_in(client, world.editor_a)
    page = editor.get(url("notifications"))
    assert form_values(page.content, "notify_advocacy")["notify_advocacy"] == ["on"]
    response = editor.post(url("notifications"), {}, follow=True)
    assert messages_shown(response) == ["Your email settings are saved."]
    world.editor_a.refresh_from_db()
    assert world.editor_a.notify_advocacy is False
    assert form_values(response.content, "notify_advocacy")["notify_advocacy"] == []
    editor.post(url("notifications"), {"notify_advocacy": "on", "email": "x@example.org"})
    world.editor_a.refresh_from_db()
    assert (world.editor_a.notify_advocacy, world.editor_a.email) == (
        True,
        "editor-a@example.org",
    )


# --- Co-signing -------------------------------------------------------------------------------


def test_an_admin_co_signs_withdraws_and_co_signs_again(client, world):
    world.admin_a.name = "Rūta Žemaitė"
    world.admin_a.save()
    admin = signed_in(client, world.admin_a)
    page = admin.get(url("cosign", "published"))
    values = form_values(page.content, "signatory_name")
    assert values["signatory_name"] == ["Rūta Žemaitė"]  # prefilled with the person's name
    assert values["organisation"] == [str(world.orgs["centre-a"].pk)]
    values["signatory_title"] = ["Chair"]
    response = admin.post(url("cosign", "published"), as_post(values), follow=True)
    assert messages_shown(response) == ["Centre A co-signs “Position published”."]
    assert "Co-signed by Rūta Žemaitė, Chair, on" in response.content.decode()
    assert 'name="signatory_name"' not in response.content.decode()  # nothing left to sign
    endorsement = Endorsement.objects.active().get(position__slug="published")
    assert (endorsement.organisation, endorsement.signed_by) == (
        world.orgs["centre-a"], world.admin_a,
    )  # fmt: skip

    # Twice: refused by the service, with its message.
    again = admin.post(url("cosign", "published"), as_post(values), follow=True)
    assert messages_shown(again) == ["Centre A has already co-signed."]
    assert Endorsement.objects.filter(position__slug="published").count() == 1

    # Withdrawn after confirmation, then signed again.
    withdraw = url("cosign-withdraw", "published", endorsement.pk)
    assert withdraw in response.content.decode()
    assert "will no longer be named" in admin.get(withdraw).content.decode()
    response = admin.post(withdraw, follow=True)
    assert messages_shown(response) == ["The co-signature of Centre A is withdrawn."]
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None
    admin.post(url("cosign", "published"), as_post(values))
    assert Endorsement.objects.active().filter(position__slug="published").count() == 1
    assert Endorsement.objects.filter(position__slug="published").count() == 2


def test_editors_see_that_only_admins_co_sign(client, world, tmp_path):
    editor = signed_in(client, world.editor_a)
    content = editor.get(url("cosign", "published")).content.decode()
    assert "Only the admins of an organisation may co-sign for it." in content
    assert 'name="signatory_name"' not in content
    content = editor.get(url("cosign", "endorsed")).content.decode()
    assert "Co-signed by Signatory of admin_a, Chair" in content
    assert "/withdraw/" not in content


def test_signing_closed_shows_and_refuses(client, world, tmp_path):
    admin = signed_in(client, world.admin_a)
    content = admin.get(url("cosign", "signing-closed")).content.decode()
    assert "Co-signing of this position is closed." in content
    assert 'name="signatory_name"' not in content and "/withdraw/" not in content
    before = snapshot(tmp_path)
    endorsement = world.endorsements[("signing-closed", "admin_a")]
    for path in (url("cosign-withdraw", "signing-closed", endorsement.pk),):
        response = admin.post(path, follow=True)
        assert messages_shown(response) == ["Co-signing of this position is closed."]
    assert snapshot(tmp_path) == before


def test_a_unit_admin_signs_for_the_unit(client, world):
    unit_admin = signed_in(client, world.unit_admin_a)
    content = unit_admin.get(url("cosign", "endorsed")).content.decode()
    assert "Co-signed by Signatory of unit_admin_a, Chair" in content
    unit_admin.post(
        url("cosign", "published"),
        {
            "organisation": world.orgs["branch-a"].pk,
            "signatory_name": "Unit",
            "signatory_title": "Head",
        },
    )
    assert (
        Endorsement.objects.active().get(position__slug="published").organisation
        == (world.orgs["branch-a"])
    )


# --- Query counts -----------------------------------------------------------------------------


def grow(world, start, end):
    """For each number: a position open for input and one published, each with input or a
    co-signature of centre A; and input of centre A and of centre B to "visible"."""
    for number in range(start, end):
        position = make_position(status="input", title=f"Open {number}")
        make_input(position=position, organisation=world.orgs["centre-a"], author=world.admin_a)
        published = make_position(status="published", title=f"Published {number}")
        Endorsement.objects.create(
            position=published,
            organisation=world.orgs["centre-a"],
            signatory_name="X",
            signatory_title="Y",
        )
        for side, author in (("centre-a", world.admin_a), ("centre-b", world.admin_b)):
            make_input(
                position=world.positions["visible"],
                organisation=world.orgs[side],
                author=author,
                text=f"Grown {side} {number}",
            )
            make_input(
                position=world.positions["published"],
                organisation=world.orgs[side],
                author=author,
                text=f"Grown {side} {number}",
            )


def queries(client, path, django_assert_max_num_queries, limit=40):
    with django_assert_max_num_queries(limit) as counted:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(counted.captured_queries)


# The pinned counts: a change that adds a query per row fails here, and one that adds a query
# to the page says so.
PINNED = {"list": 7, "input": 4, "cosign": 5}
# Who looks: the colleague (four organisations) at the list and the input, an admin (who gets
# the form) at the co-signing page.
PAGES = {
    "list": ("colleague", lambda: url("list")),
    "input": ("colleague", lambda: url("input", "visible")),
    "cosign": ("admin_a", lambda: url("cosign", "published")),
}


@pytest.mark.parametrize("page", list(PINNED))
def test_an_advocacy_page_costs_the_same_for_3_or_25_of_everything(
    client, world, django_assert_max_num_queries, page
):
    actor, path = PAGES[page]
    client.force_login(getattr(world, actor))
    path = path()
    grow(world, 0, 3)
    client.get(path)  # sessions and caches are warm from here on
    few = queries(client, path, django_assert_max_num_queries)
    grow(world, 3, 25)
    many = queries(client, path, django_assert_max_num_queries, limit=few)
    assert (few, many) == (PINNED[page], PINNED[page])
    content = client.get(path).content.decode()
    if page == "input":
        assert "Grown centre-a 24" in content and "Grown centre-b 24" in content
    if page == "list":
        assert "Open 24" in content
