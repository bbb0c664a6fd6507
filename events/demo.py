"""Demo events, relative to the day they are loaded: upcoming trainings and meetings, one the
members only, one by a member centre, one almost full, one cancelled, and past ones with their
material; and, for benchmarks, many generated events."""

import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from association.models import Topic
from association.sanitize import clean_html
from members.models import Municipality, Organisation

from .models import Event, EventDocument
from .selectors import events_changed

KIND, STATUS, AUDIENCE = Event.Kind, Event.Status, Event.Audience

# Demo places: (municipality code, venue, address, latitude, longitude).
VILNIUS = ("LT-57", "Association's training room", "Gedimino pr. 9", 54.6872, 25.2797)
KAUNAS = ("LT-15", "Kaunas Cultural Centre", "Vytauto pr. 79", 54.8972, 23.9209)
KLAIPEDA = ("LT-20", "Klaipėda Culture Factory", "Bangų g. 5A", 55.7071, 21.1385)
PANEVEZYS = ("LT-32", "Panevėžys Community Hall", "Laisvės a. 11", 55.7333, 24.3575)
ANYKSCIAI = ("LT-04", "Anykščiai Manor", "Vilniaus g. 36", 55.5250, 25.1030)

# slug, title, kind, days from today, start hour, hours, place or None (online), topic slugs,
# and any other fields.
EVENTS = [
    ("training-project-application", "Training: writing a successful project application",
     KIND.TRAINING, 10, 10, 5, VILNIUS, ["capacity-building", "culture-policy"],
     {"capacity": 25, "price_note": "Free for members, 20 € for others"}),
    ("volunteer-training-village-centres", "Volunteer training for village centres",
     KIND.TRAINING, 18, 11, 4, ANYKSCIAI, ["rural-communities", "capacity-building"],
     {"capacity": 30, "price_note": "Free"}),
    ("webinar-accessible-culture-events", "Webinar: accessible culture events", KIND.WEBINAR, 6,
     14, 1.5, None, ["capacity-building", "festivals"],
     {"online_url": "https://meet.example.org/accessible-culture-events", "price_note": "Free"}),
    ("regional-meeting-kaunas", "Regional meeting of Kaunas county centres", KIND.MEETING, 25, 13,
     3, KAUNAS, ["culture-policy"], {}),
    ("regional-meeting-klaipeda", "Regional meeting of Klaipėda county centres", KIND.MEETING,
     32, 13, 3, KLAIPEDA, ["culture-policy", "intangible-heritage"], {}),
    ("national-meeting-place", "National meeting place of culture centres",
     KIND.MEETING_PLACE, 60, 9, 32, PANEVEZYS,
     ["amateur-arts", "culture-policy", "international-cooperation"],
     {"capacity": 200, "online": True,
      "online_url": "https://meet.example.org/national-meeting-place",
      "price_note": "40 € (members 25 €), meals included"}),
    ("members-consultation-culture-strategy", "Members' consultation on the culture strategy",
     KIND.MEETING, 14, 15, 2, VILNIUS, ["culture-policy"], {"audience": AUDIENCE.MEMBERS}),
    ("open-rehearsal-day", "Open rehearsal day for amateur ensembles", KIND.OTHER, 21, 12, 6,
     "organiser", ["amateur-arts"], {"price_note": "Free"}),
    ("masterclass-folk-singing", "Masterclass: folk singing for choir leaders", KIND.TRAINING, 12,
     10, 6, VILNIUS, ["intangible-heritage", "amateur-arts"],
     {"capacity": 3, "price_note": "30 €"}),
    ("conference-heritage-small-towns", "Conference on cultural heritage in small towns",
     KIND.CONFERENCE, 40, 9, 8, KAUNAS, ["cultural-heritage"], {"status": STATUS.CANCELLED}),
    ("training-reporting-results", "Training: reporting on project results", KIND.TRAINING, -30,
     10, 4, VILNIUS, ["capacity-building"], {"capacity": 25, "documents": True}),
    ("regional-meeting-vilnius", "Regional meeting of Vilnius county centres", KIND.MEETING, -60,
     13, 3, VILNIUS, ["culture-policy"], {"documents": True}),
    ("members-webinar-data-protection", "Members' webinar: data protection for culture centres",
     KIND.WEBINAR, -90, 14, 1.5, None, ["digital-culture"],
     {"audience": AUDIENCE.MEMBERS, "online_url": "https://meet.example.org/data-protection",
      "documents": True}),
]  # fmt: skip

DESCRIPTION = (
    "<p>{title}: a day to learn from each other, with time for questions and for meeting "
    "colleagues from other centres.</p><ul><li>What works, with examples from members</li>"
    "<li>Common pitfalls and how to avoid them</li><li>Questions and answers</li></ul>"
)


