"""Open data: the CSV and JSON exports of the filtered directory, the map's data and the
sitemap."""

import csv
import io
import json
import re

import pytest
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory

from members.models import Organisation
from members.views import EXPORT_COLUMNS, directory_results
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def d(shared_directory, db):
    return shared_directory


def filtered_names(params):
    """The names in the directory's own filtered queryset for these parameters."""
    request = RequestFactory().get("/en/members/", params)
    _filterset, queryset = directory_results(request)
    return set(queryset.values_list("name", flat=True))


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def export_csv(client, params):
    response = client.get("/en/members/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="members.csv"'
    rows = list(csv.reader(io.StringIO(body(response))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def export_json(client, params):
    response = client.get("/en/members/export.json", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="members.json"'
    return json.loads(body(response))["organisations"]


# Filters whose results all have fields of activity (see the xfail test for those without).
FILTERS = {
    "region": {"region": "kauno-apskritis", "status": "member"},
    "type": {"type": "collective"},
    "within": {"within": "kedainiu-kulturos-centras"},
    "search": {"q": "choras"},
    "field": {"field": "theatre"},
    "municipality": {"municipality": "zalec"},
    "nothing": {"type": "branch", "region": "savinjska"},
}


@pytest.mark.parametrize("name", FILTERS)
def test_csv_export_holds_exactly_the_filtered_results(d, client, name):
    header, rows = export_csv(client, FILTERS[name])
    assert header == list(EXPORT_COLUMNS)
    names = [row["name"] for row in rows]
    assert set(names) == filtered_names(FILTERS[name])
    assert len(names) == len(set(names))
    assert d.hidden.name not in names


@pytest.mark.parametrize("name", FILTERS)
def test_json_export_holds_exactly_the_filtered_results(d, client, name):
    organisations = export_json(client, FILTERS[name])
    assert {o["name"] for o in organisations} == filtered_names(FILTERS[name])
    assert len(organisations) == len(filtered_names(FILTERS[name]))
    assert all(list(o) == list(EXPORT_COLUMNS) for o in organisations)


def test_exports_are_sorted_by_name_whatever_the_page_and_sort(d, client):
    params = {"region": "kauno-apskritis", "sort": "size", "page": "2"}
    _header, rows = export_csv(client, params)
    expected = [d.josvainiai, d.kedainiai_centre, d.linelis, d.aidas, d.tautos_namai]
    expected.sort(key=lambda o: o.sort_name)
    assert [row["name"] for row in rows] == [o.name for o in expected]
    assert [o["name"] for o in export_json(client, params)] == [o.name for o in expected]


def test_csv_columns_hold_the_organisations_values(d, client):
    _header, rows = export_csv(client, {"within": "kedainiu-kulturos-centras"})
    by_name = {row["name"]: row for row in rows}
    centre = by_name[d.kedainiai_centre.name]
    assert centre == centre | {
        "short_name": "KKC",
        "type": "centre",
        "parent": "",
        "membership_status": "member",
        "member_since": "2010-01-01",
        "municipality": d.kedainiai.name,
        "region": d.kaunas_county.name,
        "latitude": "55.29",
        "longitude": "23.97",
        "website": "https://kkc.example.org/",
        "email": "info@kkc.example.org",
        "founding_year": "1960",
        "members_count": "300",
        "volunteers_count": "20",
        "staff_count": "15",
        "url": "http://testserver/en/members/kedainiu-kulturos-centras/",
    }
    assert by_name[d.aidas.name]["parent"] == d.josvainiai.slug
    assert by_name[d.linelis.name]["staff_count"] == ""


def test_csv_joins_the_fields_of_activity_with_semicolons(d, client):
    _header, rows = export_csv(client, {"municipality": "kedainiu-rajono-savivaldybe"})
    by_name = {row["name"]: row for row in rows}
    for organisation in (d.kedainiai_centre, d.josvainiai, d.aidas, d.linelis):
        slugs = {field.slug for field in organisation.fields_of_activity.all()}
        assert set(by_name[organisation.name]["fields_of_activity"].split(";")) == slugs
    assert by_name[d.kedainiai_centre.name]["fields_of_activity"] == "choir;folk-dance"


def test_json_gives_the_fields_of_activity_as_a_list_and_numbers_as_numbers(d, client):
    organisations = {o["name"]: o for o in export_json(client, {"q": "choras"})}
    savinja = organisations[d.savinja.name]
    assert sorted(savinja["fields_of_activity"]) == ["choir", "theatre"]
    assert savinja["members_count"] == 80
    assert savinja["latitude"] is None
    assert savinja["url"] == "http://testserver/en/members/dom-kulture-savinja/"


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_organisation_without_fields_of_activity_exports(d, kind):
    client = Client(raise_request_exception=False)
    params = {"municipality": "goteborg"}  # Kulturhuset Väst, which names no field
    if kind == "csv":
        _header, rows = export_csv(client, params)
        assert [row["fields_of_activity"] for row in rows] == [""]
    else:
        assert [o["fields_of_activity"] for o in export_json(client, params)] == [[]]


def test_bad_filters_are_left_out_of_the_exports(d, client):
    params = {"type": "nope", "municipality": "zalec", "q": "\x00"}
    _header, rows = export_csv(client, params)
    assert [row["name"] for row in rows] == [d.savinja.name]


def test_a_name_with_commas_quotes_and_newlines_survives_the_csv(d, client):
    tricky = make_organisation(
        name='Teatras "Lėlė", vaikams\nir suaugusiems', type=d.centre, municipality=d.zalec,
        fields=[d.theatre],
    )  # fmt: skip
    _header, rows = export_csv(client, {"municipality": "zalec"})
    assert {row["name"] for row in rows} == {d.savinja.name, tricky.name}


# --- The map's data --------------------------------------------------------------------------


def map_data(client, params):
    response = client.get("/en/members/map.json", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def places(organisations):
    """[latitude, longitude, count] per municipality of these organisations, sorted."""
    counts = {}
    for organisation in organisations:
        counts[organisation.municipality] = counts.get(organisation.municipality, 0) + 1
    return sorted(
        [round(m.latitude, 4), round(m.longitude, 4), count] for m, count in counts.items()
    )


def test_map_data_without_a_view_counts_the_organisations_per_municipality(d, client):
    data = map_data(client, {})
    assert list(data) == ["places"]
    assert sorted(data["places"]) == places(d.published)
    assert sum(count for _lat, _lon, count in data["places"]) == len(d.published)


@pytest.mark.parametrize(
    "params",
    [{"type": "centre"}, {"region": "kauno-apskritis"}, {"q": "choras"},
     {"within": "josvainiu-filialas"}, {"type": "branch", "region": "savinjska"}],
)  # fmt: skip
def test_map_data_counts_only_the_filtered_organisations(d, client, params):
    data = map_data(client, params | {"bbox": "10,45,27,60", "zoom": "6"})
    assert sum(count for _lat, _lon, count in data["places"]) == len(filtered_names(params))


def test_at_country_zoom_many_organisations_come_as_counts_adding_up_to_the_total(d, client):
    for number in range(40):
        make_organisation(
            name=f"Kolektyvas {number}", type=d.collective, parent=d.kedainiai_centre,
            municipality=d.kaunas if number % 2 else d.kedainiai,
        )  # fmt: skip
    params = {"region": "kauno-apskritis", "bbox": "20.9,53.8,26.9,56.5", "zoom": "6"}
    data = map_data(client, params)
    assert list(data) == ["places"]
    in_region = Organisation.objects.published().filter(municipality__region=d.kaunas_county)
    assert sorted(data["places"]) == places(in_region)
    assert sum(count for _lat, _lon, count in data["places"]) == len(
        filtered_names({"region": "kauno-apskritis"})
    ) == 45  # fmt: skip


def test_at_town_zoom_the_organisations_in_view_come_as_points_linking_to_profiles(d, client):
    # Around Kėdainiai: the centre by its own position, its units by their municipality's.
    data = map_data(client, {"bbox": "23.9,55.2,24.1,55.4", "zoom": "12"})
    assert list(data) == ["points"]
    expected = [
        [55.29, 23.97, d.kedainiai_centre.name, "/en/members/kedainiu-kulturos-centras/"],
        *([55.3123, 24.037, o.name, f"/en/members/{o.slug}/"]
          for o in (d.josvainiai, d.aidas, d.linelis)),
    ]  # fmt: skip
    assert sorted(data["points"]) == sorted(expected)
    for _lat, _lon, _name, url in data["points"]:
        assert client.get(url).status_code == 200


def test_at_town_zoom_the_points_keep_the_filters(d, client):
    data = map_data(client, {"bbox": "23.9,55.2,24.1,55.4", "zoom": "12", "type": "collective"})
    assert sorted(point[2] for point in data["points"]) == sorted([d.aidas.name, d.linelis.name])


def test_at_town_zoom_too_many_points_come_as_counts(d, client, monkeypatch):
    # MAX_POINTS organisations in one town would take seconds to make: lower the bound.
    monkeypatch.setattr("members.views.MAX_POINTS", 3)
    data = map_data(client, {"bbox": "23.9,55.2,24.1,55.4", "zoom": "12"})
    assert list(data) == ["places"]
    assert sum(count for _lat, _lon, count in data["places"]) == len(d.published)


def test_an_organisation_with_coordinates_but_no_municipality_is_on_the_zoomed_out_map(d, client):
    make_organisation(name="Laivas", type=d.centre, latitude=55.7, longitude=21.1)
    data = map_data(client, {})
    assert sum(count for _lat, _lon, count in data["places"]) == len(d.published) + 1


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "garbage", "zoom": "12"},
        {"bbox": "1,2,3", "zoom": "12"},
        {"bbox": "1,2,3,4,5", "zoom": "12"},
        {"bbox": "nan,nan,nan,nan", "zoom": "12"},
        {"bbox": "-inf,-90,inf,90", "zoom": "12"},
        {"bbox": "1e999,0,0,0", "zoom": "12"},
        {"bbox": "200,-100,300,100", "zoom": "12"},
        {"bbox": "24,56,23,55", "zoom": "12"},  # south above north
        {"bbox": "23.9,55.2,24.1,55.4", "zoom": "abc"},
        {"bbox": "23.9,55.2,24.1,55.4", "zoom": "-5"},
        {"bbox": "23.9,55.2,24.1,55.4", "zoom": "99999999999999999999"},
        {"bbox": "23.9,55.2,24.1,55.4", "zoom": "12.5"},
        {"bbox": "\x00", "zoom": "\x00"},
        {"bbox": "' OR 1=1 --", "zoom": "🎻"},
    ],
)
def test_garbage_bbox_or_zoom_never_answers_500(d, params):
    response = Client(raise_request_exception=False).get("/en/members/map.json", params)
    assert response.status_code == 200
    assert set(response.json()) <= {"places", "points"}


def test_a_view_across_the_antimeridian_answers_without_error(d, client):
    assert map_data(client, {"bbox": "170,-10,-170,10", "zoom": "12"}) == {"points": []}


# --- Sitemap ---------------------------------------------------------------------------------


def locations(response):
    return re.findall(r"<loc>([^<]*)</loc>", response.content.decode())


def test_sitemap_is_an_index_of_its_sections(d, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<sitemapindex" in response.content.decode()
    assert locations(response) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-regions.xml",
        "http://testserver/sitemap-organisations.xml",
    ]


def test_sitemap_lists_the_published_organisations_only(d, client):
    response = client.get("/sitemap-organisations.xml")
    assert response.status_code == 200
    assert sorted(locations(response)) == sorted(
        f"http://testserver/en/members/{o.slug}/" for o in d.published
    )


def test_sitemap_lists_every_region(d, client):
    response = client.get("/sitemap-regions.xml")
    assert sorted(locations(response)) == sorted(
        f"http://testserver/en/members/regions/{r.slug}/"
        for r in (d.kaunas_county, d.savinjska, d.vastra_gotaland)
    )
