"""The public project pages through Django's test client: the list with its search, filters,
bad parameters, totals per currency and CSV; a project's page; the projects on an organisation's
profile; what each page costs in queries; and the page cache."""

import csv
import html
import io
import json
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from babel.numbers import format_currency
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from association.models import AssociationProfile
from members.models import Organisation
from projects.models import FundingCall, Project, ProjectDocument, ProjectImage
from projects.selectors import totals
from projects.services import PROJECTS_VERSION_KEY, project_set_published, projects_changed
from projects.views import EXPORT_COLUMNS, PAGE_SIZE
from tests.factories import (
    make_call,
    make_funder,
    make_municipality,
    make_organisation,
    make_programme,
    make_project,
    make_region,
    make_topic,
    make_type,
    make_user,
)
from tests.members.conftest import built_once
from tests.members.pages import chips, result_names, text, title, warnings

pytestmark = pytest.mark.django_db

PROJECTS = "/en/projects/"
EXPORT = "/en/projects/export.csv"
INVALID_CHOICE = "Select a valid choice. {} is not one of the available choices."
NO_ORGANISATION = "There is no published organisation at that address."
LEFT_OUT = " That filter was left out."


# --- Reading the pages ------------------------------------------------------------------------


def result_count(response):
    """The count in the results heading, e.g. "5 projects" → 5."""
    heading = re.search(r'<h2 id="results-count"[^>]*>\s*([\d,]+) projects?\s*</h2>',
                        text(response))  # fmt: skip
    assert heading, "the page has no results heading"
    return int(heading.group(1).replace(",", ""))


def overall_totals(response):
    found = re.search(r'<p class="totals-overall">(.*?)</p>', text(response), re.S)
    if not found:
        return []
    return [html.unescape(amount) for amount in re.findall(r"<strong>(.*?)</strong>", found[1])]


def totals_table(response, caption):
    """{row heading: [(projects, amount), ...]} of the "By funder" or "By year" table."""
    found = re.search(rf"<caption>{caption}</caption>.*?<tbody>(.*?)</tbody>", text(response), re.S)
    assert found, f"no table “{caption}”"
    rows, heading = {}, None
    for row in re.findall(r"<tr>(.*?)</tr>", found[1], re.S):
        th = re.search(r"<th [^>]*>(.*?)</th>", row)
        if th:
            heading = html.unescape(th[1])
        cells = [html.unescape(c) for c in re.findall(r'<td class="number">(.*?)</td>', row)]
        rows.setdefault(heading, []).append((int(cells[0].replace(",", "")), cells[1]))
    return rows


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def profile_projects(response):
    """[(title, "lead" or "partner")] of the projects on an organisation's profile."""
    content = text(response)
    if 'id="projects-heading"' not in content:
        return []
    section = content[content.index('id="projects-heading"') :]
    section = section[: section.index("</ul>")]
    return [
        (html.unescape(name), role)
        for name, role in re.findall(
            r'<li><a href="[^"]*">([^<]*)</a>\s*<span class="muted small">(lead|partner)',
            section,
        )
    ]


def money(amount, currency, language="en"):
    return format_currency(amount, currency, locale=language)


# --- The projects every test of a class reads -------------------------------------------------


def newest_first(projects):
    """The list's order: start date, newest first, projects without one last; then id."""
    return [
        p.title
        for p in sorted(
            projects,
            key=lambda p: (p.start_date is None, -(p.start_date or date.min).toordinal(), -p.pk),
        )
    ]


