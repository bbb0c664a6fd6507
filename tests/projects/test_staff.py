"""Member staff's project pages (/my/projects/): who reaches what (every URL of
projects.staff_urls, for every kind of actor), what they do there end to end (email through
Celery and an SMTP server included), attacks, garbage in every field, and query counts."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from association.models import AssociationProfile
from association.tasks import send_email
from members.models import Organisation, Role
from projects import forms as project_forms
from projects import staff_urls
from projects.models import (
    Project,
    ProjectDocument,
    ProjectImage,
    ProjectItem,
    ProjectPartner,
)
from tests.factories import (
    make_municipality,
    make_project,
    make_region,
    make_topic,
    make_user,
)
from tests.members.staff import (
    LOGIN_PATH,
    as_post,
    error_summary,
    form_errors,
    form_values,
    image_bytes,
    messages_shown,
    png_upload,
    stored_files,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FORMSETS = ["expected", "achieved", "partners"]


def url(name, *args):
    return reverse(f"projects-staff:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


def empty_formsets(**totals):
    """Management forms of the three formsets with no rows."""
    data = {}
    for prefix in FORMSETS:
        data[f"{prefix}-TOTAL_FORMS"] = str(totals.get(prefix, 0))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def project_data(**fields):
    """What the form needs, and no rows."""
    return (
        {"title": "A project", "status": "planned", "currency": "EUR"} | empty_formsets() | fields
    )


# --- What could change ------------------------------------------------------------------------

SNAPSHOT_MODELS = [
    Project,
    ProjectItem,
    ProjectPartner,
    ProjectImage,
    ProjectDocument,
    Project.topics.through,
    Project.regions.through,
    Project.municipalities.through,
    Organisation,
    Role,
]


def snapshot(media_root=None):
    """A digest of every row the project pages could write (one query), and the files under
    MEDIA_ROOT: equal snapshots, nothing changed."""
    selects = [
        f"SELECT '{model._meta.label}', md5(coalesce(string_agg(row::text, '|' "  # noqa: S608
        f"ORDER BY row::text), '')) FROM {connection.ops.quote_name(model._meta.db_table)} row"
        for model in SNAPSHOT_MODELS
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        digests = dict(cursor.fetchall())
    if media_root is not None:
        digests["files"] = stored_files(media_root)
    return digests


def items(project, kind):
    return list(
        ProjectItem.objects.filter(project=project, kind=kind)
        .order_by("order")
        .values_list("text", "indicator", "target", "actual", "order")
    )


def texts(project, kind):
    return [row[0] for row in items(project, kind)]


def partners(project):
    return [
        (partner.organisation.slug if partner.organisation else None, partner.name,
         partner.country, partner.role, partner.order)
        for partner in ProjectPartner.objects.filter(project=project).order_by("order")
    ]  # fmt: skip


def _assert_kept(response, typed):
    """Every value typed is shown again in the project form, as typed."""
    shown = form_values(response.content, "title")
    for name, value in typed.items():
        values = value if isinstance(value, list) else [value]
        assert shown.get(name) == [str(item) for item in values], name


# --- Who reaches what -------------------------------------------------------------------------

# Each context names a project by its slug: led by centre A, by a collective under A's branch,
# by centre B, by the association itself, none at all; and A's project with B's image or
# document in the address.
CONTEXTS = {
    "A": "project-a",
    "A's sub-unit": "project-unit-a",
    "B": "project-b",
    "the association's": "association-project",
    "unknown": "no-such-project",
    "A with B's objects": "project-a",
}
REACH = {
    "admin_a": {"A", "A's sub-unit"},
    "editor_a": {"A", "A's sub-unit"},
    # A role in the branch reaches the collective under it, never the centre above.
    "unit_admin_a": {"A's sub-unit"},
    "admin_b": {"B"},
    # The secretariat reaches every member organisation's project; the association's own are
    # edited in the administration.
    "secretariat": {"A", "A's sub-unit", "B"},
}
ACTOR_CONTEXTS = {
    "anonymous": ["A", "B"],
    "admin_a": list(CONTEXTS),
    "editor_a": list(CONTEXTS),
    "unit_admin_a": ["A", "A's sub-unit"],
    "admin_b": ["A", "B"],
    "secretariat": list(CONTEXTS),
}


def _project(context):
    return Project.objects.filter(slug=CONTEXTS[context]).first()


def _lead_id(context):
    project = _project(context)
    if project is None:
        return "999999"
    return project.lead_organisation_id or ""


def _objects_of(context):
    """The project whose image or document the address names: B's in "A with B's objects",
    A's where the project named has none."""
    slug = {"A with B's objects": "project-b", "the association's": "project-a"}.get(
        context, CONTEXTS[context]
    )
    return Project.objects.filter(slug=slug).first() or Project.objects.get(slug="project-a")


@dataclass
class Case:
    name: str
    post_only: bool = False
    has_objects: bool = False  # it names an image or document of the project
    names_project: bool = True
    kwargs: object = None  # (world, context) -> URL args
    data: object = None  # (world, context) -> POST data that would change something
    done: object = None  # (world, context) -> asserts the change was made
    lands_on: object = None  # (world, context) -> where the POST redirects

    def url(self, world, context):
        return url(self.name, *self.kwargs(world, context))


def _slug(world, context):
    return [CONTEXTS[context]]


def _edit_url(world, context):
    return url("edit", CONTEXTS[context])


def _created(world, context):
    return Project.objects.get(title="Made in the matrix")


CASES = {
    "list": Case("list", names_project=False, kwargs=lambda w, c: [], data=lambda w, c: {}),
    "create": Case(
        "create",
        names_project=False,
        kwargs=lambda w, c: [],
        data=lambda w, c: project_data(title="Made in the matrix", lead_organisation=_lead_id(c)),
        done=lambda w, c: _assert_created(c),
        lands_on=lambda w, c: url("edit", _created(w, c).slug),
    ),
    "edit": Case(
        "edit",
        kwargs=_slug,
        data=lambda w, c: project_data(title="Renamed", lead_organisation=_lead_id(c)),
        done=lambda w, c: _assert_renamed(c),
        lands_on=_edit_url,
    ),
    "media": Case(
        "media",
        kwargs=_slug,
        data=lambda w, c: {
            "form": "image",
            "image-image": png_upload(),
            "image-alt_text": "Dancers in the square",
        },
        done=lambda w, c: _assert_image_added(c),
        lands_on=lambda w, c: url("media", CONTEXTS[c]),
    ),
    "image-delete": Case(
        "image-delete",
        post_only=True,
        has_objects=True,
        kwargs=lambda w, c: [CONTEXTS[c], _objects_of(c).images.get().pk],
        data=lambda w, c: {},
        done=lambda w, c: _assert_empty(c, "images"),
        lands_on=lambda w, c: url("media", CONTEXTS[c]),
    ),
    "document-delete": Case(
        "document-delete",
        post_only=True,
        has_objects=True,
        kwargs=lambda w, c: [CONTEXTS[c], _objects_of(c).documents.get().pk],
        data=lambda w, c: {},
        done=lambda w, c: _assert_empty(c, "documents"),
        lands_on=lambda w, c: url("media", CONTEXTS[c]),
    ),
    "submit": Case(
        "submit",
        post_only=True,
        kwargs=_slug,
        data=lambda w, c: {},
        done=lambda w, c: _assert_submitted(c),
        lands_on=_edit_url,
    ),
    "delete": Case(
        "delete",
        kwargs=_slug,
        data=lambda w, c: {},
        done=lambda w, c: _assert_deleted(c),
        lands_on=lambda w, c: url("list"),
    ),
}


