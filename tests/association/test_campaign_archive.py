"""The public archive of the newsletters sent: only finished campaigns, newest first, each shown
as it was sent but with no personal data (no address, no token, no per-recipient placeholder
link), bad addresses answered with a 404 and never an error, a fixed number of queries, and no
axe-core violation in Chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from association import subscriptions
from association.campaigns import PLACEHOLDERS, campaign_render
from association.models import Campaign, Delivery
from tests.conftest import ARTIFACTS
from tests.factories import make_news_post, make_subscriber
from tests.helpers import assert_accessible, committed_db

ARCHIVE = "/en/newsletter/archive/"
SENT = [Campaign.Status.FINISHED, Campaign.Status.FAILED]
UNSENT = [
    Campaign.Status.DRAFT,
    Campaign.Status.SCHEDULED,
    Campaign.Status.SENDING,
    Campaign.Status.PAUSED,
    Campaign.Status.CANCELLED,
]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example.org"


def make_sent_campaign(status=Campaign.Status.FINISHED, days_ago=1, **fields):
    """A campaign as the sending engine leaves it: rendered once, then started and finished."""
    fields.setdefault("subject", "Spring news")
    fields.setdefault("preheader", "What happened this spring")
    fields.setdefault("intro", "Hello & welcome <friends>.")
    campaign = Campaign.objects.create(**fields)
    campaign.html, campaign.text = campaign_render(campaign)
    started = timezone.now() - timedelta(days=days_ago)
    campaign.status = status
    if status != Campaign.Status.DRAFT:
        campaign.started_at = started
    if status in (*SENT, Campaign.Status.CANCELLED):
        campaign.finished_at = started + timedelta(minutes=5)
    campaign.save()
    return campaign


def listed(response):
    return re.findall(r'<h2[^>]*><a href="/en/newsletter/archive/\d+/">([^<]*)</a>', text(response))


def text(response):
    return response.content.decode()


def detail(campaign):
    return f"{ARCHIVE}{campaign.pk}/"


def email(campaign):
    return f"{ARCHIVE}{campaign.pk}/email/"


# --- What is listed ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_finished_campaigns_are_listed_newest_first(client):
    make_sent_campaign(subject="Winter news", days_ago=60)
    make_sent_campaign(subject="Autumn news", status=Campaign.Status.FAILED, days_ago=30)
    make_sent_campaign(subject="Summer news", days_ago=2)
    for number, status in enumerate(UNSENT):
        make_sent_campaign(subject=f"Unsent {status}", status=status, days_ago=number)
    response = client.get(ARCHIVE)
    assert response.status_code == 200
    assert listed(response) == ["Summer news", "Autumn news", "Winter news"]
    assert "What happened this spring" in text(response)
    assert "Unsent" not in text(response)


@pytest.mark.django_db
def test_a_campaign_without_a_finishing_time_is_dated_by_its_start(client):
    campaign = make_sent_campaign(subject="Old news")
    started = timezone.localtime(campaign.started_at)
    Campaign.objects.filter(pk=campaign.pk).update(finished_at=None)
    assert f'<time datetime="{started.isoformat()}">' in text(client.get(ARCHIVE))


@pytest.mark.django_db
def test_an_empty_archive_links_to_the_subscribe_page(client):
    make_sent_campaign(status=Campaign.Status.DRAFT)
    response = client.get(ARCHIVE)
    assert response.status_code == 200
    assert 'class="empty-state"' in text(response)
    assert 'href="/en/newsletter/"' in text(response)


@pytest.mark.django_db
def test_the_subscribe_page_links_to_the_archive(client):
    assert 'href="/en/newsletter/archive/"' in text(client.get("/en/newsletter/"))


@pytest.mark.django_db
def test_the_archive_is_paged(client):
    for number in range(14):
        make_sent_campaign(subject=f"Issue {number}", days_ago=number + 1)
    first = listed(client.get(ARCHIVE))
    second = listed(client.get(ARCHIVE, {"page": 2}))
    assert first == [f"Issue {number}" for number in range(12)]
    assert second == ["Issue 12", "Issue 13"]
    assert 'rel="next"' in text(client.get(ARCHIVE))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["x", "", "-1", "0", "1.5", "999999", "9" * 40, "1'--", "%00", "２"]
)
def test_a_bad_page_number_never_fails(client, page):
    for number in range(13):
        make_sent_campaign(subject=f"Issue {number}", days_ago=number + 1)
    response = client.get(ARCHIVE, {"page": page})
    assert response.status_code == 200
    assert len(listed(response)) in (1, 12)


@pytest.mark.django_db
def test_a_bad_page_number_on_an_empty_archive_never_fails(client):
    assert client.get(ARCHIVE, {"page": "7"}).status_code == 200


# --- A campaign's page and its email ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", SENT)
def test_a_sent_campaign_is_shown_as_it_was_sent(client, status):
    make_news_post(title="Song festival in Kėdainiai")
    campaign = make_sent_campaign(status=status)
    page = client.get(detail(campaign))
    assert page.status_code == 200
    assert "<h1>Spring news</h1>" in text(page)
    assert f'src="{email(campaign)}"' in text(page)
    assert 'sandbox="allow-top-navigation-by-user-activation"' in text(page)

    framed = client.get(email(campaign))
    assert framed.status_code == 200
    assert "Hello &amp; welcome &lt;friends&gt;." in text(framed)
    assert "Song festival in Kėdainiai" in text(framed)
    policy = framed["Content-Security-Policy"]
    assert policy.startswith("sandbox ")
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    # The portal's own pages still refuse to be framed.
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", UNSENT)
def test_an_unsent_campaign_is_not_found(client, status):
    campaign = make_sent_campaign(status=status)
    assert client.get(detail(campaign)).status_code == 404
    assert client.get(email(campaign)).status_code == 404


@pytest.mark.django_db
def test_a_mailing_to_member_staff_is_not_public(client):
    campaign = make_sent_campaign(subject="For member centres only", audience="staff")
    assert "For member centres only" not in client.get(ARCHIVE).content.decode()
    assert client.get(detail(campaign)).status_code == 404
    assert client.get(email(campaign)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "999999/",
        "999999/email/",
        "abc/",
        "abc/email/",
        "-1/",
        "1.5/",
        "0/",
        "9" * 30 + "/",
        "9" * 30 + "/email/",
        "%00/",
        "1%20/",
    ],
)
def test_a_bad_or_unknown_id_is_not_found(client, path):
    make_sent_campaign()
    assert client.get(ARCHIVE + path).status_code == 404


@pytest.mark.django_db
def test_the_pages_answer_only_reading(client):
    campaign = make_sent_campaign()
    for path in (ARCHIVE, detail(campaign), email(campaign)):
        assert client.post(path).status_code == 405


@pytest.mark.django_db
def test_the_pages_carry_no_personal_data(client):
    readers = [
        make_subscriber(email="ona.linaite@example.org", name="Ona Linaitė"),
        make_subscriber(email="jonas@example.org", name="Jonas Jonaitis", language="lt"),
    ]
    campaign = make_sent_campaign()
    for reader in readers:
        Delivery.objects.create(
            campaign=campaign, subscriber=reader, email=reader.email, status="sent"
        )
    # The stored email itself holds nothing personal: the same for every recipient.
    for reader in readers:
        assert reader.email not in campaign.html
    secrets = [
        ".invalid/",
        *PLACEHOLDERS.values(),
        "@example.org",
        "/unsubscribe/",
        "/preferences/",
        *(reader.name for reader in readers),
        *(subscriptions.unsubscribe_token(reader) for reader in readers),
        *(subscriptions.preferences_token(reader) for reader in readers),
    ]
    for path in (ARCHIVE, detail(campaign), email(campaign)):
        page = text(client.get(path))
        for secret in secrets:
            assert secret not in page, (path, secret)
    # Where the recipients had their own links, the email has the subscribe page.
    framed = text(client.get(email(campaign)))
    assert framed.count('href="http://testserver/en/newsletter/"') == 2


@pytest.mark.django_db
def test_the_email_links_to_the_subscribe_page_in_its_own_language(client):
    campaign = make_sent_campaign(language="lt")
    framed = text(client.get(f"/sv/newsletter/archive/{campaign.pk}/email/"))
    assert framed.count('href="http://testserver/lt/newsletter/"') == 2
    assert '<html lang="lt">' in framed


@pytest.mark.django_db
def test_any_placeholder_link_becomes_the_subscribe_page(client):
    campaign = make_sent_campaign()
    campaign.html = campaign.html.replace(
        "</body>", '<a href="https://view-online.INVALID/?id=7">Online</a></body>'
    )
    campaign.save()
    framed = text(client.get(email(campaign)))
    assert ".invalid" not in framed.lower()
    assert '<a href="http://testserver/en/newsletter/">Online</a>' in framed


@pytest.mark.django_db
def test_a_finished_campaign_without_its_email_is_not_shown(client):
    campaign = make_sent_campaign(subject="Lost email")
    Campaign.objects.filter(pk=campaign.pk).update(html="")
    assert listed(client.get(ARCHIVE)) == []
    assert client.get(detail(campaign)).status_code == 404
    assert client.get(email(campaign)).status_code == 404


@pytest.mark.django_db
def test_the_email_links_open_in_the_whole_window(client):
    framed = text(client.get(email(make_sent_campaign())))
    assert '<head><base target="_top">' in framed


# --- Cost -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 25])
def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    for number in range(size):
        make_sent_campaign(subject=f"Issue {number}", days_ago=number + 1)
    make_sent_campaign(status=Campaign.Status.DRAFT)
    assert client.get(ARCHIVE).status_code == 200  # what the site caches is warm
    # the count and the page of campaigns
    with django_assert_num_queries(2):
        response = client.get(ARCHIVE, {"page": 1})
    assert len(listed(response)) == min(size, 12)


@pytest.mark.django_db
def test_a_campaign_page_and_its_email_cost_one_query_each(client, django_assert_num_queries):
    campaign = make_sent_campaign()
    client.get(detail(campaign))
    with django_assert_num_queries(1):
        assert client.get(detail(campaign)).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(email(campaign)).status_code == 200


# --- In Chromium ------------------------------------------------------------------------------


@committed_db
def test_the_archive_pages_are_accessible(page, live_server):
    page.set_default_timeout(10_000)
    page.goto(ARCHIVE)
    assert page.locator("h1").inner_text() == "Past newsletters"
    assert_accessible(page)

    make_news_post(title="Song festival in Kėdainiai")
    for number in range(3):
        make_sent_campaign(subject=f"Issue {number}", days_ago=number + 1)
    campaign = make_sent_campaign(
        subject="Spring news: the song festival and the new funding calls",
        preheader="Kėdainiai sang, and three calls close in April",
    )
    page.goto(ARCHIVE)
    assert page.locator(".archive-list h2").count() == 4
    assert_accessible(page)
    screenshots(page, "archive")

    page.get_by_role("link", name=campaign.subject).click()
    assert page.locator("h1").inner_text() == campaign.subject
    frame = page.frame_locator("iframe.archive-email")
    assert frame.locator("h1").inner_text() == campaign.subject
    assert frame.get_by_role("link", name="Unsubscribe").get_attribute("href") == (
        f"{live_server.url}/en/newsletter/"
    )
    assert_accessible(page)
    screenshots(page, "archive-detail")

    # A link in the email, clicked, opens in the whole window (the portal refuses frames).
    frame.get_by_role("link", name="Unsubscribe").click()
    page.wait_for_url(f"{live_server.url}/en/newsletter/")
    assert page.locator("h1").inner_text() == "Subscribe to the newsletter"
    page.get_by_role("link", name="Past newsletters").click()
    assert page.locator("h1").inner_text() == "Past newsletters"


def screenshots(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
