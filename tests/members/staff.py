"""Member staff in tests: two organisation trees with staff of every kind, the staff pages as a
table of cases (what each one is, what it changes), a snapshot of everything they could change,
and small readers for what the pages show."""

import hashlib
import html
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from association.models import User
from members.models import (
    AnnualReport,
    ChangeRequest,
    ContactPerson,
    Invitation,
    Organisation,
    PartnerOffer,
    Photo,
    Role,
)
from tests.factories import (
    make_organisation,
    make_partner_offer,
    make_secretariat_user,
    make_type,
    make_user,
)

LOGIN_PATH = "/en/accounts/login/"
THIS_YEAR = date.today().year


# --- Data -------------------------------------------------------------------------------------


def token_for(slug):
    """The (test-chosen) token of the pending invitation made for an organisation."""
    return f"token-of-{slug}"


def url(name, *args):
    """A staff page's address: url("profile", "centre-a")."""
    return reverse(f"staff:{name}", args=args)


def make_invitation(organisation, *, email, level=Role.Level.EDITOR, token, **fields):
    """A pending invitation whose link the test knows: only the token's hash is stored, as the
    portal stores it (the token itself travels only in the email)."""
    now = timezone.now()
    values = {"sent_at": now, "expires_at": now + timedelta(days=Invitation.VALID_DAYS)}
    return Invitation.objects.create(
        organisation=organisation,
        email=email,
        level=level,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        **(values | fields),
    )


def invitation_path(token):
    return f"/en/invitations/{token}/"


def build_world():
    """Two trees, A and B, each a centre with a branch (which has a collective) and a choir
    directly under the centre; in each centre and branch a photo, a pending invitation, a
    colleague's editor role and a partner search. Staff: an admin and an editor
    of centre A, an admin of branch A only, an admin of centre B, and the secretariat."""
    w = SimpleNamespace()
    w.centre = make_type(slug="centre", name="Centre", order=1)
    w.branch = make_type(
        slug="branch", name="Branch", allowed_parents=[w.centre], can_be_top_level=False, order=2
    )
    w.collective = make_type(
        slug="collective",
        name="Collective",
        allowed_parents=[w.centre, w.branch],
        can_be_top_level=False,
        is_legal_entity=False,
        order=3,
    )
    w.colleague = make_user(email="colleague@example.org", name="Colleague")
    w.orgs = {}
    for side in ("a", "b"):
        centre = make_organisation(
            name=f"Centre {side.upper()}", slug=f"centre-{side}", type=w.centre
        )
        branch = make_organisation(
            name=f"Branch {side.upper()}", slug=f"branch-{side}", type=w.branch, parent=centre
        )
        collective = make_organisation(
            name=f"Collective {side.upper()}",
            slug=f"collective-{side}",
            type=w.collective,
            parent=branch,
        )
        choir = make_organisation(
            name=f"Choir {side.upper()}", slug=f"choir-{side}", type=w.collective, parent=centre
        )
        for organisation in (centre, branch, collective, choir):
            w.orgs[organisation.slug] = organisation
        for organisation in (centre, branch):
            Photo.objects.create(
                organisation=organisation,
                image=f"photos/{organisation.slug}.png",
                thumbnail=f"photos/{organisation.slug}-list.png",
                social=f"photos/{organisation.slug}-social.jpg",
                alt_text=f"Rehearsal at {organisation.name}",
            )
            make_invitation(
                organisation,
                email=f"invited-to-{organisation.slug}@example.org",
                token=token_for(organisation.slug),
            )
            Role.objects.create(user=w.colleague, organisation=organisation, level="editor")
            make_partner_offer(organisation=organisation, title=f"Partners for {organisation.name}")
    w.admin_a = make_user(email="admin-a@example.org", name="Admin A")
    w.editor_a = make_user(email="editor-a@example.org", name="Editor A")
    w.unit_admin_a = make_user(email="unit-admin-a@example.org", name="Unit Admin A")
    w.admin_b = make_user(email="admin-b@example.org", name="Admin B")
    w.secretariat = make_secretariat_user(email="secretariat@example.org", name="Secretariat")
    Role.objects.create(user=w.admin_a, organisation=w.orgs["centre-a"], level="admin")
    Role.objects.create(user=w.editor_a, organisation=w.orgs["centre-a"], level="editor")
    Role.objects.create(user=w.unit_admin_a, organisation=w.orgs["branch-a"], level="admin")
    Role.objects.create(user=w.admin_b, organisation=w.orgs["centre-b"], level="admin")
    return w


