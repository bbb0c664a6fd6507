"""One way to build test data: make_*(**kwargs) with sensible defaults."""

import itertools

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from association.models import User

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def make_user(*, email=None, password=PASSWORD, verified=True, mfa=None, **fields):
    """A person who can sign in. Staff get an authenticator app (mfa=True), as the association
    requires of the secretariat by default; they then sign in with force_login in tests."""
    email = email or f"person{next(_numbers)}@example.org"
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    if mfa if mfa is not None else user.is_staff:
        TOTP.activate(user, generate_totp_secret())
    return user


def make_secretariat_user(**fields):
    user = make_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


# --- Member directory -------------------------------------------------------------------------


def _translations(prefix, value):
    """modeltranslation fields: a str is the English value; a dict gives {language: value}."""
    if isinstance(value, dict):
        return {f"{prefix}_{code}": text for code, text in value.items()}
    return {f"{prefix}_en": value}


def make_type(*, name=None, name_plural=None, slug=None, allowed_parents=(), **fields):
    """An organisation type. name/name_plural: English text or {language: text}."""
    from members.models import OrganisationType

    number = next(_numbers)
    name = name or f"Kind {number}"
    name_plural = name_plural or (
        {code: f"{text}s" for code, text in name.items()} if isinstance(name, dict) else f"{name}s"
    )
    kind = OrganisationType.objects.create(
        slug=slug or f"kind-{number}",
        order=fields.pop("order", number),
        **_translations("name", name),
        **_translations("name_plural", name_plural),
        **fields,
    )
    kind.allowed_parents.set(allowed_parents)
    return kind


def make_region(*, name=None, **fields):
    from django.utils.text import slugify

    from members.models import Region

    number = next(_numbers)
    name = name or f"Region {number}"
    defaults = {
        "country": "LT",
        "code": f"R{number}",
        "slug": f"{slugify(name)}-{number}",
        "latitude": 55.0,
        "longitude": 24.0,
    }
    return Region.objects.create(name=name, **(defaults | fields))


def make_municipality(*, name=None, region=None, **fields):
    from django.utils.text import slugify

    from members.models import Municipality

    number = next(_numbers)
    name = name or f"Municipality {number}"
    region = region or make_region()
    defaults = {
        "code": f"M{number}",
        "slug": f"{slugify(name)}-{number}",
        "latitude": region.latitude,
        "longitude": region.longitude,
    }
    return Municipality.objects.create(name=name, region=region, **(defaults | fields))


def make_field(*, name=None, slug=None, **fields):
    """A field of activity. name: English text or {language: text}."""
    from members.models import FieldOfActivity

    number = next(_numbers)
    name = name or f"Activity {number}"
    return FieldOfActivity.objects.create(
        slug=slug or f"activity-{number}", **_translations("name", name), **fields
    )


def make_organisation(*, name=None, type=None, fields=None, slug=None, **values):
    """An organisation saved through Organisation.save(), so that the tree trigger sets its
    path and the signals its search vectors. fields: its fields of activity."""
    from django.utils.text import slugify

    from members.models import Organisation

    number = next(_numbers)
    name = name or f"Organisation {number}"
    organisation = Organisation(
        name=name,
        slug=slug or f"{slugify(name)[:200]}-{number}",
        type=type or make_type(),
        **values,
    )
    organisation.save()
    if fields:
        organisation.fields_of_activity.set(fields)
    return organisation


def make_contact(organisation, *, name=None, **fields):
    from members.models import ContactPerson

    number = next(_numbers)
    return ContactPerson.objects.create(
        organisation=organisation, name=name or f"Contact {number}", **fields
    )


# --- Projects and funding calls ---------------------------------------------------------------


def make_topic(*, name=None, slug=None, **fields):
    """A topic shared by projects and funding calls. name: English text or {language: text}."""
    from association.models import Topic

    number = next(_numbers)
    name = name or f"Topic {number}"
    return Topic.objects.create(
        slug=slug or f"topic-{number}", **_translations("name", name), **fields
    )