def _assert_created(context):
    project = Project.objects.get(title="Made in the matrix")
    assert project.lead_organisation_id == _lead_id(context)
    assert (project.published, project.submitted_at) == (False, None)


def _assert_renamed(context):
    project = _project(context)
    assert (project.title, project.slug) == ("Renamed", CONTEXTS[context])


def _assert_image_added(context):
    assert _project(context).images.filter(alt_text="Dancers in the square").exists()


def _assert_empty(context, relation):
    assert not getattr(_project(context), relation).exists()


def _assert_submitted(context):
    assert _project(context).submitted_at is not None


def _assert_deleted(context):
    assert _project(context) is None


def expected(actor, context, case, method):
    """ "sign-in", 404, 405, "refused" (the form answers with an error) or "ok"."""
    if actor == "anonymous":
        return "sign-in"
    if method == "GET" and case.post_only:
        return 405  # before anything is looked up: the same for every address
    if not case.names_project:
        if case.name == "create" and method == "POST" and context not in REACH[actor]:
            return "refused"  # a lead organisation out of reach is not one of the choices
        return "ok"
    if context == "A with B's objects":
        return 404  # the project is within reach, the image or document is not
    return "ok" if context in REACH[actor] else 404


def _matrix():
    """Generated from the URL configuration: a URL without a Case still gets a test, which
    fails and says so."""
    for pattern in staff_urls.urlpatterns:
        case = CASES.get(pattern.name) or Case(pattern.name)
        for actor, contexts in ACTOR_CONTEXTS.items():
            for context in contexts:
                if context == "A with B's objects" and not case.has_objects:
                    continue
                if case.name == "list" and context != "A":
                    continue  # it names no project
                for method in ("GET", "POST"):
                    yield pytest.param(
                        actor, context, case, method, id=f"{case.name}-{actor}-{context}-{method}"
                    )


def test_every_project_staff_url_is_in_the_matrix():
    assert {pattern.name for pattern in staff_urls.urlpatterns} == set(CASES)


@pytest.mark.parametrize(("actor", "context", "case", "method"), list(_matrix()))
def test_project_staff_url(client, world, tmp_path, actor, context, case, method):
    assert case.kwargs is not None, f"projects-staff:{case.name} is not described in the matrix"
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    target = case.url(world, context)
    data = case.data(world, context)
    before = snapshot(tmp_path)

    response = client.get(target) if method == "GET" else client.post(target, data)

    outcome = expected(actor, context, case, method)
    if outcome == "sign-in":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_PATH}?next={quote(target)}"
    elif outcome in (404, 405):
        assert response.status_code == outcome
    elif outcome == "refused":
        assert response.status_code == 200
        assert form_errors(response.context["form"])["lead_organisation"]
    elif method == "GET" or case.name == "list":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, getattr(response, "context", None) and [
            form_errors(response.context[name])
            for name in ("form", "image_form")
            if name in response.context
        ]
        assert response["Location"] == case.lands_on(world, context)
        case.done(world, context)
        assert snapshot(tmp_path) != before
        return
    assert snapshot(tmp_path) == before


