"""What member staff and the secretariat do, end to end: invitations (by real email through
Celery and an SMTP server), change requests and their decisions, annual figures, history and
reverts, the secretariat's two-factor requirement and the dashboard."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import formats, timezone

from association.models import AssociationProfile, User
from members.models import (
    AnnualReport,
    ChangeRequest,
    ContactPerson,
    Invitation,
    Organisation,
    Photo,
    Role,
)
from tests.factories import PASSWORD, make_contact, make_field, make_secretariat_user, make_user
from tests.helpers import committed_db
from tests.members.pages import stats
from tests.members.staff import (
    LOGIN_PATH,
    THIS_YEAR,
    as_post,
    build_world,
    form_errors,
    form_values,
    invitation_path,
    make_invitation,
    messages_shown,
    png_upload,
    snapshot,
    token_for,
    url,
)

NEW_PASSWORD = "a-long-pass-phrase-9"


def signed_in(client, user):
    client.force_login(user)
    return client


def head_of_secretariat():
    return make_secretariat_user(email="head@example.org", name="Head of Secretariat")


def subject(message):
    # A subject with non-ASCII letters is folded onto a continuation line (Python's email
    # package), which the parser reads back with the fold's leading space.
    return message["Subject"].strip()


def link_in(message):
    """The invitation link's path in an email."""
    found = re.search(r"http://testserver(/en/invitations/[\w-]+/)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def sign_up(path, name="Ona Petraitė", password=NEW_PASSWORD):
    client = Client()
    response = client.post(path, {"name": name, "password1": password, "password2": password})
    return client, response


# --- Invitations ------------------------------------------------------------------------------


@committed_db
def test_an_admin_invites_a_colleague_who_creates_an_account(smtp_sink, celery_worker):
    w = build_world()
    admin = signed_in(Client(), w.admin_a)

    response = admin.post(
        url("people", "centre-a"), {"email": " Ona@Example.org ", "level": "editor"}, follow=True
    )

    assert messages_shown(response) == ["An invitation is on its way to ona@example.org."]
    invitation = Invitation.objects.get(email="ona@example.org")
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    # The pending list of centre A: the world's invitation and this one, newest first.
    assert [item.email for item in response.context["invitations"]] == [
        "ona@example.org",
        "invited-to-centre-a@example.org",
    ]
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "ona@example.org"
    assert subject(message) == "Invitation: keep the profile of Centre A up to date"
    assert "as Editor" in message.get_content()
    assert "the link works once, for 7 days" in message.get_content()
    path = link_in(message)

    newcomer, response = sign_up(path)

    assert response.status_code == 302
    assert response["Location"] == url("dashboard")
    user = User.objects.get(email="ona@example.org")
    assert user.name == "Ona Petraitė"
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
    ) == [("ona@example.org", True, True)]
    assert list(Role.objects.filter(user=user).values_list("organisation__slug", "level")) == [
        ("centre-a", "editor")
    ]
    dashboard = newcomer.get(url("dashboard"))
    assert dashboard.context["user"] == user  # signed in by accepting
    assert messages_shown(dashboard) == ["Welcome. You now work on Centre A here."]
    assert [top.slug for top, _units in dashboard.context["groups"]] == ["centre-a"]
    # The chosen password signs in, through the ordinary sign-in form.
    again = Client()
    response = again.post(LOGIN_PATH, {"login": "ona@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert again.get(url("dashboard")).context["user"] == user
    # Single use.
    response = Client().get(path)
    assert response.status_code == 404
    assert "This invitation cannot be used" in response.content.decode()
    assert [item.email for item in admin.get(url("people", "centre-a")).context["invitations"]] == [
        "invited-to-centre-a@example.org"
    ]


@committed_db
def test_the_secretariat_invites_an_organisations_first_admin_in_the_admin(
    smtp_sink, celery_worker
):
    w = build_world()
    head = head_of_secretariat()
    secretariat = signed_in(Client(), head)
    add = "/admin/members/invitation/add/"
    assert secretariat.get(add).status_code == 200

    response = secretariat.post(
        add,
        {
            "email": "Director@Centre-B.example.org",
            "organisation": w.orgs["centre-b"].pk,
            "level": "admin",
        },
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="director@centre-b.example.org")
    assert (invitation.organisation.slug, invitation.level, invitation.invited_by) == (
        "centre-b",
        "admin",
        head,
    )
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "director@centre-b.example.org"
    path = link_in(message)
    assert "as Admin" in Client().get(path).content.decode()
    newcomer, response = sign_up(path, name="Jonas")
    assert response.status_code == 302
    assert list(
        Role.objects.filter(user__email="director@centre-b.example.org").values_list(
            "organisation__slug", "level"
        )
    ) == [("centre-b", "admin")]
    assert newcomer.get(url("people", "centre-b")).status_code == 200


@committed_db
def test_resending_an_invitation_replaces_its_link(smtp_sink, celery_worker):
    w = build_world()
    admin = signed_in(Client(), w.admin_a)
    admin.post(
        url("people", "centre-a"), {"email": "ona@example.org", "level": "admin"}, follow=True
    )
    first = link_in(smtp_sink.wait_for(1)[0])
    invitation = Invitation.objects.get(email="ona@example.org")

    response = admin.post(
        url("invitation-action", "centre-a", invitation.pk, "resend"), follow=True
    )

    assert messages_shown(response) == ["The invitation is sent again to ona@example.org."]
    second = link_in(smtp_sink.wait_for(2)[1])
    assert first != second
    assert Client().get(first).status_code == 404
    assert "as Admin" in Client().get(second).content.decode()


@pytest.mark.django_db
def test_an_invitation_expires_after_7_days(client):
    w = build_world()
    invitation = Invitation.objects.get(email="invited-to-centre-a@example.org")
    path = invitation_path(token_for("centre-a"))
    assert client.get(path).status_code == 200

    # A week later, to the second.
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save()

    response = client.get(path)
    assert response.status_code == 404
    assert "more than seven days old" in response.content.decode()
    _, response = sign_up(path)
    assert response.status_code == 404
    assert not User.objects.filter(email="invited-to-centre-a@example.org").exists()
    # No longer pending: the people page does not list it.
    admin = signed_in(Client(), w.admin_a)
    assert list(admin.get(url("people", "centre-a")).context["invitations"]) == []


@pytest.mark.django_db
def test_a_revoked_invitation_link_stops_working(client):
    w = build_world()
    invitation = Invitation.objects.get(email="invited-to-centre-a@example.org")
    admin = signed_in(Client(), w.admin_a)

    response = admin.post(
        url("invitation-action", "centre-a", invitation.pk, "revoke"), follow=True
    )

    assert messages_shown(response) == [
        "The invitation to invited-to-centre-a@example.org is revoked."
    ]
    assert list(response.context["invitations"]) == []
    assert client.get(invitation_path(token_for("centre-a"))).status_code == 404
    # Neither resent nor revoked again: it is no longer pending.
    for action in ("resend", "revoke"):
        assert (
            admin.post(url("invitation-action", "centre-a", invitation.pk, action)).status_code
            == 404
        )


@pytest.mark.django_db
def test_an_invitation_adds_the_role_to_the_signed_in_account_with_its_address(client):
    build_world()
    person = make_user(email="invited-to-centre-a@example.org", name="Ona")
    signed_in(client, person)
    path = invitation_path(token_for("centre-a"))

    page = client.get(path)
    assert "You are invited to keep the profile of Centre A up to date, as Editor." in (
        page.content.decode()
    )
    assert not Role.objects.filter(user=person).exists()  # looking is not accepting
    response = client.post(path, follow=True)

    assert response.redirect_chain == [(url("dashboard"), 302)]
    assert messages_shown(response) == ["You now work on Centre A here."]
    assert list(Role.objects.filter(user=person).values_list("organisation__slug", "level")) == [
        ("centre-a", "editor")
    ]
    assert Invitation.objects.get(email=person.email).accepted_at is not None
    assert User.objects.filter(email=person.email).count() == 1
    assert client.get(path).status_code == 404  # single use


@pytest.mark.django_db
def test_an_admin_invitation_raises_an_editor_and_an_editor_invitation_never_lowers(client):
    w = build_world()
    signed_in(client, w.editor_a)
    make_invitation(w.orgs["centre-a"], email="editor-a@example.org", level="admin", token="raise")
    client.post(invitation_path("raise"))
    assert Role.objects.get(user=w.editor_a).level == "admin"

    signed_in(client, w.admin_b)
    make_invitation(w.orgs["centre-b"], email="admin-b@example.org", level="editor", token="lower")
    client.post(invitation_path("lower"))
    assert Role.objects.get(user=w.admin_b).level == "admin"


@pytest.mark.django_db
def test_an_account_signed_in_with_another_address_is_told_to_sign_out(client):
    w = build_world()
    make_user(email="invited-to-centre-a@example.org")
    signed_in(client, w.admin_b)
    path = invitation_path(token_for("centre-a"))
    before = snapshot()

    response = client.get(path)
    posted = client.post(path)

    for page in (response, posted):
        assert page.status_code == 200
        content = page.content.decode()
        assert "Another account is signed in" in content
        assert (
            "This invitation is for invited-to-centre-a@example.org. Sign out, then open "
            "the link from the email again."
        ) in content
        logout = form_values(content, "next")
        assert logout["next"] == [path]
        assert '<form method="post" action="/en/accounts/logout/">' in content
    assert snapshot() == before


@pytest.mark.django_db
def test_an_existing_account_not_signed_in_is_sent_to_sign_in_and_back(client):
    build_world()
    person = make_user(email="invited-to-centre-a@example.org")
    path = invitation_path(token_for("centre-a"))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_PATH}?next={path}"
    # A sign-up is not offered for an address that has an account.
    assert (
        client.post(path, {"name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})[
            "Location"
        ]
        == response["Location"]
    )
    assert User.objects.filter(email=person.email).count() == 1
    signed = client.post(response["Location"], {"login": person.email, "password": PASSWORD})
    assert signed.status_code == 302 and signed["Location"] == path
    client.post(path)
    assert list(Role.objects.filter(user=person).values_list("organisation__slug", flat=True)) == [
        "centre-a"
    ]


# --- Change requests --------------------------------------------------------------------------


@committed_db
def test_change_requests_are_decided_in_the_admin_and_the_requester_is_told(
    smtp_sink, celery_worker
):
    w = build_world()
    requester = signed_in(Client(), w.admin_a)
    head = head_of_secretariat()
    secretariat = signed_in(Client(), head)

    response = requester.post(
        url("change-request", "centre-a"),
        {
            "name": "Kėdainių kultūros centras",
            "type": w.centre.pk,
            "membership_status": "member",
            "reason": "Renamed by the council on 1 March.",
        },
        follow=True,
    )

    assert messages_shown(response) == [
        "Your request is sent to the secretariat. You will get an email when it is decided."
    ]
    request = ChangeRequest.objects.get()
    assert (request.changes, request.reason, request.requested_by, request.status) == (
        {"name": "Kėdainių kultūros centras"},
        "Renamed by the council on 1 March.",
        w.admin_a,
        "pending",
    )
    # The staff page counts it as waiting.
    assert response.context["pending_requests"] == 1
    # In the admin queue.
    queue = secretariat.get("/admin/members/changerequest/")
    assert [item.pk for item in queue.context["cl"].result_list] == [request.pk]
    decide = f"/admin/members/changerequest/{request.pk}/change/"
    page = secretariat.get(decide)
    assert page.context["rows"] == [("name", "Centre A", "Kėdainių kultūros centras")]
    assert "Renamed by the council on 1 March." in page.content.decode()

    response = secretariat.post(decide, {"approve": "Approve and apply", "note": ""})

    assert response.status_code == 302
    centre = Organisation.objects.get(slug="centre-a")
    assert centre.name == "Kėdainių kultūros centras"
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", head)
    latest = centre.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        head,
        f"Change request {request.pk}",
    )
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]
    (approved,) = smtp_sink.wait_for(1)
    assert approved["To"] == "admin-a@example.org"
    assert subject(approved) == "Your change request for Kėdainių kultūros centras is approved"
    assert "has approved your change request" in approved.get_content()

    # A second request, rejected: a note is required.
    requester.post(
        url("change-request", "centre-a"),
        {
            "name": "Kėdainių kultūros centras",
            "type": w.centre.pk,
            "membership_status": "former",
            "reason": "We left the association.",
        },
    )
    second = ChangeRequest.objects.get(status="pending")
    decide = f"/admin/members/changerequest/{second.pk}/change/"
    response = secretariat.post(decide, {"reject": "Reject", "note": "  "})
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == {"note": ["Say why the request is rejected."]}
    second.refresh_from_db()
    assert second.status == "pending"

    response = secretariat.post(
        decide, {"reject": "Reject", "note": "Leaving needs a letter from the board."}
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.decision_note) == (
        "rejected",
        "Leaving needs a letter from the board.",
    )
    assert Organisation.objects.get(slug="centre-a").membership_status == "member"
    rejected = smtp_sink.wait_for(2)[1]
    assert subject(rejected) == "Your change request for Kėdainių kultūros centras is not approved"
    assert (
        "The secretariat's note: Leaving needs a letter from the board." in rejected.get_content()
    )
    # The requester sees both decisions on the page.
    content = requester.get(url("change-request", "centre-a")).content.decode()
    assert "Secretariat: Leaving needs a letter from the board." in content