def make_funder(*, name=None, slug=None, **fields):
    from django.utils.text import slugify

    from projects.models import Funder

    number = next(_numbers)
    name = name or f"Funder {number}"
    defaults = {"kind": Funder.Kind.STATE, "country": "LT"}
    return Funder.objects.create(
        name=name, slug=slug or f"{slugify(name)[:180]}-{number}", **(defaults | fields)
    )


def make_programme(*, funder=None, name=None, slug=None, **fields):
    from django.utils.text import slugify

    from projects.models import Programme

    number = next(_numbers)
    name = name or f"Programme {number}"
    return Programme.objects.create(
        funder=funder or make_funder(),
        name=name,
        slug=slug or f"{slugify(name)[:180]}-{number}",
        **fields,
    )


def make_project(
    *,
    lead=None,
    published=True,
    funder=None,
    title=None,
    slug=None,
    items=(),
    partners=(),
    topics=(),
    regions=(),
    municipalities=(),
    **fields,
):
    """A project saved through Project.save() (so the signals set its search vector).
    lead: the lead organisation, None when the association itself leads it.
    items: ProjectItem rows as (kind, text) pairs or dicts of fields, kept in the order given.
    partners: directory organisations or dicts of ProjectPartner fields."""
    from django.utils.text import slugify

    from projects.models import Project, ProjectItem, ProjectPartner

    number = next(_numbers)
    title = title or f"Project {number}"
    project = Project(
        title=title,
        slug=slug or f"{slugify(title)[:200]}-{number}",
        lead_organisation=lead,
        funder=funder,
        published=published,
        **fields,
    )
    project.save()
    order = {}
    for item in items:
        values = dict(item) if isinstance(item, dict) else {"kind": item[0], "text": item[1]}
        values.setdefault("order", order.setdefault(values["kind"], 0))
        order[values["kind"]] = values["order"] + 1
        ProjectItem.objects.create(project=project, **values)
    for position, partner in enumerate(partners):
        values = dict(partner) if isinstance(partner, dict) else {"organisation": partner}
        values.setdefault("order", position)
        ProjectPartner.objects.create(project=project, **values)
    if topics:
        project.topics.set(topics)
    if regions:
        project.regions.set(regions)
    if municipalities:
        project.municipalities.set(municipalities)
    return project


def make_call(*, funder=None, title=None, slug=None, **fields):
    """A published funding call, open for 30 more days unless told otherwise."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from projects.models import FundingCall

    number = next(_numbers)
    title = title or f"Call {number}"
    topics = fields.pop("topics", ())
    defaults = {"deadline": timezone.now() + timedelta(days=30)}
    call = FundingCall.objects.create(
        funder=funder or make_funder(),
        title=title,
        slug=slug or f"{slugify(title)[:200]}-{number}",
        **(defaults | fields),
    )
    if topics:
        call.topics.set(topics)
    return call


# --- Advocacy ---------------------------------------------------------------------------------


def make_consultation(*, title=None, slug=None, topics=(), **fields):
    """A consultation run by a ministry, with a deadline in 30 days unless told otherwise."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from advocacy.models import Consultation, Level

    number = next(_numbers)
    title = title or f"Consultation {number}"
    defaults = {
        "consulting_body": "Ministry of Culture",
        "level": Level.NATIONAL,
        "opens_on": timezone.localdate(),
        "deadline": timezone.localdate() + timedelta(days=30),
    }
    consultation = Consultation.objects.create(
        title=title, slug=slug or f"{slugify(title)[:200]}-{number}", **(defaults | fields)
    )
    if topics:
        consultation.topics.set(topics)
    return consultation