def test_the_list_shows_what_the_roles_reach_each_with_its_state(client, world):
    Project.objects.filter(slug="project-unit-a").update(submitted_at="2026-01-05T10:00:00Z")

    def listed(user):
        client.force_login(user)
        response = client.get(url("list"))
        assert response.status_code == 200
        return sorted(project.slug for project in response.context["page"].object_list)

    assert listed(world.admin_a) == ["project-a", "project-unit-a", "published-a"]
    assert listed(world.editor_a) == ["project-a", "project-unit-a", "published-a"]
    assert listed(world.unit_admin_a) == ["project-unit-a"]
    assert listed(world.admin_b) == ["project-b"]
    assert listed(world.secretariat) == ["project-a", "project-b", "project-unit-a", "published-a"]
    # Editor of both centres (and branches).
    assert listed(world.colleague) == ["project-a", "project-b", "project-unit-a", "published-a"]
    assert listed(make_user(email="nobody@example.org")) == []

    client.force_login(world.admin_a)
    content = client.get(url("list")).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", content, re.S)
    states = {}
    for row in rows:
        cells = [
            re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        states[re.search(r">([^<]+)</a>", row).group(1)] = cells[1]
    assert states == {
        "Project of centre-a": "Draft",
        "Project of collective-a": "Submitted, awaiting the secretariat",
        "Published project of A": "Published",
    }
    assert f'href="{url("create")}"' in content


def test_the_list_is_paginated_and_survives_any_page_number(client, world):
    for number in range(30):
        make_project(title=f"Extra {number}", lead=world.orgs["choir-a"], published=False)
    client.force_login(world.admin_a)
    first = client.get(url("list"))
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 33
    for page in ["2", "abc", "-1", "0", "99999999999999999999", "2%00", "1.5"]:
        response = client.get(url("list"), {"page": page})
        assert response.status_code == 200, page
    assert len(client.get(url("list"), {"page": "2"}).context["page"].object_list) == 8


def test_the_staff_pages_link_to_the_project_list(client, world):
    client.force_login(world.editor_a)
    dashboard = client.get(reverse("staff:dashboard")).content.decode()
    assert dashboard.count(f'href="{url("list")}"') == 2  # the account menu and the dashboard


def test_an_organisation_cannot_take_the_address_of_the_project_pages(world):
    from django.core.exceptions import ValidationError

    organisation = Organisation(name="Projects", slug="projects", type=world.centre)
    with pytest.raises(ValidationError) as raised:
        organisation.full_clean()
    assert "slug" in raised.value.message_dict
    from members.services import unique_slug

    assert unique_slug("Projects") == "projects-2"


def test_a_removed_role_is_denied_on_the_very_next_request(client, world, tmp_path):
    client.force_login(world.editor_a)
    assert client.get(url("edit", "project-a")).status_code == 200
    Role.objects.filter(user=world.editor_a).delete()
    before = snapshot(tmp_path)
    response = client.post(
        url("edit", "project-a"), project_data(lead_organisation=world.orgs["centre-a"].pk)
    )
    assert response.status_code == 404
    assert snapshot(tmp_path) == before


# --- Flows ------------------------------------------------------------------------------------


def test_staff_add_a_project_with_everything(client, world, tmp_path):
    region = make_region(name="Kauno apskritis")
    municipality = make_municipality(name="Kėdainiai", region=region)
    editor = signed_in(client, world.editor_a)
    page = editor.get(url("create"))
    assert page.status_code == 200
    # The lead organisation: one of those the editor works on, none chosen for them (four).
    choices = page.context["form"].fields["lead_organisation"].choices
    assert [label for _value, label in choices] == [
        "—", "Branch A", "Centre A", "Choir A", "Collective A",
    ]  # fmt: skip
    values = form_values(page.content, "title")
    values |= {
        "lead_organisation": [str(world.orgs["branch-a"].pk)],
        "title": ["Dainų šventė kaime"],
        "code": ["LKT-2026-17"],
        "summary": ["A song festival for three villages."],
        "description": ["Choirs from three villages.\n\nRehearsals in spring."],
        "status": ["ongoing"],
        "funder": [str(world.ministry.pk)],
        "programme": [str(world.heritage.pk)],
        "decision_reference": ["Order No. 17"],
        "decision_date": ["2026-02-01"],
        "amount_awarded": ["12500.50"],
        "currency": ["eur"],
        "co_financing": ["1000"],
        "total_budget": ["13500.50"],
        "start_date": ["2026-03-01"],
        "end_date": ["2026-10-31"],
        "regions": [str(region.pk)],
        "municipalities": [str(municipality.pk)],
        "topics": [str(world.youth.pk), str(world.heritage_topic.pk)],
        "website": ["https://festival.example.org/"],
        "aims": ["Bring the villages together\n\n  Keep the songs alive  \n"],
        "activities": ["Rehearsals\nThe festival\nA recording"],
        "expected-0-text": ["People take part"],
        "expected-0-indicator": ["participants"],
        "expected-0-target": ["300"],
        "expected-2-text": ["A recording is published"],
        "expected-2-indicator": ["recordings"],
        "expected-2-target": ["1"],
        "achieved-0-text": ["Rehearsals held"],
        "achieved-0-indicator": ["rehearsals"],
        "achieved-0-actual": ["12"],
        "partners-0-organisation": ["http://testserver/en/members/centre-b/"],
        "partners-0-role": ["co-applicant"],
        "partners-1-name": ["Kultūras nams"],
        "partners-1-country": ["lv"],
    }
    data = as_post(values) | {"decision_document": upload("decision.pdf", PDF, "application/pdf")}

    response = editor.post(url("create"), data, follow=True)

    project = Project.objects.get(title="Dainų šventė kaime")
    assert response.redirect_chain == [(url("edit", "dainu-svente-kaime"), 302)]
    assert project.slug == "dainu-svente-kaime"
    assert messages_shown(response) == [
        "The project is saved as a draft. Add images and documents if you like, then send it "
        "to the secretariat to publish."
    ]
    assert (project.lead_organisation.slug, project.published, project.submitted_at) == (
        "branch-a", False, None,
    )  # fmt: skip
    assert project.created_by == world.editor_a
    assert (project.code, project.summary, project.status) == (
        "LKT-2026-17", "A song festival for three villages.", "ongoing",
    )  # fmt: skip
    assert (
        project.description == "<p>Choirs from three villages.</p>\n\n<p>Rehearsals in spring.</p>"
    )
    assert (project.funder, project.programme, project.decision_reference) == (
        world.ministry, world.heritage, "Order No. 17",
    )  # fmt: skip
    assert (project.decision_date, project.start_date, project.end_date, project.year) == (
        date(2026, 2, 1), date(2026, 3, 1), date(2026, 10, 31), 2026,
    )  # fmt: skip
    money = ["amount_awarded", "currency", "co_financing", "total_budget"]
    assert [getattr(project, name) for name in money] == [
        Decimal("12500.50"), "EUR", Decimal("1000"), Decimal("13500.50"),
    ]  # fmt: skip
    assert re.fullmatch(r"projects/decisions/decision\w*\.pdf", project.decision_document.name)
    assert (tmp_path / project.decision_document.name).read_bytes() == PDF
    assert list(project.regions.all()) == [region]
    assert list(project.municipalities.all()) == [municipality]
    assert set(project.topics.all()) == {world.youth, world.heritage_topic}
    assert project.website == "https://festival.example.org/"
    assert texts(project, "aim") == ["Bring the villages together", "Keep the songs alive"]
    assert texts(project, "activity") == ["Rehearsals", "The festival", "A recording"]
    assert items(project, "expected") == [
        ("People take part", "participants", Decimal("300"), None, 0),
        ("A recording is published", "recordings", Decimal("1"), None, 1),
    ]
    assert items(project, "achieved") == [("Rehearsals held", "rehearsals", None, Decimal("12"), 0)]
    assert partners(project) == [
        ("centre-b", "", "", "co-applicant", 0),
        (None, "Kultūras nams", "LV", "partner", 1),
    ]
    # The page it lands on shows all of it again, to edit.
    shown = form_values(response.content, "title")
    assert shown["aims"] == ["Bring the villages together\nKeep the songs alive"]
    assert shown["description"] == ["Choirs from three villages.\n\nRehearsals in spring."]
    assert shown["partners-0-organisation"] == ["centre-b"]
    assert shown["expected-1-text"] == ["A recording is published"]
    assert "Draft" in response.content.decode()


def test_with_one_organisation_it_is_chosen_already(client, world):
    response = signed_in(client, world.admin_b).get(url("create"))
    # admin B's centre has a branch, a choir and a collective: one who works on a single
    # collective has no choice to make.
    assert len(response.context["form"].fields["lead_organisation"].choices) == 5
    single = make_user(email="single@example.org")
    Role.objects.create(user=single, organisation=world.orgs["choir-b"], level="editor")
    response = signed_in(client, single).get(url("create"))
    assert form_values(response.content, "title")["lead_organisation"] == [
        str(world.orgs["choir-b"].pk)
    ]
    assert list(response.context["form"].fields["lead_organisation"].choices) == [
        (world.orgs["choir-b"].pk, "Choir B")
    ]
    response = client.post(
        url("create"), project_data(title="Solo", lead_organisation=world.orgs["choir-b"].pk)
    )
    assert response.status_code == 302
    assert Project.objects.get(title="Solo").lead_organisation == world.orgs["choir-b"]


def test_staff_edit_a_project_row_by_row(client, world):
    project = world.projects["project-a"]
    ProjectItem.objects.create(project=project, kind="expected", order=1, text="Second result")
    admin = signed_in(client, world.admin_a)
    values = form_values(admin.get(url("edit", "project-a")).content, "title")
    assert values["expected-0-text"] == ["A result of project-a"]
    assert values["expected-1-text"] == ["Second result"]
    assert values["aims"] == ["An aim of project-a"]
    values |= {
        "title": ["Renamed project"],
        "aims": ["A new first aim\nAn aim of project-a"],
        "expected-0-DELETE": ["on"],
        "expected-1-target": ["40"],
        "expected-2-text": ["A third result"],
        "partners-0-DELETE": ["on"],
        "partners-1-organisation": ["choir-b"],
        "partners-1-role": ["associated"],
    }

    response = admin.post(url("edit", "project-a"), as_post(values), follow=True)

    assert response.redirect_chain == [(url("edit", "project-a"), 302)]
    assert messages_shown(response) == ["The project is saved."]
    project.refresh_from_db()
    # The address stays: links to it keep working.
    assert (project.title, project.slug) == ("Renamed project", "project-a")
    assert texts(project, "aim") == ["A new first aim", "An aim of project-a"]
    assert items(project, "expected") == [
        ("Second result", "", Decimal("40"), None, 0),
        ("A third result", "", None, None, 1),
    ]
    assert partners(project) == [("choir-b", "", "", "associated", 0)]
    assert project.created_by is None  # made by the factory: editing does not claim it


@pytest.mark.parametrize("state", ["published", "submitted"])
def test_an_edited_project_keeps_its_state(client, world, state):
    project = world.projects["published-a" if state == "published" else "project-a"]
    if state == "submitted":
        project = Project.objects.get(pk=project.pk)
        project.submitted_at = "2026-01-05T10:00:00Z"
        project.save()
    before = Project.objects.values("published", "submitted_at").get(pk=project.pk)
    admin = signed_in(client, world.admin_a)
    values = form_values(admin.get(url("edit", project.slug)).content, "title")
    values["summary"] = ["Changed in place."]

    response = admin.post(url("edit", project.slug), as_post(values))

    assert response.status_code == 302
    assert Project.objects.values("published", "submitted_at", "summary").get(pk=project.pk) == (
        before | {"summary": "Changed in place."}
    )
    page = admin.get(url("edit", project.slug)).content.decode()
    # Neither can be sent again, and only the unpublished one deleted.
    assert url("submit", project.slug) not in page
    assert (url("delete", project.slug) in page) == (state == "submitted")


def test_sending_a_project_to_the_secretariat_emails_them(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    association = AssociationProfile.load()
    association.email = "secretariat@association.example.org"
    association.save()
    editor = signed_in(client, world.editor_a)
    # The task runs here rather than in a worker (the browser journey has the real worker and
    # SMTP server): the message reaches the test backend's outbox.
    monkeypatch.setattr(send_email, "delay", send_email.run)

    # The email is queued once the request's changes are committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url("submit", "project-a"), follow=True)

    assert response.redirect_chain == [(url("edit", "project-a"), 302)]
    assert messages_shown(response) == [
        "The project is sent to the secretariat. It will show on the portal once they publish it."
    ]
    project = Project.objects.get(slug="project-a")
    assert project.submitted_at is not None and not project.published
    assert "Awaiting the secretariat since" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["secretariat@association.example.org"]
    assert message.subject == "Project to publish: Project of centre-a"
    body = message.body
    assert "Editor A asks you to publish the project “Project of centre-a” of Centre A." in body
    assert "http://testserver/admin/projects/project/?publication=submitted" in body

    # Once is enough: a second press tells, and sends nothing.
    again = editor.post(url("submit", "project-a"), follow=True)
    assert messages_shown(again) == ["The project is already with the secretariat."]
    assert Project.objects.get(slug="project-a").submitted_at == project.submitted_at
    assert len(mail.outbox) == 1


def test_without_the_associations_address_a_project_is_still_submitted(
    client, world, django_capture_on_commit_callbacks
):
    association = AssociationProfile.load()
    association.email = ""
    association.save()
    with django_capture_on_commit_callbacks() as callbacks:
        response = signed_in(client, world.admin_a).post(url("submit", "project-a"))
    assert response.status_code == 302
    assert Project.objects.get(slug="project-a").submitted_at is not None
    # Only the cache of project pages is refreshed: no email is queued.
    assert [callback.__qualname__ for callback in callbacks] == ["projects_changed"]


def test_a_published_project_is_not_submitted_again(client, world, tmp_path):
    before = snapshot(tmp_path)
    response = signed_in(client, world.admin_a).post(url("submit", "published-a"), follow=True)
    assert messages_shown(response) == ["The project is already published."]
    assert snapshot(tmp_path) == before


def test_images_and_documents_are_added_and_removed(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    editor = signed_in(client, world.editor_a)
    media = url("media", "project-unit-a")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            media,
            {
                "form": "image",
                "image-image": upload(
                    "festival.png", image_bytes("PNG", (2000, 1000)), "image/png"
                ),
                "image-alt_text": "Choirs on the village square",
            },
            follow=True,
        )
        assert messages_shown(response) == ["The image is added."]
        image = ProjectImage.objects.get(alt_text="Choirs on the village square")
        assert (image.order, image.project.slug) == (1, "project-unit-a")
        assert re.fullmatch(r"projects/images/[0-9a-f]{32}\.png", image.image.name)
        assert stored_files(tmp_path) == sorted(
            [image.image.name, image.thumbnail.name, image.social.name]
        )
        assert 'alt="Choirs on the village square"' in response.content.decode()

        response = editor.post(
            media,
            {
                "form": "document",
                "document-title": "Final report",
                "document-file": upload("report.pdf", PDF, "application/pdf"),
            },
            follow=True,
        )
        assert messages_shown(response) == ["The document is added."]
        response = editor.post(
            media,
            {
                "form": "document",
                "document-title": "Press",
                "document-url": "https://news.example/",
            },
            follow=True,
        )
        assert messages_shown(response) == ["The document is added."]
        project = Project.objects.get(slug="project-unit-a")
        assert list(project.documents.values_list("title", "url", "order")) == [
            ("Report of project-unit-a", "https://example.org/report", 0),
            ("Final report", "", 1),
            ("Press", "https://news.example/", 2),
        ]
        report = project.documents.get(title="Final report")
        assert (tmp_path / report.file.name).read_bytes() == PDF

        response = editor.post(url("image-delete", "project-unit-a", image.pk), follow=True)
        assert messages_shown(response) == ["The image is removed."]
        response = editor.post(url("document-delete", "project-unit-a", report.pk), follow=True)
        assert messages_shown(response) == ["The document is removed."]

    assert not ProjectImage.objects.filter(pk=image.pk).exists()
    assert not ProjectDocument.objects.filter(pk=report.pk).exists()
    assert stored_files(tmp_path) == []


def test_a_13th_image_is_refused(client, world, tmp_path):
    project = world.projects["project-a"]
    for number in range(2, 13):  # the world gives it one already
        ProjectImage.objects.create(
            project=project,
            image=f"projects/images/{number}.png",
            thumbnail=f"projects/images/{number}-list.png",
            alt_text=f"Image {number}",
        )
    before = snapshot(tmp_path)
    response = signed_in(client, world.admin_a).post(
        url("media", "project-a"),
        {"form": "image", "image-image": png_upload(), "image-alt_text": "One too many"},
    )
    assert response.status_code == 200
    assert "The project has 12 images, the most it shows. Remove one to add another." in (
        response.content.decode()
    )
    assert snapshot(tmp_path) == before


def test_a_draft_is_deleted_after_confirmation_with_its_files(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    editor = signed_in(client, world.editor_a)
    editor.post(
        url("media", "project-a"),
        {"form": "image", "image-image": png_upload(), "image-alt_text": "A picture"},
    )
    editor.post(
        url("media", "project-a"),
        {"form": "document", "document-title": "Plan", "document-file": upload("plan.pdf", PDF)},
    )
    assert len(stored_files(tmp_path)) == 4
    confirm = editor.get(url("delete", "project-a"))
    assert "“Project of centre-a” will be deleted" in confirm.content.decode()
    assert Project.objects.filter(slug="project-a").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url("delete", "project-a"), follow=True)

    assert response.redirect_chain == [(url("list"), 302)]
    assert messages_shown(response) == ["“Project of centre-a” is deleted."]
    assert not Project.objects.filter(slug="project-a").exists()
    assert not ProjectItem.objects.filter(text__endswith="of project-a").exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_published_project_is_not_deleted_here(client, world, tmp_path, method):
    before = snapshot(tmp_path)
    admin = signed_in(client, world.admin_a)
    target = url("delete", "published-a")
    response = (
        admin.get(target, follow=True) if method == "GET" else admin.post(target, follow=True)
    )
    assert response.redirect_chain == [(url("edit", "published-a"), 302)]
    assert messages_shown(response) == [
        "A published project cannot be deleted here: ask the secretariat to unpublish it."
    ]
    assert snapshot(tmp_path) == before


# --- Attacks ----------------------------------------------------------------------------------


def test_fields_not_on_the_form_are_ignored(client, world, tmp_path):
    project = world.projects["project-a"]
    protected = ["slug", "published", "submitted_at", "created_by_id", "created_at", "year"]
    before = Project.objects.values(*protected).get(pk=project.pk)
    before_other = Project.objects.filter(slug="project-b").values().get()
    admin = signed_in(client, world.admin_a)
    values = form_values(admin.get(url("edit", "project-a")).content, "title")
    values["summary"] = ["Changed."]

    response = admin.post(
        url("edit", "project-a"),
        as_post(values)
        | {
            "slug": "project-b",
            "published": "on",
            "submitted_at": "2020-01-01T00:00:00Z",
            "created_by": world.secretariat.pk,
            "created_at": "2000-01-01T00:00:00Z",
            "year": "1999",
            "search_vector": "'hijack':1",
            "id": world.projects["project-b"].pk,
            "pk": world.projects["project-b"].pk,
            "project": world.projects["project-b"].pk,
            "expected-0-project": world.projects["project-a"].pk,
            "expected-0-kind": "aim",
        },
    )

    assert response.status_code == 302
    assert Project.objects.values(*protected, "summary").get(pk=project.pk) == before | {
        "summary": "Changed."
    }
    assert Project.objects.filter(slug="project-b").values().get() == before_other
    assert items(project, "expected")[0][0] == "A result of project-a"


def test_a_new_project_is_a_draft_of_its_maker_whatever_is_posted(client, world):
    response = signed_in(client, world.editor_a).post(
        url("create"),
        project_data(
            title="Sneaky",
            lead_organisation=world.orgs["centre-a"].pk,
            published="on",
            submitted_at="2020-01-01T00:00:00Z",
            created_by=world.secretariat.pk,
            slug="project-b",
        ),
    )
    assert response.status_code == 302
    project = Project.objects.get(title="Sneaky")
    assert (project.slug, project.published, project.submitted_at, project.created_by) == (
        "sneaky", False, None, world.editor_a,
    )  # fmt: skip


@pytest.mark.parametrize("target", ["create", "edit"])
@pytest.mark.parametrize(
    "lead", ["centre-b", "the association", "unknown"], ids=["B", "none", "unknown"]
)
def test_a_lead_organisation_out_of_reach_is_refused(client, world, tmp_path, target, lead):
    lead_id = {
        "centre-b": world.orgs["centre-b"].pk,
        "the association": "",
        "unknown": "99999999999999999999",
    }[lead]
    before = snapshot(tmp_path)
    address = url("create") if target == "create" else url("edit", "project-a")
    response = signed_in(client, world.admin_a).post(
        address, project_data(title="Taken over", lead_organisation=lead_id)
    )
    assert response.status_code == 200
    message = (
        "This field is required."
        if lead_id == ""
        else "Select a valid choice. That choice is not one of the available choices."
    )
    assert form_errors(response.context["form"]) == {"lead_organisation": [message]}
    assert snapshot(tmp_path) == before


def test_a_long_list_of_organisations_becomes_an_address_to_give(
    client, world, tmp_path, monkeypatch
):
    monkeypatch.setattr(project_forms, "LEAD_CHOICES_LIMIT", 2)
    admin = signed_in(client, world.admin_a)
    shown = form_values(admin.get(url("edit", "project-a")).content, "title")
    assert shown["lead_organisation"] == ["centre-a"]
    before = snapshot(tmp_path)

    response = admin.post(
        url("edit", "project-a"),
        project_data(title="Moved", lead_organisation="http://testserver/en/members/centre-b/"),
    )

    assert form_errors(response.context["form"]) == {
        "lead_organisation": ["You cannot add projects for an organisation at that address."]
    }
    assert snapshot(tmp_path) == before
    response = admin.post(
        url("edit", "project-a"),
        project_data(title="Moved", lead_organisation="http://testserver/en/members/choir-a/"),
    )
    assert response.status_code == 302
    assert Project.objects.get(slug="project-a").lead_organisation.slug == "choir-a"


@pytest.mark.parametrize("prefix", ["expected", "partners"])
@pytest.mark.parametrize(
    ("tampered", "status"),
    [
        # The hidden link to the project, changed too: the form says it does not match.
        ({"id", "project"}, 200),
        # Only the id: it is none of this project's rows, so the row is dropped (as Django's
        # own formsets do).
        ({"id"}, 302),
    ],
    ids=["id and project", "id only"],
)
def test_a_row_of_another_project_cannot_be_taken_over(
    client, world, tmp_path, prefix, tampered, status
):
    theirs = world.projects["project-b"]
    row = theirs.items.get(kind="expected") if prefix == "expected" else theirs.partners.get()
    ours = world.projects["project-a"]
    before_theirs = [list(theirs.items.values()), list(theirs.partners.values())]
    before_ours = [items(ours, "expected"), partners(ours)]
    data = project_data(lead_organisation=world.orgs["centre-a"].pk) | {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-text": "Hijacked",
        f"{prefix}-0-name": "Hijacked",
        f"{prefix}-0-country": "LV",
        f"{prefix}-0-role": "partner",
    }
    data |= {f"{prefix}-0-{name}": row.pk if name == "id" else theirs.pk for name in tampered}

    response = signed_in(client, world.admin_a).post(url("edit", "project-a"), data)

    assert response.status_code == status
    if status == 200:
        assert [form_errors(form) for form in response.context[prefix].forms] == [
            {"project": ["The inline value did not match the parent instance."]}
        ]
    assert [list(theirs.items.values()), list(theirs.partners.values())] == before_theirs
    assert [items(ours, "expected"), partners(ours)] == before_ours
    assert not ProjectItem.objects.filter(text="Hijacked").exists()
    assert not ProjectPartner.objects.filter(name="Hijacked").exists()


RICH_TEXT = {
    "script": ("<p>Songs</p><script>alert('xss-script')</script>", "<p>Songs</p>"),
    "onerror": (
        '<p>Poster</p><img src="x" onerror="alert(\'xss-img\')">',
        "<p>Poster</p>",
    ),
    "on* attributes": ("<p onclick=\"alert('xss-click')\">Dance</p>", "<p>Dance</p>"),
    "javascript: link": (
        "<a href=\"javascript:alert('xss-link')\">Programme</a>",
        '<a rel="noopener noreferrer nofollow">Programme</a>',
    ),
    "allowed link": (
        '<p>See <a href="https://festival.example/">the site</a>.</p>',
        '<p>See <a href="https://festival.example/" '
        'rel="noopener noreferrer nofollow">the site</a>.</p>',
    ),
}


@pytest.mark.parametrize("item", list(RICH_TEXT))
def test_rich_text_keeps_nothing_executable(client, world, item):
    typed, stored = RICH_TEXT[item]
    admin = signed_in(client, world.admin_a)
    response = admin.post(
        url("edit", "project-a"),
        project_data(lead_organisation=world.orgs["centre-a"].pk, description=typed),
    )
    assert response.status_code == 302
    assert Project.objects.get(slug="project-a").description == stored
    page = admin.get(url("edit", "project-a")).content.decode()
    for marker in ["xss-", "javascript:", "onerror", "onclick", "<script"]:
        assert marker not in page


def _hostile_images():
    return {
        "SVG": (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>',
            "The file is not a PNG, JPEG or WebP image.",
        ),
        "PHP renamed .png": (
            "shell.png",
            b"<?php system($_GET['c']); ?>",
            "The file is not a PNG, JPEG or WebP image.",
        ),
        "decompression bomb": (
            "bomb.png",
            image_bytes("PNG", (10_000, 10_000)),
            "The image is 10000 × 10000 pixels; the limit is 25 megapixels.",
        ),
        "empty file": ("empty.png", b"", "The submitted file is empty."),
    }


@pytest.mark.parametrize("item", ["SVG", "PHP renamed .png", "decompression bomb", "empty file"])
def test_a_hostile_image_is_refused_with_a_message(client, world, tmp_path, item):
    name, content, message = _hostile_images()[item]
    before = snapshot(tmp_path)
    response = signed_in(client, world.admin_a).post(
        url("media", "project-a"),
        {
            "form": "image",
            "image-image": upload(name, content),
            "image-alt_text": "The choir on stage",
        },
    )
    assert response.status_code == 200
    assert form_errors(response.context["image_form"]) == {"image": [message]}
    assert error_summary(response) == [f"Image: {message}"]
    assert form_values(response.content, "image-alt_text")["image-alt_text"] == [
        "The choir on stage"
    ]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("name", "content", "errors"),
    [
        (
            "report.pdf",
            b"<html><script>alert(1)</script></html>",
            {"file": ["The file is not a PDF document."]},
        ),
        (
            "page.html",
            b"<html><script>alert(1)</script></html>",
            {
                "file": [
                    "File extension “html” is not allowed. Allowed extensions are: pdf, odt, "
                    "ods, docx, xlsx, pptx, txt."
                ]
            },
        ),
        (
            "tool.exe",
            b"MZ\x90\x00",
            {
                "file": [
                    "File extension “exe” is not allowed. Allowed extensions are: pdf, odt, "
                    "ods, docx, xlsx, pptx, txt."
                ]
            },
        ),
        (None, None, {"__all__": ["Upload a file or give a web address."]}),
    ],
    ids=["HTML named .pdf", "HTML", "program", "nothing"],
)
def test_a_hostile_document_is_refused_with_a_message(
    client, world, tmp_path, name, content, errors
):
    before = snapshot(tmp_path)
    data = {"form": "document", "document-title": "Annual report"}
    if name:
        data["document-file"] = upload(name, content)
    response = signed_in(client, world.admin_a).post(url("media", "project-a"), data)
    assert response.status_code == 200
    assert form_errors(response.context["document_form"]) == errors
    assert error_summary(response)
    assert form_values(response.content, "document-title")["document-title"] == ["Annual report"]
    assert snapshot(tmp_path) == before


def test_a_hostile_decision_document_is_refused_and_the_rest_kept(client, world, tmp_path):
    before = snapshot(tmp_path)
    typed = project_data(
        lead_organisation=str(world.orgs["centre-a"].pk), title="Kept title", code="K-1"
    )
    response = signed_in(client, world.admin_a).post(
        url("edit", "project-a"),
        typed | {"decision_document": upload("decision.pdf", b"<html>not a pdf</html>")},
    )
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == {
        "decision_document": ["The file is not a PDF document."]
    }
    _assert_kept(response, {"title": "Kept title", "code": "K-1"})
    assert snapshot(tmp_path) == before


# --- Garbage in every field -------------------------------------------------------------------


def test_garbage_in_every_field_is_answered_field_by_field(client, world, tmp_path):
    before = snapshot(tmp_path)
    typed = {
        "lead_organisation": "centre-a",
        "title": "T" * 256,
        "code": "C\x00de",
        "summary": "S" * 601,
        "description": "D" * 20_001,
        "status": "finished",
        "funder": str(world.council.pk),
        "programme": str(world.heritage.pk),  # the ministry's
        "decision_reference": "R" * 201,
        "decision_date": "yesterday",
        "amount_awarded": "twelve thousand",
        "currency": "XXXX",
        "co_financing": "-5",
        "total_budget": "1" * 20,
        "start_date": "2026-05-01",
        "end_date": "2026-04-30",
        "regions": ["abc"],
        "municipalities": ["999999"],
        "topics": ["-1"],
        "website": "javascript:alert(1)",
        "aims": "An aim\n" + "A" * 2001,
        "activities": "\n".join(f"Activity {number}" for number in range(51)),
        "expected-TOTAL_FORMS": "2",
        "expected-INITIAL_FORMS": "0",
        "expected-0-text": "",
        "expected-0-indicator": "people",
        "expected-0-target": "lots",
        "expected-0-actual": "",
        "expected-1-text": "Result\x00",
        "expected-1-indicator": "I" * 201,
        "expected-1-target": "1e400",
        "expected-1-actual": "NaN",
        "achieved-TOTAL_FORMS": "0",
        "achieved-INITIAL_FORMS": "0",
        "partners-TOTAL_FORMS": "4",
        "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": "http://testserver/en/members/no-such-place/",
        "partners-0-name": "",
        "partners-0-country": "",
        "partners-0-role": "partner",
        "partners-1-organisation": "",
        "partners-1-name": "Kultūras nams",
        "partners-1-country": "XX",
        "partners-1-role": "boss",
        "partners-2-organisation": "centre-b",
        "partners-2-name": "Also a name",
        "partners-2-country": "",
        "partners-2-role": "partner",
        "partners-3-organisation": "",
        "partners-3-name": "Nowhere Ltd",
        "partners-3-country": "",
        "partners-3-role": "partner",
    }
    typed["lead_organisation"] = str(world.orgs["centre-a"].pk)

    response = signed_in(client, world.admin_a).post(url("edit", "project-a"), typed)

    assert response.status_code == 200
    assert form_errors(response.context["form"]) == {
        "title": ["Ensure this value has at most 255 characters (it has 256)."],
        "code": ["Null characters are not allowed."],
        "summary": ["Ensure this value has at most 600 characters (it has 601)."],
        "description": ["Ensure this value has at most 20000 characters (it has 20001)."],
        "status": ["Select a valid choice. finished is not one of the available choices."],
        "programme": ["This programme belongs to another funder."],
        "decision_reference": ["Ensure this value has at most 200 characters (it has 201)."],
        "decision_date": ["Enter a valid date."],
        "amount_awarded": ["Enter a number."],
        "currency": ["Ensure this value has at most 3 characters (it has 4)."],
        "co_financing": ["Ensure this value is greater than or equal to 0."],
        "total_budget": ["Ensure that there are no more than 14 digits in total."],
        "end_date": ["The project cannot end before it starts."],
        "regions": ["“abc” is not a valid value."],
        "municipalities": ["Select a valid choice. 999999 is not one of the available choices."],
        "topics": ["Select a valid choice. -1 is not one of the available choices."],
        "website": ["Enter a valid URL."],
        "aims": ["Line 2 has 2001 characters; the most is 2000."],
        "activities": ["Give at most 50 lines (there are 51)."],
    }
    assert [form_errors(form) for form in response.context["expected"].forms] == [
        {"text": ["This field is required."], "target": ["Enter a number."]},
        {
            "text": ["Null characters are not allowed."],
            "indicator": ["Ensure this value has at most 200 characters (it has 201)."],
            "target": ["Ensure that there are no more than 14 digits in total."],
            "actual": ["Enter a number."],
        },
    ]
    assert [form_errors(form) for form in response.context["partners"].forms] == [
        {"organisation": ["There is no organisation at that address."]},
        {
            "country": ["“XX” is not a country code: give two letters, such as LV."],
            "role": ["Select a valid choice. boss is not one of the available choices."],
        },
        {"name": ["Give either an organisation in the directory or a name, not both."]},
        {"country": ["Give the country of a partner outside the directory."]},
    ]
    summary = error_summary(response)
    assert len(summary) == 19 + 6 + 5
    assert "End date: The project cannot end before it starts." in summary
    assert "Organisation in the directory: There is no organisation at that address." in summary
    # Nothing typed is lost: but NUL bytes, and choices that are not among a list's options.
    unknown_choices = {"status", "regions", "municipalities", "topics", "partners-1-role"}
    _assert_kept(
        response,
        {
            name: value
            for name, value in typed.items()
            if "\x00" not in value
            and not name.endswith("FORMS")
            and name not in {"aims", *unknown_choices}
        },
    )
    shown = form_values(response.content, "title")
    assert shown["aims"] == [typed["aims"]]
    assert snapshot(tmp_path) == before


INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
MORE_GARBAGE = {
    "unknown currency": (
        {"currency": "xyz"},
        {"currency": ["“XYZ” is not an ISO 4217 currency code, such as EUR or SEK."]},
    ),
    "no currency": ({"currency": ""}, {"currency": ["This field is required."]}),
    "blank title": ({"title": "   "}, {"title": ["This field is required."]}),
    "30 February": ({"decision_date": "2026-02-30"}, {"decision_date": ["Enter a valid date."]}),
    "too many digits": (
        {"amount_awarded": "1" * 13},
        {
            "amount_awarded": [
                "Ensure that there are no more than 12 digits before the decimal point."
            ]
        },
    ),
    "cents of cents": (
        {"amount_awarded": "1.234"},
        {"amount_awarded": ["Ensure that there are no more than 2 decimal places."]},
    ),
    "funder abc": ({"funder": "abc"}, {"funder": [INVALID_CHOICE]}),
}


@pytest.mark.parametrize("item", list(MORE_GARBAGE))
def test_more_garbage_in_the_project(client, world, tmp_path, item):
    typed, errors = MORE_GARBAGE[item]
    before = snapshot(tmp_path)
    data = project_data(lead_organisation=str(world.orgs["centre-a"].pk)) | typed
    response = signed_in(client, world.admin_a).post(url("edit", "project-a"), data)
    assert response.status_code == 200
    assert form_errors(response.context["form"]) == errors
    # A list cannot show a choice that is not among its options.
    _assert_kept(response, {name: value for name, value in typed.items() if name != "funder"})
    assert snapshot(tmp_path) == before


def test_a_programme_without_a_funder_brings_its_funder(client, world):
    response = signed_in(client, world.admin_a).post(
        url("edit", "project-a"),
        project_data(
            lead_organisation=world.orgs["centre-a"].pk, funder="", programme=world.arts.pk
        ),
    )
    assert response.status_code == 302
    project = Project.objects.get(slug="project-a")
    assert (project.funder, project.programme) == (world.council, world.arts)


@pytest.mark.parametrize(
    ("formsets", "message"),
    [
        (
            {"expected-TOTAL_FORMS": "lots"},
            "ManagementForm data is missing or has been tampered with. Missing fields: "
            "expected-TOTAL_FORMS. You may need to file a bug report if the issue persists.",
        ),
        ({"expected-TOTAL_FORMS": "51"}, "Please submit at most 50 forms."),
        (
            {
                "partners-TOTAL_FORMS": "2",
                "partners-0-organisation": "centre-b",
                "partners-0-role": "partner",
                "partners-1-organisation": "http://testserver/en/members/centre-b/",
                "partners-1-role": "co-funder",
            },
            "Please correct the duplicate data for organisation.",
        ),
    ],
    ids=["tampered management form", "too many rows", "the same partner twice"],
)
def test_garbage_in_the_rows_is_refused_with_a_message(client, world, tmp_path, formsets, message):
    before = snapshot(tmp_path)
    data = project_data(lead_organisation=world.orgs["centre-a"].pk) | formsets
    if formsets.get("expected-TOTAL_FORMS") == "lots":
        del data["expected-TOTAL_FORMS"]
    response = signed_in(client, world.admin_a).post(url("edit", "project-a"), data)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "path",
    [
        "/en/my/projects/project-a/media/images/99999999999999999999/delete/",
        "/en/my/projects/project-a/media/documents/-1/delete/",
        "/en/my/projects/project-a%00/",
        "/en/my/projects/..%2Fproject-b/",
        "/en/my/projects/" + "a" * 5000 + "/",
        "/en/my/projects/project-a/submit/extra/",
    ],
)
def test_garbage_in_the_address_is_not_found(client, world, tmp_path, path):
    before = snapshot(tmp_path)
    response = signed_in(client, world.admin_a).post(path)
    assert response.status_code == 404
    assert snapshot(tmp_path) == before