@pytest.mark.django_db
def test_the_change_request_queue_lists_pending_requests_first(client):
    w = build_world()
    pending = ChangeRequest.objects.create(
        organisation=w.orgs["centre-a"], changes={"name": "New"}, reason="Waiting"
    )
    decided = ChangeRequest.objects.create(
        organisation=w.orgs["centre-b"],
        changes={"name": "Old"},
        reason="Decided",
        status="rejected",
        created_at=timezone.now() + timedelta(minutes=1),
    )
    signed_in(client, head_of_secretariat())
    queue = client.get("/admin/members/changerequest/")
    assert [item.pk for item in queue.context["cl"].result_list] == [pending.pk, decided.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["changerequest", "role", "invitation"])
def test_the_secretariat_reaches_the_member_staff_admin_pages(client, page):
    build_world()
    signed_in(client, make_secretariat_user(email="desk@example.org"))
    assert client.get(f"/admin/members/{page}/").status_code == 200


@pytest.mark.django_db
def test_approving_a_change_the_tree_forbids_says_why(client):
    w = build_world()
    # A centre asks to become a branch, which cannot stand at the top.
    request = ChangeRequest.objects.create(
        organisation=w.orgs["centre-a"],
        changes={"type": w.branch.pk},
        reason="We are a branch now.",
        requested_by=w.admin_a,
    )
    signed_in(client, head_of_secretariat())
    response = client.post(
        f"/admin/members/changerequest/{request.pk}/change/",
        {"approve": "Approve and apply", "note": ""},
    )
    assert response.status_code == 200
    assert "Some sub-units, such as Branch A, cannot be part of a Branch." in (
        response.content.decode()
    )
    request.refresh_from_db()
    assert request.status == "pending"