# --- What could change ------------------------------------------------------------------------

SNAPSHOT_MODELS = [
    Organisation,
    Organisation.fields_of_activity.through,
    ContactPerson,
    Photo,
    Role,
    Invitation,
    ChangeRequest,
    AnnualReport,
    PartnerOffer,
    PartnerOffer.topics.through,
    User,
    EmailAddress,
    Organisation.history.model,
    ContactPerson.history.model,
    Photo.history.model,
]


def snapshot(media_root=None):
    """A digest of every row the staff pages could write, table by table (one query), and the
    files under MEDIA_ROOT: equal snapshots, nothing changed."""
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


def stored_files(media_root):
    root = Path(media_root)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# --- Files ------------------------------------------------------------------------------------


def image_bytes(image_format="PNG", size=(40, 30), colour="teal", **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="logo.png", size=(40, 30)):
    return upload(name, image_bytes("PNG", size), "image/png")


# --- Reading pages ----------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The values a browser would submit from each form of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # one {name: [values]} per <form>
        self.values = None
        self._textarea = None
        self._select = None
        self._options = []  # (value, selected) of the current select

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.values = {}
            self.forms.append(self.values)
        if self.values is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset"}:
                return
            if kind == "file":
                self.values.setdefault(name, [])
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                self.values.setdefault(name, [])
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.values.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self._options = []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.values = None
        elif tag == "textarea" and self._textarea:
            # A newline right after <textarea> is not part of the value.
            value = self.values[self._textarea][-1]
            self.values[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            self.values[self._select] = [value for value, chosen in self._options if chosen]
            self._select = None


def form_values(content, containing):
    """{name: [values]} that submitting the page's form with a field named `containing` would
    send (a file input and an unticked box are there with no value)."""
    reader = _FormReader()
    reader.feed(content if isinstance(content, str) else content.decode())
    forms = [values for values in reader.forms if containing in values]
    assert forms, f"no form on the page has a field named {containing}"
    return forms[0]


def as_post(values):
    """form_values() as data for the test client (single values unwrapped)."""
    return {name: items[0] if len(items) == 1 else items for name, items in values.items() if items}


def form_errors(form):
    """A form's errors as plain {field: [messages]}."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def messages_shown(response):
    """The flash messages on a page, as text."""
    return [
        html.unescape(text.strip())
        for text in re.findall(r'<li class="message [^"]*">(.*?)</li>', response.content.decode())
    ]


def error_summary(response):
    """The lines of the page's error summary, as text."""
    content = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>\s*</div>', content, re.S)
    if not summary:
        return []
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary.group(), re.S)
    ]


# --- The staff pages as cases -----------------------------------------------------------------

# Each context names where the test acts: on organisation A itself, on a sub-unit of A, on
# organisation B, or through A's address on B's photo, invitation or role.
# "child" is the sub-unit archived, "move" the sub-unit moved and where to: for "A", one that
# only a role in centre A reaches.
CONTEXTS = {
    "A": {
        "org": "centre-a",
        "child": "choir-a",
        "move": ("choir-a", "branch-a"),
        "objects_of": "centre-a",
        "child_type": "branch",
    },
    "A's sub-unit": {
        "org": "branch-a",
        "child": "collective-a",
        "move": ("collective-a", "branch-a"),
        "objects_of": "branch-a",
        "child_type": "collective",
    },
    "B": {
        "org": "centre-b",
        "child": "choir-b",
        "move": ("choir-b", "branch-b"),
        "objects_of": "centre-b",
        "child_type": "branch",
    },
    "A with B's objects": {
        "org": "centre-a",
        "child": "choir-a",
        "move": ("choir-a", "branch-a"),
        "objects_of": "centre-b",
        "child_type": "branch",
    },
}


@dataclass
class Case:
    """One staff page and one thing to do there."""

    name: str  # its URL name in members.staff_urls
    variant: str = ""
    admin_only: bool = False
    post_only: bool = False
    has_objects: bool = False  # it names a photo, invitation or role of the organisation
    # The page that shows the form posting here (for a CSRF token), by URL name.
    form_page: str | None = None
    kwargs: object = None  # (world, context) -> URL kwargs
    data: object = None  # (world, context) -> POST data that would change something
    done: object = None  # (world, context) -> None; asserts that the change was made
    lands_on: object = None  # (world, context) -> where a successful POST redirects

    @property
    def id(self):
        return f"{self.name}:{self.variant}" if self.variant else self.name

    def url(self, world, context):
        return reverse(f"staff:{self.name}", kwargs=self.kwargs(world, context))


