import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from association.models import Affiliation, AssociationProfile, SitePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    profile = AssociationProfile.load()
    profile.name_en = "Union of Culture Houses"
    profile.name_lt = "Kultūros namų sąjunga"
    profile.short_name_en = "UCH"
    profile.mission_en = "We bring culture houses together."
    profile.mission_lt = "Vienijame kultūros namus."
    profile.values_en = "Openness\n\nCo-operation\n"
    profile.founding_year = 2002
    profile.email = "office@uch.example"
    profile.save()
    Affiliation.objects.create(
        profile=profile, name_en="European network", name_lt="Europos tinklas", order=1
    )
    return profile


def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_root_follows_the_browsers_language(client):
    response = client.get("/", headers={"accept-language": "lt,en;q=0.5"})
    assert response["Location"] == "/lt/"


def test_home_shows_name_mission_and_placeholders(client, profile):
    response = client.get("/en/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Union of Culture Houses</h1>" in content
    assert "We bring culture houses together." in content
    assert "Since 2002" in content
    assert "No news has been published yet." in content
    assert "Openness" in content and "Co-operation" in content


def test_about_page_speaks_the_language_of_the_url(client, profile):
    english = client.get("/en/about/").content.decode()
    lithuanian = client.get("/lt/about/").content.decode()
    assert "Union of Culture Houses" in english and "European network" in english
    assert "Kultūros namų sąjunga" in lithuanian and "Europos tinklas" in lithuanian
    assert "Vienijame kultūros namus." in lithuanian
    assert 'lang="lt"' in lithuanian
    # Interface strings are translated too.
    assert "<h2>Misija</h2>" in lithuanian


def test_untranslated_fields_fall_back_to_english(client, profile):
    content = client.get("/sv/about/").content.decode()
    assert "Union of Culture Houses" in content


def test_language_switcher_links_to_the_same_page_in_each_language(client, profile):
    content = client.get("/en/about/").content.decode()
    for code in ("en", "lt", "sl", "sv"):
        assert f'href="/{code}/about/" hreflang="{code}"' in content
    assert 'hreflang="en" lang="en" aria-current="true"' in content


def test_language_switcher_on_a_missing_page_offers_each_home_page(client, profile):
    content = client.get("/en/no-such-page/").content.decode()
    assert 'href="/lt/" hreflang="lt"' in content


@pytest.mark.parametrize("kind", ["accessibility", "privacy"])
def test_site_pages_show_the_secretariats_text(client, kind):
    page = SitePage.objects.get(kind=kind)
    page.title_en = "Our statement"
    page.body_en = "<h2>Contact</h2><p>Write to us.</p>"
    page.save()
    content = client.get(reverse(kind)).content.decode()
    assert "<h1>Our statement</h1>" in content
    assert "<h2>Contact</h2><p>Write to us.</p>" in content


def test_site_page_without_text_says_so(client):
    SitePage.objects.filter(kind="privacy").update(body_en="")
    content = client.get("/en/privacy/").content.decode()
    assert "has not published this text yet" in content


def test_site_page_body_is_sanitised_on_save():
    page = SitePage.objects.get(kind="privacy")
    page.body_en = (
        '<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:x">l</a></p>'
    )
    page.save()
    page.refresh_from_db()
    assert "script" not in page.body_en
    assert "onclick" not in page.body_en
    assert "javascript:" not in page.body_en
    assert "<p>Hi" in page.body_en


def test_missing_page_answers_404_in_the_sites_style(client, profile):
    response = client.get("/en/definitely/not/here/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "Union of Culture Houses" in content


def test_missing_page_in_lithuanian(client, profile):
    response = client.get("/lt/nera-tokio/")
    assert response.status_code == 404
    assert 'lang="lt"' in response.content.decode()


def test_server_error_page_renders_when_the_database_is_down(monkeypatch):
    def database_down(cls):
        raise OperationalError("connection refused")

    monkeypatch.setattr(AssociationProfile, "load", classmethod(database_down))
    response = Client(raise_request_exception=False).get("/en/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_home_page_query_count_is_fixed(client, profile, django_assert_num_queries):
    for number in range(10):
        Affiliation.objects.create(profile=profile, name_en=f"Network {number}")
    client.get("/en/")  # the directory's figures and the latest news are read once, then cached
    # The profile is kept in the process once loaded; the figures and the news are cached.
    with django_assert_num_queries(0):
        client.get("/en/")


@pytest.mark.parametrize(
    "path",
    [
        "/xx/about/",
        "/en/%ff%fe/",
        "/en/about/%00/",
        "/en/about/?lang=%00&next=javascript:alert(1)",
        "/en/privacy/?" + "x=1&" * 500,
        "/en/accounts/password/reset/key/garbage-garbage/",
    ],
)
def test_garbage_addresses_never_answer_500(client, path):
    assert client.get(path).status_code in (200, 302, 400, 404)


@pytest.mark.parametrize(
    "path", ["/media/../../etc/passwd", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/"]
)
def test_media_urls_never_leave_the_media_folder(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)  # Django answers a traversal attempt with 400
    assert b"root:" not in response.content


def test_about_page_query_count_is_fixed(client, profile, django_assert_num_queries):
    for number in range(10):
        Affiliation.objects.create(profile=profile, name_en=f"Network {number}")
    client.get("/en/about/")
    with django_assert_num_queries(1):  # the affiliations, however many
        client.get("/en/about/")
