"""The public advocacy pages through Django's test client: the advocacy front page and its
"8 of 11" seat counts; the list of positions with its search, filters and bad parameters; a
position's page (its consultation, co-signers, outcome, sanitised text, and never member input);
the councils and committees with their delegates; what an organisation's profile shows of
advocacy; what each page costs in queries; and the page cache."""

import html
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from advocacy.models import (
    Consultation,
    ConsultationDocument,
    Endorsement,
    Level,
    Position,
    Seat,
)
from advocacy.services import ADVOCACY_VERSION_KEY, advocacy_changed, position_move
from advocacy.views import PAGE_SIZE
from members.models import Role
from tests.factories import (
    make_body,
    make_consultation,
    make_endorsement,
    make_input,
    make_organisation,
    make_position,
    make_seat,
    make_secretariat_user,
    make_topic,
    make_type,
    make_user,
)
from tests.members.conftest import built_once
from tests.members.pages import chips, result_names, text, title, warnings

pytestmark = pytest.mark.django_db

ADVOCACY = "/en/advocacy/"
POSITIONS = "/en/advocacy/positions/"
DELEGATIONS = "/en/advocacy/delegations/"
INVALID_CHOICE = "Select a valid choice. {} is not one of the available choices."
LEFT_OUT = " That filter was left out."
# Every member input of the world carries this: it must never reach a public page.
INPUT_MARK = "Konfidenciali-įvestis-7Q"


# --- Reading the pages ------------------------------------------------------------------------


def result_count(response):
    """The count in the results heading, e.g. "5 positions" → 5."""
    heading = re.search(r'<h2 id="results-count"[^>]*>\s*([\d,]+) positions?\s*</h2>',
                        text(response))  # fmt: skip
    assert heading, "the page has no results heading"
    return int(heading.group(1).replace(",", ""))


def section(content, start, end):
    """The part of the page from `start` to the first `end` after it ("" without `start`)."""
    if start not in content:
        return ""
    rest = content[content.index(start) :]
    return rest[: rest.index(end)]


def index_positions(response):
    return result_names_in(section(text(response), 'id="latest-heading"', "</section>"))


def result_names_in(content):
    return [
        html.unescape(name)
        for name in re.findall(
            r'<li class="result-card">\s*<h3><a href="[^"]*">([^<]*)</a>', content
        )
    ]


def index_consultations(response):
    """[(title, link or None, consulting body, ISO deadline)] of the front page."""
    found = section(text(response), 'id="consultations-heading"', "</section>")
    return [
        (html.unescape(linked or plain).strip(), href or None, html.unescape(body), deadline)
        for href, linked, plain, body, deadline in re.findall(
            r'<li>(?:<a href="([^"]*)">([^<]*)</a>|([^<]*))\s*<br><span class="muted small">'
            r'([^<]*) · deadline <time datetime="([^"]*)">',
            found,
        )
    ]


def index_bodies(response):
    """{name: (held, total)} of the front page's councils and committees, in order."""
    found = section(text(response), 'id="delegations-heading"', "</section>")
    return {
        html.unescape(name): (int(held), int(total))
        for name, held, total in re.findall(
            r'<li><a href="/en/advocacy/delegations/#[^"]*">([^<]*)</a>\s*<br>'
            r'<span class="muted small">(\d+) of (\d+) seats</span>',
            found,
        )
    }


def seat_rows(table):
    """[(delegate, role, (organisation, link or None) or None, term)] of a seats table."""
    rows = []
    for delegate, role, nominated, term in re.findall(
        r'<tr>\s*<th scope="row">([^<]*)</th>\s*<td>([^<]*)</td>\s*<td>(.*?)</td>\s*'
        r"<td>([^<]*)</td>\s*</tr>",
        table,
        re.S,
    ):
        link = re.fullmatch(r'<a href="([^"]*)">([^<]*)</a>', nominated)
        organisation = (
            (html.unescape(link[2]), link[1])
            if link
            else None
            if nominated == "–"
            else (html.unescape(nominated), None)
        )
        rows.append((html.unescape(delegate), role, organisation, html.unescape(term)))
    return rows


def delegations(response):
    """{body slug: {held, total, current, past, hidden}} of the delegations page."""
    bodies = {}
    for slug, content in re.findall(
        r'<section class="card" id="([^"]*)"[^>]*>(.*?)</section>', text(response), re.S
    ):
        held = re.search(r"<strong>(\d+) of (\d+) seats</strong>", content)
        hidden = re.search(r"(\d+) delegates? (?:is|are) not listed by name", content)
        tables = dict(
            re.findall(r"<caption>([^<]*)</caption>(.*?)</table>", content, re.S)
        )  # fmt: skip
        bodies[slug] = {
            "held": (int(held[1]), int(held[2])),
            "current": seat_rows(tables.get("Current delegates", "")),
            "past": seat_rows(tables["Past terms"]) if "Past terms" in tables else None,
            "hidden": int(hidden[1]) if hidden else 0,
        }
    return bodies


def cosigners(response):
    """[(name, link or None)] of the co-signers on a position's page, in order."""
    found = section(text(response), '<h2 id="cosigners">', "</div>")
    found = section(found, '<ul class="link-columns">', "</ul>")
    return [
        (html.unescape(name), href or None)
        for href, name in re.findall(r'<li>(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?</li>', found)
    ]


def cosigners_by_type(response):
    """(total, {"2 art collectives", ...}) of the line above the co-signers."""
    found = section(text(response), '<h2 id="cosigners">', "</div>")
    line = re.search(r"<p>(\d+) member organisations?:\s*(.*?)</p>", found, re.S)
    if not line:
        return 0, set()
    return int(line[1]), {part.strip() for part in line[2].split(",")}


def outcome_box(response):
    return section(text(response), 'id="outcome-heading"', "</div>")


def consultation_box(response):
    return section(text(response), 'id="consultation-heading"', "</div>")


def profile_advocacy(response):
    """([position titles], [(delegate, role, body)]) of an organisation's profile."""
    content = text(response)
    positions = section(content, "<h2>Positions co-signed</h2>", "</ul>")
    seats = section(content, "<h2>Seats its people hold</h2>", "</ul>")
    return (
        [html.unescape(name) for name in re.findall(r'<li><a href="[^"]*">([^<]*)</a>', positions)],
        [
            (html.unescape(delegate), role, html.unescape(body))
            for delegate, role, body in re.findall(
                r"<li>([^<]*), ([^<:]*): <a href=\"[^\"]*\">([^<]*)</a></li>", seats
            )
        ],
    )


def shown_date(value):
    """A date as the English pages show it ("Oct. 1, 2024")."""
    with translation.override("en"):
        return formats.date_format(value, "DATE_FORMAT")


def select_options(response, name):
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text(response), re.S)
    return [value for value in re.findall(r'<option value="([^"]*)"', found[1]) if value]


# --- The rules the pages follow, as the tests understand them ----------------------------------


def newest_first(positions):
    """The list's order: published newest first; the later made first when published at once."""
    return [p.title for p in sorted(positions, key=lambda p: (p.published_at, p.pk), reverse=True)]


def covers(seat, today):
    return seat.term_start <= today and (seat.term_end is None or seat.term_end >= today)


def holds_a_seat(seat, today):
    """A seat counts in "N of M" when its role holds one and its term covers today."""
    return covers(seat, today) and seat.role in {"chair", "vice-chair", "member"}


def active_signers(position):
    return [e.organisation for e in position.endorsements.all() if e.withdrawn_at is None]


# --- The world every test of a class reads ----------------------------------------------------


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=UTC)