def _org(world, context, key="org"):
    return Organisation.objects.get(slug=CONTEXTS[context][key])


def _objects_org(world, context):
    return Organisation.objects.get(slug=CONTEXTS[context]["objects_of"])


def _slug(world, context):
    return {"slug": CONTEXTS[context]["org"]}


def _staff_url(name, key="org"):
    return lambda world, context: reverse(f"staff:{name}", args=[CONTEXTS[context][key]])


def _photo(world, context):
    return _objects_org(world, context).photos.get()


def _invitation(world, context):
    return _objects_org(world, context).invitations.get(email__startswith="invited-to-")


def _colleague_role(world, context):
    return Role.objects.get(user=world.colleague, organisation=_objects_org(world, context))


def _assert_profile_saved(world, context):
    assert _org(world, context).short_name == "Renamed"


def _assert_logo_saved(world, context):
    organisation = _org(world, context)
    assert organisation.logo.name.startswith("organisations/")
    assert organisation.logo_thumbnail.name.endswith("-list.png")


def _assert_photo_gone(world, context):
    assert not _org(world, context).photos.exists()


def _assert_unit_added(world, context):
    unit = Organisation.objects.get(name="Youth theatre")
    assert (unit.parent.slug, unit.type.slug) == (
        CONTEXTS[context]["org"],
        CONTEXTS[context]["child_type"],
    )


def _assert_moved(world, context):
    subject, parent = CONTEXTS[context]["move"]
    assert Organisation.objects.get(slug=subject).parent.slug == parent


def _assert_archived(world, context):
    assert not _org(world, context, "child").published


def _assert_change_requested(world, context):
    organisation = _org(world, context)
    (request,) = organisation.change_requests.all()
    assert request.changes == {"name": f"{organisation.name} Renamed"}


def _assert_figures_saved(world, context):
    (report,) = _org(world, context).annual_reports.all()
    assert (report.year, report.members, report.volunteers, report.staff, report.collectives) == (
        THIS_YEAR,
        40,
        5,
        2,
        1,
    )


def _assert_invited(world, context):
    invitation = _org(world, context).invitations.get(email="newcomer@example.org")
    assert invitation.is_pending and invitation.level == "editor"


def _assert_resent(world, context):
    invitation = _invitation(world, context)
    assert invitation.is_pending
    assert (
        invitation.token_hash
        != hashlib.sha256(token_for(invitation.organisation.slug).encode()).hexdigest()
    )


def _assert_revoked(world, context):
    assert _invitation(world, context).revoked_at is not None


def _assert_role_removed(world, context):
    assert not Role.objects.filter(user=world.colleague, organisation=_org(world, context)).exists()


def _change_request_data(world, context):
    organisation = _org(world, context)
    return {
        "name": f"{organisation.name} Renamed",
        "legal_name": organisation.legal_name,
        "registration_code": organisation.registration_code,
        "type": organisation.type_id,
        # The parent is named by its profile's address (or slug), as staff copy it.
        "parent": organisation.parent.slug if organisation.parent else "",
        "membership_status": organisation.membership_status,
        "reason": "The general meeting chose a new name.",
    }


PARTNER_OFFER_DATA = {
    "title": "Choir exchange",
    "project_kind": "exchange",
    "countries": ["PL", "LV"],
    "contact_name": "Rasa",
    "contact_email": "rasa@example.org",
    "published": "on",
}


def _partner_offer(world, context):
    return _objects_org(world, context).partner_offers.get()


def _partner_data(world, context):
    return PARTNER_OFFER_DATA | {"valid_until": (date.today() + timedelta(days=60)).isoformat()}


def _assert_partner_offer_added(world, context):
    offer = _org(world, context).partner_offers.get(title="Choir exchange")
    assert offer.countries == ["PL", "LV"]


def _assert_partner_offer_changed(world, context):
    assert _partner_offer(world, context).title == "Choir exchange"


def _assert_partner_offer_deleted(world, context):
    assert not _org(world, context).partner_offers.exists()


