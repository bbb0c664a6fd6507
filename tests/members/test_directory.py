"""The directory's pages through Django's test client: the list with its search, filters,
sorting, chips and htmx fragment; profiles; regions; the map page; the home page's figures; and
what each page costs in queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from members.models import Organisation
from members.search import normalise
from members.services import DIRECTORY_VERSION_KEY, directory_changed
from members.views import PAGE_SIZE
from tests.factories import (
    make_contact,
    make_field,
    make_municipality,
    make_organisation,
    make_region,
    make_type,
    make_user,
)
from tests.members.conftest import built_once
from tests.members.pages import (
    chips,
    json_ld,
    meta_property,
    result_count,
    result_names,
    stats,
    text,
    title,
    warnings,
)

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/members/"


def by_name(organisations):
    """Names in the directory's default order: without case or diacritics, then id."""
    return [o.name for o in sorted(organisations, key=lambda o: (normalise(o.name), o.pk))]


def fields_of(organisation):
    return set(organisation.fields_of_activity.all())


@pytest.fixture
def d(class_directory, db):
    return class_directory


# Each filter alone: the query string, and which published organisations it keeps.
FILTERS = {
    "type": ({"type": "collective"}, lambda d, o: o.type == d.collective),
    "region": (
        {"region": "kauno-apskritis"}, lambda d, o: o.municipality.region == d.kaunas_county
    ),
    "municipality": ({"municipality": "zalec"}, lambda d, o: o.municipality == d.zalec),
    "field": ({"field": "choir"}, lambda d, o: d.choir in fields_of(o)),
    "status member": ({"status": "member"}, lambda d, o: o.membership_status == "member"),
    "status applicant": ({"status": "applicant"}, lambda d, o: o.membership_status == "applicant"),
    "status former": ({"status": "former"}, lambda d, o: o.membership_status == "former"),
    "within": (
        {"within": "kedainiu-kulturos-centras"},
        lambda d, o: o.path.startswith(d.kedainiai_centre.path),
    ),
    "within a branch": (
        {"within": "josvainiu-filialas"},
        lambda d, o: o.path.startswith(d.josvainiai.path),
    ),
}  # fmt: skip

COMBINED = {
    "type and field": (
        {"type": "collective", "field": "choir"},
        lambda d, o: o.type == d.collective and d.choir in fields_of(o),
    ),
    "region and status": (
        {"region": "kauno-apskritis", "status": "applicant"},
        lambda d, o: o.municipality.region == d.kaunas_county
        and o.membership_status == "applicant",
    ),
    "within and type": (
        {"within": "kedainiu-kulturos-centras", "type": "collective"},
        lambda d, o: o.path.startswith(d.kedainiai_centre.path) and o.type == d.collective,
    ),
    "municipality and field": (
        {"municipality": "kedainiu-rajono-savivaldybe", "field": "folk-dance"},
        lambda d, o: o.municipality == d.kedainiai and d.folk_dance in fields_of(o),
    ),
    "every filter": (
        {"type": "centre", "region": "savinjska", "municipality": "zalec", "field": "theatre",
         "status": "member"},
        lambda d, o: o == d.savinja,
    ),
    "nothing in common": (
        {"type": "branch", "region": "savinjska"},
        lambda d, o: False,
    ),
}  # fmt: skip


class TestFiltersAndSearch:
    @pytest.mark.parametrize("name", FILTERS)
    def test_each_filter_alone_keeps_exactly_its_organisations(self, d, client, name):
        params, keeps = FILTERS[name]
        expected = by_name(o for o in d.published if keeps(d, o))
        response = client.get(DIRECTORY, params)
        assert response.status_code == 200
        assert result_names(response) == expected
        assert result_count(response) == len(expected)
        assert expected, "a filter that keeps nothing proves little"

    @pytest.mark.parametrize("name", COMBINED)
    def test_filters_combine(self, d, client, name):
        params, keeps = COMBINED[name]
        expected = by_name(o for o in d.published if keeps(d, o))
        response = client.get(DIRECTORY, params)
        assert result_names(response) == expected
        assert result_count(response) == len(expected)

    def test_without_filters_every_published_organisation_is_listed_by_name(self, d, client):
        response = client.get(DIRECTORY)
        assert result_names(response) == by_name(d.published)
        assert d.hidden.name not in text(response)

    def test_search_alone(self, d, client):
        response = client.get(DIRECTORY, {"q": "choras"})
        # "choras" is the name of one and the Lithuanian name of a field of two more.
        assert set(result_names(response)) == {d.aidas.name, d.kedainiai_centre.name,
                                               d.savinja.name}  # fmt: skip
        assert result_count(response) == 3

    def test_search_combines_with_filters(self, d, client):
        response = client.get(DIRECTORY, {"q": "kult", "region": "kauno-apskritis"})
        assert result_names(response) == [d.kedainiai_centre.name]
        response = client.get(DIRECTORY, {"q": "choras", "type": "collective"})
        assert result_names(response) == [d.aidas.name]

    def test_search_within_an_organisation(self, d, client):
        response = client.get(DIRECTORY, {"q": "choras", "within": "kedainiu-kulturos-centras"})
        assert result_names(response) == [d.aidas.name, d.kedainiai_centre.name]

    def test_result_cards_speak_the_language_of_the_page(self, d, client):
        response = client.get("/lt/members/", {"municipality": "zalec"})
        content = text(response)
        assert result_names(response) == [d.savinja.name]
        assert '<span class="badge">Kultūros centras</span>' in content
        assert '<p class="result-fields">Choras, Teatras</p>' in content
        assert "<span>80 narių</span>" in content