# --- Annual figures ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_latest_years_figures_become_the_organisations(client):
    w = build_world()
    signed_in(client, w.admin_a)
    figures = {"members": 120, "volunteers": 14, "staff": 6, "collectives": 3}

    response = client.post(
        url("figures", "centre-a"), {"year": THIS_YEAR - 1, **figures}, follow=True
    )

    assert messages_shown(response) == [f"The figures for {THIS_YEAR - 1} are saved."]
    centre = Organisation.objects.get(slug="centre-a")
    assert (centre.members_count, centre.volunteers_count, centre.staff_count) == (120, 14, 6)

    client.post(
        url("figures", "centre-a"),
        {"year": THIS_YEAR, "members": 130, "volunteers": 15, "staff": 7, "collectives": 3},
    )
    centre.refresh_from_db()
    assert (centre.members_count, centre.volunteers_count, centre.staff_count) == (130, 15, 7)

    # An older year, reported late (or corrected), leaves today's figures alone.
    client.post(
        url("figures", "centre-a"),
        {"year": THIS_YEAR - 2, "members": 90, "volunteers": 9, "staff": 4, "collectives": 2},
    )
    client.post(
        url("figures", "centre-a"),
        {"year": THIS_YEAR - 1, "members": 125, "volunteers": 14, "staff": 6, "collectives": 3},
    )
    centre.refresh_from_db()
    assert (centre.members_count, centre.volunteers_count, centre.staff_count) == (130, 15, 7)
    assert list(centre.annual_reports.values_list("year", "members")) == [
        (THIS_YEAR, 130),
        (THIS_YEAR - 1, 125),
        (THIS_YEAR - 2, 90),
    ]
    # The directory's figures for the centre (it and its sub-units, which report none).
    public = client.get("/en/members/centre-a/")
    assert {
        label: value
        for label, value in stats(public).items()
        if "member" in label or "volunteer" in label or label == "staff"
    } == {
        "members and participants": 130,
        "volunteers": 15,
        "staff": 7,
    }