def make_position(*, status="draft", title=None, slug=None, topics=(), **fields):
    """A position put straight into a status of its workflow (no services, no tasks queued),
    with the dates that status implies: open for input until 7 days from now, published now.
    Use advocacy.services.position_move to test the workflow itself."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from advocacy.models import Level, Position

    number = next(_numbers)
    title = title or f"Position {number}"
    now = timezone.now()
    status = Position.Status(status)
    defaults = {"kind": Position.Kind.POSITION_PAPER, "level": Level.NATIONAL}
    if status != Position.Status.DRAFT:
        defaults |= {"input_deadline": now + timedelta(days=7), "input_opened_at": now}
    if status == Position.Status.INPUT:
        defaults["kind"] = Position.Kind.CONSULTATION_RESPONSE
    if status in (Position.Status.SUBMITTED, Position.Status.PUBLISHED):
        defaults["submitted_on"] = timezone.localdate(now)
    if status == Position.Status.PUBLISHED:
        defaults["published_at"] = now
    if status != Position.Status.INPUT and status != Position.Status.DRAFT:
        # Input closed before it moved on.
        defaults["input_deadline"] = now - timedelta(days=1)
    position = Position.objects.create(
        title=title,
        slug=slug or f"{slugify(title)[:200]}-{number}",
        status=status,
        **(defaults | fields),
    )
    if topics:
        position.topics.set(topics)
    return position


def make_input(*, position=None, organisation=None, author=None, text=None, **fields):
    """A member organisation's input to a position open for it (saved directly)."""
    from advocacy.models import MemberInput

    number = next(_numbers)
    return MemberInput.objects.create(
        position=position or make_position(status="input"),
        organisation=organisation or make_organisation(),
        author=author,
        text=text or f"Our input number {number}.",
        **fields,
    )


def make_endorsement(*, position=None, organisation=None, signed_by=None, **fields):
    """An active co-signature of a published position (saved directly)."""
    from advocacy.models import Endorsement

    number = next(_numbers)
    defaults = {"signatory_name": f"Signatory {number}", "signatory_title": "Chair"}
    return Endorsement.objects.create(
        position=position or make_position(status="published"),
        organisation=organisation or make_organisation(),
        signed_by=signed_by,
        **(defaults | fields),
    )


def make_body(*, name=None, slug=None, **fields):
    """A council or committee where the association holds seats."""
    from django.utils.text import slugify

    from advocacy.models import Body, Level

    number = next(_numbers)
    name = name or f"Council {number}"
    defaults = {
        "parent_institution": "Ministry of Culture",
        "level": Level.NATIONAL,
        "total_seats": 15,
        "order": number,
    }
    return Body.objects.create(
        name=name, slug=slug or f"{slugify(name)[:200]}-{number}", **(defaults | fields)
    )


def make_seat(*, body=None, delegate=None, **fields):
    """A seat held since a year ago with no end to the term unless told otherwise."""
    from datetime import timedelta

    from django.utils import timezone

    from advocacy.models import Seat

    number = next(_numbers)
    defaults = {"term_start": timezone.localdate() - timedelta(days=365)}
    return Seat.objects.create(
        body=body or make_body(),
        delegate=delegate or f"Delegate {number}",
        **(defaults | fields),
    )


# --- News -------------------------------------------------------------------------------------


def make_news_post(
    *,
    title=None,
    slug=None,
    status="published",
    topics=(),
    organisations=(),
    projects=(),
    positions=(),
    **fields,
):
    """A news post saved through NewsPost.save() (so its text is sanitised), published now
    unless told otherwise. topics, organisations, projects, positions: what it relates to."""
    from django.utils.text import slugify

    from association.models import NewsPost

    number = next(_numbers)
    title = title or f"News {number}"
    post = NewsPost(
        title=title,
        slug=slug or f"{slugify(title)[:200]}-{number}",
        status=NewsPost.Status(status),
        **fields,
    )
    post.save()
    for relation, values in [
        ("topics", topics),
        ("organisations", organisations),
        ("projects", projects),
        ("positions", positions),
    ]:
        if values:
            getattr(post, relation).set(values)
    return post


# --- Newsletter -------------------------------------------------------------------------------