class TestSorting:
    def test_sort_by_name_ignores_case_and_diacritics(self, d, client):
        shouted = make_organisation(name="ŠILAS", type=d.centre)
        plain = make_organisation(name="sodas", type=d.centre)
        names = result_names(client.get(DIRECTORY, {"sort": "name"}))
        assert names == by_name([*d.published, shouted, plain])
        # "Š" sorts as an S, before "sodas" and "Tautos namai" (by code point it would be last).
        assert names.index(shouted.name) + 1 == names.index(plain.name)
        assert names.index(plain.name) + 1 == names.index(d.tautos_namai.name)

    def test_sort_by_recently_updated(self, d, client):
        now = timezone.now()
        # Give each organisation its own time, in an order unlike its name or creation order.
        order = [d.linelis, d.kulturhuset, d.aidas, d.tautos_namai, d.kedainiai_centre,
                 d.savinja, d.josvainiai]  # fmt: skip
        for minutes, organisation in enumerate(order):
            Organisation.objects.filter(pk=organisation.pk).update(
                updated_at=now - timedelta(minutes=minutes)
            )
        assert result_names(client.get(DIRECTORY, {"sort": "updated"})) == [o.name for o in order]

    def test_sort_by_size_puts_the_largest_first_and_unknown_sizes_last(self, d, client):
        unknown = make_organisation(name="Aaa be skaičių", type=d.centre)
        expected = [o.name for o in sorted(d.published, key=lambda o: -o.members_count)]
        assert result_names(client.get(DIRECTORY, {"sort": "size"})) == [*expected, unknown.name]

    def test_a_search_is_sorted_by_relevance_unless_another_sort_is_chosen(self, d, client):
        by_relevance = result_names(client.get(DIRECTORY, {"q": "choras"}))
        assert by_relevance[0] == d.aidas.name  # the only one with "choras" in its name
        chosen = result_names(client.get(DIRECTORY, {"q": "choras", "sort": "relevance"}))
        assert chosen == by_relevance
        by_name_ = result_names(client.get(DIRECTORY, {"q": "choras", "sort": "name"}))
        assert by_name_ == by_name([d.aidas, d.kedainiai_centre, d.savinja])
        assert by_name_ != by_relevance

    def test_relevance_without_search_words_sorts_by_name(self, d, client):
        response = client.get(DIRECTORY, {"sort": "relevance"})
        assert result_names(response) == by_name(d.published)