def _report(organisation, year, members, volunteers, staff, collectives):
    return AnnualReport.objects.create(
        organisation=organisation,
        year=year,
        members=members,
        volunteers=volunteers,
        staff=staff,
        collectives=collectives,
    )


@pytest.mark.django_db
def test_the_admin_annual_figures_roll_up_the_tree_and_the_csv_matches(client):
    w = build_world()
    _report(w.orgs["centre-a"], THIS_YEAR, 100, 10, 5, 3)
    _report(w.orgs["branch-a"], THIS_YEAR, 40, 4, 2, 1)
    _report(w.orgs["collective-a"], THIS_YEAR, 12, 1, 0, 0)
    _report(w.orgs["centre-b"], THIS_YEAR, 70, 7, 3, 2)
    _report(w.orgs["centre-a"], THIS_YEAR - 1, 999, 99, 9, 9)  # another year: not added
    signed_in(client, w.secretariat)

    page = client.get("/admin/members/organisation/annual-figures/")

    assert page.status_code == 200
    assert page.context["years"] == [THIS_YEAR, THIS_YEAR - 1]
    rows = re.findall(
        r'<tr><th scope="row">(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</th>\s*'
        r"<td>([\d,]+)</td><td>([\d,]+)</td><td>([\d,]+)</td><td>([\d,]+)</td><td>([\d,]+)</td>",
        page.content.decode(),
    )
    assert rows == [
        ("Centre A", "3", "152", "15", "7", "4"),
        ("Centre B", "1", "70", "7", "3", "2"),
        ("Total", "4", "222", "22", "10", "6"),
    ]
    download = client.get(
        "/admin/members/organisation/annual-figures/", {"year": THIS_YEAR, "format": "csv"}
    )
    assert download["Content-Disposition"] == (
        f'attachment; filename="annual-figures-{THIS_YEAR}.csv"'
    )
    assert list(csv.reader(io.StringIO(download.content.decode()))) == [
        ["organisation", "reports", "members", "volunteers", "staff", "collectives"],
        *[list(row) for row in rows[:-1]],
        ["total", "4", "222", "22", "10", "6"],
    ]
    older = client.get("/admin/members/organisation/annual-figures/", {"year": THIS_YEAR - 1})
    assert older.context["totals"] == {
        "members": 999,
        "volunteers": 99,
        "staff": 9,
        "collectives": 9,
        "reports": 1,
    }
    # Garbage in the address falls back to the latest year; never a 500.
    for garbage in ["abc", "99999999999", "-1"]:
        response = client.get("/admin/members/organisation/annual-figures/", {"year": garbage})
        assert response.status_code == 200