def make_subscriber(*, email=None, status="confirmed", topics=(), regions=(), **fields):
    """A newsletter subscriber, confirmed unless told otherwise (with the times its status
    needs). An unsubscribed one is also on the suppression list, as unsubscribing leaves it."""
    from django.utils import timezone

    from association.models import Subscriber, Suppression

    email = email or f"reader{next(_numbers)}@example.org"
    now = timezone.now()
    times = {
        "confirmed": {"confirmed_at": now},
        "unsubscribed": {"confirmed_at": now, "unsubscribed_at": now},
    }.get(status, {})
    subscriber = Subscriber.objects.create(email=email, status=status, **(times | fields))
    subscriber.topics.set(topics)
    subscriber.regions.set(regions)
    if status == "unsubscribed":
        Suppression.objects.create(email=email, reason=Suppression.Reason.UNSUBSCRIBED)
    return subscriber


# --- Events -----------------------------------------------------------------------------------


def make_event(
    *,
    title=None,
    slug=None,
    status="published",
    starts_in=None,
    hours=2,
    topics=(),
    **fields,
):
    """An event saved through Event.save() (so its description is sanitised), published,
    public, at a venue, starting in a week (starts_in: a timedelta from now, negative for a past
    event) and lasting `hours` unless told otherwise. starts_at/ends_at in fields win."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from events.models import Event

    number = next(_numbers)
    title = title or f"Event {number}"
    starts_at = fields.pop("starts_at", None) or (
        timezone.now() + (timedelta(days=7) if starts_in is None else starts_in)
    ).replace(microsecond=0)
    defaults = {
        "ends_at": starts_at + timedelta(hours=hours),
        "venue": "" if fields.get("online") else f"Hall {number}",
    }
    event = Event(
        title=title,
        slug=slug or f"{slugify(title)[:200]}-{number}",
        status=Event.Status(status),
        starts_at=starts_at,
        **(defaults | fields),
    )
    event.save()
    if topics:
        event.topics.set(topics)
    return event


def make_event_document(event, *, title=None, link=None, file=None, **fields):
    """A document of an event: a link unless a file is given (a ContentFile or an uploaded
    file, saved into the private storage)."""
    from events.models import EventDocument

    document = EventDocument(
        event=event, title=title or f"Document {next(_numbers)}", link=link or "", **fields
    )
    if file is not None:
        document.file.save(getattr(file, "name", None) or "document.pdf", file, save=False)
    elif not document.link:
        document.link = "https://example.org/slides.pdf"
    document.save()
    return document


# --- Library ----------------------------------------------------------------------------------


def make_library_item(
    *, title=None, slug=None, visibility="public", file=None, link="", topics=(), **fields
):
    """A published library item saved through LibraryItem.save() (its description sanitised,
    its search text made). file: (name, bytes) into the private storage; with neither file nor
    link it gets a small text file."""
    from django.core.files.base import ContentFile
    from django.utils.text import slugify

    from library.models import LibraryItem

    number = next(_numbers)
    title = title or f"Library item {number}"
    item = LibraryItem(
        title=title,
        slug=slug or f"{slugify(title)[:200]}-{number}",
        visibility=visibility,
        link=link,
        **{"published": True, **fields},
    )
    if file is None and not link:
        file = (f"notes-{number}.txt", b"Notes for culture centres.\n")
    if file:
        item.file.save(file[0], ContentFile(file[1]), save=False)
    item.save()
    if topics:
        item.topics.set(topics)
    return item


# --- Partner search ---------------------------------------------------------------------------


def make_partner_offer(*, organisation=None, title=None, topics=(), **fields):
    """An organisation's partner search, open for a month unless valid_until is given."""
    from datetime import date, timedelta

    from members.models import PartnerOffer

    number = next(_numbers)
    values = {
        "project_kind": "exchange",
        "countries": ["PL"],
        "valid_until": date.today() + timedelta(days=30),
        "contact_name": "Rasa Kazlauskienė",
        "contact_email": "rasa@example.org",
    }
    offer = PartnerOffer.objects.create(
        organisation=organisation or make_organisation(),
        title=title or f"Partner search {number}",
        **(values | fields),
    )
    if topics:
        offer.topics.set(topics)
    return offer