def build_world():
    """Two organisation types and four organisations (one unpublished); two topics; consultations
    due before, on and after today, and without a deadline; eight published positions of every
    kind, level, outcome and year, two of them published at the same moment; four positions in
    the earlier steps of the workflow; member input, active and withdrawn co-signatures; a
    council with seats of every role and term, a working group with only a substitute, and a
    council with no seat at all."""
    w = SimpleNamespace()
    w.today = today = timezone.localdate()
    now = timezone.now()
    w.centre = make_type(slug="centre", name="Culture centre")
    w.collective = make_type(slug="collective", name="Art collective")
    w.kedainiai = make_organisation(
        name="Kėdainių kultūros centras", slug="kedainiu-kulturos-centras", type=w.centre
    )
    w.zalgiris = make_organisation(
        name="Žalgirio ansamblis", slug="zalgirio-ansamblis", type=w.centre
    )
    w.aidas = make_organisation(name="Choras „Aidas“", slug="choras-aidas", type=w.collective)
    w.hidden = make_organisation(
        name="Slaptas klubas", slug="slaptas-klubas", type=w.collective, published=False
    )
    w.heritage = make_topic(name="Living heritage", slug="heritage")
    w.youth = make_topic(name="Youth", slug="youth")

    w.law = make_consultation(
        title="Kultūros įstatymo pakeitimai", slug="kulturos-istatymas",
        consulting_body="Seimo Švietimo ir kultūros komitetas", reference="XIVP-1234",
        url="https://e-seimas.example.org/XIVP-1234", opens_on=today - timedelta(days=20),
        deadline=today + timedelta(days=10), topics=[w.heritage],
    )  # fmt: skip
    ConsultationDocument.objects.create(
        consultation=w.law, title="Draft law", url="https://e-seimas.example.org/draft.pdf"
    )
    ConsultationDocument.objects.create(
        consultation=w.law, title="Explanatory note", file="advocacy/consultations/note.pdf"
    )
    w.europe = make_consultation(
        title="Creative Europe after 2027", consulting_body="European Commission",
        level=Level.EU, opens_on=today - timedelta(days=40), deadline=today + timedelta(days=3),
    )  # fmt: skip
    w.due_today = make_consultation(
        title="Vietos kultūros strategija", consulting_body="Kauno miesto savivaldybė",
        level=Level.LOCAL, opens_on=today - timedelta(days=5), deadline=today,
    )  # fmt: skip
    w.closed = make_consultation(
        title="Consultation closed yesterday", opens_on=today - timedelta(days=30),
        deadline=today - timedelta(days=1),
    )  # fmt: skip
    w.undated = make_consultation(title="Consultation without a deadline", deadline=None)
    w.later = [
        make_consultation(title=f"Later consultation {n}", deadline=today + timedelta(days=20 + n))
        for n in range(5)
    ]
    w.consultations = [w.law, w.europe, w.due_today, w.closed, w.undated, *w.later]

    w.funding = make_position(
        status="published", kind="response", title="Kultūros centrų finansavimas 2025–2027",
        slug="kulturos-centru-finansavimas", consultation=w.law, level=Level.NATIONAL,
        topics=[w.heritage], published_at=at(2024, 5, 10), submitted_on=date(2024, 4, 30),
        outcome="partly", outcome_note="Two of our five proposals were adopted.\nThe rest wait.",
        outcome_date=date(2024, 10, 1), pdf="advocacy/positions/finansavimas.pdf",
        summary="What culture centres need from the state budget.",
        body=(
            '<p>Culture centres need <strong>stable</strong> funding. <a href="https://lrs.'
            'example.org/">The Seimas</a></p><script>alert("script")</script>'
            '<img src="x" onerror="alert(\'onerror\')"><a href="javascript:alert(\'js\')">'
            'Click</a><p onclick="alert(\'onclick\')">Signed.</p>'
        ),
    )  # fmt: skip
    w.creative = make_position(
        status="published", kind="response", title="Creative Europe must fund amateur arts",
        slug="creative-europe", consultation=w.europe, level=Level.EU, topics=[w.youth],
        published_at=at(2025, 2, 1), submitted_on=date(2025, 1, 20), outcome="adopted",
        signing_closed=True, summary="Amateur arts belong in the programme.",
    )  # fmt: skip
    # A statement is not submitted anywhere: no outcome box; no summary either.
    w.vat = make_position(
        status="published", kind="statement", title="Statement on VAT for concert tickets",
        slug="vat-statement", level=Level.NATIONAL, topics=[w.heritage, w.youth],
        published_at=at(2025, 6, 1), submitted_on=None,
        body="<p>Concert tickets should carry the <em>lower</em> rate of VAT, as books do.</p>",
    )  # fmt: skip
    w.letter = make_position(
        status="published", kind="letter", title="Open letter to municipalities",
        slug="open-letter", level=Level.LOCAL, published_at=at(2023, 11, 20),
        submitted_on=date(2023, 11, 15), outcome="not-adopted", signing_closed=True,
    )  # fmt: skip
    w.schools = make_position(
        status="published", kind="paper", title="Gyvoji tradicija mokyklose",
        slug="gyvoji-tradicija", level=Level.REGIONAL, topics=[w.heritage],
        published_at=at(2024, 9, 15, 12), submitted_on=date(2024, 9, 10),
        summary="Why schools need living heritage.",
        body="<p>Žemaitijos mokyklos moko tarmės.</p>",
    )  # fmt: skip
    # Published at the same moment as "schools", made later: it comes first.
    w.volunteers = make_position(
        status="published", kind="paper", title="Mėgėjų menas ir savanorystė",
        slug="megeju-menas", level=Level.NATIONAL, published_at=at(2024, 9, 15, 12),
        submitted_on=date(2024, 9, 10), topics=[w.youth],
    )  # fmt: skip
    w.proposal = make_position(
        status="published", kind="proposal", title="Proposal for a law on amateur arts",
        slug="amateur-arts-law", level=Level.NATIONAL, published_at=at(2022, 3, 1),
        submitted_on=date(2022, 2, 20),
    )  # fmt: skip
    w.libraries = make_position(
        status="published", kind="statement", title="Statement on rural libraries",
        slug="rural-libraries", level=Level.REGIONAL, published_at=at(2021, 6, 1),
        submitted_on=None,
    )  # fmt: skip
    w.published = [
        w.funding, w.creative, w.vat, w.letter, w.schools, w.volunteers, w.proposal, w.libraries
    ]  # fmt: skip

    # Earlier steps: every one has "Kultūros" in its title, and none may be found or shown.
    w.draft = make_position(
        status="draft", title="Kultūros juodraštis", slug="juodrastis", topics=[w.heritage],
        consultation=w.law,
    )  # fmt: skip
    w.open_for_input = make_position(
        status="input", title="Kultūros paslaugų reforma", slug="paslaugu-reforma",
        input_visible_to_members=True,
    )  # fmt: skip
    w.drafting = make_position(status="drafting", title="Kultūros rėmimo fondas", slug="fondas")
    w.submitted = make_position(
        status="submitted", title="Kultūros paso ateitis", slug="kulturos-pasas",
        consultation=w.europe,
    )  # fmt: skip
    w.unpublished = [w.draft, w.open_for_input, w.drafting, w.submitted]

    # Member input stays where the input was given, also once the position is published.
    for position, organisation in [
        (w.funding, w.kedainiai),
        (w.funding, w.zalgiris),
        (w.open_for_input, w.aidas),
        (w.submitted, w.kedainiai),
    ]:
        make_input(
            position=position,
            organisation=organisation,
            text=f"{INPUT_MARK}: {organisation.name} lost 12 % of its budget.",
        )

    # Co-signatures: three active and one withdrawn on "funding"; Žalgiris withdrew from
    # "creative" and signed again; a withdrawn one alone on the letter; and one on a position
    # that is not published (only the database allows it).
    for organisation in (w.kedainiai, w.aidas, w.hidden):
        make_endorsement(position=w.funding, organisation=organisation)
    make_endorsement(position=w.funding, organisation=w.zalgiris, withdrawn_at=now)
    make_endorsement(position=w.creative, organisation=w.zalgiris, withdrawn_at=now)
    make_endorsement(position=w.creative, organisation=w.zalgiris)
    make_endorsement(position=w.creative, organisation=w.kedainiai)
    make_endorsement(position=w.letter, organisation=w.zalgiris, withdrawn_at=now)
    make_endorsement(position=w.submitted, organisation=w.aidas)

    # "8 of 11": a chair, a vice-chair and six members hold seats now (one whose term ends
    # today, one whose term starts today, one not public); a substitute, an observer, two past
    # terms, a term that ended yesterday and one that starts next month do not.
    day = timedelta(days=1)
    # Made in another order than they are shown in.
    w.empty = make_body(name="Samogitian council", slug="samogitia", total_seats=5, order=3)
    w.council = make_body(
        name="Lietuvos kultūros taryba", slug="kulturos-taryba", total_seats=11, order=1,
        url="https://ltkt.example.org/",
    )  # fmt: skip
    w.group = make_body(
        name="Working group on heritage", slug="heritage-group", total_seats=3, order=2,
        parent_institution="", level=Level.REGIONAL,
    )  # fmt: skip
    w.bodies = [w.council, w.group, w.empty]
    s = w.seats = SimpleNamespace()
    council = {"body": w.council}
    s.chair = make_seat(**council, delegate="Rasa Kazlauskienė", role="chair",
                        organisation=w.kedainiai)  # fmt: skip
    s.vice = make_seat(**council, delegate="Jonas Jonaitis", role="vice-chair",
                       organisation=w.zalgiris)  # fmt: skip
    s.by_hidden = make_seat(**council, delegate="Ona Onaitė", organisation=w.hidden)
    s.no_organisation = make_seat(**council, delegate="Petras Petraitis")
    s.ends_today = make_seat(**council, delegate="Aldona Aldonienė", organisation=w.aidas,
                             term_start=today - 400 * day, term_end=today)  # fmt: skip
    s.starts_today = make_seat(**council, delegate="Marius Mariūnas", term_start=today)
    s.not_public = make_seat(**council, delegate="Neviešas Delegatas", public=False,
                             organisation=w.kedainiai)  # fmt: skip
    s.member = make_seat(**council, delegate="Antanas Antanaitis", term_end=today + 300 * day)
    s.substitute = make_seat(**council, delegate="Sigita Pavaduotoja", role="substitute",
                             organisation=w.kedainiai)  # fmt: skip
    s.observer = make_seat(**council, delegate="Oskaras Stebėtojas", role="observer")
    s.past = make_seat(**council, delegate="Praeitis Buvęs", organisation=w.zalgiris,
                       term_start=date(2019, 1, 1), term_end=date(2022, 12, 31))  # fmt: skip
    s.past_not_public = make_seat(**council, delegate="Slaptas Buvęs", public=False,
                                  term_start=date(2018, 1, 1),
                                  term_end=date(2020, 12, 31))  # fmt: skip
    s.ended_yesterday = make_seat(**council, delegate="Vakar Baigęs", role="chair",
                                  organisation=w.kedainiai, term_start=today - 700 * day,
                                  term_end=today - day)  # fmt: skip
    s.future = make_seat(**council, delegate="Būsimas Narys", organisation=w.kedainiai,
                         term_start=today + 30 * day)  # fmt: skip
    s.group_substitute = make_seat(body=w.group, delegate="Gintarė Pavaduotoja",
                                   role="substitute", organisation=w.aidas)  # fmt: skip
    w.all_seats = list(vars(s).values())
    return w