# --- History ----------------------------------------------------------------------------------


def _new_records(history_model, after):
    return list(history_model.objects.filter(history_id__gt=after).order_by("history_id"))


def _last_id(history_model):
    last = history_model.objects.order_by("-history_id").first()
    return last.history_id if last else 0


@pytest.mark.django_db
def test_every_change_is_recorded_with_who_and_which_fields(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    w = build_world()
    choir = make_field(name="Choir")
    signed_in(client, w.editor_a)
    organisation_history = Organisation.history.model
    contact_history = ContactPerson.history.model
    photo_history = Photo.history.model
    marks = [_last_id(model) for model in (organisation_history, contact_history, photo_history)]

    client.post(
        url("profile", "centre-a"),
        {
            "short_name": "KKC",
            "description": "Concerts every month.",
            "fields_of_activity": [choir.pk],
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Rasa",
            "contacts-0-role": "Director",
            "contacts-0-consent": "on",
        },
    )
    contact = ContactPerson.objects.get(name="Rasa")
    client.post(
        url("profile", "centre-a"),
        {
            "short_name": "KKC",
            "description": "Concerts every month.",
            "fields_of_activity": [choir.pk],
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": contact.pk,
            "contacts-0-name": "Rasa",
            "contacts-0-role": "Director",
            "contacts-0-email": "rasa@example.org",
            "contacts-0-consent": "on",
        },
    )
    client.post(
        url("media", "centre-a"),
        {"form": "photo", "photo-image": png_upload(), "photo-alt_text": "Choir"},
    )
    photo = Photo.objects.get(alt_text="Choir")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("photo-delete", "centre-a", photo.pk))

    organisation_records = _new_records(organisation_history, marks[0])
    assert [
        (record.id, record.history_type, record.history_user) for record in organisation_records
    ] == [
        (w.orgs["centre-a"].pk, "~", w.editor_a),  # the fields of the form
        (w.orgs["centre-a"].pk, "~", w.editor_a),  # its fields of activity, saved after it
        (w.orgs["centre-a"].pk, "~", w.editor_a),  # the second save, which changed nothing of it
    ]
    changed = [
        record.diff_against(record.prev_record).changed_fields for record in organisation_records
    ]
    assert changed == [["description", "short_name"], ["fields_of_activity"], []]
    contact_records = _new_records(contact_history, marks[1])
    assert [(record.history_type, record.history_user) for record in contact_records] == [
        ("+", w.editor_a),
        ("~", w.editor_a),
    ]
    assert contact_records[1].diff_against(contact_records[0]).changed_fields == ["email"]
    photo_records = _new_records(photo_history, marks[2])
    assert [
        (record.history_type, record.history_user, record.alt_text) for record in photo_records
    ] == [("+", w.editor_a, "Choir"), ("-", w.editor_a, "Choir")]

    # The secretariat sees them: on the organisation's history page, and in the feed.
    signed_in(client, w.secretariat)
    history = client.get(f"/admin/members/organisation/{w.orgs['centre-a'].pk}/history/")
    content = re.sub(r"\s+", " ", history.content.decode())
    assert "<strong>Short name:</strong> &nbsp;&rarr;&nbsp;&nbsp;KKC" in content
    assert "<strong>Fields of activity:</strong> [] &nbsp;&rarr;&nbsp;&nbsp;[Choir]" in content
    assert content.count(">Editor A</a>") == 3
    feed = client.get("/admin/members/organisation/recent-changes/")
    entries = [
        (
            entry["kind"],
            entry["organisation"],
            str(entry["record"].history_user),
            entry["record"].history_type,
        )
        for entry in feed.context["entries"][:7]
    ]
    # Newest first: the photo removed and added, the second save (the contact, then the
    # organisation itself), the first save (the contact, the fields of activity, the form).
    assert entries == [
        ("photo", "Centre A", "Editor A", "-"),
        ("photo", "Centre A", "Editor A", "+"),
        ("contact person", "Centre A", "Editor A", "~"),
        ("organisation", "Centre A", "Editor A", "~"),
        ("contact person", "Centre A", "Editor A", "+"),
        ("organisation", "Centre A", "Editor A", "~"),
        ("organisation", "Centre A", "Editor A", "~"),
    ]
    changes = [entry["changes"] for entry in feed.context["entries"][:7]]
    assert changes[2] == [("email", "", "rasa@example.org")]
    assert changes[3] == []
    assert changes[6] == [
        ("description", "", "<p>Concerts every month.</p>"),
        ("short_name", "", "KKC"),
    ]