class TestPagination:
    @pytest.fixture
    def many(self, d):
        """Enough organisations for three pages."""
        return [
            make_organisation(name=f"Bendruomenės centras {number:02d}", type=d.centre)
            for number in range(2 * PAGE_SIZE + 3 - len(d.published))
        ]

    def test_24_organisations_per_page_and_the_count_of_all(self, d, client, many):
        everything = by_name([*d.published, *many])
        assert len(everything) == 2 * PAGE_SIZE + 3
        pages = [client.get(DIRECTORY, {"page": number}) for number in (1, 2, 3)]
        assert [result_names(page) for page in pages] == [
            everything[:PAGE_SIZE],
            everything[PAGE_SIZE : 2 * PAGE_SIZE],
            everything[2 * PAGE_SIZE :],
        ]
        assert {result_count(page) for page in pages} == {len(everything)}
        assert "Page 2 of 3" in text(pages[1])
        assert 'href="?page=3" rel="next"' in text(pages[1])
        assert 'href="?page=1" rel="prev"' in text(pages[1])

    def test_page_links_keep_the_filters(self, d, client, many):
        response = client.get(DIRECTORY, {"type": "centre", "page": 1})
        assert 'href="?type=centre&amp;page=2" rel="next"' in text(response)

    def test_the_page_number_is_in_the_title(self, d, client, many):
        assert title(client.get(DIRECTORY, {"page": 2})).startswith("Members, page 2 ·")
        assert title(client.get(DIRECTORY, {"q": "kult"})).startswith("“kult” in members ·")

    @pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("-1", 3), ("0", 3), ("999999", 3),
                                                 ("2.5", 1), ("", 1)])  # fmt: skip
    def test_a_page_number_out_of_range_shows_a_real_page(self, d, client, many, page, shown):
        everything = by_name([*d.published, *many])
        response = client.get(DIRECTORY, {"page": page})
        assert response.status_code == 200
        start = (shown - 1) * PAGE_SIZE
        assert result_names(response) == everything[start : start + PAGE_SIZE]


class TestChipsAndEmptyState:
    def test_each_active_filter_has_a_chip_whose_link_drops_only_that_filter(self, d, client):
        response = client.get(
            DIRECTORY,
            {"q": "kult", "type": "centre", "region": "kauno-apskritis", "field": "choir",
             "status": "member", "within": "kedainiu-kulturos-centras", "sort": "name",
             "page": "1"},
        )  # fmt: skip
        base = "sort=name"
        assert chips(response) == {
            "Search": ("“kult”", f"{DIRECTORY}?type=centre&region=kauno-apskritis&field=choir"
                                 f"&status=member&within=kedainiu-kulturos-centras&{base}"),
            "Type": ("Culture centre", f"{DIRECTORY}?q=kult&region=kauno-apskritis&field=choir"
                                       f"&status=member&within=kedainiu-kulturos-centras&{base}"),
            "Region": ("Kauno apskritis", f"{DIRECTORY}?q=kult&type=centre&field=choir"
                                          f"&status=member&within=kedainiu-kulturos-centras"
                                          f"&{base}"),
            "Field of activity": ("Choir", f"{DIRECTORY}?q=kult&type=centre"
                                           f"&region=kauno-apskritis&status=member"
                                           f"&within=kedainiu-kulturos-centras&{base}"),
            "Membership": ("Member", f"{DIRECTORY}?q=kult&type=centre&region=kauno-apskritis"
                                     f"&field=choir&within=kedainiu-kulturos-centras&{base}"),
            "Within": ("within Kėdainių kultūros centras",
                       f"{DIRECTORY}?q=kult&type=centre&region=kauno-apskritis&field=choir"
                       f"&status=member&{base}"),
        }  # fmt: skip
        assert f'<a class="chip chip-clear" href="{DIRECTORY}">Clear all</a>' in text(response)

    def test_following_a_chip_removes_its_filter(self, d, client):
        response = client.get(DIRECTORY, {"type": "collective", "municipality": "zalec"})
        assert result_names(response) == []
        _value, without_type = chips(response)["Type"]
        widened = client.get(without_type)
        assert result_names(widened) == [d.savinja.name]
        assert list(chips(widened)) == ["Municipality"]

    def test_the_only_chip_links_to_the_whole_directory(self, d, client):
        response = client.get(DIRECTORY, {"municipality": "zalec"})
        assert chips(response) == {"Municipality": ("Žalec", DIRECTORY)}
        assert "Clear all" not in text(response)

    def test_no_chip_without_filters(self, d, client):
        response = client.get(DIRECTORY, {"sort": "size", "page": "1", "q": ""})
        assert chips(response) == {}
        assert 'class="chips"' not in text(response)

    def test_no_results_says_so_and_suggests_what_to_do(self, d, client):
        response = client.get(DIRECTORY, {"q": "xyzzy", "type": "centre"})
        content = text(response)
        assert result_count(response) == 0
        assert result_names(response) == []
        assert "No organisation matches." in content
        assert "Check the spelling, or type the beginning of a word" in content
        assert "Remove a filter above to widen the search." in content
        assert f'<p><a href="{DIRECTORY}">Show all members</a></p>' in content


def test_no_results_without_filters_does_not_suggest_removing_one(db, client):
    # Outside the classes: no organisation exists at all.
    response = client.get(DIRECTORY)
    assert result_count(response) == 0
    assert "No organisation matches." in text(response)
    assert "Remove a filter above" not in text(response)