@pytest.fixture(scope="class")
def class_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build=build_world) as built:
        yield built


@pytest.fixture
def w(class_world, db):
    return class_world


def visible_client():
    return Client(raise_request_exception=False)


# --- The front page ---------------------------------------------------------------------------


class TestIndex:
    def test_the_six_latest_published_positions(self, w, client):
        response = client.get(ADVOCACY)
        assert response.status_code == 200
        expected = newest_first(w.published)[:6]
        assert index_positions(response) == expected
        assert len(w.published) > 6, "the world must have more than the page shows"
        content = text(response)
        for position in w.unpublished:
            assert position.title not in content

    def test_consultations_due_today_or_later_soonest_first(self, w, client):
        today = w.today
        due = sorted(
            (c for c in w.consultations if c.deadline and c.deadline >= today),
            key=lambda c: (c.deadline, c.pk),
        )
        assert len(due) > 6
        assert index_consultations(client.get(ADVOCACY)) == [
            (c.title, c.url or None, c.consulting_body, c.deadline.isoformat()) for c in due[:6]
        ]
        # The one due today is there; yesterday's and the undated one are not.
        shown = [title for title, *_rest in index_consultations(client.get(ADVOCACY))]
        assert shown[0] == w.due_today.title
        assert w.closed.title not in shown and w.undated.title not in shown

    def test_each_body_with_the_seats_held_now(self, w, client):
        bodies = index_bodies(client.get(ADVOCACY))
        assert bodies == {
            body.name: (
                sum(holds_a_seat(seat, w.today) for seat in w.all_seats if seat.body == body),
                body.total_seats,
            )
            for body in w.bodies
        }
        assert list(bodies) == [body.name for body in w.bodies]  # in their order
        # What the rules above give for this world.
        assert bodies[w.council.name] == (8, 11)
        assert bodies[w.group.name] == (0, 3)
        assert bodies[w.empty.name] == (0, 5)

    @pytest.mark.parametrize(
        ("change", "difference"),
        [
            ({"role": "substitute"}, 0),
            ({"role": "observer"}, 0),
            ({"role": "member"}, 1),
            ({"role": "chair", "public": False}, 1),
            ({"role": "vice-chair", "term_end": "yesterday"}, 0),
            ({"role": "member", "term_start": "tomorrow"}, 0),
            ({"role": "member", "term_end": "today"}, 1),
        ],
    )
    def test_which_new_seat_counts(self, w, client, change, difference):
        before = index_bodies(client.get(ADVOCACY))[w.council.name][0]
        days = {"yesterday": -1, "today": 0, "tomorrow": 1}
        values = {
            key: w.today + timedelta(days=days[value]) if key.startswith("term_") else value
            for key, value in change.items()
        }
        make_seat(body=w.council, **values)
        advocacy_changed()
        assert index_bodies(client.get(ADVOCACY))[w.council.name] == (
            before + difference,
            w.council.total_seats,
        )

    def test_member_input_is_not_shown(self, w, client):
        assert INPUT_MARK not in text(client.get(ADVOCACY))

    def test_the_page_links_to_the_list_the_delegations_and_the_feed(self, w, client):
        content = text(client.get(ADVOCACY))
        assert content.count("<h1>") == 1
        assert f'href="{POSITIONS}"' in content
        assert f'href="{DELEGATIONS}"' in content
        assert (
            f'<link rel="alternate" type="application/atom+xml" title="Positions" '
            f'href="{POSITIONS}feed/">'
        ) in content


class TestNothingYet:
    def test_an_empty_advocacy_section(self, client):
        content = text(client.get(ADVOCACY))
        assert "No position has been published yet." in content
        assert "No consultation we follow has a deadline ahead." in content
        assert "No delegation is listed yet." in content

    def test_no_position(self, client):
        response = client.get(POSITIONS)
        assert result_count(response) == 0
        assert "No position matches." in text(response)
        assert select_options(response, "year") == []

    def test_no_delegation(self, client):
        assert "No delegation is listed yet." in text(client.get(DELEGATIONS))


# --- The list of positions --------------------------------------------------------------------


# Each filter alone: the query string, and which published positions it keeps.
FILTERS = {
    "kind": ({"kind": "response"}, lambda w, p: p.kind == "response"),
    "kind statement": ({"kind": "statement"}, lambda w, p: p.kind == "statement"),
    "topic": ({"topic": "heritage"}, lambda w, p: w.heritage in p.topics.all()),
    "topic youth": ({"topic": "youth"}, lambda w, p: w.youth in p.topics.all()),
    "level": ({"level": "eu"}, lambda w, p: p.level == "eu"),
    "level national": ({"level": "national"}, lambda w, p: p.level == "national"),
    "year": ({"year": "2024"}, lambda w, p: p.published_at.year == 2024),
    "year 2025": ({"year": "2025"}, lambda w, p: p.published_at.year == 2025),
    "co-signing open": ({"status": "signing"}, lambda w, p: not p.signing_closed),
    "co-signing closed": ({"status": "closed"}, lambda w, p: p.signing_closed),
    "outcome": ({"outcome": "adopted"}, lambda w, p: p.outcome == "adopted"),
    "outcome pending": ({"outcome": "pending"}, lambda w, p: p.outcome == "pending"),
}  # fmt: skip

COMBINED = {
    "kind and year": ({"kind": "response", "year": "2024"}, lambda w: [w.funding]),
    "topic and level": ({"topic": "youth", "level": "national"}, lambda w: [w.vat, w.volunteers]),
    "search and topic": ({"q": "kulturos", "topic": "heritage"}, lambda w: [w.funding]),
    "co-signing and outcome": ({"status": "closed", "outcome": "not-adopted"},
                               lambda w: [w.letter]),
    "search, kind and level": ({"q": "amateur", "kind": "response", "level": "eu"},
                               lambda w: [w.creative]),
    "nothing in common": ({"kind": "letter", "level": "eu", "year": "2025"}, lambda w: []),
}  # fmt: skip