@pytest.mark.django_db
def test_the_feed_names_the_fields_of_activity_that_changed(client):
    w = build_world()
    choir = make_field(name="Choir")
    signed_in(client, w.editor_a)
    client.post(
        url("profile", "centre-a"),
        {
            "fields_of_activity": [choir.pk],
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    signed_in(client, w.secretariat)
    feed = client.get("/admin/members/organisation/recent-changes/").content.decode()
    assert "<code>fields_of_activity</code>: — → Choir" in feed
    history = client.get(f"/admin/members/organisation/{w.orgs['centre-a'].pk}/history/")
    changes = history.context["page_obj"][0].history_delta_changes
    assert [(change["field"], change["old"], change["new"]) for change in changes] == [
        ("Fields of activity", "[]", "[Choir]")
    ]


@pytest.mark.django_db
def test_the_organisations_history_page_shows_its_contacts_and_photos(client):
    w = build_world()
    signed_in(client, w.editor_a)
    client.post(
        url("profile", "centre-a"),
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Rasa",
        },
    )
    signed_in(client, w.secretariat)
    history = client.get(f"/admin/members/organisation/{w.orgs['centre-a'].pk}/history/")
    assert "Rasa" in history.content.decode()


def _revert(client, organisation, record):
    """Open an old version in the simple-history admin and save it, as the secretariat would."""
    path = f"/admin/members/organisation/{organisation.pk}/history/{record.history_id}/"
    page = client.get(path)
    assert page.status_code == 200
    assert "Revert" in page.content.decode()
    return client.post(path, as_post(form_values(page.content, "name")))


@pytest.mark.django_db
def test_a_change_is_reverted_through_the_history_admin(client):
    w = build_world()
    signed_in(client, w.editor_a)
    centre = Organisation.objects.get(slug="centre-a")
    client.post(
        url("profile", "centre-a"),
        {
            "short_name": "Old",
            "description": "First words.",
            "email": "old@example.org",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    good = centre.history.first()
    client.post(
        url("profile", "centre-a"),
        {
            "short_name": "Vandalised",
            "description": "Buy pills.",
            "email": "spam@example.org",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    secretariat = signed_in(Client(), w.secretariat)

    response = _revert(secretariat, centre, good)

    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.short_name, centre.description, centre.email) == (
        "Old",
        "<p>First words.</p>",
        "old@example.org",
    )
    # The tree is as it was: the path is the database's, not the history's.
    assert (centre.name, centre.slug, centre.parent, centre.path) == (
        "Centre A",
        "centre-a",
        None,
        w.orgs["centre-a"].path,
    )
    latest = centre.history.first()
    assert latest.history_user == w.secretariat
    assert latest.diff_against(latest.prev_record).changed_fields == [
        "description",
        "email",
        "short_name",
    ]


@pytest.mark.django_db
def test_a_revert_restores_the_fields_of_activity(client):
    w = build_world()
    choir, dance = make_field(name="Choir"), make_field(name="Dance")
    centre = Organisation.objects.get(slug="centre-a")
    centre.fields_of_activity.set([choir])
    good = centre.history.first()
    centre.fields_of_activity.set([dance])
    _revert(signed_in(client, w.secretariat), centre, good)
    assert list(centre.fields_of_activity.all()) == [choir]


@pytest.mark.django_db
def test_reverting_to_a_version_without_a_logo_leaves_none_of_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = build_world()
    centre = Organisation.objects.get(slug="centre-a")
    before_logo = centre.history.first()
    signed_in(client, w.admin_a).post(
        url("media", "centre-a"), {"form": "logo", "logo-logo": png_upload()}
    )
    _revert(signed_in(Client(), w.secretariat), centre, before_logo)
    centre.refresh_from_db()
    assert (centre.logo.name, centre.logo_thumbnail.name, centre.logo_social.name) == ("", "", "")


@pytest.mark.django_db
def test_a_logo_uploaded_in_the_admin_gets_all_its_sizes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = build_world()
    centre = Organisation.objects.get(slug="centre-a")
    signed_in(client, w.secretariat)
    change = f"/admin/members/organisation/{centre.pk}/change/"
    data = as_post(form_values(client.get(change).content, "name"))
    response = client.post(change, data | {"logo": png_upload("admin-logo.png", (400, 200))})
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.logo.name
    assert centre.logo_thumbnail.name.endswith("-list.png")
    assert centre.logo_social.name.endswith("-social.jpg")


# --- The secretariat's two factors ------------------------------------------------------------


@pytest.mark.django_db
def test_the_secretariat_must_set_up_an_authenticator_app_by_default(client):
    assert AssociationProfile.load().secretariat_requires_mfa is True
    without_app = make_secretariat_user(email="new-desk@example.org", mfa=False)
    signed_in(client, without_app)

    for path in ["/admin/", "/admin/members/organisation/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"
        # allauth asks for the password again before an app is set up; the message waits.
        response = client.get(response["Location"], follow=True)
        assert messages_shown(response) == [
            "Set up two-factor authentication to use the administration: the association "
            "requires it of the secretariat."
        ]
    # With an app, the administration opens.
    signed_in(client, make_secretariat_user(email="old-desk@example.org"))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_association_profile_can_lift_the_requirement(client):
    profile = AssociationProfile.load()
    profile.secretariat_requires_mfa = False
    profile.save()
    signed_in(client, make_secretariat_user(email="new-desk@example.org", mfa=False))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_member_staff_without_an_app_are_not_asked_for_one(client):
    w = build_world()
    signed_in(client, w.admin_a)  # not staff of the association: no administration at all
    assert client.get(url("profile", "centre-a")).status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_secretariat_without_an_app_cannot_use_the_staff_pages_either(client):
    build_world()
    signed_in(client, make_secretariat_user(email="new-desk@example.org", mfa=False))
    response = client.get(url("people", "centre-b"))
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


# --- The dashboard ----------------------------------------------------------------------------


def _status(client, slug):
    """The completeness line of an organisation's card on the dashboard."""
    content = client.get(url("dashboard")).content.decode()
    card = re.search(rf'<a href="{url("profile", slug)}">.*?</section>', content, re.S).group()
    line = re.search(r'<p class="completeness [a-z]+">(.*?)</p>', card, re.S).group(1)
    return html.unescape(line)


@pytest.mark.django_db
def test_a_profile_saved_without_a_description_still_lacks_one(client):
    w = build_world()
    signed_in(client, w.admin_a)
    response = client.post(
        url("profile", "centre-a"),
        {"description": "  \n ", "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(slug="centre-a").description == ""
    assert _status(client, "centre-a").startswith("Still missing: a description,")


@pytest.mark.django_db
def test_the_dashboard_says_what_the_profile_still_lacks(client):
    w = build_world()
    signed_in(client, w.admin_a)
    centre = Organisation.objects.get(slug="centre-a")
    assert _status(client, "centre-a") == (
        "Still missing: a description, a logo, a way to contact it, this year's figures."
    )
    centre.description = "<p>Concerts.</p>"
    centre.logo = "organisations/logo.png"
    centre.save()
    make_contact(centre, name="Not agreed", email="x@example.org", consent=False)
    assert _status(client, "centre-a") == (
        "Still missing: a way to contact it, this year's figures."
    )
    make_contact(centre, name="Agreed", email="y@example.org", consent=True)
    _report(centre, THIS_YEAR - 2, 1, 1, 1, 1)
    # Figures older than a year count as missing.
    assert _status(client, "centre-a") == "Still missing: this year's figures."
    _report(centre, THIS_YEAR - 1, 1, 1, 1, 1)
    assert _status(client, "centre-a") == "Complete."
    # A phone or an email of its own is a way to contact it too.
    ContactPerson.objects.filter(organisation=centre).delete()
    Organisation.objects.filter(pk=centre.pk).update(phone="+370 600 00000")
    assert _status(client, "centre-a") == "Complete."
    # Sub-units list what they lack in the table.
    units = dict(client.get(url("dashboard")).context["groups"])[centre]
    assert (units[0].slug, units[0].missing) == (
        "branch-a",
        ["a description", "a logo", "a way to contact it", "this year's figures"],
    )


@pytest.mark.django_db
def test_the_dashboard_says_who_updated_the_profile_last(client):
    w = build_world()
    signed_in(client, w.editor_a)
    client.post(
        url("profile", "centre-a"),
        {
            "short_name": "KKC",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    centre = Organisation.objects.get(slug="centre-a")
    signed_in(client, w.admin_a)
    content = client.get(url("dashboard")).content.decode()
    day = formats.date_format(timezone.localtime(centre.updated_at), "DATE_FORMAT")
    assert f"Last updated {day} by Editor A" in content
    # Without a name, the address.
    User.objects.filter(pk=w.editor_a.pk).update(name="")
    assert f"Last updated {day} by editor-a@example.org" in (
        client.get(url("dashboard")).content.decode()
    )


@pytest.mark.django_db
def test_the_dashboard_counts_pending_change_requests(client):
    w = build_world()
    ChangeRequest.objects.create(
        organisation=w.orgs["centre-a"], changes={"name": "X"}, reason="r", requested_by=w.admin_a
    )
    signed_in(client, w.admin_a)
    assert "1 change request waits for the secretariat" in (
        client.get(url("dashboard")).content.decode()
    )


@pytest.mark.django_db
def test_a_second_role_inside_the_first_keeps_the_sub_units_where_they_belong(client):
    w = build_world()
    Role.objects.create(user=w.admin_a, organisation=w.orgs["branch-a"], level="admin")
    signed_in(client, w.admin_a)
    groups = client.get(url("dashboard")).context["groups"]
    listed = {top.slug: [unit.slug for unit in units] for top, units in groups}
    # choir-a is directly under centre-a, not under branch-a.
    assert "choir-a" not in listed.get("branch-a", [])
    assert "choir-a" in listed["centre-a"]


# --- Staff pages say what happened ------------------------------------------------------------


@pytest.mark.django_db
def test_sub_units_are_added_moved_archived_and_restored(client):
    w = build_world()
    signed_in(client, w.editor_a)

    response = client.post(
        url("units", "centre-a"), {"name": "Jaunimo teatras", "type": w.collective.pk}, follow=True
    )
    unit = Organisation.objects.get(name="Jaunimo teatras")
    assert response.redirect_chain == [(url("profile", "jaunimo-teatras"), 302)]
    assert messages_shown(response) == ["Jaunimo teatras is added. Describe it now."]
    assert (
        unit.slug,
        unit.parent.slug,
        unit.type,
        unit.membership_status,
        unit.published,
        unit.municipality,
    ) == ("jaunimo-teatras", "centre-a", w.collective, "none", True, None)

    response = client.post(
        url("move", "jaunimo-teatras"), {"parent": w.orgs["branch-a"].pk}, follow=True
    )
    assert messages_shown(response) == ["Jaunimo teatras is moved."]
    unit.refresh_from_db()
    assert unit.parent.slug == "branch-a"
    assert unit.path.startswith(w.orgs["branch-a"].path)

    response = client.post(url("archive", "jaunimo-teatras"), {"action": "archive"}, follow=True)
    assert messages_shown(response) == [
        "Jaunimo teatras is archived: it no longer shows in the directory."
    ]
    assert client.get("/en/members/jaunimo-teatras/").status_code == 404
    # Archived units stay editable by their staff.
    assert client.get(url("profile", "jaunimo-teatras")).status_code == 200
    response = client.post(url("archive", "jaunimo-teatras"), {"action": "restore"}, follow=True)
    assert messages_shown(response) == ["Jaunimo teatras is back in the directory."]
    assert client.get("/en/members/jaunimo-teatras/").status_code == 200


@pytest.mark.django_db
def test_a_removed_colleague_is_named_and_gone(client):
    w = build_world()
    signed_in(client, w.admin_a)
    role = Role.objects.get(user=w.editor_a)
    response = client.post(url("role-remove", "centre-a", role.pk), follow=True)
    assert messages_shown(response) == ["Editor A no longer works on this organisation here."]
    assert [item.user for item in response.context["roles"]] == [w.admin_a, w.colleague]


@pytest.mark.django_db
def test_the_secretariat_uses_a_staff_page_as_an_admin_and_is_recorded(client):
    w = build_world()
    signed_in(client, w.secretariat)
    response = client.get(url("profile", "collective-b"))
    assert response.context["level"] == "admin"
    client.post(
        url("profile", "collective-b"),
        {
            "short_name": "CB",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert Organisation.objects.get(slug="collective-b").history.first().history_user == (
        w.secretariat
    )
