"""Who may do what on the staff pages, generated from members.staff_urls: every URL, for
objects of organisation A, of a sub-unit of A and of organisation B, by GET and by POST, for an
anonymous visitor, an admin and an editor of A, an admin of A's branch only, and the secretariat.

A role covers its organisation's subtree; the secretariat reaches everything as an admin; every
other organisation (and a role too low) answers 404, and nothing changes."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import resolve, reverse

from members import staff_urls
from members.models import Role
from tests.members.staff import (
    CASES_BY_NAME,
    CONTEXTS,
    LOGIN_PATH,
    Case,
    invitation_path,
    snapshot,
    token_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


# The level each signed-in actor holds in each context (absent: no reach at all).
REACH = {
    "admin_a": {"A": "admin", "A's sub-unit": "admin", "A with B's objects": "admin"},
    "editor_a": {"A": "editor", "A's sub-unit": "editor", "A with B's objects": "editor"},
    # A role in the branch reaches the branch and below, never the centre above it.
    "unit_admin_a": {"A's sub-unit": "admin"},
    "secretariat": {context: "admin" for context in CONTEXTS},
}
ACTOR_CONTEXTS = {
    "anonymous": ["A", "B"],
    "admin_a": ["A", "A's sub-unit", "B", "A with B's objects"],
    "editor_a": ["A", "A's sub-unit", "B", "A with B's objects"],
    "unit_admin_a": ["A", "A's sub-unit"],
    "secretariat": ["A", "A's sub-unit", "B", "A with B's objects"],
}


def expected(actor, context, case, method):
    """ "sign-in", 404, 405 or "ok"."""
    if actor == "anonymous":
        return "sign-in"
    if method == "GET" and case.post_only:
        # require_POST answers before anything is looked up: the same for every address, so it
        # tells nothing about what exists.
        return 405
    if case.name == "dashboard":
        return "ok"
    if context == "A with B's objects":
        return 404  # the address is within reach, the photo, invitation or role is not
    level = REACH[actor].get(context)
    if level is None or (case.admin_only and level != "admin"):
        return 404
    return "ok"


def _matrix():
    """Generated from the URL configuration: a URL without a Case still gets a test, which
    fails and says so."""
    for pattern in staff_urls.urlpatterns:
        cases = CASES_BY_NAME.get(pattern.name) or [Case(pattern.name)]
        for case in cases:
            for actor, contexts in ACTOR_CONTEXTS.items():
                if case.name == "dashboard":
                    contexts = contexts[:1]  # it names no organisation
                for context in contexts:
                    if context == "A with B's objects" and not case.has_objects:
                        continue
                    for method in ("GET", "POST"):
                        yield pytest.param(
                            actor,
                            context,
                            case,
                            method,
                            id=f"{case.id}-{actor}-{context}-{method}",
                        )


def test_every_staff_url_is_in_the_matrix():
    in_urls = {pattern.name for pattern in staff_urls.urlpatterns}
    assert in_urls == set(CASES_BY_NAME), (
        "a staff URL was added or removed: describe it with a Case in tests/members/staff.py"
    )
    # The invitation link lives outside staff_urls; it has its own tests below.
    assert resolve(invitation_path("anything")).url_name == "invitation"


@pytest.mark.parametrize(("actor", "context", "case", "method"), list(_matrix()))
def test_staff_url(client, world, tmp_path, actor, context, case, method):
    assert case.kwargs is not None, f"staff:{case.name} is not described in the matrix"
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    url = case.url(world, context)
    data = case.data(world, context)
    before = snapshot(tmp_path)

    response = client.get(url) if method == "GET" else client.post(url, data)

    outcome = expected(actor, context, case, method)
    if outcome == "sign-in":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_PATH}?next={quote(url)}"
    elif outcome in (404, 405):
        assert response.status_code == outcome
    elif method == "GET" or case.name == "dashboard":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == case.lands_on(world, context)
        case.done(world, context)
        assert snapshot(tmp_path) != before
        return
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "case",
    [case for cases in CASES_BY_NAME.values() for case in cases if case.name != "dashboard"],
    ids=lambda case: case.id,
)
def test_a_removed_role_is_denied_on_the_very_next_request(client, world, tmp_path, case):
    client.force_login(world.admin_a)
    assert client.get(reverse("staff:profile", args=["centre-a"])).status_code == 200
    # The secretariat removes the role from another browser, between two of A's requests.
    role = Role.objects.get(user=world.admin_a, organisation__slug="centre-a")
    secretariat = Client()
    secretariat.force_login(world.secretariat)
    removed = secretariat.post(reverse("staff:role-remove", args=["centre-a", role.pk]))
    assert removed.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    before = snapshot(tmp_path)

    response = client.post(case.url(world, "A"), case.data(world, "A"))

    assert response.status_code == 404
    assert snapshot(tmp_path) == before


def test_the_dashboard_lists_only_what_the_roles_reach(client, world):
    def listed(user):
        client.force_login(user)
        groups = client.get(reverse("staff:dashboard")).context["groups"]
        return [(top.slug, [unit.slug for unit in units]) for top, units in groups]

    assert listed(world.admin_a) == [("centre-a", ["branch-a", "collective-a", "choir-a"])]
    assert listed(world.editor_a) == [("centre-a", ["branch-a", "collective-a", "choir-a"])]
    assert listed(world.unit_admin_a) == [("branch-a", ["collective-a"])]
    assert listed(world.admin_b) == [("centre-b", ["branch-b", "collective-b", "choir-b"])]
    # The secretariat holds no role: its reach is the administration, which the page links to.
    client.force_login(world.secretariat)
    response = client.get(reverse("staff:dashboard"))
    assert response.context["groups"] == []
    assert "As the secretariat, you reach every organisation" in response.content.decode()


def test_the_dashboard_after_the_last_role_is_removed_lists_nothing(client, world):
    client.force_login(world.unit_admin_a)
    Role.objects.filter(user=world.unit_admin_a).delete()
    response = client.get(reverse("staff:dashboard"))
    assert response.context["groups"] == []
    assert "You do not work on any organisation here yet." in response.content.decode()


def test_people_pages_show_the_people_tab_to_admins_only(client, world):
    people = reverse("staff:people", args=["centre-a"])
    client.force_login(world.admin_a)
    assert (
        f'href="{people}"'
        in client.get(reverse("staff:profile", args=["centre-a"])).content.decode()
    )
    client.force_login(world.editor_a)
    assert (
        f'href="{people}"'
        not in client.get(reverse("staff:profile", args=["centre-a"])).content.decode()
    )


# --- The invitation link ----------------------------------------------------------------------
# It works without signing in (the token is the key) and only for the address it was sent to.


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("actor", ["admin_a", "editor_a", "unit_admin_a", "admin_b", "secretariat"])
def test_an_invitation_link_does_nothing_for_another_signed_in_account(
    client, world, tmp_path, actor, method
):
    client.force_login(getattr(world, actor))
    path = invitation_path(token_for("centre-a"))
    before = snapshot(tmp_path)
    response = client.get(path) if method == "GET" else client.post(path)
    assert response.status_code == 200
    assert "This invitation is for invited-to-centre-a@example.org. Sign out" in (
        response.content.decode()
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("actor", ["anonymous", "admin_a", "secretariat"])
def test_an_unknown_invitation_token_answers_404(client, world, tmp_path, actor, method):
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    path = invitation_path("not-a-token-anyone-was-sent")
    before = snapshot(tmp_path)
    response = client.get(path) if method == "GET" else client.post(path)
    assert response.status_code == 404
    assert "This invitation cannot be used" in response.content.decode()
    assert snapshot(tmp_path) == before


def test_an_invitation_link_opens_the_sign_up_form_anonymously(client, world, tmp_path):
    before = snapshot(tmp_path)
    response = client.get(invitation_path(token_for("branch-b")))
    assert response.status_code == 200
    assert "You are invited to keep the profile of Branch B up to date, as Editor." in (
        response.content.decode()
    )
    assert snapshot(tmp_path) == before