def _starts(days, hour):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load_demo_events():
    """The demo events, each added once (by its slug). Returns how many were added."""
    existing = set(
        Event.objects.filter(slug__in=[spec[0] for spec in EVENTS]).values_list("slug", flat=True)
    )
    codes = {spec[6][0] for spec in EVENTS if isinstance(spec[6], tuple)}
    places = {
        place.code: place
        for place in Municipality.objects.filter(region__country="LT", code__in=codes)
    }
    topics = Topic.objects.in_bulk(field_name="slug")
    centre = Organisation.objects.filter(external_id="demo-1").select_related("municipality")
    centre = centre.first()
    added = 0
    for slug, title, kind, days, hour, hours, place, topic_slugs, extra in EVENTS:
        if slug in existing:
            continue
        extra = dict(extra)
        documents = extra.pop("documents", False)
        starts_at = _starts(days, hour)
        event = Event(
            slug=slug,
            title=title,
            kind=kind,
            status=extra.pop("status", STATUS.PUBLISHED),
            summary=f"{title}, for the people who run culture centres and their volunteers.",
            description=DESCRIPTION.format(title=title),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            language="en",
            **extra,
        )
        if place == "organiser":
            if centre is None:
                continue
            event.organiser = centre
            event.venue = centre.name
            event.address = centre.address
            event.municipality = centre.municipality
            event.latitude, event.longitude = centre.latitude, centre.longitude
        elif place is None:
            event.online = True
        else:
            code, event.venue, event.address, event.latitude, event.longitude = place
            event.municipality = places.get(code)
        event.save()
        event.topics.set([topics[slug] for slug in topic_slugs if slug in topics])
        if documents:
            _add_documents(event)
        added += 1
    return added


def _add_documents(event):
    EventDocument.objects.create(
        event=event, title="Slides", link="https://example.org/demo/slides.pdf", order=1
    )
    document = EventDocument(event=event, title="Notes of the day", order=2)
    text = f"{event.title}\n\nNotes of the day, shared with the participants.\n"
    document.file.save(f"{event.slug}-notes.txt", ContentFile(text.encode()), save=False)
    document.save()


def load_large_events(count, seed):
    """`count` deterministic published events over the generated directory of `seed`
    (seed_demo --organisations), for benchmarks: half of them upcoming, over the next year,
    and half past, with 1-2 topics each; a third organised by a generated centre. Returns how
    many were added."""
    prefix = f"bench{seed}-"
    existing = Event.objects.filter(slug__startswith=prefix).count()
    if existing >= count:
        return 0
    if existing:
        raise ValueError(
            f"{existing} events of seed {seed} are loaded, fewer than {count}: "
            "start from an empty database to load another size."
        )
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    centres = list(
        Organisation.objects.filter(external_id__startswith=prefix, depth=0).values_list(
            "id", "municipality_id"
        )
    )
    municipalities = list(Municipality.objects.values_list("id", "name", "latitude", "longitude"))
    topic_ids = list(Topic.objects.values_list("id", flat=True))
    kinds = list(KIND)
    description = clean_html(DESCRIPTION.format(title="A generated event"))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    events, chosen = [], []
    for number in range(1, count + 1):
        starts_at = now + timedelta(hours=rng.randint(-365 * 24, 365 * 24))
        kind = rng.choice(kinds)
        online = kind == KIND.WEBINAR
        place_id, place_name, latitude, longitude = rng.choice(municipalities)
        organiser = rng.choice(centres) if centres and rng.random() < 0.33 else None
        title = f"{kind.label} {number}: {place_name}"
        events.append(
            Event(
                slug=f"{prefix}{number}",
                title=title,
                kind=kind,
                status=STATUS.PUBLISHED,
                summary=f"{title}, for the people who run culture centres.",
                description=description,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=rng.choice([2, 3, 6, 30])),
                online=online,
                venue="" if online else f"Culture centre of {place_name}",
                municipality_id=None if online else place_id,
                latitude=None if online else latitude,
                longitude=None if online else longitude,
                organiser_id=organiser[0] if organiser else None,
                audience=AUDIENCE.MEMBERS if rng.random() < 0.15 else AUDIENCE.PUBLIC,
                capacity=rng.choice([None, 20, 50, 100]),
            )
        )
        chosen.append(rng.sample(topic_ids, k=min(len(topic_ids), rng.randint(1, 2))))
    Event.objects.bulk_create(events, batch_size=1000)
    through = Event.topics.through
    through.objects.bulk_create(
        [
            through(event_id=event.pk, topic_id=topic_id)
            for event, ids in zip(events, chosen, strict=True)
            for topic_id in ids
        ],
        batch_size=5000,
    )
    # Bulk inserts send no signals: the cached pages and lists are left behind here.
    transaction.on_commit(events_changed)
    return count
