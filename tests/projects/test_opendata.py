"""Published projects as 360Giving open data: the JSON data package checked against 360Giving's own
JSON Schema (copied into tests/data), its identifiers, amounts and `culturePortal` extension block;
the flat CSV; and that both stream at a fixed cost in queries."""

import copy
import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from association.models import AssociationProfile
from projects.models import Project
from tests.factories import (
    make_funder,
    make_municipality,
    make_organisation,
    make_programme,
    make_project,
    make_region,
    make_topic,
    make_type,
)

pytestmark = pytest.mark.django_db

JSON_URL = "/projects/360giving.json"
CSV_URL = "/projects/360giving.csv"
SCHEMAS = Path(__file__).resolve().parents[1] / "data"


# --- 360Giving's schema -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator():
    """The package schema, with the grant schema registered at the address its $ref names (and
    at its own $id, which its internal references resolve against). Their $schema URL is not the
    canonical one, so the draft is given rather than detected."""
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    grant_resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources(
        [
            (package["properties"]["grants"]["items"]["$ref"], grant_resource),
            (grant["$id"], grant_resource),
            (package["$id"], DRAFT202012.create_resource(package)),
        ]
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(validator, data):
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def package(client, **parse):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return json.loads(body(response), **parse)


def csv_rows(client):
    response = client.get(CSV_URL)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(body(response))))


# --- The projects -----------------------------------------------------------------------------


@pytest.fixture
def g(db):
    """Grants led by a member with a registration code, by one without, and by the association
    itself; a project with everything 360Giving and the extension can carry; and projects that
    are not grants: a draft, one without a funder, one without an amount."""
    centre = make_type(slug="centre")
    north = make_region(name="Šiaurė", slug="north", country="LT", latitude=55.9, longitude=23.3)
    town = make_municipality(name="Šiaulių miestas", region=north, latitude=55.93, longitude=23.31)
    ns = SimpleNamespace()
    ns.coded = make_organisation(
        name="Kėdainių kultūros centras", slug="kkc", type=centre, municipality=town,
        registration_code="302000001",
    )  # fmt: skip
    ns.uncoded = make_organisation(name="Žalgirio ansamblis", slug="zalgiris", type=centre)
    ns.ministry = make_funder(name="Kultūros ministerija", slug="ministry",
                              identifier="LT-JAR-188692688")  # fmt: skip
    ns.council = make_funder(name="Kulturrådet", slug="council", country="SE")
    ns.programme = make_programme(funder=ns.ministry, name="Living heritage", code="LH-2")
    ns.topic = make_topic(name="Heritage", slug="heritage")
    ns.full = make_project(
        title="Šviesų festivalis", code="SF-1", lead=ns.coded, funder=ns.ministry,
        programme=ns.programme, status="ongoing", summary="Evenings of light.",
        decision_reference="No. ĮV-77", decision_date=date(2024, 3, 1),
        start_date=date(2024, 4, 1), end_date=date(2025, 6, 30),
        amount_awarded=Decimal("12345.67"), co_financing=Decimal("2000.10"),
        total_budget=Decimal("14345.77"), regions=[north], municipalities=[town],
        topics=[ns.topic],
        partners=[
            {"organisation": ns.uncoded, "role": "co-applicant"},
            {"name": "Baltic Light Collective", "country": "LV", "role": "associated"},
        ],
        items=[
            {"kind": "aim", "text": "Bring light to the old town", "order": 1},
            {"kind": "aim", "text": "Train young technicians", "order": 0},
            ("activity", "Twelve evenings"),
            ("activity", "A workshop"),
            {"kind": "expected", "text": "Evenings held", "indicator": "evenings",
             "target": Decimal("12"), "order": 1},
            {"kind": "expected", "text": "People trained", "order": 0},
            {"kind": "achieved", "text": "Visitors", "indicator": "visitors",
             "target": Decimal("1500"), "actual": Decimal("1725.50")},
        ],
    )  # fmt: skip
    ns.small = make_project(
        title="Šokių vasara", lead=ns.uncoded, funder=ns.council, currency="SEK",
        amount_awarded=Decimal("0.10"), start_date=date(2023, 6, 1),
    )  # fmt: skip
    ns.own = make_project(
        title="The association's own", lead=None, funder=ns.council,
        amount_awarded=Decimal("5000"), description="<p>Music &amp; dance</p>",
    )  # fmt: skip
    ns.draft = make_project(
        title="Slaptas projektas", published=False, lead=ns.coded, funder=ns.ministry,
        amount_awarded=Decimal("99"),
    )  # fmt: skip
    ns.no_funder = make_project(title="No funder", lead=ns.coded, amount_awarded=Decimal("7"))
    ns.no_amount = make_project(title="No amount", lead=ns.coded, funder=ns.ministry)
    ns.grants = [ns.full, ns.small, ns.own]
    return ns


def by_title(data):
    return {grant["title"]: grant for grant in data["grants"]}