CASES = [
    Case(
        "dashboard",
        kwargs=lambda w, c: {},
        data=lambda w, c: {},
        lands_on=None,
    ),
    Case(
        "profile",
        kwargs=_slug,
        form_page="profile",
        data=lambda w, c: {
            "short_name": "Renamed",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
        done=_assert_profile_saved,
        lands_on=_staff_url("profile"),
    ),
    Case(
        "media",
        kwargs=_slug,
        form_page="media",
        data=lambda w, c: {"form": "logo", "logo-logo": png_upload()},
        done=_assert_logo_saved,
        lands_on=_staff_url("media"),
    ),
    Case(
        "photo-delete",
        post_only=True,
        has_objects=True,
        form_page="media",
        kwargs=lambda w, c: _slug(w, c) | {"photo_id": _photo(w, c).pk},
        data=lambda w, c: {},
        done=_assert_photo_gone,
        lands_on=_staff_url("media"),
    ),
    Case(
        "units",
        kwargs=_slug,
        form_page="units",
        data=lambda w, c: {
            "name": "Youth theatre",
            "type": getattr(w, CONTEXTS[c]["child_type"]).pk,
        },
        done=_assert_unit_added,
        lands_on=lambda w, c: reverse(
            "staff:profile", args=[Organisation.objects.get(name="Youth theatre").slug]
        ),
    ),
    Case(
        "move",
        kwargs=lambda w, c: {"slug": CONTEXTS[c]["move"][0]},
        form_page="move",
        data=lambda w, c: {"parent": Organisation.objects.get(slug=CONTEXTS[c]["move"][1]).pk},
        done=_assert_moved,
        lands_on=lambda w, c: reverse("staff:units", args=[CONTEXTS[c]["move"][1]]),
    ),
    Case(
        "archive",
        post_only=True,
        kwargs=lambda w, c: {"slug": CONTEXTS[c]["child"]},
        form_page="units",
        data=lambda w, c: {"action": "archive"},
        done=_assert_archived,
        lands_on=_staff_url("units"),
    ),
    Case(
        "change-request",
        kwargs=_slug,
        form_page="change-request",
        data=_change_request_data,
        done=_assert_change_requested,
        lands_on=_staff_url("change-request"),
    ),
    Case(
        "figures",
        kwargs=_slug,
        form_page="figures",
        data=lambda w, c: {
            "year": THIS_YEAR,
            "members": 40,
            "volunteers": 5,
            "staff": 2,
            "collectives": 1,
        },
        done=_assert_figures_saved,
        lands_on=_staff_url("figures"),
    ),
    Case(
        "people",
        admin_only=True,
        kwargs=_slug,
        form_page="people",
        data=lambda w, c: {"email": "newcomer@example.org", "level": "editor"},
        done=_assert_invited,
        lands_on=_staff_url("people"),
    ),
    *(
        Case(
            "invitation-action",
            variant=action,
            admin_only=True,
            post_only=True,
            has_objects=True,
            form_page="people",
            kwargs=lambda w, c, action=action: (
                _slug(w, c) | {"invitation_id": _invitation(w, c).pk, "action": action}
            ),
            data=lambda w, c: {},
            done=done,
            lands_on=_staff_url("people"),
        )
        for action, done in [("resend", _assert_resent), ("revoke", _assert_revoked)]
    ),
    Case(
        "role-remove",
        admin_only=True,
        post_only=True,
        has_objects=True,
        form_page="people",
        kwargs=lambda w, c: _slug(w, c) | {"role_id": _colleague_role(w, c).pk},
        data=lambda w, c: {},
        done=_assert_role_removed,
        lands_on=_staff_url("people"),
    ),
    Case(
        "partners",
        kwargs=_slug,
        form_page="partners",
        data=_partner_data,
        done=_assert_partner_offer_added,
        lands_on=_staff_url("partners"),
    ),
    Case(
        "partner-edit",
        has_objects=True,
        form_page="partner-edit",
        kwargs=lambda w, c: _slug(w, c) | {"offer_id": _partner_offer(w, c).pk},
        data=_partner_data,
        done=_assert_partner_offer_changed,
        lands_on=_staff_url("partners"),
    ),
    Case(
        "partner-delete",
        has_objects=True,
        form_page="partner-delete",
        kwargs=lambda w, c: _slug(w, c) | {"offer_id": _partner_offer(w, c).pk},
        data=lambda w, c: {},
        done=_assert_partner_offer_deleted,
        lands_on=_staff_url("partners"),
    ),
]

CASES_BY_NAME = {}
for _case in CASES:
    CASES_BY_NAME.setdefault(_case.name, []).append(_case)
