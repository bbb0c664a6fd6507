"""The library's pages: search, filters, order and paging; members-only items listed, shown and
served only to member staff and the secretariat, never at a public media address; garbage in
the address never a failure; and a fixed number of queries per list page."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from library.models import LibraryItem
from tests.factories import make_library_item, make_secretariat_user, make_topic, make_user

pytestmark = pytest.mark.django_db

LIST = "/en/library/"
PDF = b"%PDF-1.4\n% a tiny test document\n%%EOF\n"


def titles(response):
    assert response.status_code == 200
    return [
        re.sub(r"<[^>]+>", "", title).strip()
        for title in re.findall(r'<li class="result-card">\s*<h3>(.*?)</h3>', response.text, re.S)
    ]


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_published_public_items_newest_first(client):
    now = timezone.now()
    make_library_item(title="Older guide", published_at=now - timedelta(days=3))
    make_library_item(title="Newest report", published_at=now - timedelta(hours=1))
    make_library_item(title="Middle template", published_at=now - timedelta(days=1))
    make_library_item(title="Unpublished draft", published=False)
    response = client.get(LIST)
    assert titles(response) == ["Newest report", "Middle template", "Older guide"]
    assert '<a href="/en/library/" aria-current="page">Library</a>' in response.text


def test_search_ignores_case_and_diacritics_and_matches_prefixes(client):
    make_library_item(title="Kultūros centrų ataskaitos šablonas", language="lt")
    make_library_item(title="Guide to accessible events", description="<p>Šilutė example</p>")
    make_library_item(title="Something else")
    assert titles(client.get(LIST, {"q": "kulturos"})) == ["Kultūros centrų ataskaitos šablonas"]
    assert titles(client.get(LIST, {"q": "KULTŪR cent"})) == ["Kultūros centrų ataskaitos šablonas"]
    assert titles(client.get(LIST, {"q": "silute"})) == ["Guide to accessible events"]
    assert titles(client.get(LIST, {"q": "nothing matches this"})) == []


def test_the_search_follows_an_edited_title(client):
    item = make_library_item(title="Old name")
    item.title = "Fresh name"
    item.save()
    assert titles(client.get(LIST, {"q": "fresh"})) == ["Fresh name"]
    assert titles(client.get(LIST, {"q": "old"})) == []


def test_filters_by_topic_and_kind(client):
    heritage = make_topic(name="Living heritage", slug="heritage")
    youth = make_topic(name="Youth", slug="youth")
    make_library_item(title="Heritage guide", kind="guide", topics=[heritage])
    make_library_item(title="Heritage report", kind="report", topics=[heritage, youth])
    make_library_item(title="Youth guide", kind="guide", topics=[youth])
    assert sorted(titles(client.get(LIST, {"topic": "heritage"}))) == [
        "Heritage guide",
        "Heritage report",
    ]
    assert titles(client.get(LIST, {"topic": "heritage", "kind": "guide"})) == ["Heritage guide"]
    response = client.get(LIST, {"kind": "report"})
    assert titles(response) == ["Heritage report"]
    assert "Kind:</span> Report" in response.text


def test_the_list_is_paged_by_twelve(client):
    now = timezone.now()
    for n in range(14):
        make_library_item(title=f"Item {n:02}", published_at=now - timedelta(hours=n))
    first = titles(client.get(LIST))
    second = titles(client.get(LIST, {"page": 2}))
    assert first == [f"Item {n:02}" for n in range(12)]
    assert second == ["Item 12", "Item 13"]
    assert "Library, page 2" in client.get(LIST, {"page": 2}).text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 5000},
        {"q": "'); DROP TABLE library_libraryitem; --"},
        {"q": "& | ! :* <->"},
        {"q": "\x00\x01\x1f"},
        {"topic": "no-such-topic"},
        {"topic": ["a", "b"]},
        {"kind": "<script>alert(1)</script>"},
        {"kind": "\x00"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "999999999999999999999"},
        {"page": "1e9", "q": "ų", "topic": "%00", "kind": ""},
    ],
)
def test_garbage_in_the_address_is_never_a_failure(client, params):
    make_library_item(title="Still listed")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_an_unknown_filter_value_is_explained_and_left_out(client):
    make_library_item(title="Still listed")
    response = client.get(LIST, {"topic": "no-such-topic", "kind": "nonsense"})
    assert titles(response) == ["Still listed"]
    assert response.text.count("That filter was left out.") == 2


def test_htmx_gets_only_the_results(client):
    make_library_item(title="Partial")
    response = client.get(LIST, {"q": "part"}, headers={"HX-Request": "true"})
    assert titles(response) == ["Partial"]
    assert "<h1" not in response.text


# --- Members only ------------------------------------------------------------------------------


@pytest.fixture
def items():
    return {
        "public": make_library_item(title="Public guide", slug="public-guide"),
        "members": make_library_item(
            title="Members template",
            slug="members-template",
            visibility="members",
            file=("budget-template.pdf", PDF),
        ),
    }


def test_anonymous_visitors_see_only_public_items_and_a_sign_in_note(client, items):
    response = client.get(LIST)
    assert titles(response) == ["Public guide"]
    assert "Members' documents are listed after" in response.text
    assert 'href="/en/accounts/login/?next=%2Fen%2Flibrary%2F"' in response.text
    assert titles(client.get(LIST, {"q": "members"})) == []


@pytest.mark.parametrize("who", ["member staff", "secretariat"])
def test_member_staff_and_the_secretariat_see_members_only_items(client, items, member_staff, who):
    client.force_login(member_staff if who == "member staff" else make_secretariat_user())
    response = client.get(LIST)
    assert titles(response) == ["Members template", "Public guide"]
    assert "Members only" in response.text
    assert "listed after" not in response.text


def test_a_signed_in_user_without_a_role_sees_only_public_items(client, items):
    client.force_login(make_user())
    response = client.get(LIST)
    assert titles(response) == ["Public guide"]
    assert "for the staff of member organisations only" in response.text


@pytest.mark.parametrize("suffix", ["", "file/"])
def test_anonymous_visitors_are_sent_to_sign_in_for_a_members_only_item(client, items, suffix):
    path = f"/en/library/members-template/{suffix}"
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={path}"


@pytest.mark.parametrize("suffix", ["", "file/"])
def test_a_user_without_a_role_finds_no_members_only_item(client, items, suffix):
    client.force_login(make_user())
    assert client.get(f"/en/library/members-template/{suffix}").status_code == 404
    assert client.get(f"/en/library/public-guide/{suffix}").status_code == 200


def test_member_staff_download_a_members_only_file(client, items, member_staff):
    client.force_login(member_staff)
    page = client.get("/en/library/members-template/")
    assert page.status_code == 200
    assert 'href="/en/library/members-template/file/"' in page.text
    response = client.get("/en/library/members-template/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="members-template.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


def test_anyone_downloads_a_public_file(client, items):
    response = client.get("/en/library/public-guide/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="public-guide.txt"'


def test_the_file_is_not_under_a_public_media_address(client, items, private_files):
    name = items["members"].file.name
    assert name.startswith("library/") and name.endswith("/budget-template.pdf")
    stored = Path(private_files.path(name)).resolve()
    assert stored.is_file()
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    for guess in [
        f"/media/{name}",
        f"{settings.MEDIA_URL}{name}",
        f"/media/../{name}",
        "/media/library/budget-template.pdf",
        f"/media/{stored}",
    ]:
        # Django refuses a path that climbs out of the media folder outright.
        assert client.get(guess).status_code in (400, 404), guess


def test_the_real_private_storage_is_outside_the_media_root():
    assert (
        not Path(settings.PRIVATE_MEDIA_ROOT)
        .resolve()
        .is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    )


def test_unpublished_and_unknown_items_answer_404(client, member_staff):
    make_library_item(title="Draft", slug="draft", published=False)
    client.force_login(member_staff)
    for path in ["/en/library/draft/", "/en/library/draft/file/", "/en/library/nothing/"]:
        assert client.get(path).status_code == 404


def test_a_link_item_links_out_and_has_no_file(client):
    make_library_item(
        title="Webinar recording", slug="webinar", link="https://video.example.org/webinar"
    )
    page = client.get("/en/library/webinar/")
    assert 'href="https://video.example.org/webinar"' in page.text
    assert "video.example.org" in page.text
    assert client.get("/en/library/webinar/file/").status_code == 404


def test_a_file_gone_from_storage_answers_404(client, items, private_files):
    private_files.delete(items["public"].file.name)
    assert client.get("/en/library/public-guide/file/").status_code == 404


def test_the_item_page_shows_its_facts(client):
    topic = make_topic(name="Living heritage", slug="heritage")
    make_library_item(
        title="Gidas: prieinami renginiai",
        slug="gidas",
        kind="guide",
        language="lt",
        description='<p>Kaip <script>alert(1)</script><a href="javascript:x()">surengti</a></p>',
        file=("gidas.pdf", PDF),
        topics=[topic],
    )
    response = client.get("/en/library/gidas/")
    text = response.text
    assert '<article lang="lt">' in text
    assert "<h1>Gidas: prieinami renginiai</h1>" in text
    assert "Lithuanian" in text and "Guide" in text
    assert 'href="/en/library/?topic=heritage"' in text
    assert "<script>alert(1)</script>" not in text and "javascript:" not in text
    assert "(PDF, 38\xa0bytes)" in text  # format and size on the download button


# --- Files follow their item -------------------------------------------------------------------


def test_a_replaced_or_deleted_file_is_removed_from_storage(
    items, private_files, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    item = items["members"]
    old = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        item.file.save("new.pdf", ContentFile(PDF + b" "), save=False)
        item.save()
    assert not private_files.exists(old)
    assert private_files.exists(item.file.name)
    assert LibraryItem.objects.get(pk=item.pk).file_size == len(PDF) + 1
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not private_files.exists(item.file.name)


# --- Query counts ------------------------------------------------------------------------------


def populate(size):
    heritage = make_topic(name="Heritage", slug="heritage")
    for n in range(size):
        make_library_item(
            title=f"Kultūros gidas {n}",
            visibility="members" if n % 2 else "public",
            link="https://example.org/x" if n % 3 == 0 else "",
            topics=[heritage],
        )


QUERIES = {
    # anonymous: count, page; topics prefetched
    ("anonymous", ""): 3,
    ("anonymous", "?q=kultur&topic=heritage&kind=guide"): 3,
    # signed in (sessions are in the cache): the user, the role check, then the same three
    ("member", ""): 5,
    ("member", "?q=kultur&topic=heritage"): 5,
}


@pytest.mark.parametrize("size", [3, 25])
@pytest.mark.parametrize("who, query", QUERIES)
def test_the_list_costs_a_fixed_number_of_queries(
    client, member_staff, django_assert_num_queries, size, who, query
):
    populate(size)
    if who == "member":
        client.force_login(member_staff)
    assert client.get(LIST + query).status_code == 200  # the topics are cached now
    with django_assert_num_queries(QUERIES[who, query]):
        response = client.get(LIST + query)
    assert len(titles(response)) == min(size if who == "member" else (size + 1) // 2, 12)


# --- Summaries and the page cache --------------------------------------------------------------


def test_a_card_shows_the_description_as_plain_words(client):
    make_library_item(
        title="Template",
        description="<p>Parts:</p><ul><li>Lentelės</li><li>Planai &amp; more</li></ul>",
    )
    assert "Parts: Lentelės Planai &amp; more" in client.get(LIST).text


def test_a_cached_list_follows_every_change(client, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 60
    topic = make_topic(name="Heritage", slug="heritage")
    with django_capture_on_commit_callbacks(execute=True):
        item = make_library_item(title="First")
    assert titles(client.get(LIST)) == ["First"]
    with django_capture_on_commit_callbacks(execute=True):
        make_library_item(title="Second")
    assert titles(client.get(LIST)) == ["Second", "First"]
    with django_capture_on_commit_callbacks(execute=True):
        item.topics.add(topic)
    assert titles(client.get(LIST, {"topic": "heritage"})) == ["First"]
    with django_capture_on_commit_callbacks(execute=True):
        item.visibility = "members"
        item.save()
    assert titles(client.get(LIST)) == ["Second"]
    with django_capture_on_commit_callbacks(execute=True):
        LibraryItem.objects.filter(title="Second").delete()
    assert titles(client.get(LIST)) == []