class TestSchema:
    def test_the_package_is_valid_360giving(self, g, client, validator):
        data = package(client)
        assert errors(validator, data) == []
        assert data["version"] == "1.4"
        assert len(data["grants"]) == len(g.grants)

    def test_the_validator_catches_what_is_wrong(self, g, client, validator):
        # The check above proves something only if a broken package fails it.
        data = package(client)
        for breakage in (
            lambda grant: grant.update(amountAwarded="12345.67"),
            lambda grant: grant.pop("fundingOrganization"),
            lambda grant: grant.update(awardDate="2024-13-45"),
            lambda grant: grant.update(dateModified="yesterday"),
            lambda grant: grant.update(currency="XYZ"),
            lambda grant: grant["recipientOrganization"][0].pop("id"),
        ):
            broken = copy.deepcopy(data)
            breakage(broken["grants"][0])
            assert errors(validator, broken), "the schema let a broken grant through"

    def test_a_minimal_grant_is_valid_too(self, db, client, validator):
        make_project(title="Bare", funder=make_funder(), amount_awarded=Decimal("1"))
        data = package(client)
        assert errors(validator, data) == []
        (grant,) = data["grants"]
        assert "plannedDates" not in grant and "beneficiaryLocation" not in grant

    def test_the_response(self, g, client):
        response = client.get(JSON_URL)
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        body(response)


class TestGrants:
    def test_only_published_projects_with_a_funder_and_an_amount(self, g, client):
        data = package(client)
        assert sorted(grant["title"] for grant in data["grants"]) == sorted(
            p.title for p in g.grants
        )
        for project in (g.draft, g.no_funder, g.no_amount):
            assert not any(grant["title"] == project.title for grant in data["grants"])

    def test_amounts_are_json_numbers_equal_to_the_decimals(self, g, client):
        exact = by_title(package(client, parse_float=Decimal, parse_int=Decimal))
        plain = by_title(package(client))
        for project in g.grants:
            assert exact[project.title]["amountAwarded"] == project.amount_awarded
            amount = plain[project.title]["amountAwarded"]
            assert isinstance(amount, int | float) and not isinstance(amount, bool)
            assert exact[project.title]["currency"] == project.currency
        assert exact[g.full.title]["culturePortal"]["coFinancing"] == Decimal("2000.10")
        assert exact[g.full.title]["culturePortal"]["totalBudget"] == Decimal("14345.77")

    @override_settings(GRANT_ID_PREFIX="360G-testportal", OPEN_DATA_ORG_PREFIX="LT-JAR")
    def test_identifiers_use_the_settings_prefixes(self, g, client):
        data = package(client)
        grants = by_title(data)
        assert {grant["id"] for grant in data["grants"]} == {
            f"360G-testportal-{p.pk}" for p in g.grants
        }
        recipient = {t: grant["recipientOrganization"][0] for t, grant in grants.items()}
        # A registration code under the register's prefix; else one under the portal's own.
        assert recipient[g.full.title]["id"] == "LT-JAR-302000001"
        assert recipient[g.small.title]["id"] == "360G-testportal-org-zalgiris"
        assert recipient[g.own.title]["id"] == "360G-testportal-org-association"
        assert recipient[g.own.title]["name"] == AssociationProfile.load().name
        funder = {t: grant["fundingOrganization"][0] for t, grant in grants.items()}
        assert funder[g.full.title] == {"id": "LT-JAR-188692688", "name": g.ministry.name}
        assert funder[g.small.title] == {
            "id": "360G-testportal-funder-council",
            "name": g.council.name,
        }
        assert data["identifier"] == "360G-testportal-projects"
        partners = grants[g.full.title]["culturePortal"]["partners"]
        assert partners[0]["id"] == "360G-testportal-org-zalgiris"

    def test_the_grant_describes_the_project(self, g, client):
        grant = by_title(package(client))[g.full.title]
        assert grant["description"] == "Evenings of light."
        assert grant["awardDate"] == "2024-03-01"
        assert grant["plannedDates"] == [{"startDate": "2024-04-01", "endDate": "2025-06-30"}]
        assert grant["url"] == f"http://testserver/en/projects/{g.full.slug}/"
        assert grant["grantProgramme"] == [{"code": "LH-2", "title": "Living heritage"}]
        assert grant["recipientOrganization"][0]["url"] == "http://testserver/en/members/kkc/"
        assert grant["recipientOrganization"][0]["addressLocality"] == "Šiaulių miestas"
        assert grant["recipientOrganization"][0]["addressCountry"] == "LT"
        assert [place["name"] for place in grant["beneficiaryLocation"]] == [
            "Šiaurė",
            "Šiaulių miestas",
        ]
        assert grant["classifications"][0]["code"] == "heritage"

    def test_the_award_date_falls_back_to_the_start(self, g, client):
        assert by_title(package(client))[g.small.title]["awardDate"] == "2023-06-01"

    def test_the_extension_block(self, g, client):
        extension = by_title(package(client))[g.full.title]["culturePortal"]
        assert extension["code"] == "SF-1"
        assert extension["status"] == "ongoing"
        assert extension["fundingDecision"] == "No. ĮV-77"
        # In the order given, not the order written.
        assert extension["aims"] == ["Train young technicians", "Bring light to the old town"]
        assert extension["activities"] == ["Twelve evenings", "A workshop"]
        assert extension["expectedResults"] == [
            {"description": "People trained"},
            {"description": "Evenings held", "indicator": "evenings", "target": 12},
        ]
        assert extension["achievedResults"] == [
            {"description": "Visitors", "indicator": "visitors", "target": 1500,
             "actual": 1725.5},
        ]  # fmt: skip
        assert extension["partners"] == [
            {"name": g.uncoded.name, "role": "co-applicant", "id": extension["partners"][0]["id"]},
            {"name": "Baltic Light Collective", "role": "associated", "countryCode": "LV"},
        ]

    def test_the_extension_is_declared(self, g, client):
        data = package(client)
        assert data["extensions"] == ["http://testserver/#culturePortal"]
        assert all("culturePortal" in grant for grant in data["grants"])

    def test_a_description_from_html_is_plain_text(self, g, client):
        assert by_title(package(client))[g.own.title]["description"] == "Music & dance"

    def test_an_unpublished_lead_has_no_profile_address(self, g, client):
        hidden = make_organisation(name="Slaptas klubas", slug="slaptas", published=False,
                                   type=g.coded.type)  # fmt: skip
        make_project(title="Hidden lead", lead=hidden, funder=g.council, amount_awarded=1)
        recipient = by_title(package(client))["Hidden lead"]["recipientOrganization"][0]
        assert client.get("/en/members/slaptas/").status_code == 404
        assert "url" not in recipient