SEARCHES = {
    # a title word typed without its diacritics; the draft, the position open for input and the
    # others not yet published have it in their titles too, and are not found
    "title without diacritics": ("kulturos", lambda w: [w.funding]),
    "title typed in capitals with diacritics": ("KULTŪROS", lambda w: [w.funding]),
    "prefix": ("gyv", lambda w: [w.schools]),
    "two prefixes": ("creat amat", lambda w: [w.creative]),
    "the consultation's title": ("istatymo pakeit", lambda w: [w.funding]),
    "the consulting body": ("seimo", lambda w: [w.funding]),
    "the consulting body, two words": ("european commission", lambda w: [w.creative]),
    "summary": ("schools", lambda w: [w.schools]),
    "text": ("zemaitijos", lambda w: [w.schools]),
    "a word in several": ("amateur", lambda w: [w.creative, w.proposal]),
    # member input is not searched
    "member input": (INPUT_MARK, lambda w: []),
    "a draft's title only": ("juodrastis", lambda w: []),
    "nothing": ("xyzzy", lambda w: []),
}  # fmt: skip


class TestList:
    def test_only_published_positions_newest_first(self, w, client):
        response = client.get(POSITIONS)
        assert response.status_code == 200
        expected = newest_first(w.published)
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        content = text(response)
        for position in w.unpublished:
            assert position.title not in content
        # Published at the same moment: the one made later comes first.
        assert expected.index(w.volunteers.title) + 1 == expected.index(w.schools.title)

    @pytest.mark.parametrize("name", FILTERS)
    def test_each_filter_narrows_to_exactly_its_positions(self, w, client, name):
        params, keeps = FILTERS[name]
        expected = newest_first(p for p in w.published if keeps(w, p))
        response = client.get(POSITIONS, params)
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        assert 0 < len(expected) < len(w.published), "the filter must keep some, not all"

    @pytest.mark.parametrize("name", COMBINED)
    def test_filters_combine(self, w, client, name):
        params, expected = COMBINED[name]
        expected = newest_first(expected(w))
        response = client.get(POSITIONS, params)
        assert warnings(response) == []
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        if not expected:
            assert "No position matches." in text(response)

    @pytest.mark.parametrize("name", SEARCHES)
    def test_search(self, w, client, name):
        query, expected = SEARCHES[name]
        response = client.get(POSITIONS, {"q": query})
        assert warnings(response) == []
        assert result_names(response) == newest_first(expected(w))

    def test_the_year_choices_are_the_years_with_published_positions(self, w, client):
        years = sorted({p.published_at.year for p in w.published}, reverse=True)
        assert select_options(client.get(POSITIONS), "year") == [str(year) for year in years]
        assert select_options(client.get(POSITIONS), "topic") == ["heritage", "youth"]

    def test_a_renamed_position_is_found_by_its_new_name(self, w, client):
        position = Position.objects.get(pk=w.schools.pk)
        position.title = "Ąžuolų giraitė mokykloje"
        position.save()
        assert result_names(client.get(POSITIONS, {"q": "azuolu"})) == [position.title]
        assert result_names(client.get(POSITIONS, {"q": "gyvoji"})) == []

    def test_a_renamed_consultation_is_found_by_its_new_name(
        self, w, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            consultation = Consultation.objects.get(pk=w.europe.pk)
            consultation.title = "Kūrybiška Europa po 2027 metų"
            consultation.consulting_body = "Europos Komisija"
            consultation.save()
        assert result_names(client.get(POSITIONS, {"q": "kurybiska"})) == [w.creative.title]
        assert result_names(client.get(POSITIONS, {"q": "europos komisija"})) == [w.creative.title]
        assert result_names(client.get(POSITIONS, {"q": "european commission"})) == []

    def test_each_active_filter_has_a_chip(self, w, client):
        response = client.get(POSITIONS, {"q": "kultur", "kind": "response", "topic": "heritage"})
        assert chips(response) == {
            "Search": ("“kultur”", f"{POSITIONS}?kind=response&topic=heritage"),
            "Kind": ("Consultation response", f"{POSITIONS}?q=kultur&topic=heritage"),
            "Topic": ("Living heritage", f"{POSITIONS}?q=kultur&kind=response"),
        }

    def test_a_card_shows_kind_level_date_outcome_and_consultation(self, w, client):
        content = text(client.get(POSITIONS, {"q": "kulturos"}))
        card = section(content, '<li class="result-card">', "</li>")
        assert '<span class="badge">Consultation response</span>' in card
        assert "<span>National</span>" in card
        assert '<time datetime="2024-05-10T09:00:00+00:00">May 10, 2024</time>' in card
        assert '<span class="badge outcome-partly">Partly adopted</span>' in card
        assert f"In answer to {w.law.consulting_body}" in card
        # A statement never submitted shows no outcome.
        card = section(text(client.get(POSITIONS, {"q": "vat"})), '<li class="result-card">',
                       "</li>")  # fmt: skip
        assert "outcome-" not in card

    def test_member_input_is_not_shown(self, w, client):
        assert INPUT_MARK not in text(client.get(POSITIONS))
        assert INPUT_MARK not in text(client.get(POSITIONS, {"q": "lost budget"}))

    def test_an_htmx_request_gets_only_the_results(self, w, client):
        response = client.get(POSITIONS, {"kind": "response"}, headers={"HX-Request": "true"})
        content = text(response)
        assert content.lstrip().startswith("<title>Positions · ")
        assert '<section id="results"' in content
        assert "<html" not in content and "<h1>" not in content
        assert result_names(response) == newest_first(
            p for p in w.published if p.kind == "response"
        )
        assert "HX-Request" in response["Vary"]

    def test_a_history_restore_gets_the_whole_page(self, w, client):
        response = client.get(
            POSITIONS, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
        )
        assert "<h1>Positions</h1>" in text(response)


class TestYearInThePortalsTimeZone:
    def test_the_year_is_that_of_the_portals_time_zone(self, client, settings):
        settings.TIME_ZONE = "Europe/Vilnius"
        # 23:30 on New Year's Eve in UTC is 01:30 on New Year's Day in Vilnius.
        position = make_position(status="published", published_at=at(2023, 12, 31, 23))
        Position.objects.filter(pk=position.pk).update(
            published_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC)
        )
        assert select_options(client.get(POSITIONS), "year") == ["2024"]
        assert result_names(client.get(POSITIONS, {"year": "2024"})) == [position.title]


class TestPagination:
    @pytest.fixture
    def many(self, db):
        start = at(2020, 1, 1)
        return [
            make_position(
                status="published", title=f"Pozicija {n:02d}", published_at=start + timedelta(n)
            )
            for n in range(PAGE_SIZE + 3)
        ]

    def test_20_a_page_and_the_count_of_all(self, client, many):
        everything = newest_first(many)
        first, second = (client.get(POSITIONS, {"page": n}) for n in (1, 2))
        assert result_names(first) == everything[:PAGE_SIZE]
        assert result_names(second) == everything[PAGE_SIZE:]
        assert result_count(first) == result_count(second) == len(many)
        assert "Page 2 of 2" in text(second)
        assert title(second).startswith("Positions, page 2 ·")

    @pytest.mark.parametrize(
        ("page", "shown"),
        [("-1", 2), ("0", 2), ("zzz", 1), ("999999", 2), ("2.5", 1), ("", 1), ("1\x00", 1),
         ("🎻", 1), ("1' OR '1'='1", 1), ("9" * 5000, 1)],
    )  # fmt: skip
    def test_a_bad_page_number_shows_a_real_page(self, client, many, page, shown):
        everything = newest_first(many)
        response = visible_client().get(POSITIONS, {"page": page})
        assert response.status_code == 200
        start = (shown - 1) * PAGE_SIZE
        assert result_names(response) == everything[start : start + PAGE_SIZE]

    def test_page_links_keep_the_filters(self, client, many):
        response = client.get(POSITIONS, {"kind": "paper"})
        assert 'href="?kind=paper&amp;page=2" rel="next"' in text(response)