class TestHtmx:
    def test_an_htmx_request_gets_only_the_results_with_a_title(self, d, client):
        response = client.get(DIRECTORY, {"q": "kult"}, headers={"HX-Request": "true"})
        content = text(response)
        assert response.status_code == 200
        assert content.lstrip().startswith("<title>“kult” in members · ")
        assert '<section id="results"' in content
        assert "<html" not in content and "<form" not in content and "<h1>" not in content
        assert set(result_names(response)) == {d.kedainiai_centre.name, d.savinja.name,
                                               d.kulturhuset.name}  # fmt: skip

    def test_the_fragment_and_the_page_say_they_vary_by_the_htmx_header(self, d, client):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(DIRECTORY, headers=headers)
            assert "HX-Request" in response["Vary"]

    def test_a_history_restore_request_gets_the_whole_page(self, d, client):
        response = client.get(
            DIRECTORY,
            {"q": "kult"},
            headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
        )
        content = text(response)
        assert content.startswith("<!DOCTYPE html>")
        assert "<h1>Members</h1>" in content and 'role="search"' in content
        assert result_count(response) == 3

    def test_the_fragment_carries_the_filter_warnings_and_chips(self, d, client):
        response = client.get(
            DIRECTORY, {"type": "nope", "region": "savinjska"}, headers={"HX-Request": "true"}
        )
        assert result_names(response) == [d.savinja.name]
        assert list(chips(response)) == ["Region"]
        assert warnings(response) == [
            "Select a valid choice. nope is not one of the available choices. "
            "That filter was left out."
        ]


INVALID_CHOICE = "Select a valid choice. {} is not one of the available choices."
LEFT_OUT = " That filter was left out."