# --- Query counts -----------------------------------------------------------------------------


def grow(world, start, end):
    """For each number: a project of centre A, and an aim, an activity, two results and a partner
    of project A, and a region, a municipality and a topic it is placed in and tagged with."""
    project = world.projects["project-a"]
    for number in range(start, end):
        make_project(title=f"Grown {number}", lead=world.orgs["centre-a"], published=number % 2)
        for kind in ["aim", "activity", "expected", "achieved"]:
            ProjectItem.objects.create(
                project=project, kind=kind, order=number + 1, text=f"{kind} {number}"
            )
        ProjectPartner.objects.create(
            project=project, name=f"Partner {number}", country="EE", order=number + 1
        )
        region = make_region()
        project.regions.add(region)
        project.municipalities.add(make_municipality(region=region))
        project.topics.add(make_topic())


def queries(client, path, django_assert_max_num_queries, limit=40):
    with django_assert_max_num_queries(limit) as counted:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(counted.captured_queries)


# The pinned counts: a change that adds a query per row fails here, and one that adds a query
# to the page says so.
PINNED = {"list": 6, "edit": 19}


@pytest.mark.parametrize("page", list(PINNED))
def test_a_project_page_costs_the_same_for_3_or_25_of_everything(
    client, world, django_assert_max_num_queries, page
):
    client.force_login(world.editor_a)
    path = url("list") if page == "list" else url("edit", "project-a")
    grow(world, 0, 3)
    client.get(path)  # sessions, caches and the profile memo are warm from here on
    few = queries(client, path, django_assert_max_num_queries)
    grow(world, 3, 25)
    many = queries(client, path, django_assert_max_num_queries, limit=few)
    assert (few, many) == (PINNED[page], PINNED[page])
    if page == "edit":
        content = client.get(path).content.decode()
        assert "Partner 24" in content and "achieved 24" in content


