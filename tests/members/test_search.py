"""Search: text is normalised (case, diacritics) the same way on both sides, every word typed is
a prefix, and nothing typed reaches tsquery syntax."""

import re

import pytest

from members.models import Organisation
from members.search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, normalise, prefix_query
from members.selectors import matching, search_query
from tests.factories import make_municipality, make_organisation, make_region
from tests.members.pages import result_names

# What prefix_query may return: prefix terms of plain letters and digits joined by "&".
SAFE_TSQUERY = re.compile(r"^([0-9a-z]+:\* & )*([0-9a-z]+:\*)?$")

HOSTILE = {
    "quotes": "\"choras\" 'aidas'",
    "sql": "' OR 1=1 --",
    "tsquery operators": "&|!:*()<->",
    "nul byte": "chor\x00as",
    "only a nul byte": "\x00",
    "emoji": "🎻🎶 choras 👍",
    "backslashes": "\\'\\\\",
    "long": "kultūra " * 625,  # 5,000 characters
}


# --- Normalisation (no database) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ą č ę ė į š ų ū ž", "a c e e i s u u z"),
        ("Ą Č Ę Ė Į Š Ų Ū Ž", "a c e e i s u u z"),
        ("Kultūros centras", "kulturos centras"),
        ("Kėdainių rajono savivaldybė", "kedainiu rajono savivaldybe"),
        ("č š ž Č Š Ž", "c s z c s z"),
        ("Žalec", "zalec"),
        ("Gledališče", "gledalisce"),
        ("å ä ö Å Ä Ö", "a a o a a o"),
        ("Göteborg", "goteborg"),
        ("Västra Götalands län", "vastra gotalands lan"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_drops_case_and_diacritics(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kult", "kult:*"),
        ("Kultūros", "kulturos:*"),
        ("choras ai", "choras:* & ai:*"),
        ("  Mišrus   choras „Aidas“ ", "misrus:* & choras:* & aidas:*"),
        ("Göteborg", "goteborg:*"),
        ("ŽALEC", "zalec:*"),
        ("", ""),
        (None, ""),
    ],
)
def test_prefix_query_makes_each_word_a_prefix(text, expected):
    assert prefix_query(text) == expected


@pytest.mark.parametrize("name", HOSTILE)
def test_prefix_query_never_lets_syntax_through(name):
    query = prefix_query(HOSTILE[name])
    assert SAFE_TSQUERY.match(query), query


def test_prefix_query_keeps_only_the_words_of_hostile_input():
    assert prefix_query(HOSTILE["sql"]) == "or:* & 1:* & 1:*"
    assert prefix_query(HOSTILE["quotes"]) == "choras:* & aidas:*"
    assert prefix_query(HOSTILE["tsquery operators"]) == ""
    assert prefix_query(HOSTILE["only a nul byte"]) == ""
    # The NUL splits the word: both halves stay prefixes.
    assert prefix_query(HOSTILE["nul byte"]) == "chor:* & as:*"
    assert prefix_query(HOSTILE["emoji"]) == "choras:*"


def test_prefix_query_is_bounded_in_words_and_length():
    assert prefix_query(HOSTILE["long"]) == " & ".join(["kultura:*"] * MAX_QUERY_WORDS)
    one_long_word = prefix_query("a" * 5000)
    assert one_long_word == "a" * MAX_QUERY_LENGTH + ":*"


# --- Search in the database ------------------------------------------------------------------


def found(text):
    """Names of the published organisations that a search for the text finds."""
    query = search_query(text)
    assert query is not None, f"{text!r} has no words to search for"
    return set(matching(Organisation.objects.published(), query).values_list("name", flat=True))


def names(*organisations):
    return {organisation.name for organisation in organisations}


@pytest.fixture
def d(shared_directory, db):
    return shared_directory


@pytest.mark.parametrize("text", ["kulturos", "Kultūros", "KULTŪROS", "kultūros centras"])
def test_a_lithuanian_name_is_found_with_or_without_diacritics(d, text):
    assert found(text) == names(d.kedainiai_centre)


@pytest.mark.parametrize("text", ["goteborg", "Göteborg", "GÖTEBORG"])
def test_an_organisation_is_found_by_its_swedish_municipality(d, text):
    # "Kulturhuset Väst" does not name its municipality: the place is what matches.
    assert found(text) == names(d.kulturhuset)