# Parameters a visitor (or a robot) may send: (query, the warnings shown). The page then lists
# every published organisation, as if the bad parameter had not been sent.
BAD_PARAMETERS = {
    "unknown type": ({"type": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown region": ({"region": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown municipality": ({"municipality": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown field": ({"field": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown status": ({"status": "nope"}, [INVALID_CHOICE.format("nope")]),
    "unknown sort": ({"sort": "bogus"}, [INVALID_CHOICE.format("bogus")]),
    "page abc": ({"page": "abc"}, []),
    "page -1": ({"page": "-1"}, []),
    "page 999999": ({"page": "999999"}, []),
    "nul byte in within": (
        {"within": "x\x00"},
        ["There is no published organisation at that address."],
    ),
    "sql in a slug": ({"region": "' OR 1=1 --"}, [INVALID_CHOICE.format("' OR 1=1 --")]),
    "quotes in a slug": ({"field": '"choir"'}, [INVALID_CHOICE.format('"choir"')]),
    "emoji in a slug": ({"municipality": "🎻"}, [INVALID_CHOICE.format("🎻")]),
    "empty values": ({"q": "", "type": "", "within": "", "sort": "", "page": ""}, []),
    "everything bad at once": (
        {"type": "x", "region": "y", "status": "z"},
        [INVALID_CHOICE.format(v) for v in "xyz"],
    ),
}


class TestBadParameters:
    def test_a_very_long_search_is_cut_to_its_first_words(self, d):
        response = Client(raise_request_exception=False).get(DIRECTORY, {"q": "k" * 5000})
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_names(response) == []

    # Control characters are dropped from every parameter before it is read.
    @pytest.mark.parametrize(
        ("dirty", "clean"),
        [({"q": "kult\x00"}, {"q": "kult"}), ({"type": "cen\x00tre"}, {"type": "centre"})],
    )
    def test_a_nul_byte_is_dropped_from_a_parameter(self, d, dirty, clean):
        response = Client(raise_request_exception=False).get(DIRECTORY, dirty)
        assert response.status_code == 200
        assert "\x00" not in response.content.decode()
        assert warnings(response) == []
        assert result_names(response) == result_names(Client().get(DIRECTORY, clean))

    @pytest.mark.parametrize("name", BAD_PARAMETERS)
    def test_bad_parameters_are_left_out_with_a_message(self, d, name):
        params, expected_warnings = BAD_PARAMETERS[name]
        response = Client(raise_request_exception=False).get(DIRECTORY, params)
        assert response.status_code == 200
        assert "<h1>Members</h1>" in text(response)
        assert warnings(response) == [message + LEFT_OUT for message in expected_warnings]
        assert result_names(response) == by_name(d.published)
        assert chips(response) == {}

    # Only the words count: "choras" finds what it always finds (3), words nothing has find
    # nothing, and text without words is no search at all (everything, 7).
    @pytest.mark.parametrize(
        ("query", "count"),
        [
            ('"choras"', 3),
            ("🎻 choras", 3),
            ("choras)) OR ((1", 0),
            ("' OR 1=1 --", 0),
            ("choras'; DROP TABLE members_organisation; --", 0),
            ("&|!:*()", 7),
            ("🎻", 7),
        ],
    )
    def test_hostile_searches_answer_a_page_of_results(self, d, query, count):
        response = Client(raise_request_exception=False).get(DIRECTORY, {"q": query})
        assert response.status_code == 200
        assert warnings(response) == []
        assert result_count(response) == count
        assert len(result_names(response)) == count

    def test_a_bad_filter_beside_a_good_one_leaves_only_the_bad_one_out(self, d):
        response = Client(raise_request_exception=False).get(
            DIRECTORY, {"type": "nope", "municipality": "zalec"}
        )
        assert result_names(response) == [d.savinja.name]
        assert len(warnings(response)) == 1

    @pytest.mark.parametrize(
        "path", [DIRECTORY, "/en/members/map/", "/en/members/map.json", "/en/members/export.csv"]
    )
    @pytest.mark.parametrize("within", ["nope", "slaptas-klubas"])  # unknown, unpublished
    def test_an_unknown_within_is_left_out_with_a_message(self, d, path, within):
        response = Client(raise_request_exception=False).get(path, {"within": within})
        assert response.status_code == 200
        if path == DIRECTORY:
            assert warnings(response) == [
                "There is no published organisation at that address." + LEFT_OUT
            ]
            assert result_names(response) == by_name(d.published)


class TestProfile:
    def url(self, organisation):
        return f"{DIRECTORY}{organisation.slug}/"

    def test_breadcrumb_names_every_ancestor_in_order(self, d, client):
        content = text(client.get(self.url(d.aidas)))
        assert (
            '<li><a href="/en/members/">Members</a></li>\n'
            '      <li><a href="/en/members/kedainiu-kulturos-centras/">Kėdainių kultūros centras'
            '</a></li><li><a href="/en/members/josvainiu-filialas/">Josvainių filialas</a></li>\n'
            '      <li><a href="/en/members/misrus-choras-aidas/" aria-current="page">'
            "Mišrus choras „Aidas“</a></li>"
        ) in content

    def test_sub_units_are_grouped_by_type_with_their_counts(self, d, client):
        extra = make_organisation(
            name="Vaikų teatras", type=d.collective, parent=d.kedainiai_centre
        )
        page = text(client.get(self.url(d.kedainiai_centre)))
        content = page[page.index("<h2>Sub-units</h2>") :]
        branches = content.index('<h3>Branches <span class="muted">(1)</span></h3>')
        collectives = content.index('<h3>Art collectives <span class="muted">(2)</span></h3>')
        assert branches < content.index(d.josvainiai.name) < collectives
        assert collectives < content.index(d.linelis.name) < content.index(extra.name)
        # Grandchildren are not sub-units of the centre itself; unpublished ones are nowhere.
        assert d.aidas.name not in content
        assert d.hidden.name not in content
        assert f'href="{DIRECTORY}?within={d.kedainiai_centre.slug}"' in content

    def test_figures_are_rolled_up_over_the_published_subtree(self, d, client):
        subtree = list(Organisation.objects.published().within(d.kedainiai_centre))
        assert d.hidden not in subtree and len(subtree) == 4

        def total(attribute):
            return sum(getattr(o, attribute) or 0 for o in subtree)

        assert stats(client.get(self.url(d.kedainiai_centre))) == {
            "culture centre": sum(o.type == d.centre for o in subtree),
            "branch": sum(o.type == d.branch for o in subtree),
            "art collectives": sum(o.type == d.collective for o in subtree),
            "members and participants": total("members_count"),
            "volunteers": total("volunteers_count"),
            "staff": total("staff_count"),
        }

    def test_only_contact_persons_who_agreed_are_shown(self, d, client):
        content = text(client.get(self.url(d.kedainiai_centre)))
        assert d.rasa.name in content and d.rasa.email in content
        assert d.tomas.name not in content and d.tomas.email not in content

    def test_an_unpublished_organisation_answers_404(self, d, client):
        assert client.get(self.url(d.hidden)).status_code == 404
        assert client.get(f"{DIRECTORY}no-such-organisation/").status_code == 404

    def test_unpublished_sub_units_are_left_out_of_the_structured_data(self, d, client):
        data = json_ld(client.get(self.url(d.kedainiai_centre)))
        assert [child["name"] for child in data["subOrganization"]] == [
            d.josvainiai.name, d.linelis.name,
        ]  # fmt: skip

    def test_an_unpublished_parent_is_not_shown_on_its_childs_profile(self, d, client):
        Organisation.objects.filter(pk=d.josvainiai.pk).update(published=False)
        response = client.get(self.url(d.aidas))
        assert response.status_code == 200
        assert d.josvainiai.name not in text(response)
        assert "parentOrganization" not in json_ld(response)

    def test_structured_data_is_a_schema_org_organization(self, d, client):
        data = json_ld(client.get(self.url(d.josvainiai)))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Organization"
        assert data["name"] == d.josvainiai.name
        assert data["url"] == f"http://testserver{self.url(d.josvainiai)}"
        assert data["parentOrganization"]["name"] == d.kedainiai_centre.name
        assert data["parentOrganization"]["@type"] == "Organization"
        assert [child["name"] for child in data["subOrganization"]] == [d.aidas.name]
        assert data["knowsAbout"] == ["Folk dance"]
        assert data["address"]["addressLocality"] == d.kedainiai.name
        assert data["address"]["addressCountry"] == "LT"

    def test_structured_data_of_a_top_level_organisation(self, d, client):
        data = json_ld(client.get(self.url(d.kedainiai_centre)))
        assert "parentOrganization" not in data
        assert data["alternateName"] == "KKC"
        assert data["email"] == d.kedainiai_centre.email
        assert data["foundingDate"] == "1960"
        assert data["sameAs"] == ["https://kkc.example.org/"]
        assert data["numberOfEmployees"]["value"] == 15

    def test_structured_data_survives_a_name_that_could_end_the_script(self, d, client):
        tricky = make_organisation(
            name='Teatras </script><script>alert("x")</script>',
            slug="teatras-script",
            type=d.collective,
            parent=d.kedainiai_centre,
        )
        response = client.get(self.url(tricky))
        assert json_ld(response)["name"] == tricky.name
        assert '<script>alert("x")' not in text(response)

    def test_open_graph_tags(self, d, client):
        response = client.get(self.url(d.kedainiai_centre))
        assert meta_property(response, "og:type") == "website"
        assert meta_property(response, "og:title") == d.kedainiai_centre.name
        assert meta_property(response, "og:description") == (
            "Koncertai, parodos ir kalendorinės šventės visai bendruomenei."
        )
        assert meta_property(response, "og:url") == (
            f"http://testserver{self.url(d.kedainiai_centre)}"
        )

    def test_a_profile_page_answers_in_each_language(self, d, client):
        response = client.get(f"/lt/members/{d.kedainiai_centre.slug}/")
        assert response.status_code == 200
        assert "Kultūros centras" in text(response)  # the type's Lithuanian name


class TestRegions:
    def test_region_list_counts_published_organisations_per_region(self, d, client):
        content = text(client.get(f"{DIRECTORY}regions/"))
        for region in (d.kaunas_county, d.savinjska, d.vastra_gotaland):
            count = sum(o.municipality.region == region for o in d.published)
            noun = "organisation" if count == 1 else "organisations"
            assert (
                f'<h2><a href="{region.get_absolute_url()}">{region.name}</a></h2>\n'
                f'          <p class="muted">{count} {noun}</p>'
            ) in content

    def test_region_page_gives_figures_per_municipality(self, d, client):
        empty = make_municipality(name="Birštono savivaldybė", region=d.kaunas_county)
        response = client.get(d.kaunas_county.get_absolute_url())
        content = text(response)
        for municipality in (d.kaunas, d.kedainiai, empty):
            inside = [o for o in d.published if o.municipality == municipality]
            count = len(inside)
            members = sum(o.members_count or 0 for o in inside)
            volunteers = sum(o.volunteers_count or 0 for o in inside)
            name = (
                f'<a href="{DIRECTORY}?municipality={municipality.slug}">{municipality.name}</a>'
                if count
                else municipality.name
            )
            assert (
                f'<th scope="row">{name}</th>\n'
                f'            <td class="number">{count}</td>\n'
                f'            <td class="number">{members}</td>\n'
                f'            <td class="number">{volunteers}</td>'
            ) in content
        in_region = [o for o in d.published if o.municipality.region == d.kaunas_county]
        figures = stats(response)
        assert figures["members and participants"] == sum(o.members_count for o in in_region)
        assert figures["culture centres"] + figures["branch"] + figures["art collectives"] == (
            len(in_region)
        )

    def test_region_page_leaves_out_unpublished_organisations(self, d, client):
        content = text(client.get(d.kaunas_county.get_absolute_url()))
        assert d.hidden.name not in content
        assert stats(client.get(d.kaunas_county.get_absolute_url()))["staff"] == sum(
            o.staff_count or 0 for o in d.published if o.municipality.region == d.kaunas_county
        )

    def test_an_unknown_region_answers_404(self, d, client):
        assert client.get(f"{DIRECTORY}regions/nope/").status_code == 404


class TestMapPageAndHome:
    def test_map_page_counts_the_filtered_organisations(self, d, client):
        response = client.get(f"{DIRECTORY}map/", {"type": "centre"})
        count = sum(o.type == d.centre for o in d.published)
        assert f"{count} organisations match." in text(response)
        assert 'data-source="/en/members/map.json?type=centre"' in text(response)
        assert f'<a href="{DIRECTORY}?type=centre">Show them as a list</a>' in text(response)

    def test_map_page_with_bad_filters_answers_200(self, d):
        response = Client(raise_request_exception=False).get(
            f"{DIRECTORY}map/", {"type": "nope", "q": "\x00"}
        )
        assert response.status_code == 200
        assert f"{len(d.published)} organisations match." in text(response)

    def test_home_page_figures_add_up(self, d, client):
        figures = stats(client.get("/en/"))
        by_type = {
            "culture centres": sum(o.type == d.centre for o in d.published),
            "branch": sum(o.type == d.branch for o in d.published),
            "art collectives": sum(o.type == d.collective for o in d.published),
        }
        assert {label: figures[label] for label in by_type} == by_type
        assert sum(by_type.values()) == len(d.published)
        assert figures["members and participants"] == sum(o.members_count for o in d.published)
        assert figures["staff"] == sum(o.staff_count or 0 for o in d.published)
        member_organisations = sum(
            o.type.is_legal_entity and o.membership_status == "member" for o in d.published
        )
        assert f"{member_organisations} member organisations, with everything they run" in text(
            client.get("/en/")
        )


# --- Cached vocabularies --------------------------------------------------------------------


def test_a_type_added_since_is_known_after_the_version_key_is_lost(db, client):
    centre = make_type(slug="centre", name="Culture centre")
    make_organisation(name="Kultūros centras", type=centre)
    # The cache server starts empty, so the directory's version starts at 1.
    cache.delete(DIRECTORY_VERSION_KEY)
    assert result_count(client.get(DIRECTORY, {"type": "centre"})) == 1

    studio = make_type(slug="studio", name="Studio")
    made = make_organisation(name="Fotografijos studija", type=studio)
    directory_changed()  # what the commit of these changes does
    assert result_names(client.get(DIRECTORY, {"type": "studio"})) == [made.name]

    cache.delete(DIRECTORY_VERSION_KEY)  # evicted, or the cache server restarted
    response = client.get(DIRECTORY, {"type": "studio"})
    assert warnings(response) == []
    assert result_names(response) == [made.name]


# --- Query counts ---------------------------------------------------------------------------
# Each page is asked once first, so that the vocabularies and figures it caches are warm; then
# it must cost the same number of queries (at most 8) with 3 organisations as with 60.


def populate(count):
    """count organisations: a federation; under it centres (a third); under the first centre
    all the others, as collectives; every one with two fields of activity and a place, and
    contact persons on the first centre, so that every relation a page shows is there."""
    federation = make_type(slug="federation", name="Federation")
    centre = make_type(slug="centre", name="Culture centre", allowed_parents=[federation])
    collective = make_type(slug="collective", name="Collective", can_be_top_level=False,
                           is_legal_entity=False, allowed_parents=[centre])  # fmt: skip
    municipality = make_municipality(region=make_region(slug="kauno-apskritis"))
    fields = [make_field(slug="choir"), make_field(slug="theatre")]
    top = make_organisation(name="Federacija", slug="federacija", type=federation,
                            municipality=municipality, fields=fields)  # fmt: skip
    made = []
    for number in range(count - 1):
        is_centre = number % 3 == 0
        made.append(
            make_organisation(
                name=f"Kultūros centras {number:03d}",
                slug=f"org-{number}",
                type=centre if is_centre else collective,
                parent=top if is_centre else made[0],
                municipality=municipality,
                fields=fields,
                members_count=number,
            )
        )
    for number in range(count // 3):
        make_contact(made[0], consent=number % 2 == 0)
    return [top, *made]


# path, query, queries. The association's profile is kept in each process once loaded, so a
# warm page spends no query on it.
DIRECTORY_QUERIES = {
    # page of organisations (with their fields' ids), their sub-unit counts (the count and the
    # fields' names are cached)
    "directory": (DIRECTORY, {}, 2),
    "filtered": (
        DIRECTORY,
        {"type": "centre", "region": "kauno-apskritis", "field": "choir", "status": "member"},
        2,
    ),
    "sorted by size": (DIRECTORY, {"sort": "size", "page": "2"}, 2),
    # + the organisation named by within
    "within": (DIRECTORY, {"within": "org-0"}, 3),
    # + the ranked ids of the matches
    "searched": (DIRECTORY, {"q": "kult"}, 3),
    "searched and filtered": (DIRECTORY, {"q": "kult centras", "field": "theatre"}, 3),
    "fragment": (DIRECTORY, {"q": "kult", "HX": True}, 3),  # as searched
    # nothing: the count is cached per filter set
    "map page": (f"{DIRECTORY}map/", {"type": "collective"}, 0),
    # nothing: the counts per municipality are cached per filter set
    "map.json": (f"{DIRECTORY}map.json", {"type": "collective"}, 0),
    "map.json at country zoom": (f"{DIRECTORY}map.json", {"bbox": "20,53,27,57", "zoom": "6"}, 0),
    # the organisations in view (from zoom 11 there are points, whatever their number)
    "map.json at town zoom": (f"{DIRECTORY}map.json", {"bbox": "-180,-90,180,90", "zoom": "12"}, 1),
    # counts, regions
    "region list": (f"{DIRECTORY}regions/", {}, 2),
    # region, per municipality, municipalities, figures, organisations listed
    "region page": (f"{DIRECTORY}regions/kauno-apskritis/", {}, 5),
    # organisation, its fields, photos, contacts, annual reports, ancestors, children, figures
    # (the projects it leads or partners in are cached)
    "profile": (f"{DIRECTORY}org-0/", {}, 8),
}


@pytest.fixture(scope="class")
def organisations(request, django_db_setup, django_db_blocker):
    """populate(size) once for the class that asks, with the class's size."""
    with built_once(django_db_blocker, lambda: populate(request.cls.size)) as made:
        yield made


class QueryCounts:
    size = None

    @pytest.mark.parametrize("name", DIRECTORY_QUERIES)
    def test_a_page_costs_a_fixed_number_of_queries(
        self, organisations, db, client, django_assert_num_queries, name
    ):
        assert Organisation.objects.count() == self.size
        path, params, queries = DIRECTORY_QUERIES[name]
        params = dict(params)
        headers = {"HX-Request": "true"} if params.pop("HX", False) else {}
        assert client.get(path, params, headers=headers).status_code == 200
        with django_assert_num_queries(queries):
            client.get(path, params, headers=headers)
        assert queries <= 8

    def test_the_profile_measured_has_sub_units_and_contacts(self, organisations, db, client):
        centre = Organisation.objects.get(slug="org-0")
        response = client.get(f"{DIRECTORY}org-0/")
        sub_units = json_ld(response)["subOrganization"]
        assert len(sub_units) == centre.children.count() > 0
        shown = centre.contacts.filter(consent=True).count()
        assert text(response).count("<li><strong>Contact ") == shown > 0


class TestQueryCountsWith3Organisations(QueryCounts):
    size = 3


class TestQueryCountsWith60Organisations(QueryCounts):
    size = 60


class TestPageCache:
    """Visitors without a session get the directory's pages from the cache until it changes."""

    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600

    def test_a_second_visit_costs_no_query(self, d, client, django_assert_num_queries):
        first = client.get(DIRECTORY, {"type": "centre"})
        with django_assert_num_queries(0):
            second = client.get(DIRECTORY, {"type": "centre"})
        assert second.content == first.content

    def test_a_change_to_the_directory_shows_at_once(
        self, d, client, django_capture_on_commit_callbacks
    ):
        before = result_names(client.get(DIRECTORY))
        with django_capture_on_commit_callbacks(execute=True):
            added = make_organisation(name="Naujas klubas", type=d.centre)
        assert result_names(client.get(DIRECTORY)) == by_name(
            [*Organisation.objects.filter(name__in=before), added]
        )

    def test_a_visitor_with_a_session_gets_a_fresh_page(self, d, client):
        client.get(DIRECTORY)
        client.force_login(make_user())
        response = client.get(DIRECTORY)
        assert "Sign out" in response.content.decode()