def build_world():
    """Two regions (one of them reached only through a municipality), three organisations (one
    unpublished), two funders with a programme each, two topics; six published projects in EUR
    and SEK whose amounts test exact sums (0.10 + 0.20), and a draft with a large amount."""
    w = SimpleNamespace()
    centre = make_type(slug="centre", name="Culture centre")
    w.north = make_region(
        name="Šiaurės regionas", slug="north", country="LT", latitude=55.9, longitude=23.3
    )
    w.south = make_region(
        name="Västra regionen", slug="south", country="SE", latitude=57.7, longitude=11.9
    )
    w.town = make_municipality(
        name="Šiaulių miestas", slug="siauliai", region=w.north, latitude=55.93, longitude=23.31
    )
    w.kedainiai = make_organisation(
        name="Kėdainių kultūros centras", slug="kedainiu-kulturos-centras", type=centre,
        municipality=w.town, registration_code="302000001",
    )  # fmt: skip
    w.zalgiris = make_organisation(
        name="Žalgirio ansamblis", slug="zalgirio-ansamblis", type=centre
    )
    w.hidden = make_organisation(
        name="Slaptas klubas", slug="slaptas-klubas", type=centre, published=False
    )
    w.ministry = make_funder(name="Kultūros ministerija", slug="ministry")
    w.council = make_funder(name="Kulturrådet", slug="council", country="SE")
    w.heritage = make_programme(funder=w.ministry, name="Living heritage", slug="heritage",
                                code="LH-2")  # fmt: skip
    w.arts = make_programme(funder=w.council, name="Arts", slug="arts")
    w.heritage_topic = make_topic(name="Heritage", slug="heritage")
    w.youth = make_topic(name="Youth", slug="youth")

    w.living = make_project(
        title="Gyvasis paveldas", slug="gyvasis-paveldas", code="PAV-17", lead=w.kedainiai,
        funder=w.ministry, programme=w.heritage, status="ongoing",
        decision_date=date(2024, 3, 1), start_date=date(2024, 4, 1),
        amount_awarded=Decimal("0.10"), regions=[w.north], topics=[w.heritage_topic],
    )  # fmt: skip
    w.dance = make_project(
        title="Šokių vasara", slug="sokiu-vasara", code="KRT-0042", lead=w.zalgiris,
        partners=[w.kedainiai], funder=w.ministry, programme=w.heritage, status="completed",
        start_date=date(2023, 6, 1), end_date=date(2023, 8, 31),
        amount_awarded=Decimal("0.20"), municipalities=[w.town],
    )  # fmt: skip
    # Decided in 2023, started in 2024: it counts under 2023.
    w.choir = make_project(
        title="Körsång i Göteborg", slug="korsang", lead=None,
        partners=[{"name": "Nordic Folk Network", "country": "NO"}, w.zalgiris],
        funder=w.council, programme=w.arts, currency="SEK", amount_awarded=Decimal("1000.50"),
        decision_date=date(2023, 12, 1), start_date=date(2024, 1, 10), topics=[w.youth],
        regions=[w.south],
    )  # fmt: skip
    # The same start as "living": the later one (higher id) comes first.
    w.festival = make_project(
        title="Šviesų festivalis", slug="sviesu-festivalis", code="SF-1", lead=w.zalgiris,
        summary="Evenings of light in the old town.",
        partners=[
            {"organisation": w.kedainiai, "role": "co-applicant"},
            w.hidden,
            {"name": "Baltic Light Collective", "country": "LV", "role": "associated"},
        ],
        funder=w.council, status="ongoing", start_date=date(2024, 4, 1),
        end_date=date(2025, 6, 30), decision_reference="No. ĮV-77",
        amount_awarded=Decimal("12345.60"), co_financing=Decimal("2000.00"),
        total_budget=Decimal("14345.60"), regions=[w.south], municipalities=[w.town],
        topics=[w.youth, w.heritage_topic],
        items=[
            {"kind": "aim", "text": "Bring light to the old town", "order": 1},
            {"kind": "aim", "text": "Train young technicians", "order": 0},
            {"kind": "aim", "text": "Open the square at night", "order": 2},
            ("activity", "Twelve evenings of light"),
            ("activity", "A workshop for technicians"),
            {"kind": "expected", "text": "Evenings held", "indicator": "evenings",
             "target": Decimal("12")},
            {"kind": "achieved", "text": "Visitors", "indicator": "visitors",
             "target": Decimal("1500"), "actual": Decimal("1725.50")},
        ],
    )  # fmt: skip
    ProjectImage.objects.create(
        project=w.festival, image="projects/images/lights.jpg",
        thumbnail="projects/images/lights-list.jpg", social="projects/images/lights-social.jpg",
        alt_text="Lanterns over the square",
    )  # fmt: skip
    ProjectDocument.objects.create(
        project=w.festival, title="Final report", url="https://example.org/report.pdf"
    )
    # No funder, no dates.
    w.archive = make_project(
        title="Archyvo skaitmeninimas", slug="archyvas", lead=w.kedainiai, status="planned",
        amount_awarded=Decimal("1.00"),
    )  # fmt: skip
    # Led by an organisation that is not published.
    w.secret_lead = make_project(
        title="Kiemo koncertai", slug="kiemo-koncertai", lead=w.hidden, funder=w.ministry,
        start_date=date(2022, 5, 1), status="completed",
    )  # fmt: skip
    w.draft = make_project(
        title="Slaptas projektas", slug="slaptas-projektas", code="KRT-0043", published=False,
        lead=w.kedainiai, partners=[w.zalgiris], funder=w.ministry, programme=w.heritage,
        status="completed", amount_awarded=Decimal("1000000.00"), start_date=date(2025, 1, 1),
        regions=[w.north], topics=[w.heritage_topic],
    )  # fmt: skip
    w.published = [w.living, w.dance, w.choir, w.festival, w.archive, w.secret_lead]
    return w


@pytest.fixture(scope="class")
def class_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build=build_world) as built:
        yield built


@pytest.fixture
def w(class_world, db):
    return class_world


def year_of(project):
    """The year a project counts under: of its funding decision, else of its start."""
    known = project.decision_date or project.start_date
    return known.year if known else None


def regions_of(project):
    return set(project.regions.all()) | {m.region for m in project.municipalities.all()}


def involves(project, organisation):
    partners = {partner.organisation for partner in project.partners.all()}
    return project.lead_organisation == organisation or organisation in partners


# Each filter alone: the query string, and which published projects it keeps.
FILTERS = {
    "funder": ({"funder": "ministry"}, lambda w, p: p.funder == w.ministry),
    "programme": ({"programme": "arts"}, lambda w, p: p.programme == w.arts),
    "status": ({"status": "ongoing"}, lambda w, p: p.status == "ongoing"),
    # The year of the decision where there is one, else of the start.
    "year 2023": ({"year": "2023"}, lambda w, p: year_of(p) == 2023),
    "year 2024": ({"year": "2024"}, lambda w, p: year_of(p) == 2024),
    "region of the project": ({"region": "south"}, lambda w, p: w.south in regions_of(p)),
    # "dance" has only a municipality of the region; "festival" a municipality and another region.
    "region through a municipality": ({"region": "north"},
                                      lambda w, p: w.north in regions_of(p)),
    "topic": ({"topic": "youth"}, lambda w, p: w.youth in p.topics.all()),
    "organisation, lead or partner": ({"organisation": "kedainiu-kulturos-centras"},
                                      lambda w, p: involves(p, w.kedainiai)),
    "organisation as partner": ({"organisation": "zalgirio-ansamblis"},
                                lambda w, p: involves(p, w.zalgiris)),
}  # fmt: skip

COMBINED = {
    "funder and year": ({"funder": "ministry", "year": "2024"}, lambda w: [w.living]),
    "search and status": ({"q": "kedainiu", "status": "completed"}, lambda w: [w.dance]),
    "region and organisation": (
        {"region": "north", "organisation": "zalgirio-ansamblis"}, lambda w: [w.festival, w.dance]
    ),
    "search, funder and year": (
        {"q": "zalgirio", "funder": "council", "year": "2024"}, lambda w: [w.festival]
    ),
    "topic and programme": ({"topic": "youth", "programme": "arts"}, lambda w: [w.choir]),
    "nothing in common": ({"funder": "council", "region": "north", "topic": "youth",
                           "status": "completed"}, lambda w: []),
}  # fmt: skip