@pytest.mark.parametrize("text", ["zalec", "Žalec", "ŽALEC"])
def test_an_organisation_is_found_by_its_slovenian_municipality(d, text):
    assert found(text) == names(d.savinja)


@pytest.mark.parametrize("text", ["ljubljana", "Ljubljana", "LJUBLJANA", "ljub"])
def test_search_ignores_case(d, text):
    ljubljana = make_municipality(name="Ljubljana", region=make_region(country="SI"))
    kino = make_organisation(name="Kino Šiška", type=d.centre, municipality=ljubljana)
    assert found(text) == names(kino)
    assert found("siska") == found("Šiška") == names(kino)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k", ["kedainiai_centre", "josvainiai", "aidas", "linelis", "tautos_namai",
               "savinja", "kulturhuset"]),
        ("kult", ["kedainiai_centre", "savinja", "kulturhuset"]),
        ("kultu", ["kedainiai_centre", "savinja", "kulturhuset"]),
        ("kulture", ["savinja"]),
        ("kulturo", ["kedainiai_centre"]),
        ("choras", ["kedainiai_centre", "aidas", "savinja"]),
        ("choras ai", ["aidas"]),
        ("choras aidas", ["aidas"]),
        ("choras aidasx", []),
    ],
)  # fmt: skip
def test_prefixes_find_as_people_type(d, text, expected):
    assert found(text) == names(*(getattr(d, name) for name in expected))


def test_the_short_name_is_searched(d):
    assert found("kkc") == names(d.kedainiai_centre)


def test_the_municipality_is_searched(d):
    assert found("kedainiu") == names(d.kedainiai_centre, d.josvainiai, d.aidas, d.linelis)
    assert found("kauno miesto") == names(d.tautos_namai)


@pytest.mark.parametrize("text", ["choir", "choras", "kör", "kor", "pevski zbor"])
def test_fields_of_activity_are_searched_in_every_language(d, text):
    assert found(text) == names(d.kedainiai_centre, d.aidas, d.savinja)


def test_the_description_is_searched(d):
    assert found("bendruomenei") == names(d.kedainiai_centre)
    assert found("savinjski dolini") == names(d.savinja)


def test_unpublished_organisations_are_not_found(d):
    assert found("slaptas") == set()
    assert Organisation.objects.filter(search_vector=search_query("slaptas")).get() == d.hidden


def test_a_renamed_field_of_activity_is_found_by_its_new_name(d):
    d.theatre.name_lt = "Vaidyba"
    d.theatre.save()
    assert found("vaidyba") == names(d.tautos_namai, d.savinja)


def ranked_names(client, text):
    """The directory's results for a search, in the order it ranks them."""
    return result_names(client.get("/en/members/", {"q": text}))


def test_name_matches_come_before_description_only_matches(d, client):
    # Sorted by name, or by how often the description names it, the description match would
    # come first: only ranking name matches first puts the named one ahead.
    mentions = make_organisation(
        name="Aaa bendrija",
        type=d.centre,
        description="<p>" + "Vaivorykštė ir vaivorykštės. " * 20 + "</p>",
    )
    named = make_organisation(name="Vaivorykštė", type=d.centre)
    assert ranked_names(client, "vaivorykst") == [named.name, mentions.name]


def test_name_matches_come_before_field_of_activity_matches(d, client):
    named = make_organisation(name="Choras Vilnius", type=d.centre)
    ranked = ranked_names(client, "choras")
    # The two with "choras" in their name, then those with it only as a field of activity.
    assert set(ranked[:2]) == {named.name, d.aidas.name}
    assert set(ranked[2:]) == {d.kedainiai_centre.name, d.savinja.name}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_searches_without_error(d, name):
    query = search_query(HOSTILE[name])
    if query is None:
        return  # no words: nothing is searched (prefix_query's tests pin which these are)
    list(matching(Organisation.objects.published(), query))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_in_the_directory_answers_a_page(d, client, name):
    response = client.get("/en/members/", {"q": HOSTILE[name]})
    assert response.status_code == 200
    assert "<h1>Members</h1>" in response.content.decode()