# Parameters a visitor (or a robot) may send: (query, the warnings shown). The page then lists
# every published position, as if the bad parameter had not been sent.
BAD_PARAMETERS = {
    "unknown kind": ({"kind": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown topic": ({"topic": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown level": ({"level": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown status": ({"status": "nope"}, [INVALID_CHOICE.format("nope")]),
    "a workflow status": ({"status": "draft"}, [INVALID_CHOICE.format("draft")]),
    "unknown outcome": ({"outcome": "nope"}, [INVALID_CHOICE.format("nope")]),
    "year abc": ({"year": "abc"}, [INVALID_CHOICE.format("abc")]),
    "year without positions": ({"year": "1999"}, [INVALID_CHOICE.format("1999")]),
    "year out of range": ({"year": "99999999999999999999"},
                          [INVALID_CHOICE.format("99999999999999999999")]),
    "negative year": ({"year": "-2024"}, [INVALID_CHOICE.format("-2024")]),
    "page -1": ({"page": "-1"}, []),
    "page zzz": ({"page": "zzz"}, []),
    "page 999999": ({"page": "999999"}, []),
    "nul byte in a value": ({"level": "no\x00pe"}, [INVALID_CHOICE.format("nope")]),
    "nul byte alone": ({"kind": "\x00", "q": "\x00", "year": "\x00", "page": "\x00"}, []),
    "sql in the kind": ({"kind": "' OR 1=1 --"}, [INVALID_CHOICE.format("' OR 1=1 --")]),
    "sql in the year": ({"year": "2024 OR 1=1"}, [INVALID_CHOICE.format("2024 OR 1=1")]),
    "sql in the topic": ({"topic": "x' OR '1'='1"}, [INVALID_CHOICE.format("x' OR '1'='1")]),
    "emoji in the topic": ({"topic": "🎻"}, [INVALID_CHOICE.format("🎻")]),
    "emoji in the outcome": ({"outcome": "🎻"}, [INVALID_CHOICE.format("🎻")]),
    "5,000 characters in the level": ({"level": "l" * 5000}, [INVALID_CHOICE.format("l" * 5000)]),
    "5,000 characters in the year": ({"year": "2" * 5000}, [INVALID_CHOICE.format("2" * 5000)]),
    "html in the kind": ({"kind": "<script>x</script>"},
                         [INVALID_CHOICE.format("<script>x</script>")]),
    "empty values": ({"q": "", "kind": "", "topic": "", "level": "", "year": "", "status": "",
                      "outcome": "", "page": ""}, []),
    "repeated bad values": ({"kind": ["x", "y"]}, [INVALID_CHOICE.format("y")]),
    "unknown parameter": ({"colour": "red", "sort": "evil"}, []),
    "everything bad at once": (
        {"kind": "a", "topic": "b", "level": "c", "year": "d", "status": "e", "outcome": "f"},
        [INVALID_CHOICE.format(v) for v in "abcdef"],
    ),
}  # fmt: skip


class TestBadParameters:
    @pytest.mark.parametrize("name", BAD_PARAMETERS)
    def test_bad_parameters_are_left_out_with_a_message(self, w, name):
        params, expected_warnings = BAD_PARAMETERS[name]
        response = visible_client().get(POSITIONS, params)
        assert response.status_code == 200
        content = text(response)
        assert "<h1>Positions</h1>" in content
        assert "\x00" not in content
        assert "<script>x</script>" not in content
        assert warnings(response) == [message + LEFT_OUT for message in expected_warnings]
        assert result_names(response) == newest_first(w.published)
        assert chips(response) == {}

    @pytest.mark.parametrize("name", BAD_PARAMETERS)
    def test_bad_parameters_in_an_htmx_request(self, w, name):
        params, expected_warnings = BAD_PARAMETERS[name]
        response = visible_client().get(POSITIONS, params, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert warnings(response) == [message + LEFT_OUT for message in expected_warnings]
        assert result_names(response) == newest_first(w.published)

    def test_nul_bytes_in_the_address_itself(self, w):
        response = visible_client().get(f"{POSITIONS}?q=%00&kind=resp%00onse&year=%00&page=%00")
        assert response.status_code == 200
        assert warnings(response) == []
        # The control character is dropped: what is left is a good kind.
        assert result_names(response) == newest_first(
            p for p in w.published if p.kind == "response"
        )

    def test_a_bad_filter_beside_a_good_one_leaves_only_the_bad_one_out(self, w):
        response = visible_client().get(
            POSITIONS, {"kind": "nope", "level": "national", "page": "zzz"}
        )
        assert result_names(response) == newest_first(
            p for p in w.published if p.level == "national"
        )
        assert warnings(response) == [INVALID_CHOICE.format("nope") + LEFT_OUT]
        assert list(chips(response)) == ["Level"]

    def test_a_repeated_parameter_counts_once(self, w):
        # Like any form, the filters read a parameter's last value.
        response = visible_client().get(
            POSITIONS, {"kind": ["nope", "response"], "q": ["x", "creative"], "page": ["2", "1"]}
        )
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == [w.creative.title]

    def test_a_5000_character_search_is_cut_short(self, w):
        response = visible_client().get(POSITIONS, {"q": "k" * 5000})
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == []
        # The chip shows the beginning of it, not all 5,000 characters.
        assert len(chips(response)["Search"][0]) <= 62

    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ('"kulturos"', ["funding"]),
            ("🎻 kulturos", ["funding"]),
            ("kulturos)) OR ((1", []),
            ("' OR 1=1 --", []),
            ("kulturos'; DROP TABLE advocacy_position; --", []),
            ("&|!:*()<>", None),  # no words: no search
            ("🎻", None),
            ("\x00\x01\x1f", None),
            ("%", None),
        ],
    )
    def test_hostile_searches_answer_a_page_of_results(self, w, query, found):
        response = visible_client().get(POSITIONS, {"q": query})
        assert response.status_code == 200
        assert warnings(response) == []
        expected = (
            newest_first(w.published) if found is None else [getattr(w, n).title for n in found]
        )
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        assert Position.objects.count() == len(w.published) + len(w.unpublished)


# --- A position's page ------------------------------------------------------------------------


def position_url(position, language="en"):
    return f"/{language}/advocacy/positions/{position.slug}/"


class TestPositionPage:
    @pytest.mark.parametrize("name", ["draft", "open_for_input", "drafting", "submitted"])
    def test_a_position_not_yet_published_answers_404(self, w, client, name):
        assert client.get(position_url(getattr(w, name))).status_code == 404

    def test_an_unknown_position_answers_404(self, w, client):
        assert client.get(f"{POSITIONS}no-such-position/").status_code == 404
        assert visible_client().get(f"{POSITIONS}%00/").status_code == 404

    def test_the_secretariat_does_not_see_a_draft_here_either(self, w, client):
        client.force_login(make_secretariat_user())
        assert client.get(position_url(w.draft)).status_code == 404

    def test_the_header(self, w, client):
        content = text(client.get(position_url(w.funding)))
        assert content.count("<h1>") == 1
        assert f"<h1>{w.funding.title}</h1>" in content
        assert '<span class="eyebrow">Consultation response</span>' in content
        assert f"<span>Published {shown_date(w.funding.published_at)}</span>" in content
        assert f'<p class="lead">{w.funding.summary}</p>' in content
        assert f'<a class="badge" href="{POSITIONS}?topic=heritage">Living heritage</a>' in content
        assert title(client.get(position_url(w.funding))).startswith(w.funding.title)

    def test_the_consultation_box(self, w, client):
        box = consultation_box(client.get(position_url(w.funding)))
        assert f'<dd><a href="{w.law.url}">{w.law.title}</a></dd>' in box
        assert f"<dd>{w.law.consulting_body}</dd>" in box
        assert f"<dd>{w.law.reference}</dd>" in box
        assert f"<dd>{shown_date(w.law.deadline)}</dd>" in box
        assert '<dd><a href="https://e-seimas.example.org/draft.pdf">Draft law</a></dd>' in box
        assert (
            '<dd><a href="/media/advocacy/consultations/note.pdf">Explanatory note</a></dd>' in box
        )

    def test_no_consultation_box_without_a_consultation(self, w, client):
        assert consultation_box(client.get(position_url(w.vat))) == ""

    def test_the_pdf(self, w, client):
        content = text(client.get(position_url(w.funding)))
        assert '<a class="button" href="/media/advocacy/positions/finansavimas.pdf">' in content
        assert "The full text (PDF)" not in text(client.get(position_url(w.vat)))

    def test_co_signers_link_to_published_profiles_and_withdrawn_ones_are_gone(self, w, client):
        listed = cosigners(client.get(position_url(w.funding)))
        expected = sorted(active_signers(w.funding), key=lambda o: (o.sort_name, o.pk))
        assert listed == [
            (o.name, f"/en/members/{o.slug}/" if o.published else None) for o in expected
        ]
        # The unpublished club is named, not linked; Žalgiris withdrew.
        assert (w.hidden.name, None) in listed
        assert w.zalgiris.name not in [name for name, _link in listed]
        assert f"/en/members/{w.hidden.slug}/" not in text(client.get(position_url(w.funding)))

    def test_co_signers_are_counted_by_type(self, w, client):
        response = client.get(position_url(w.funding))
        signers = active_signers(w.funding)
        counts = Counter(o.type for o in signers)
        assert cosigners_by_type(response) == (
            len(signers),
            {
                f"{n} {(kind.name if n == 1 else kind.name_plural).lower()}"
                for kind, n in counts.items()
            },
        )
        assert cosigners_by_type(response) == (3, {"1 culture centre", "2 art collectives"})
        assert "3 member organisations:" in text(response)

    def test_withdrawing_and_signing_again_counts_once(self, w, client):
        response = client.get(position_url(w.creative))
        signers = sorted([w.kedainiai, w.zalgiris], key=lambda o: (o.sort_name, o.pk))
        assert [name for name, _link in cosigners(response)] == [o.name for o in signers]
        assert cosigners_by_type(response) == (2, {"2 culture centres"})

    def test_a_position_only_withdrawn_from_has_no_co_signer(self, w, client):
        response = client.get(position_url(w.letter))
        assert cosigners(response) == []
        assert "No member organisation has co-signed yet." in text(response)
        assert "Co-signing is closed." in text(response)

    def test_the_outcome_once_submitted(self, w, client):
        box = outcome_box(client.get(position_url(w.funding)))
        assert '<span class="badge outcome-partly">Partly adopted</span>' in box
        assert shown_date(w.funding.outcome_date) in box
        assert "Two of our five proposals were adopted.<br>The rest wait." in box
        assert f"Submitted on {shown_date(w.funding.submitted_on)}" in box

    @pytest.mark.parametrize("name", ["vat", "libraries"])
    def test_no_outcome_without_submission(self, w, client, name):
        assert getattr(w, name).submitted_on is None
        response = client.get(position_url(getattr(w, name)))
        assert outcome_box(response) == ""
        assert "Outcome" not in text(response)

    def test_the_outcome_appears_when_the_submission_date_is_set(self, w, client):
        assert outcome_box(client.get(position_url(w.vat))) == ""
        position = Position.objects.get(pk=w.vat.pk)
        position.submitted_on = date(2025, 6, 2)
        position.outcome = Position.Outcome.ADOPTED
        position.save()
        box = outcome_box(client.get(position_url(w.vat)))
        assert '<span class="badge outcome-adopted">Adopted</span>' in box

    def test_member_input_is_never_shown_to_visitors(self, w, client):
        for position in w.published:
            assert INPUT_MARK not in text(client.get(position_url(position)))

    def test_member_input_is_never_shown_to_member_staff(self, w, client):
        user = make_user()
        Role.objects.create(user=user, organisation=w.zalgiris, level=Role.Level.ADMIN)
        client.force_login(user)
        response = client.get(position_url(w.funding))
        assert response.status_code == 200
        content = text(response)
        assert INPUT_MARK not in content
        assert "lost 12 %" not in content
        for path in (ADVOCACY, POSITIONS, DELEGATIONS, f"/en/members/{w.zalgiris.slug}/"):
            assert INPUT_MARK not in text(client.get(path))

    def test_the_text_is_sanitised(self, w, client):
        content = text(client.get(position_url(w.funding)))
        prose = section(content, '<div class="prose"', "</div>")
        assert "<strong>stable</strong>" in prose
        assert (
            '<a href="https://lrs.example.org/" rel="noopener noreferrer nofollow">The Seimas</a>'
            in prose
        )
        for evil in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img"):
            assert evil not in prose
        assert "Signed." in prose

    def test_text_saved_again_is_sanitised_again(self, w, client):
        position = Position.objects.get(pk=w.vat.pk)
        position.body = (
            '<p>New</p><iframe src="https://evil.example"></iframe><a href="JaVaScRiPt:x()">a</a>'
            "<svg onload=alert(1)></svg><style>body{}</style>"
        )
        position.save()
        prose = section(text(client.get(position_url(w.vat))), '<div class="prose"', "</div>")
        assert "<p>New</p>" in prose
        for evil in ("<iframe", "javascript:", "JaVaScRiPt", "onload", "<svg", "<style"):
            assert evil not in prose

    def test_plain_text_fields_are_escaped(self, w, client):
        position = make_position(
            status="published",
            title="Art & <b>culture</b>",
            summary="<script>alert(1)</script>",
            outcome_note="<img src=x onerror=alert(2)>",
        )
        content = text(client.get(position_url(position)))
        assert "<h1>Art &amp; &lt;b&gt;culture&lt;/b&gt;</h1>" in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "<script>alert(1)" not in content and "<img src=x" not in content

    def test_the_description_is_the_summary_else_the_text_else_the_title(self, w, client):
        def description(position):
            content = text(client.get(position_url(position)))
            return html.unescape(re.search(r'<meta name="description" content="([^"]*)">',
                                           content)[1])  # fmt: skip

        assert description(w.funding) == w.funding.summary
        assert description(w.vat) == (
            "Concert tickets should carry the lower rate of VAT, as books do."
        )
        assert description(w.letter) == w.letter.title

    def test_a_long_text_gives_a_30_word_description(self, w, client):
        words = [f"žodis{n}" for n in range(50)]
        position = make_position(status="published", body=f"<p>{' '.join(words)}</p>")
        content = text(client.get(position_url(position)))
        found = re.search(r'<meta name="description" content="([^"]*)">', content)[1]
        assert found == " ".join(words[:30]) + "…"

    def test_the_page_in_another_language(self, w, client):
        response = client.get(position_url(w.funding, "lt"))
        assert response.status_code == 200
        assert f"<h1>{w.funding.title}</h1>" in text(response)
        assert [name for name, _link in cosigners(response)] == [
            name for name, _link in cosigners(client.get(position_url(w.funding)))
        ]


# --- Councils and committees ------------------------------------------------------------------


def term(seat):
    end = seat.term_end.isoformat() if seat.term_end else "open-ended"
    return f"{seat.term_start.isoformat()} – {end}"


def row(seat):
    organisation = seat.organisation
    return (
        seat.delegate,
        seat.get_role_display(),
        (organisation.name, f"/en/members/{organisation.slug}/" if organisation.published else None)
        if organisation
        else None,
        term(seat),
    )


class TestDelegations:
    def test_each_body_with_its_seats_held_and_current_public_delegates(self, w, client):
        response = client.get(DELEGATIONS)
        assert response.status_code == 200
        bodies = delegations(response)
        assert list(bodies) == [body.slug for body in w.bodies]
        for body in w.bodies:
            seats = [seat for seat in w.all_seats if seat.body == body]
            current = [seat for seat in seats if covers(seat, w.today)]
            shown = bodies[body.slug]
            assert shown["held"] == (
                sum(holds_a_seat(seat, w.today) for seat in seats),
                body.total_seats,
            )
            assert sorted(shown["current"]) == sorted(row(s) for s in current if s.public)
            assert shown["hidden"] == sum(not s.public for s in current)
            assert shown["past"] is None
        assert bodies[w.council.slug]["held"] == (8, 11)
        assert bodies[w.council.slug]["hidden"] == 1

    def test_what_is_shown_of_the_council(self, w, client):
        content = text(client.get(DELEGATIONS))
        council = delegations(client.get(DELEGATIONS))[w.council.slug]["current"]
        delegates = [name for name, *_rest in council]
        s = w.seats
        # Substitutes and observers are listed, with their role, though they hold no seat.
        assert (s.substitute.delegate, "Substitute") in [(n, r) for n, r, *_ in council]
        assert (s.observer.delegate, "Observer") in [(n, r) for n, r, *_ in council]
        for seat in (s.past, s.past_not_public, s.ended_yesterday, s.future):
            assert seat.delegate not in delegates
            assert seat.delegate not in content
        # Not public: counted, never named.
        assert s.not_public.delegate not in content
        assert "1 delegate is not listed by name." in content
        # The nominating organisation is linked when published, named otherwise.
        assert (s.chair.delegate, "Chair", (w.kedainiai.name, f"/en/members/{w.kedainiai.slug}/"),
                term(s.chair)) in council  # fmt: skip
        assert (w.hidden.name, None) in [nominated for _n, _r, nominated, _t in council]
        assert f"/en/members/{w.hidden.slug}/" not in content
        assert (s.no_organisation.delegate, "Member", None, term(s.no_organisation)) in council
        assert (s.ends_today.delegate, "Member", (w.aidas.name, f"/en/members/{w.aidas.slug}/"),
                f"{s.ends_today.term_start} – {w.today}") in council  # fmt: skip
        assert '<a href="https://ltkt.example.org/">Its web page</a>' in content

    def test_delegates_are_listed_by_rank(self, w, client):
        """Chairs, vice-chairs, members, substitutes, observers: the order of Seat.Role."""
        council = delegations(client.get(DELEGATIONS))[w.council.slug]["current"]
        rank = [label for _value, label in Seat.Role.choices]
        roles = [role for _delegate, role, _organisation, _term in council]
        assert set(roles) == set(rank)
        assert roles == sorted(roles, key=rank.index)

    def test_past_terms_on_request(self, w, client):
        response = client.get(DELEGATIONS, {"past": "1"})
        bodies = delegations(response)
        content = text(response)
        for body in w.bodies:
            past = [
                s for s in w.all_seats if s.body == body and s.term_end and s.term_end < w.today
            ]
            expected = sorted(row(s) for s in past if s.public)
            assert sorted(bodies[body.slug]["past"] or []) == expected
        assert len(bodies[w.council.slug]["past"]) == 2  # "past" and "ended yesterday"
        assert w.seats.past_not_public.delegate not in content
        assert w.seats.future.delegate not in content
        # The current delegates are still there.
        assert (
            bodies[w.council.slug]["current"]
            == delegations(client.get(DELEGATIONS))[w.council.slug]["current"]
        )
        assert f'<a href="{DELEGATIONS}">Current terms only</a>' in content

    @pytest.mark.parametrize(
        "value", ["garbage", "0", "", "true", "1\x00", "🎻", "1' OR '1'='1", "p" * 5000]
    )
    def test_any_other_past_value_shows_current_terms(self, w, value):
        response = visible_client().get(DELEGATIONS, {"past": value})
        assert response.status_code == 200
        assert all(body["past"] is None for body in delegations(response).values())
        assert w.seats.past.delegate not in text(response)
        assert '<a href="?past=1">Show past terms too</a>' in text(response)

    def test_a_body_without_seats(self, w, client):
        assert delegations(client.get(DELEGATIONS))[w.empty.slug] == {
            "held": (0, 5),
            "current": [],
            "past": None,
            "hidden": 0,
        }

    def test_member_input_is_not_shown(self, w, client):
        assert INPUT_MARK not in text(client.get(DELEGATIONS, {"past": "1"}))


# --- An organisation's profile ----------------------------------------------------------------


class TestOrganisationProfile:
    def url(self, organisation):
        return f"/en/members/{organisation.slug}/"

    def expected(self, w, organisation):
        positions = [
            p.title
            for p in sorted(w.published, key=lambda p: (p.published_at, p.pk), reverse=True)
            if organisation in active_signers(p)
        ]
        seats = [
            (s.delegate, s.get_role_display().lower(), s.body.name)
            for s in sorted(w.all_seats, key=lambda s: (s.body.order, s.body.name, s.pk))
            if s.organisation == organisation and s.public and covers(s, w.today)
        ]
        return positions, seats

    @pytest.mark.parametrize("name", ["kedainiai", "zalgiris", "aidas"])
    def test_the_profile_lists_co_signed_positions_and_seats(self, w, client, name):
        organisation = getattr(w, name)
        response = client.get(self.url(organisation))
        assert response.status_code == 200
        assert profile_advocacy(response) == self.expected(w, organisation)

    def test_what_the_profile_leaves_out(self, w, client):
        positions, seats = profile_advocacy(client.get(self.url(w.kedainiai)))
        assert positions == [w.creative.title, w.funding.title]
        delegates = [delegate for delegate, _role, _body in seats]
        # Not public, ended yesterday, starting next month: not listed.
        for seat in (w.seats.not_public, w.seats.ended_yesterday, w.seats.future):
            assert seat.delegate not in delegates
        assert w.seats.chair.delegate in delegates
        # Žalgiris withdrew from "funding" and the letter, and signed "creative" again.
        positions, _seats = profile_advocacy(client.get(self.url(w.zalgiris)))
        assert positions == [w.creative.title]
        # Aidas co-signed a position that is not published.
        positions, _seats = profile_advocacy(client.get(self.url(w.aidas)))
        assert w.submitted.title not in positions
        assert positions == [w.funding.title]

    def test_an_organisation_without_advocacy_shows_no_heading(self, w, client):
        lonely = make_organisation(name="Vieniša bendruomenė", type=w.centre)
        content = text(client.get(self.url(lonely)))
        assert "Positions co-signed" not in content and "Seats its people hold" not in content

    def test_a_new_endorsement_shows_at_once(self, w, client, django_capture_on_commit_callbacks):
        before, seats = profile_advocacy(client.get(self.url(w.kedainiai)))
        assert w.vat.title not in before
        with django_capture_on_commit_callbacks(execute=True):
            make_endorsement(position=Position.objects.get(pk=w.vat.pk), organisation=w.kedainiai)
        after, seats_after = profile_advocacy(client.get(self.url(w.kedainiai)))
        assert after == [w.vat.title, *before]  # the newest first
        assert seats_after == seats

    def test_a_withdrawn_endorsement_leaves_at_once(
        self, w, client, django_capture_on_commit_callbacks
    ):
        assert w.funding.title in profile_advocacy(client.get(self.url(w.aidas)))[0]
        with django_capture_on_commit_callbacks(execute=True):
            endorsement = Endorsement.objects.get(position=w.funding, organisation=w.aidas)
            endorsement.withdrawn_at = timezone.now()
            endorsement.save()
        assert profile_advocacy(client.get(self.url(w.aidas)))[0] == []

    def test_a_new_seat_shows_at_once(self, w, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            make_seat(body=w.group, delegate="Naujas Atstovas", organisation=w.zalgiris)
        assert ("Naujas Atstovas", "member", w.group.name) in profile_advocacy(
            client.get(self.url(w.zalgiris))
        )[1]

    def test_the_profile_costs_no_more_queries_with_advocacy(
        self, w, client, django_assert_num_queries
    ):
        """tests/members/test_directory.py pins a profile at 8 queries: what the profile shows of
        advocacy is cached, so a warm profile costs the same with or without it."""
        lonely = make_organisation(name="Vieniša bendruomenė", type=w.centre)
        for organisation in (lonely, w.kedainiai):
            client.get(self.url(organisation))
        with CaptureQueriesContext(connection) as without:
            client.get(self.url(lonely))
        assert len(without) <= 8
        with django_assert_num_queries(len(without)):
            response = client.get(self.url(w.kedainiai))
        assert profile_advocacy(response) == self.expected(w, w.kedainiai)


# --- Query counts ---------------------------------------------------------------------------
# Each page is asked once first, so that the vocabularies and counts it caches are warm; then it
# must cost the same number of queries (at most 8) with 3 organisations, positions and seats as
# with 200: the measured position has that many co-signers, each body that many seats.


def populate(size):
    today = timezone.localdate()
    types = [make_type(slug="centre"), make_type(slug="collective")]
    topics = [make_topic(slug="heritage"), make_topic(slug="youth")]
    organisations = [
        make_organisation(
            name=f"Kultūros centras {n:03d}",
            slug=f"org-{n}",
            type=types[n % 2],
            published=n % 7 != 3,
        )
        for n in range(size)
    ]
    kinds = list(Position.Kind)
    for n in range(size):
        consultation = make_consultation(
            title=f"Kultūros konsultacija {n:03d}", deadline=today + timedelta(days=n),
            url="https://example.org/consultation",
        )  # fmt: skip
        ConsultationDocument.objects.create(
            consultation=consultation, title="Draft", url="https://example.org/draft"
        )
        position = make_position(
            status="published", title=f"Kultūros pozicija {n:03d}", slug=f"position-{n}",
            kind=kinds[n % len(kinds)], consultation=consultation, topics=topics,
            published_at=at(2024, 1, 1) + timedelta(days=n), outcome="adopted",
            body="<p>Kultūros centrai ir <strong>bendruomenės</strong>.</p>",
        )  # fmt: skip
        for organisation in organisations if n == 0 else organisations[:2]:
            make_endorsement(position=position, organisation=organisation)
        if n == 0:
            make_endorsement(
                position=position, organisation=organisations[-1], withdrawn_at=timezone.now()
            )
        make_input(position=position, organisation=organisations[0])
    roles = list(Seat.Role)
    for b in range(3):
        body = make_body(slug=f"body-{b}", total_seats=size)
        for n in range(size):
            make_seat(
                body=body, delegate=f"Delegatas {n:03d}", role=roles[n % len(roles)],
                organisation=organisations[n], public=n % 4 != 1,
                term_start=today - timedelta(days=400),
                term_end=today - timedelta(days=1) if n % 5 == 0 else None,
            )  # fmt: skip


# path, query, queries. The association's profile is kept in each process once loaded, so a
# warm page spends no query on it; the session is none (an anonymous visitor).
ADVOCACY_QUERIES = {
    # the latest positions, the consultations due, the bodies with their seats held
    "index": (ADVOCACY, {}, 3),
    # the page of positions with their consultations (the count and the choices are cached)
    "list": (POSITIONS, {}, 1),
    "list, page 2": (POSITIONS, {"page": "2"}, 1),
    "filtered": (
        POSITIONS,
        {
            "kind": "response",
            "topic": "youth",
            "level": "national",
            "year": "2024",
            "status": "signing",
            "outcome": "adopted",
        },
        1,
    ),
    "searched": (POSITIONS, {"q": "kultur pozic"}, 1),
    "searched and filtered": (POSITIONS, {"q": "kultur", "topic": "heritage"}, 1),
    "fragment": (POSITIONS, {"q": "kultur", "HX": True}, 1),
    # the position with its consultation; topics; the consultation's documents; the active
    # co-signatures with their organisations (the types' names are cached)
    "position page": (f"{POSITIONS}position-0/", {}, 4),
    # the bodies with their seats held; their current seats with organisations
    "delegations": (DELEGATIONS, {}, 2),
    # + the past seats
    "delegations with past terms": (DELEGATIONS, {"past": "1"}, 3),
}


# The first visit after any advocacy change also rebuilds what is cached: for the list, the
# filters' choices (topics, years: 2) and the count (1). The other pages cache nothing of their
# own (a position's page takes its types from the directory's vocabularies, which an advocacy
# change leaves alone).
COLD_QUERIES = {"index": 3, "list": 4, "filtered": 4, "searched": 4, "position page": 4,
                "delegations": 2}  # fmt: skip


@pytest.fixture(scope="class")
def measured(request, django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, lambda: populate(request.cls.size)) as made:
        yield made


class QueryCounts:
    size = None

    @pytest.mark.parametrize("name", ADVOCACY_QUERIES)
    def test_a_page_costs_a_fixed_number_of_queries(
        self, measured, db, client, django_assert_num_queries, name
    ):
        assert Position.objects.published().count() == self.size
        path, params, queries = ADVOCACY_QUERIES[name]
        params = dict(params)
        headers = {"HX-Request": "true"} if params.pop("HX", False) else {}
        first = client.get(path, params, headers=headers)
        assert first.status_code == 200
        with django_assert_num_queries(queries):
            second = client.get(path, params, headers=headers)
        assert second.content == first.content
        assert queries <= 8

    @pytest.mark.parametrize("name", COLD_QUERIES)
    def test_the_first_visit_after_a_change_costs_a_fixed_number_too(
        self, measured, db, client, django_assert_num_queries, name
    ):
        path, params = ADVOCACY_QUERIES[name][:2]
        assert client.get(path, params).status_code == 200
        advocacy_changed()  # what the commit of any change to advocacy does
        with django_assert_num_queries(COLD_QUERIES[name]):
            client.get(path, params)
        assert COLD_QUERIES[name] <= 8

    def test_the_pages_measured_show_what_they_should(self, measured, db, client):
        assert len(result_names(client.get(POSITIONS))) == min(self.size, PAGE_SIZE)
        assert result_count(client.get(POSITIONS, {"q": "kultur pozic"})) == self.size
        response = client.get(f"{POSITIONS}position-0/")
        assert len(cosigners(response)) == self.size
        assert cosigners_by_type(response)[0] == self.size
        filtered = client.get(POSITIONS, ADVOCACY_QUERIES["filtered"][1])
        assert warnings(filtered) == []
        assert len(delegations(client.get(DELEGATIONS))) == 3
        past = delegations(client.get(DELEGATIONS, {"past": "1"}))["body-0"]["past"]
        assert past  # the query for past terms returns rows


class TestQueryCountsWith3(QueryCounts):
    size = 3


class TestQueryCountsWith200(QueryCounts):
    size = 200


# --- The page cache ---------------------------------------------------------------------------


class TestPageCache:
    """Visitors without a session get the advocacy pages from the cache until advocacy changes."""

    @pytest.fixture(autouse=True)
    def page_cache(self):
        with override_settings(PAGE_CACHE_SECONDS=600):
            yield

    @pytest.mark.parametrize(
        "path",
        [
            ADVOCACY,
            POSITIONS,
            f"{POSITIONS}?kind=response&q=kultur",
            f"{POSITIONS}kulturos-centru-finansavimas/",
            DELEGATIONS,
            f"{DELEGATIONS}?past=1",
        ],
    )
    def test_a_second_visit_costs_no_query(self, w, client, django_assert_num_queries, path):
        first = client.get(path)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second.content == first.content

    def test_an_endorsement_changes_what_is_served(
        self, w, client, django_capture_on_commit_callbacks
    ):
        url = position_url(w.vat)
        assert client.get(url).content == client.get(url).content
        assert cosigners(client.get(url)) == []
        with django_capture_on_commit_callbacks(execute=True):
            make_endorsement(position=Position.objects.get(pk=w.vat.pk), organisation=w.aidas)
        assert cosigners(client.get(url)) == [(w.aidas.name, f"/en/members/{w.aidas.slug}/")]
        assert w.vat.title in profile_advocacy(client.get(f"/en/members/{w.aidas.slug}/"))[0]

    def test_publishing_a_position_changes_what_is_served(
        self, w, client, django_capture_on_commit_callbacks
    ):
        assert w.drafting.title not in result_names(client.get(POSITIONS))
        assert client.get(position_url(w.drafting)).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            position_move(position=Position.objects.get(pk=w.drafting.pk), to="published")
        assert result_names(client.get(POSITIONS))[0] == w.drafting.title
        assert index_positions(client.get(ADVOCACY))[0] == w.drafting.title
        assert client.get(position_url(w.drafting)).status_code == 200

    def test_a_new_seat_changes_the_counts_served(
        self, w, client, django_capture_on_commit_callbacks
    ):
        assert index_bodies(client.get(ADVOCACY))[w.group.name] == (0, 3)
        with django_capture_on_commit_callbacks(execute=True):
            make_seat(body=w.group, delegate="Naujas Narys")
        assert index_bodies(client.get(ADVOCACY))[w.group.name] == (1, 3)
        assert "Naujas Narys" in text(client.get(DELEGATIONS))

    def test_a_renamed_organisation_shows_at_once_among_co_signers(
        self, w, client, django_capture_on_commit_callbacks
    ):
        url = position_url(w.funding)
        assert w.aidas.name in [name for name, _link in cosigners(client.get(url))]
        with django_capture_on_commit_callbacks(execute=True):
            organisation = type(w.aidas).objects.get(pk=w.aidas.pk)
            organisation.name = "Mišrus choras „Aidas“"
            organisation.save()
        assert "Mišrus choras „Aidas“" in [name for name, _link in cosigners(client.get(url))]

    def test_the_fragment_and_the_page_are_kept_apart(self, w, client):
        page = client.get(POSITIONS)
        fragment = client.get(POSITIONS, headers={"HX-Request": "true"})
        assert "<html" in text(page) and "<html" not in text(fragment)
        assert "<html" in text(client.get(POSITIONS))

    def test_a_visitor_with_a_session_gets_a_fresh_page(self, w, client):
        client.get(POSITIONS)
        client.force_login(make_user())
        Position.objects.filter(pk=w.funding.pk).update(title="Changed behind the cache's back")
        assert "Changed behind the cache" in text(client.get(POSITIONS))

    def test_without_a_version_key_the_pages_are_built_afresh(self, w, client):
        client.get(POSITIONS)
        Position.objects.filter(pk=w.funding.pk).update(title="Changed behind the cache's back")
        cache.delete(ADVOCACY_VERSION_KEY)  # evicted, or the cache server restarted
        assert "Changed behind the cache" in text(client.get(POSITIONS))