SEARCHES = {
    # the beginning of a word of the title, typed without its diacritics
    "title prefix without diacritics": ("sokiu", lambda w: [w.dance]),
    "title, two prefixes": ("korsang gote", lambda w: [w.choir]),
    "capitals and diacritics typed": ("GYVAS", lambda w: [w.living]),
    "code": ("krt", lambda w: [w.dance]),  # the draft's KRT-0043 is not found
    "whole code": ("PAV-17", lambda w: [w.living]),
    "external partner": ("nordic", lambda w: [w.choir]),
    "lead and partner in the directory": ("zalgir", lambda w: [w.festival, w.choir, w.dance]),
    "organisation name without diacritics": (
        "kedainiu kultur", lambda w: [w.festival, w.living, w.dance, w.archive]
    ),
    # "Slaptas klubas" partners in one and leads another; the draft "Slaptas projektas" stays
    # hidden.
    "unpublished partner, draft title": ("slaptas", lambda w: [w.festival, w.secret_lead]),
    "summary": ("evenings", lambda w: [w.festival]),
    "nothing": ("xyzzy", lambda w: []),
}  # fmt: skip


class TestList:
    def test_only_published_projects_newest_first(self, w, client):
        response = client.get(PROJECTS)
        assert response.status_code == 200
        expected = newest_first(w.published)
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        assert w.draft.title not in text(response)
        # The two of 1 April: the one made later first; the one without dates last.
        assert expected.index(w.festival.title) + 1 == expected.index(w.living.title)
        assert expected[-1] == w.archive.title

    @pytest.mark.parametrize("name", FILTERS)
    def test_each_filter_narrows_to_exactly_its_projects(self, w, client, name):
        params, keeps = FILTERS[name]
        expected = newest_first(p for p in w.published if keeps(w, p))
        response = client.get(PROJECTS, params)
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        assert 0 < len(expected) < len(w.published), "the filter must keep some, not all"

    def test_the_region_filter_finds_a_project_only_placed_in_a_municipality(self, w, client):
        assert not w.dance.regions.exists()
        assert w.dance.title in result_names(client.get(PROJECTS, {"region": "north"}))
        assert w.dance.title not in result_names(client.get(PROJECTS, {"region": "south"}))

    def test_the_organisation_filter_finds_led_and_partnered_projects(self, w, client):
        names = result_names(client.get(PROJECTS, {"organisation": w.kedainiai.slug}))
        assert w.living.title in names  # leads it
        assert w.dance.title in names  # partners in it
        assert w.draft.title not in names  # leads it, but a draft

    @pytest.mark.parametrize("name", COMBINED)
    def test_filters_combine(self, w, client, name):
        params, expected = COMBINED[name]
        expected = newest_first(expected(w))
        response = client.get(PROJECTS, params)
        assert warnings(response) == []
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        if not expected:
            assert "No project matches." in text(response)

    @pytest.mark.parametrize("name", SEARCHES)
    def test_search(self, w, client, name):
        query, expected = SEARCHES[name]
        response = client.get(PROJECTS, {"q": query})
        assert result_names(response) == newest_first(expected(w))

    def test_a_renamed_partner_is_found_by_its_new_name(self, w, client):
        partner = w.choir.partners.get(organisation=None)
        partner.name = "Skandinaviska folkmusiknätverket"
        partner.save()
        assert result_names(client.get(PROJECTS, {"q": "folkmusiknat"})) == [w.choir.title]
        assert result_names(client.get(PROJECTS, {"q": "nordic"})) == []

    def test_a_renamed_organisation_is_found_by_its_new_name(
        self, w, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            organisation = Organisation.objects.get(pk=w.zalgiris.pk)
            organisation.name = "Ąžuolyno kapela"
            organisation.save()
        expected = newest_first(p for p in w.published if involves(p, w.zalgiris))
        assert result_names(client.get(PROJECTS, {"q": "azuolyno"})) == expected
        assert result_names(client.get(PROJECTS, {"q": "zalgir"})) == []

    def test_each_active_filter_has_a_chip(self, w, client):
        response = client.get(
            PROJECTS,
            {"q": "zalgir", "funder": "council", "organisation": "zalgirio-ansamblis"},
        )
        assert chips(response) == {
            "Search": ("“zalgir”", f"{PROJECTS}?funder=council&organisation=zalgirio-ansamblis"),
            "Funder": ("Kulturrådet", f"{PROJECTS}?q=zalgir&organisation=zalgirio-ansamblis"),
            "Member organisation": (w.zalgiris.name, f"{PROJECTS}?q=zalgir&funder=council"),
        }

    def test_an_htmx_request_gets_only_the_results(self, w, client):
        response = client.get(PROJECTS, {"funder": "ministry"}, headers={"HX-Request": "true"})
        content = text(response)
        assert content.lstrip().startswith("<title>Projects · ")
        assert '<section id="results"' in content
        assert "<html" not in content and "<h1>" not in content
        assert result_names(response) == newest_first(
            p for p in w.published if p.funder == w.ministry
        )
        assert "HX-Request" in response["Vary"]


class TestPagination:
    @pytest.fixture
    def many(self, db):
        start = date(2020, 1, 1)
        return [
            make_project(title=f"Projektas {n:02d}", start_date=start + timedelta(days=n))
            for n in range(PAGE_SIZE + 3)
        ]

    def test_20_a_page_and_the_count_of_all(self, client, many):
        everything = newest_first(many)
        first, second = (client.get(PROJECTS, {"page": n}) for n in (1, 2))
        assert result_names(first) == everything[:PAGE_SIZE]
        assert result_names(second) == everything[PAGE_SIZE:]
        assert result_count(first) == result_count(second) == len(many)
        assert "Page 2 of 2" in text(second)
        assert title(second).startswith("Projects, page 2 ·")

    @pytest.mark.parametrize(
        ("page", "shown"),
        [("-1", 2), ("0", 2), ("zzz", 1), ("999999", 2), ("2.5", 1), ("", 1), ("1\x00", 1)],
    )
    def test_a_bad_page_number_shows_a_real_page(self, client, many, page, shown):
        everything = newest_first(many)
        response = Client(raise_request_exception=False).get(PROJECTS, {"page": page})
        assert response.status_code == 200
        start = (shown - 1) * PAGE_SIZE
        assert result_names(response) == everything[start : start + PAGE_SIZE]

    def test_page_links_keep_the_filters(self, client, many):
        response = client.get(PROJECTS, {"status": "planned"})
        assert 'href="?status=planned&amp;page=2" rel="next"' in text(response)


# Parameters a visitor (or a robot) may send: (query, the warnings shown). The page then lists
# every published project, as if the bad parameter had not been sent.
BAD_PARAMETERS = {
    "unknown funder": ({"funder": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown programme": ({"programme": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown status": ({"status": "nope"}, [INVALID_CHOICE.format("nope")]),
    "year abc": ({"year": "abc"}, [INVALID_CHOICE.format("abc")]),
    "year without projects": ({"year": "1999"}, [INVALID_CHOICE.format("1999")]),
    "year of a draft only": ({"year": "2025"}, [INVALID_CHOICE.format("2025")]),
    "unknown region": ({"region": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown topic": ({"topic": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown organisation": ({"organisation": "nope"}, [NO_ORGANISATION]),
    "unpublished organisation": ({"organisation": "slaptas-klubas"}, [NO_ORGANISATION]),
    "funder of another field": ({"programme": "ministry"}, [INVALID_CHOICE.format("ministry")]),
    "page -1": ({"page": "-1"}, []),
    "page zzz": ({"page": "zzz"}, []),
    "page 999999": ({"page": "999999"}, []),
    "nul byte in a slug": ({"region": "no\x00pe"}, [INVALID_CHOICE.format("nope")]),
    "nul byte alone": ({"funder": "\x00", "q": "\x00", "page": "\x00"}, []),
    "nul byte in an organisation": ({"organisation": "x\x00"}, [NO_ORGANISATION]),
    "sql in a slug": ({"funder": "' OR 1=1 --"}, [INVALID_CHOICE.format("' OR 1=1 --")]),
    "sql in the year": ({"year": "2024 OR 1=1"}, [INVALID_CHOICE.format("2024 OR 1=1")]),
    "sql in an organisation": ({"organisation": "x' OR '1'='1"}, [NO_ORGANISATION]),
    "emoji in a slug": ({"topic": "🎻"}, [INVALID_CHOICE.format("🎻")]),
    "emoji in the status": ({"status": "🎻"}, [INVALID_CHOICE.format("🎻")]),
    "5,000 characters in a slug": ({"region": "r" * 5000}, [INVALID_CHOICE.format("r" * 5000)]),
    "5,000 characters in an organisation": ({"organisation": "o" * 5000}, [NO_ORGANISATION]),
    "empty values": ({"q": "", "funder": "", "year": "", "organisation": "", "page": ""}, []),
    "repeated bad values": ({"funder": ["x", "y"]}, [INVALID_CHOICE.format("y")]),
    "everything bad at once": (
        {"funder": "a", "programme": "b", "status": "c", "year": "d", "region": "e",
         "topic": "f", "organisation": "g"},
        [*(INVALID_CHOICE.format(v) for v in "abcdef"), NO_ORGANISATION],
    ),
}  # fmt: skip


class TestBadParameters:
    @pytest.mark.parametrize("name", BAD_PARAMETERS)
    def test_bad_parameters_are_left_out_with_a_message(self, w, name):
        params, expected_warnings = BAD_PARAMETERS[name]
        response = Client(raise_request_exception=False).get(PROJECTS, params)
        assert response.status_code == 200
        assert "<h1>Projects</h1>" in text(response)
        assert "\x00" not in text(response)
        assert warnings(response) == [message + LEFT_OUT for message in expected_warnings]
        assert result_names(response) == newest_first(w.published)
        assert chips(response) == {}

    @pytest.mark.parametrize("name", BAD_PARAMETERS)
    def test_bad_parameters_give_the_whole_csv(self, w, name):
        params, _warnings = BAD_PARAMETERS[name]
        response = Client(raise_request_exception=False).get(EXPORT, params)
        assert response.status_code == 200
        assert len(csv_rows(response)) == 1 + len(w.published)

    def test_nul_bytes_in_the_address_itself(self, w):
        response = Client(raise_request_exception=False).get(
            f"{PROJECTS}?q=%00&funder=min%00istry&year=%00&page=%00"
        )
        assert response.status_code == 200
        assert warnings(response) == []
        # The control character is dropped: what is left is a good funder.
        assert result_names(response) == newest_first(
            p for p in w.published if p.funder == w.ministry
        )

    def test_a_bad_filter_beside_a_good_one_leaves_only_the_bad_one_out(self, w):
        response = Client(raise_request_exception=False).get(
            PROJECTS, {"funder": "nope", "status": "completed", "page": "zzz"}
        )
        assert result_names(response) == newest_first(
            p for p in w.published if p.status == "completed"
        )
        assert warnings(response) == [INVALID_CHOICE.format("nope") + LEFT_OUT]
        assert list(chips(response)) == ["Status"]

    def test_a_repeated_parameter_counts_once(self, w):
        # Like any form, the filters read a parameter's last value.
        response = Client(raise_request_exception=False).get(
            PROJECTS, {"funder": ["nope", "ministry"], "q": ["x", "gyvas"], "page": ["2", "1"]}
        )
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == [w.living.title]

    def test_a_5000_character_search_is_cut_short(self, w):
        response = Client(raise_request_exception=False).get(PROJECTS, {"q": "k" * 5000})
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == []
        # The chip shows the beginning of it, not all 5,000 characters.
        assert len(chips(response)["Search"][0]) <= 62

    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ('"gyvasis"', ["living"]),
            ("🎻 gyvas", ["living"]),
            ("gyvas)) OR ((1", []),
            ("' OR 1=1 --", []),
            ("gyvas'; DROP TABLE projects_project; --", []),
            ("&|!:*()<>", None),  # no words: no search
            ("🎻", None),
            ("\x00\x01\x1f", None),
            ("%", None),
        ],
    )
    def test_hostile_searches_answer_a_page_of_results(self, w, query, found):
        response = Client(raise_request_exception=False).get(PROJECTS, {"q": query})
        assert response.status_code == 200
        assert warnings(response) == []
        expected = (
            newest_first(w.published) if found is None else [getattr(w, n).title for n in found]
        )
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        assert Project.objects.count() == len(w.published) + 1  # nothing was dropped


class TestTotals:
    def expected(self, projects, key):
        """{key: {currency: (count, sum)}} of the projects with an amount."""
        sums = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
        for project in projects:
            if project.amount_awarded is not None:
                entry = sums[key(project)][project.currency]
                entry[0] += 1
                entry[1] += project.amount_awarded
        return sums

    def table(self, sums, heading):
        return {
            heading(k): [(count, money(total, currency))
                         for currency, (count, total) in sorted(by_currency.items())]
            for k, by_currency in sums.items()
        }  # fmt: skip

    def test_amounts_are_summed_per_currency_never_together(self, w, client):
        response = client.get(PROJECTS)
        by_currency = self.expected(w.published, lambda p: None)[None]
        assert set(by_currency) == {"EUR", "SEK"}
        assert overall_totals(response) == [
            money(total, currency) for currency, (_count, total) in sorted(by_currency.items())
        ]
        # The draft's million is not counted.
        assert money(Decimal("1000000"), "EUR") not in text(response)

    def test_decimal_sums_are_exact(self, w, client):
        # 0.10 + 0.20 as floats would be 0.30000000000000004.
        response = client.get(PROJECTS, {"funder": "ministry"})
        assert overall_totals(response) == ["€0.30"]
        assert totals_table(response, "By funder") == {w.ministry.name: [(2, "€0.30")]}

    def test_the_totals_are_decimals(self, w):
        queryset = Project.objects.published().filter(funder=w.ministry)
        figures = totals(queryset, "test-ministry")
        assert figures["overall"] == [("EUR", Decimal("0.30"))]
        (amount,) = [total for _currency, total in figures["overall"]]
        assert isinstance(amount, Decimal)
        assert str(amount) == "0.30"

    def test_by_funder(self, w, client):
        response = client.get(PROJECTS)
        sums = self.expected(w.published, lambda p: p.funder.name if p.funder else None)
        assert totals_table(response, "By funder") == self.table(
            sums, lambda name: name or "No funder given"
        )
        assert len(totals_table(response, "By funder")[w.council.name]) == 2  # EUR and SEK

    def test_by_year(self, w, client):
        response = client.get(PROJECTS)
        sums = self.expected(w.published, year_of)
        assert totals_table(response, "By year") == self.table(
            sums, lambda year: str(year) if year else "Not dated"
        )
        # The choir was decided in 2023 and started in 2024: its crowns count under 2023.
        assert (1, money(w.choir.amount_awarded, "SEK")) in totals_table(response, "By year")[
            "2023"
        ]

    def test_totals_follow_the_filters(self, w, client):
        response = client.get(PROJECTS, {"region": "south"})
        kept = [p for p in w.published if w.south in regions_of(p)]
        by_currency = self.expected(kept, lambda p: None)[None]
        assert overall_totals(response) == [
            money(total, currency) for currency, (_count, total) in sorted(by_currency.items())
        ]

    def test_no_totals_without_amounts(self, w, client):
        response = client.get(PROJECTS, {"q": "kiemo"})
        assert result_names(response) == [w.secret_lead.title]
        assert overall_totals(response) == []
        assert "Amounts awarded" not in text(response)

    def test_amounts_speak_the_language_of_the_page(self, w, client):
        response = client.get("/lt/projects/", {"funder": "ministry"})
        assert overall_totals(response) == [money(Decimal("0.30"), "EUR", "lt")]
        assert overall_totals(response) == ["0,30\xa0€"]

    def test_totals_change_when_a_project_is_published(
        self, w, client, django_capture_on_commit_callbacks
    ):
        assert overall_totals(client.get(PROJECTS, {"funder": "ministry"})) == ["€0.30"]
        with django_capture_on_commit_callbacks(execute=True):
            project_set_published(project=Project.objects.get(pk=w.draft.pk))
        assert overall_totals(client.get(PROJECTS, {"funder": "ministry"})) == [
            money(Decimal("1000000.30"), "EUR")
        ]


class TestCsv:
    def test_the_filtered_rows_and_a_header(self, w, client):
        response = client.get(EXPORT, {"funder": "ministry"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="projects.csv"' in response["Content-Disposition"]
        header, *rows = csv_rows(response)
        assert header == EXPORT_COLUMNS
        assert header[:2] == ["code", "title"]
        column = {name: number for number, name in enumerate(header)}
        kept = [p for p in w.published if p.funder == w.ministry]
        assert [row[column["title"]] for row in rows] == newest_first(kept)
        assert w.draft.title not in {row[column["title"]] for row in rows}
        dance = next(row for row in rows if row[column["title"]] == w.dance.title)
        assert dance[column["code"]] == "KRT-0042"
        assert dance[column["lead_organisation"]] == w.zalgiris.name
        assert dance[column["partners"]] == w.kedainiai.name
        assert dance[column["amount_awarded"]] == "0.20"
        assert dance[column["currency"]] == "EUR"
        assert dance[column["year"]] == "2023"
        assert dance[column["url"]] == f"http://testserver/en/projects/{w.dance.slug}/"

    def test_every_published_project_without_filters(self, w, client):
        header, *rows = csv_rows(client.get(EXPORT))
        column = {name: number for number, name in enumerate(header)}
        assert [row[column["title"]] for row in rows] == newest_first(w.published)
        festival = next(row for row in rows if row[column["title"]] == w.festival.title)
        assert festival[column["partners"]] == (
            f"{w.kedainiai.name}; {w.hidden.name}; Baltic Light Collective"
        )
        choir = next(row for row in rows if row[column["title"]] == w.choir.title)
        assert choir[column["lead_organisation"]] == AssociationProfile.load().name

    def test_a_search_narrows_the_csv(self, w, client):
        header, *rows = csv_rows(client.get(EXPORT, {"q": "nordic"}))
        assert [row[header.index("title")] for row in rows] == [w.choir.title]

    def test_the_list_links_to_its_csv_with_its_filters(self, w, client):
        response = client.get(PROJECTS, {"funder": "ministry", "page": "1"})
        assert f'href="{EXPORT}?funder=ministry">Download this list as CSV' in text(response)


class TestProjectPage:
    def url(self, project, language="en"):
        return f"/{language}/projects/{project.slug}/"

    def test_a_draft_and_an_unknown_project_answer_404(self, w, client):
        assert client.get(self.url(w.draft)).status_code == 404
        assert client.get(f"{PROJECTS}no-such-project/").status_code == 404

    def test_the_funding_box(self, w, client):
        content = text(client.get(self.url(w.festival)))
        box = content[content.index('id="funding-heading"') : content.index("</aside>")]
        assert f'<a href="{PROJECTS}?funder=council">Kulturrådet</a>' in box
        assert "No. ĮV-77" in box
        assert f"<strong>{money(w.festival.amount_awarded, 'EUR')}</strong>" in box
        assert "<strong>€12,345.60</strong>" in box
        assert f"<dd>{money(w.festival.co_financing, 'EUR')}</dd>" in box
        assert f"<dd>{money(w.festival.total_budget, 'EUR')}</dd>" in box
        assert "<dd>April 1, 2024 – June 30, 2025</dd>" in box

    def test_the_programme_with_its_code(self, w, client):
        content = text(client.get(self.url(w.living)))
        assert "<dd>Living heritage (LH-2)</dd>" in content

    def test_amounts_in_the_language_of_the_page(self, w, client):
        content = text(client.get(self.url(w.festival, "lt")))
        assert f"<strong>{money(w.festival.amount_awarded, 'EUR', 'lt')}</strong>" in content
        assert "<strong>12\xa0345,60\xa0€</strong>" in content
        content = text(client.get(self.url(w.choir, "sv")))
        assert f"<strong>{money(w.choir.amount_awarded, 'SEK', 'sv')}</strong>" in content

    def test_aims_and_activities_keep_their_order(self, w, client):
        content = text(client.get(self.url(w.festival)))
        aims = [item.text for item in w.festival.items.filter(kind="aim").order_by("order")]
        assert aims[0] == "Train young technicians"  # written second, ordered first
        listed = "".join(f"<li>{html.escape(aim)}</li>" for aim in aims)
        assert f'<h2>Aims</h2>\n        <ol class="steps">{listed}</ol>' in content
        assert "<li>Twelve evenings of light</li><li>A workshop for technicians</li>" in content

    def test_the_results_tables(self, w, client):
        content = text(client.get(self.url(w.festival)))
        expected_at = content.index("<h2>Expected results</h2>")
        achieved_at = content.index("<h2>Achieved results</h2>")
        assert expected_at < achieved_at
        assert (
            '<tr><th scope="row">Evenings held</th><td>evenings</td><td class="number">12</td>'
            '<td class="number">–</td></tr>'
        ) in content[expected_at:achieved_at]
        assert (
            '<tr><th scope="row">Visitors</th><td>visitors</td><td class="number">1,500</td>'
            '<td class="number">1,725.5</td></tr>'
        ) in content[achieved_at:]

    def test_partners_link_to_published_profiles_only(self, w, client):
        content = text(client.get(self.url(w.festival)))
        section = content[content.index("<h2>Partners</h2>") :]
        section = section[: section.index("</ul>")]
        assert f'<a href="/en/members/{w.kedainiai.slug}/">{w.kedainiai.name}</a>' in section
        assert "Co-applicant" in section
        # The unpublished organisation is named, not linked.
        assert w.hidden.name in section
        assert f"/en/members/{w.hidden.slug}/" not in content
        # A partner outside the directory: its name and country.
        assert re.search(r"Baltic Light Collective\s*<span class=\"muted\">\(LV\)</span>",
                         section)  # fmt: skip
        assert "Associated partner" in section
        names = re.findall(r"<li>\s*(?:<a [^>]*>)?([^<]+?)(?:</a>)?\s*<", section)
        assert names == [w.kedainiai.name, w.hidden.name, "Baltic Light Collective"]

    def test_the_lead(self, w, client):
        content = text(client.get(self.url(w.festival)))
        assert f'<a href="/en/members/{w.zalgiris.slug}/">{w.zalgiris.name}</a>' in content
        # An unpublished lead is named without a link; the association links to its page.
        content = text(client.get(self.url(w.secret_lead)))
        assert w.hidden.name in content and f"/en/members/{w.hidden.slug}/" not in content
        content = text(client.get(self.url(w.choir)))
        assert f'<a href="/en/about/">{AssociationProfile.load().name}</a>' in content

    def test_regions_topics_and_the_map(self, w, client):
        content = text(client.get(self.url(w.festival)))
        where = content[content.index("<h2>Where</h2>") :]
        assert f'<a href="{PROJECTS}?region=south">{w.south.name}</a>' in where
        assert f"<li>{w.town.name}</li>" in where
        places = json.loads(html.unescape(re.search(r'data-places="([^"]*)"', content)[1]))
        assert places == [
            [round(w.town.latitude, 4), round(w.town.longitude, 4), w.town.name],
            [round(w.south.latitude, 4), round(w.south.longitude, 4), w.south.name],
        ]
        assert "vendor/leaflet/leaflet.js" in content
        for topic in (w.youth, w.heritage_topic):
            assert f'<a href="{PROJECTS}?topic={topic.slug}">{topic.name}</a>' in content

    def test_no_map_without_places(self, w, client):
        content = text(client.get(self.url(w.archive)))
        assert "data-places" not in content and "leaflet" not in content

    def test_images_and_documents(self, w, client):
        content = text(client.get(self.url(w.festival)))
        assert (
            '<a href="/media/projects/images/lights.jpg"><img src="/media/projects/images/'
            'lights-list.jpg" alt="Lanterns over the square" loading="lazy"></a>'
        ) in content
        assert 'content="http://testserver/media/projects/images/lights-social.jpg"' in content
        assert '<a href="https://example.org/report.pdf">Final report</a>' in content

    def test_a_summary_is_the_description(self, w, client):
        response = client.get(self.url(w.festival))
        assert '<meta name="description" content="Evenings of light in the old town.">' in text(
            response
        )

    def test_a_description_from_html_is_escaped_once(self, w, client):
        project = make_project(title="Music", description="<p>Music & dance</p>")
        assert project.description == "<p>Music &amp; dance</p>"  # as nh3 stores it
        content = text(client.get(self.url(project)))
        assert '<meta name="description" content="Music &amp; dance">' in content

    def test_the_page_has_one_h1_and_its_title(self, w, client):
        content = text(client.get(self.url(w.festival)))
        assert content.count("<h1>") == 1
        assert f"<h1>{w.festival.title}</h1>" in content
        assert title(client.get(self.url(w.festival))).startswith(w.festival.title)


class TestOrganisationProfile:
    def url(self, organisation):
        return f"/en/members/{organisation.slug}/"

    def expected(self, w, organisation):
        kept = {p.title: p for p in w.published if involves(p, organisation)}
        return [
            (name, "lead" if kept[name].lead_organisation == organisation else "partner")
            for name in newest_first(kept.values())
        ]

    @pytest.mark.parametrize("slug", ["kedainiu-kulturos-centras", "zalgirio-ansamblis"])
    def test_the_profile_lists_led_and_partnered_published_projects(self, w, client, slug):
        organisation = w.kedainiai if slug == w.kedainiai.slug else w.zalgiris
        listed = profile_projects(client.get(self.url(organisation)))
        assert listed == self.expected(w, organisation)
        assert {role for _name, role in listed} == {"lead", "partner"}
        assert w.draft.title not in [name for name, _role in listed]

    def test_publishing_a_project_updates_the_profile(
        self, w, client, django_capture_on_commit_callbacks
    ):
        before = profile_projects(client.get(self.url(w.kedainiai)))
        assert w.draft.title not in [name for name, _role in before]
        with django_capture_on_commit_callbacks(execute=True):
            project_set_published(project=Project.objects.get(pk=w.draft.pk))
        after = profile_projects(client.get(self.url(w.kedainiai)))
        # The newest (2025) now comes first.
        assert after == [(w.draft.title, "lead"), *before]
        # And the partner's profile too.
        assert (w.draft.title, "partner") in profile_projects(client.get(self.url(w.zalgiris)))

    def test_an_organisation_without_projects_shows_no_heading(self, w, client):
        lonely = make_organisation(name="Vieniša bendruomenė", type=w.zalgiris.type)
        content = text(client.get(self.url(lonely)))
        assert 'id="projects-heading"' not in content


# --- Query counts ---------------------------------------------------------------------------
# Each page is asked once first, so that the vocabularies and totals it caches are warm; then it
# must cost the same number of queries (at most 8) with 3 projects as with 25, each with partners
# in and out of the directory, aims, activities and results, topics, regions and municipalities.


def items(lines):
    """`lines` aims, activities, expected and achieved results, with indicators."""
    made = []
    for i in range(lines):
        made += [
            ("aim", f"Aim {i}"),
            ("activity", f"Activity {i}"),
            {"kind": "expected", "text": f"Expected {i}", "indicator": "people",
             "target": Decimal(10 + i)},
            {"kind": "achieved", "text": f"Achieved {i}", "indicator": "people",
             "target": Decimal(10 + i), "actual": Decimal(i)},
        ]  # fmt: skip
    return made


def populate(count):
    centre = make_type(slug="centre", name="Culture centre")
    region = make_region(slug="north", name="Šiaurė")
    towns = [make_municipality(region=region), make_municipality(region=make_region())]
    funder = make_funder(slug="ministry", name="Kultūros ministerija")
    programme = make_programme(funder=funder, slug="heritage")
    topics = [make_topic(slug="heritage"), make_topic(slug="youth")]
    organisations = [
        make_organisation(name=f"Kultūros centras {n:02d}", slug=f"org-{n}", type=centre)
        for n in range(count)
    ]
    projects = []
    for n in range(count):
        # The first project, whose page is measured, has as many partners and items as there
        # are projects; the others two of each.
        partners = organisations if n == 0 else organisations[:2]
        projects.append(
            make_project(
                title=f"Kultūros projektas {n:02d}",
                slug=f"project-{n}",
                code=f"KP-{n}",
                lead=organisations[n],
                funder=funder,
                programme=programme,
                status="ongoing",
                amount_awarded=Decimal("1000.10") + n,
                currency="EUR" if n % 2 else "SEK",
                decision_date=date(2024, 1, 1) + timedelta(days=n),
                start_date=date(2024, 2, 1) + timedelta(days=n),
                topics=topics,
                regions=[region],
                municipalities=towns,
                partners=[
                    *partners,
                    {"name": f"External partner {n}", "country": "LV", "role": "associated"},
                ],
                items=items(count if n == 0 else 1),
            )
        )
        ProjectDocument.objects.create(
            project=projects[-1], title="Report", url="https://example.org/report"
        )
    now = timezone.now()
    # Calls in every state (open, closing soon, not yet open, closed), at least one of each.
    for n in range(max(count, 4)):
        state = n % 4
        make_call(
            funder=funder,
            programme=programme,
            slug=f"call-{n}",
            topics=topics,
            amount_min=Decimal(1000),
            amount_max=Decimal(5000),
            deadline=now + timedelta(days=[40, 5, 60, -10][state], hours=n),
            opens_on=(now + timedelta(days=20)).date() if state == 2 else None,
        )
    return projects


# path, query, queries. The association's profile is kept in each process once loaded, so a
# warm page spends no query on it; the session is none (an anonymous visitor).
PROJECT_QUERIES = {
    # the page of projects with lead, funder and programme (the count, totals and vocabularies
    # are cached)
    "list": (PROJECTS, {}, 1),
    "list, page 2": (PROJECTS, {"page": "2"}, 1),
    # + the organisation named by the filter
    "filtered": (
        PROJECTS,
        {
            "funder": "ministry",
            "programme": "heritage",
            "status": "ongoing",
            "year": "2024",
            "region": "north",
            "topic": "youth",
            "organisation": "org-1",
        },
        2,
    ),
    "searched": (PROJECTS, {"q": "kultur proj"}, 1),
    "searched and filtered": (PROJECTS, {"q": "kultur", "topic": "heritage"}, 1),
    "fragment": (PROJECTS, {"q": "kultur", "HX": True}, 1),
    # the project with lead, funder, programme and relation ids; items, partners with their
    # organisations, images, documents
    "project page": (f"{PROJECTS}project-0/", {}, 5),
    # open, upcoming and recently closed calls, each with funder and programme
    "calls": (f"{PROJECTS}calls/", {}, 3),
    # the page of closed calls, their count
    "call archive": (f"{PROJECTS}calls/archive/", {}, 2),
    # the call with funder and programme, its topics
    "call": (f"{PROJECTS}calls/call-0/", {}, 2),
}


# The first visit after any project changed also rebuilds what is cached: the vocabularies
# (funders, programmes, topics, years: 4), and for a list its count and totals (by funder, by
# year: 3). The project page takes its topics' names from the same vocabularies.
COLD_QUERIES = {"list": 8, "filtered": 9, "searched": 8, "project page": 9}


@pytest.fixture(scope="class")
def measured(request, django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, lambda: populate(request.cls.size)) as made:
        yield made


class QueryCounts:
    size = None

    @pytest.mark.parametrize("name", PROJECT_QUERIES)
    def test_a_page_costs_a_fixed_number_of_queries(
        self, measured, db, client, django_assert_num_queries, name
    ):
        assert Project.objects.count() == self.size
        path, params, queries = PROJECT_QUERIES[name]
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
        path, params = PROJECT_QUERIES[name][:2]
        assert client.get(path, params).status_code == 200
        projects_changed()  # what the commit of any project's change does
        with django_assert_num_queries(COLD_QUERIES[name]):
            client.get(path, params)

    def test_the_pages_measured_show_what_they_should(self, measured, db, client):
        shown = min(self.size, PAGE_SIZE)
        assert len(result_names(client.get(PROJECTS))) == shown
        assert result_count(client.get(PROJECTS, {"q": "kultur proj"})) == self.size
        # org-1 leads project-1 and partners in every project.
        filtered = client.get(PROJECT_QUERIES["filtered"][0], PROJECT_QUERIES["filtered"][1])
        assert result_count(filtered) == self.size
        content = text(client.get(f"{PROJECTS}project-0/"))
        assert content.count('<tr><th scope="row">Achieved ') == self.size
        assert content.count('<a href="/en/members/org-') == self.size + 1  # lead and partners
        assert content.count("<li>Aim ") == self.size


class TestQueryCountsWith3Projects(QueryCounts):
    size = 3


class TestQueryCountsWith25Projects(QueryCounts):
    size = 25


# --- The page cache ---------------------------------------------------------------------------


class TestPageCache:
    """Visitors without a session get the project pages from the cache until a project changes."""

    @pytest.fixture(autouse=True)
    def page_cache(self):
        with override_settings(PAGE_CACHE_SECONDS=600):
            yield

    @pytest.mark.parametrize(
        "path",
        [
            PROJECTS,
            f"{PROJECTS}?funder=ministry&q=gyv",
            f"{PROJECTS}sviesu-festivalis/",
        ],
    )
    def test_a_second_visit_costs_no_query(self, w, client, django_assert_num_queries, path):
        first = client.get(path)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second.content == first.content

    def test_a_call_that_closes_leaves_the_open_calls_at_once(self, w, client):
        """The call pages are built on every visit: a call's state changes with the clock."""
        call = make_call(slug="open-call", title="Soon closed call")
        assert "Soon closed call" in text(client.get(f"{PROJECTS}calls/"))
        FundingCall.objects.filter(pk=call.pk).update(
            deadline=timezone.now() - timedelta(minutes=1)
        )
        page = text(client.get(f"{PROJECTS}calls/"))
        assert "Soon closed call" in page.split("Recently closed")[1]
        assert "Soon closed call" not in page.split("Recently closed")[0]

    def test_the_fragment_and_the_page_are_kept_apart(self, w, client):
        page = client.get(PROJECTS)
        fragment = client.get(PROJECTS, headers={"HX-Request": "true"})
        assert "<html" in text(page) and "<html" not in text(fragment)
        assert "<html" in text(client.get(PROJECTS))

    def test_publishing_a_project_changes_what_is_served(
        self, w, client, django_capture_on_commit_callbacks
    ):
        assert client.get(PROJECTS).content == client.get(PROJECTS).content
        assert w.draft.title not in text(client.get(PROJECTS))
        assert client.get(f"{PROJECTS}{w.draft.slug}/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            project_set_published(project=Project.objects.get(pk=w.draft.pk))
        assert result_names(client.get(PROJECTS))[0] == w.draft.title
        assert client.get(f"{PROJECTS}{w.draft.slug}/").status_code == 200

    def test_a_changed_project_shows_at_once_on_its_page(
        self, w, client, django_capture_on_commit_callbacks
    ):
        url = f"{PROJECTS}{w.living.slug}/"
        assert "Renamed heritage" not in text(client.get(url))
        with django_capture_on_commit_callbacks(execute=True):
            project = Project.objects.get(pk=w.living.pk)
            project.title = "Renamed heritage"
            project.save()
        assert "<h1>Renamed heritage</h1>" in text(client.get(url))

    def test_a_visitor_with_a_session_gets_a_fresh_page(self, w, client):
        client.get(PROJECTS)
        client.force_login(make_user())
        Project.objects.filter(pk=w.living.pk).update(title="Changed behind the cache's back")
        assert "Changed behind the cache" in text(client.get(PROJECTS))

    def test_without_a_version_key_the_pages_are_built_afresh(self, w, client):
        client.get(PROJECTS)
        Project.objects.filter(pk=w.living.pk).update(title="Changed behind the cache's back")
        cache.delete(PROJECTS_VERSION_KEY)  # evicted, or the cache server restarted
        assert "Changed behind the cache" in text(client.get(PROJECTS))