class TestFlatCsv:
    def test_360giving_column_titles_and_one_row_per_grant(self, g, client):
        header, *rows = csv_rows(client)
        for column in ["Identifier", "Title", "Description", "Currency", "Amount Awarded",
                       "Award Date", "Recipient Org:Identifier", "Recipient Org:Name",
                       "Funding Org:Identifier", "Funding Org:Name", "Grant Programme:Title",
                       "Planned Dates:Start Date", "Planned Dates:End Date", "URL"]:  # fmt: skip
            assert column in header
        assert header[0] == "Identifier"
        column = {name: number for number, name in enumerate(header)}
        assert all(len(row) == len(header) for row in rows)
        grants = by_title(package(client))
        assert sorted(row[column["Identifier"]] for row in rows) == sorted(
            grant["id"] for grant in grants.values()
        )
        for row in rows:
            project = next(p for p in g.grants if p.title == row[column["Title"]])
            assert Decimal(row[column["Amount Awarded"]]) == project.amount_awarded
            assert row[column["Currency"]] == project.currency
        full = next(row for row in rows if row[column["Title"]] == g.full.title)
        assert full[column["Recipient Org:Name"]] == g.coded.name
        assert full[column["Funding Org:Name"]] == g.ministry.name
        assert full[column["Aims"]] == "Train young technicians | Bring light to the old town"
        assert full[column["Partners"]] == f"{g.uncoded.name}; Baltic Light Collective"

    def test_the_csv_streams(self, g, client):
        response = client.get(CSV_URL)
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="360giving.csv"' in response["Content-Disposition"]
        assert Project.objects.published().exclude(funder=None).count() > 0


# --- Cost -------------------------------------------------------------------------------------


def populate(count):
    centre = make_type()
    region = make_region()
    town = make_municipality(region=region)
    funder = make_funder()
    programme = make_programme(funder=funder)
    topic = make_topic()
    for n in range(count):
        lead = make_organisation(type=centre, municipality=town, registration_code=f"30{n}")
        partner = make_organisation(type=centre)
        make_project(
            lead=lead, funder=funder, programme=programme, amount_awarded=Decimal("100.50") + n,
            start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), regions=[region],
            municipalities=[town], topics=[topic],
            partners=[partner, {"name": f"Partner {n}", "country": "LV"}],
            items=[("aim", "An aim"), ("activity", "An activity"),
                   {"kind": "expected", "text": "A result", "indicator": "people",
                    "target": Decimal(10)},
                   {"kind": "achieved", "text": "Achieved", "actual": Decimal(11)}],
        )  # fmt: skip


def queries_to_read(client, url):
    """What reading the whole streamed response costs, once its caches are warm."""
    body(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        content = body(response)
    return len(captured.captured_queries), content


# The projects with lead, funder, programme and relation ids (one server-side cursor), then per
# batch of 500 their items and partners with their organisations. The regions, municipalities,
# topics and the association's profile are cached.
QUERIES = 3


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
def test_the_cost_does_not_grow_with_the_projects(
    db, client, url, django_capture_on_commit_callbacks
):
    # The commits of these writes refresh the cached places and topics, as they would live.
    with django_capture_on_commit_callbacks(execute=True):
        populate(3)
    few, content = queries_to_read(client, url)
    assert few == QUERIES
    with django_capture_on_commit_callbacks(execute=True):
        populate(27)
    many, content = queries_to_read(client, url)
    assert many == few
    if url == JSON_URL:
        assert len(json.loads(content)["grants"]) == 30
    else:
        assert len(list(csv.reader(io.StringIO(content)))) == 31