def test_someone_without_an_organisation_is_told_so(client, world, tmp_path):
    nobody = signed_in(client, make_user(email="nobody@example.org"))
    page = nobody.get(url("create"))
    assert "You do not work on any organisation here yet" in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    before = snapshot(tmp_path)
    response = nobody.post(url("create"), project_data(lead_organisation=world.orgs["centre-a"].pk))
    assert response.status_code == 200
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("New", "new-2"),
        ("Calls", "calls-2"),
        ("Project of centre-a", "project-of-centre-a"),
        ("!!!", "project"),
    ],
)
def test_a_new_projects_address_comes_from_its_title(client, world, title, slug):
    response = signed_in(client, world.admin_a).post(
        url("create"), project_data(title=title, lead_organisation=world.orgs["centre-a"].pk)
    )
    assert response.status_code == 302
    # "new" is the address of the form for a new project.
    assert Project.objects.get(title=title, created_by=world.admin_a).slug == slug
    assert response["Location"] == url("edit", slug)


def test_a_long_file_name_is_shortened_to_fit(client, world, tmp_path):
    name = "a" * 96 + ".pdf"
    admin = signed_in(client, world.admin_a)
    response = admin.post(
        url("edit", "project-a"),
        project_data(lead_organisation=world.orgs["centre-a"].pk)
        | {"decision_document": upload(name, PDF)},
    )
    assert response.status_code == 302
    stored = Project.objects.get(slug="project-a").decision_document.name
    assert len(stored) <= 100 and stored.startswith("projects/decisions/a")
    response = admin.post(
        url("media", "project-a"),
        {"form": "document", "document-title": "Long", "document-file": upload(name, PDF)},
    )
    assert response.status_code == 302
    assert len(ProjectDocument.objects.get(title="Long").file.name) <= 100


def test_a_partner_archived_since_it_was_added_does_not_block_saving(client, world):
    project = world.projects["project-a"]
    ProjectPartner.objects.create(project=project, organisation=world.orgs["choir-b"], order=1)
    Organisation.objects.filter(slug="choir-b").update(published=False)
    admin = signed_in(client, world.admin_a)
    values = form_values(admin.get(url("edit", "project-a")).content, "title")
    assert values["partners-1-organisation"] == ["choir-b"]
    values["summary"] = ["Still saved."]
    assert admin.post(url("edit", "project-a"), as_post(values)).status_code == 302
    # A new row cannot name it: it has no public profile.
    values["partners-2-organisation"] = ["choir-b"]
    response = admin.post(url("edit", "project-a"), as_post(values))
    assert [form_errors(form) for form in response.context["partners"].forms][2] == {
        "organisation": ["There is no organisation at that address."]
    }
