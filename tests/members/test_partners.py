"""Partner search: the public list at /members/partners/ (filters, garbage in the address,
what is hidden, what it costs in queries), the box on a profile, member staff's pages under
/my/<organisation>/partners/ (the full permission matrix is generated in
test_staff_permissions.py from tests/members/staff.py), bad input, and the demo loader."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from members.countries import COUNTRIES, country_name
from members.demo import PARTNER_OFFERS, load_demo_partner_offers
from members.models import Organisation, PartnerOffer, validate_not_reserved
from tests.factories import (
    make_municipality,
    make_organisation,
    make_partner_offer,
    make_region,
    make_topic,
    make_type,
    make_user,
)
from tests.members.conftest import built_once
from tests.members.pages import chips, text, warnings
from tests.members.staff import LOGIN_PATH, error_summary, form_values, messages_shown, snapshot

pytestmark = pytest.mark.django_db

PARTNERS = "/en/members/partners/"
TODAY = date.today()


def titles(response):
    """The titles of the offers listed, in order."""
    return [
        html.unescape(title)
        for title in re.findall(
            r'<li class="result-card partner-offer">\s*<h3>([^<]*)</h3>', text(response)
        )
    ]


def count_shown(response):
    heading = re.search(r'<h2 id="results-count"[^>]*>\s*([\d,]+) partner search', text(response))
    assert heading, "the page has no results heading"
    return int(heading.group(1).replace(",", ""))


@pytest.fixture
def p(db):
    """Three organisations in two regions, two topics, and offers open, closed and hidden."""
    from types import SimpleNamespace

    p = SimpleNamespace()
    centre = make_type(slug="centre", name="Culture centre")
    p.kaunas = make_region(name="Kauno apskritis", slug="kauno-apskritis", country="LT")
    p.vilnius = make_region(name="Vilniaus apskritis", slug="vilniaus-apskritis", country="LT")
    p.youth = make_topic(slug="youth", name={"en": "Youth", "lt": "Jaunimas"})
    p.heritage = make_topic(slug="heritage", name="Cultural heritage")
    p.kedainiai = make_organisation(
        name="Kėdainių kultūros centras",
        slug="kedainiu-kc",
        type=centre,
        municipality=make_municipality(region=p.kaunas),
    )
    p.vilnius_centre = make_organisation(
        name="Vilniaus rajono centras",
        slug="vilniaus-rc",
        type=centre,
        municipality=make_municipality(region=p.vilnius),
    )
    p.archived = make_organisation(
        name="Archived centre", slug="archived", type=centre, published=False
    )
    p.exchange = make_partner_offer(
        organisation=p.kedainiai,
        title="Folk dance youth exchange",
        description="Ten days of dancing for young people.\nLooking for two groups.",
        project_kind="exchange",
        countries=["PL", "LV"],
        topics=[p.youth],
        contact_name="Rasa Kazlauskienė",
        contact_email="rasa@example.org",
        valid_until=TODAY + timedelta(days=60),
    )
    p.research = make_partner_offer(
        organisation=p.vilnius_centre,
        title="Study of village festivals",
        description="Žemaitijos ir Dzūkijos šventės.",
        project_kind="research",
        countries=["SE", "UA"],
        topics=[p.heritage, p.youth],
    )
    p.last_day = make_partner_offer(
        organisation=p.vilnius_centre,
        title="Choir co-production",
        project_kind="co-production",
        countries=["FI"],
        valid_until=TODAY,
    )
    p.expired = make_partner_offer(
        organisation=p.kedainiai, title="Expired search", valid_until=TODAY - timedelta(days=1)
    )
    p.hidden = make_partner_offer(organisation=p.kedainiai, title="Hidden search", published=False)
    p.of_archived = make_partner_offer(organisation=p.archived, title="Archived's search")
    return p


# --- The public list --------------------------------------------------------------------------


def test_the_list_shows_open_offers_newest_first(client, p):
    response = client.get(PARTNERS)
    assert response.status_code == 200
    assert titles(response) == [
        "Choir co-production",
        "Study of village festivals",
        "Folk dance youth exchange",
    ]
    assert count_shown(response) == 3


def test_expired_hidden_and_archived_organisations_offers_are_not_shown(client, p):
    shown = text(client.get(PARTNERS))
    for offer in (p.expired, p.hidden, p.of_archived):
        assert offer.title not in shown
    assert set(PartnerOffer.objects.active()) == {p.exchange, p.research, p.last_day}
    # The day after its last day, an offer closes.
    assert p.last_day not in PartnerOffer.objects.active(TODAY + timedelta(days=1))


def test_an_offer_shows_who_what_kind_topics_countries_until_and_contact(client, p):
    page = text(client.get(PARTNERS))
    card = page[page.index("Folk dance youth exchange") :].split("</li>")[0]
    assert f'<a href="{p.kedainiai.get_absolute_url()}">Kėdainių kultūros centras</a>' in card
    assert "Exchange or mobility" in card
    assert "Youth" in card
    assert "Poland, Latvia" in card
    assert f'datetime="{p.exchange.valid_until.isoformat()}"' in card
    assert 'Rasa Kazlauskienė, <a href="mailto:rasa@example.org">rasa@example.org</a>' in card
    # Plain text: line breaks kept, nothing taken as HTML.
    assert "Ten days of dancing for young people.<br>Looking for two groups." in card


def test_countries_and_topics_are_named_in_the_pages_language(client, p):
    page = text(client.get("/lt/members/partners/"))
    assert "Lenkija, Latvija" in page
    assert "Jaunimas" in page
    assert country_name("XK", "sv") == "Kosovo"
    assert country_name("GB", "sl") == "Združeno kraljestvo"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "youth"}, ["Study of village festivals", "Folk dance youth exchange"]),
        ({"topic": "heritage"}, ["Study of village festivals"]),
        ({"kind": "co-production"}, ["Choir co-production"]),
        ({"country": "UA"}, ["Study of village festivals"]),
        ({"country": "PL"}, ["Folk dance youth exchange"]),
        ({"region": "kauno-apskritis"}, ["Folk dance youth exchange"]),
        ({"region": "vilniaus-apskritis"}, ["Choir co-production", "Study of village festivals"]),
        # Text search: in the title, the description or the organisation's name, without case
        # or diacritics, every word as a part of a word.
        ({"q": "FESTIV"}, ["Study of village festivals"]),
        ({"q": "zemaitijos"}, ["Study of village festivals"]),
        ({"q": "kedainiu kultur"}, ["Folk dance youth exchange"]),
        ({"q": "kedainiu festivals"}, []),
        ({"topic": "youth", "country": "LV", "q": "dance"}, ["Folk dance youth exchange"]),
    ],
)
def test_each_filter(client, p, params, expected):
    response = client.get(PARTNERS, params)
    assert titles(response) == expected
    assert warnings(response) == []
    if not expected:
        assert "No partner search matches." in text(response)


def test_active_filters_show_as_chips_with_their_labels(client, p):
    found = chips(client.get(PARTNERS, {"country": "UA", "kind": "research"}))
    assert found["Partners' country"][0] == "Ukraine"
    assert found["Kind of project"] == ("Research", f"{PARTNERS}?country=UA")


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "no-such-topic"},
        {"kind": "<script>alert(1)</script>"},
        {"country": "ZZ"},
        {"country": "pl"},
        {"region": "../../etc"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"q": "x" * 5000},
        {"q": "\x00\x1b[31m"},
        {"q": "' OR 1=1 --"},
        {"q": "a & b | !c :* <->"},
        {"topic": ["youth", "heritage"], "country": ["PL", "ZZ"]},
    ],
)
def test_garbage_in_the_address_never_fails(client, p, params):
    response = client.get(PARTNERS, params)
    assert response.status_code == 200
    assert "<script>alert" not in text(response)


def test_an_unknown_filter_value_is_said_and_left_out(client, p):
    response = client.get(PARTNERS, {"country": "ZZ", "kind": "exchange"})
    assert titles(response) == ["Folk dance youth exchange"]
    (warning,) = warnings(response)
    assert "ZZ is not one of the available choices" in warning


def test_the_empty_list_says_so(client, db):
    response = client.get(PARTNERS)
    assert response.status_code == 200
    assert "No organisation is looking for partners just now." in text(response)


def test_the_list_is_paged(client, p):
    for number in range(25):
        make_partner_offer(organisation=p.kedainiai, title=f"Extra {number:02d}")
    first, second = client.get(PARTNERS), client.get(PARTNERS, {"page": 2})
    assert len(titles(first)) == 20
    assert titles(first)[0] == "Extra 24"
    assert len(titles(second)) == 8
    assert count_shown(second) == 28


def test_partners_is_a_reserved_slug_and_the_list_wins_over_profiles(client, p):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_not_reserved("partners")
    assert client.get(PARTNERS).resolver_match.url_name == "partners"


def test_the_directory_links_to_the_list(client, p):
    assert f'href="{PARTNERS}"' in text(client.get("/en/members/"))


# --- Queries ----------------------------------------------------------------------------------


def populate(count):
    """count open offers, each by its own organisation, with two topics and three countries."""
    centre = make_type(slug="centre")
    region = make_region(slug="kauno-apskritis")
    municipality = make_municipality(region=region)
    topics = [make_topic(slug="youth"), make_topic(slug="heritage")]
    for number in range(count):
        organisation = make_organisation(
            name=f"Centras {number}", type=centre, municipality=municipality
        )
        make_partner_offer(
            organisation=organisation,
            title=f"Offer {number}",
            countries=["PL", "SE", "UA"],
            topics=topics,
        )


# Topics (the filter's choices and the cards' names), the count, the page of offers with their
# organisations and topic ids. Regions come from the directory's cached vocabularies.
LIST_QUERIES = {
    "list": ({}, 3),
    "filtered": ({"topic": "youth", "country": "PL", "region": "kauno-apskritis"}, 3),
    "searched": ({"q": "offer centras", "kind": "exchange"}, 3),
    "page 2": ({"page": "2"}, 3),
}


@pytest.fixture(scope="class")
def offers(request, django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, lambda: populate(request.cls.size)):
        yield


class QueryCounts:
    size = None

    @pytest.mark.parametrize("name", LIST_QUERIES)
    def test_the_list_costs_a_fixed_number_of_queries(
        self, offers, db, client, django_assert_num_queries, name
    ):
        params, queries = LIST_QUERIES[name]
        assert client.get(PARTNERS, params).status_code == 200  # the vocabularies are warm
        with django_assert_num_queries(queries):
            response = client.get(PARTNERS, params)
        assert count_shown(response) == self.size

    def test_the_profile_costs_no_more_with_offers(
        self, offers, db, client, django_assert_num_queries
    ):
        # The box is cached with the directory (as the profile's projects are): the pinned
        # count of the profile in test_directory.py stays as it was.
        organisation = Organisation.objects.get(name="Centras 0")
        path = organisation.get_absolute_url()
        client.get(path)
        # Organisation, fields, photos, contacts, reports, sub-units, figures: none for offers.
        with django_assert_num_queries(7) as counted:
            response = client.get(path)
        assert not [q for q in counted.captured_queries if "partneroffer" in q["sql"]]
        assert "Offer 0" in text(response)


class TestQueryCountsWith3Offers(QueryCounts):
    size = 3


class TestQueryCountsWith25Offers(QueryCounts):
    size = 25


class TestPageCache:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600

    def test_a_change_to_an_offer_shows_at_once(
        self, client, p, django_capture_on_commit_callbacks, django_assert_num_queries
    ):
        client.get(PARTNERS)
        with django_assert_num_queries(0):
            client.get(PARTNERS)
        with django_capture_on_commit_callbacks(execute=True):
            p.exchange.title = "Renamed exchange"
            p.exchange.save()
        assert "Renamed exchange" in titles(client.get(PARTNERS))
        profile = p.kedainiai.get_absolute_url()
        assert "Renamed exchange" in text(client.get(profile))
        with django_capture_on_commit_callbacks(execute=True):
            p.exchange.delete()
        assert "Renamed exchange" not in text(client.get(profile))


# --- The profile ------------------------------------------------------------------------------


def test_the_profile_shows_its_open_offers_only(client, p):
    page = text(client.get(p.kedainiai.get_absolute_url()))
    box = page[page.index('id="partners-heading"') :].split("</section>")[0]
    assert "Folk dance youth exchange" in box
    assert "Expired search" not in box and "Hidden search" not in box
    assert f'href="{PARTNERS}"' in box


def test_a_profile_without_open_offers_has_no_box(client, p):
    organisation = make_organisation(name="Quiet centre")
    make_partner_offer(organisation=organisation, valid_until=TODAY - timedelta(days=3))
    assert 'id="partners-heading"' not in text(client.get(organisation.get_absolute_url()))


# --- Member staff -----------------------------------------------------------------------------


def staff_url(name, organisation, *args):
    return reverse(f"staff:{name}", args=[organisation.slug, *args])


@pytest.fixture
def editor(client, p):
    user = make_user(email="editor@example.org", name="Ona Editor")
    from members.models import Role

    Role.objects.create(user=user, organisation=p.kedainiai, level="editor")
    client.force_login(user)
    return client


def valid_data(p, **changes):
    return {
        "title": "Theatre training",
        "project_kind": "training",
        "description": "Three workshops.",
        "topics": [p.youth.pk, p.heritage.pk],
        "countries": ["EE", "RS"],
        "valid_until": (TODAY + timedelta(days=90)).isoformat(),
        "contact_name": "Ona Editor",
        "contact_email": "ona@example.org",
        "published": "on",
    } | changes


def test_staff_add_edit_and_delete_an_offer(editor, p, django_capture_on_commit_callbacks):
    page = editor.get(staff_url("partners", p.kedainiai))
    assert page.status_code == 200
    # The form starts with the person adding it as the contact.
    values = form_values(page.content, "contact_email")
    assert values["contact_email"] == ["editor@example.org"]
    assert values["contact_name"] == ["Ona Editor"]

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(staff_url("partners", p.kedainiai), valid_data(p))
    assert response.status_code == 302
    assert response["Location"] == staff_url("partners", p.kedainiai)
    offer = p.kedainiai.partner_offers.get(title="Theatre training")
    assert offer.countries == ["EE", "RS"]
    assert set(offer.topics.all()) == {p.youth, p.heritage}
    listing = editor.get(response["Location"])
    assert messages_shown(listing) == ["“Theatre training” is saved."]
    assert "Theatre training" in titles(editor.get(PARTNERS))

    edit = staff_url("partner-edit", p.kedainiai, offer.pk)
    values = form_values(editor.get(edit).content, "contact_email")
    assert values["countries"] == ["EE", "RS"]
    response = editor.post(edit, valid_data(p, title="Theatre training 2", topics=[], published=""))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.published, list(offer.topics.all())) == (
        "Theatre training 2",
        False,
        [],
    )
    assert "Theatre training 2" not in titles(editor.get(PARTNERS))

    delete = staff_url("partner-delete", p.kedainiai, offer.pk)
    confirm = editor.get(delete)
    assert confirm.status_code == 200
    assert "will no longer show anywhere" in text(confirm)
    assert PartnerOffer.objects.filter(pk=offer.pk).exists()
    response = editor.post(delete)
    assert response["Location"] == staff_url("partners", p.kedainiai)
    assert not PartnerOffer.objects.filter(pk=offer.pk).exists()


def test_the_staff_list_says_which_offers_show(editor, p):
    page = text(editor.get(staff_url("partners", p.kedainiai)))
    rows = dict(
        re.findall(
            r'<th scope="row"><a [^>]*>([^<]*)</a></th>.*?<td>\s*([^<]*?)\s*</td>\s*<td><a',
            page,
            re.S,
        )
    )
    assert rows == {
        "Folk dance youth exchange": "Yes",
        "Expired search": "No: the date has passed",
        "Hidden search": "Hidden",
    }


def test_the_staff_pages_link_to_the_partner_search(editor, p):
    assert f'href="{staff_url("partners", p.kedainiai)}"' in text(
        editor.get(staff_url("profile", p.kedainiai))
    )
    assert f'href="{staff_url("partners", p.kedainiai)}"' in text(editor.get("/en/my/"))


@pytest.mark.parametrize("name", ["partner-edit", "partner-delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_offer_answers_404_and_nothing_changes(
    editor, p, tmp_path, name, method
):
    before = snapshot()
    # Through the editor's own organisation's address, and through the other's.
    for organisation in (p.kedainiai, p.vilnius_centre):
        path = staff_url(name, organisation, p.research.pk)
        response = getattr(editor, method)(path, valid_data(p) if method == "post" else None)
        assert response.status_code == 404
    response = getattr(editor, method)(staff_url("partners", p.vilnius_centre), valid_data(p))
    assert response.status_code == 404
    assert snapshot() == before


def test_an_anonymous_visitor_is_sent_to_sign_in(client, p):
    for path in (
        staff_url("partners", p.kedainiai),
        staff_url("partner-edit", p.kedainiai, p.exchange.pk),
        staff_url("partner-delete", p.kedainiai, p.exchange.pk),
    ):
        response = client.post(path, valid_data(p))
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN_PATH}?next=")
    assert PartnerOffer.objects.count() == 6


def test_a_role_in_a_sub_unit_does_not_reach_the_organisation_above(client, p):
    from members.models import Role

    branch_type = make_type(slug="branch", allowed_parents=[p.kedainiai.type])
    branch = make_organisation(name="Branch", type=branch_type, parent=p.kedainiai)
    user = make_user()
    Role.objects.create(user=user, organisation=branch, level="admin")
    client.force_login(user)
    assert client.get(staff_url("partners", branch)).status_code == 200
    assert client.get(staff_url("partners", p.kedainiai)).status_code == 404
    assert client.get(staff_url("partner-edit", p.kedainiai, p.exchange.pk)).status_code == 404


BAD_INPUT = [
    (
        {"countries": ["PL", "ZZ"]},
        "Partners' countries: “ZZ” is not one of the countries partners can be sought in here.",
    ),
    ({"countries": []}, "Partners' countries: Choose at least one country."),
    (
        {"valid_until": (TODAY - timedelta(days=1)).isoformat()},
        "Looking until: The date has passed: give today or a later day.",
    ),
    (
        {"valid_until": (TODAY + timedelta(days=5 * 365)).isoformat()},
        "Looking until: Give a date within three years: renew the search when it runs out.",
    ),
    ({"valid_until": "31/02/2027"}, "Looking until: Enter a date, such as 2027-03-31."),
    ({"topics": ["abc"]}, "Topics: “abc” is not one of the topics: choose from the list."),
    ({"topics": ["999999"]}, "Topics: 999999 is not one of the topics: choose from the list."),
    (
        {"description": "x" * 2001},
        "Description: Ensure this value has at most 2000 characters (it has 2001).",
    ),
    ({"contact_email": "not an address"}, "Contact email: Enter a valid email address."),
    (
        {"contact_email": "rasa@example.org\r\nBcc: all@example.org"},
        "Contact email: Enter a valid email address.",
    ),
    (
        {"contact_name": "Rasa\r\nBcc: all@example.org"},
        "Contact person: Write it on one line, without line breaks or tabs.",
    ),
    ({"title": "Choir\nexchange"}, "What for: Write it on one line, without line breaks or tabs."),
    ({"title": "x" * 151}, "What for: Ensure this value has at most 150 characters (it has 151)."),
    ({"title": ""}, "What for: This field is required."),
    (
        {"project_kind": "party"},
        "Kind of project: Select a valid choice. party is not one of the available choices.",
    ),
    ({"title": "Nul\x00byte"}, "What for: Null characters are not allowed."),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
def test_bad_input_is_answered_with_a_clear_message_and_nothing_is_lost(editor, p, change, message):
    before = snapshot()
    data = valid_data(p, **change)
    response = editor.post(staff_url("partners", p.kedainiai), data)
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert snapshot() == before
    # What was typed is still there to correct.
    kept = form_values(response.content, "contact_email")
    assert kept["contact_name"] == [data["contact_name"]] or "contact_name" in change
    assert kept["countries"] == [c for c in data["countries"] if c in COUNTRIES]


def test_an_edit_with_bad_input_keeps_the_saved_title_in_the_heading(editor, p):
    path = staff_url("partner-edit", p.kedainiai, p.exchange.pk)
    response = editor.post(path, valid_data(p, title="", countries=["ZZ"]))
    assert response.status_code == 200
    assert "Edit “Folk dance youth exchange”" in text(response)
    assert len(error_summary(response)) == 2
    p.exchange.refresh_from_db()
    assert p.exchange.title == "Folk dance youth exchange"


def test_fields_not_on_the_form_are_ignored(editor, p):
    response = editor.post(
        staff_url("partners", p.kedainiai),
        valid_data(p, organisation=p.vilnius_centre.pk, created_at="2000-01-01"),
    )
    assert response.status_code == 302
    offer = PartnerOffer.objects.get(title="Theatre training")
    assert offer.organisation == p.kedainiai
    assert offer.created_at.date() == TODAY


# --- The administration -----------------------------------------------------------------------


def test_the_secretariat_can_correct_or_hide_an_offer_in_the_administration(client, p):
    from tests.factories import make_secretariat_user

    client.force_login(make_secretariat_user())
    changelist = client.get("/admin/members/partneroffer/", {"q": "festivals"})
    assert changelist.status_code == 200
    assert "Study of village festivals" in text(changelist)
    path = f"/admin/members/partneroffer/{p.research.pk}/change/"
    values = form_values(client.get(path).content, "contact_email")
    values["published"] = []
    response = client.post(path, {name: v for name, v in values.items() if v})
    assert response.status_code == 302, error_summary(response)
    p.research.refresh_from_db()
    assert not p.research.published


# --- Demo -------------------------------------------------------------------------------------


def test_the_demo_loader_adds_each_offer_once(db):
    centre = make_type(slug="centre")
    for number in range(1, 7):
        make_organisation(
            name=f"Demo {number}",
            type=centre,
            external_id=f"demo-{number}",
            email=f"info{number}@example.org",
        )
    make_topic(slug="youth")
    assert load_demo_partner_offers() == len(PARTNER_OFFERS) == 6
    assert load_demo_partner_offers() == 0
    assert PartnerOffer.objects.count() == 6
    offers = PartnerOffer.objects.active()
    assert offers.count() == 6
    assert len({offer.project_kind for offer in offers}) >= 4
    assert all(offer.valid_until > TODAY + timedelta(days=30) for offer in offers)
    assert all(code in COUNTRIES for offer in offers for code in offer.countries)


def test_the_demo_loader_without_the_demo_directory_adds_nothing(db):
    assert load_demo_partner_offers() == 0
