"""The newsletter in Chromium, as a visitor without an account: the subscribe form (empty and
with its errors), the confirmation email through the worker and the SMTP server, the
confirmation, the preferences and unsubscribing. axe-core checks every page on the way."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from association import subscriptions
from association.demo import load_association
from association.models import Subscriber
from tests.factories import make_region, make_subscriber, make_topic
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db


@pytest.fixture
def choices():
    load_association()
    make_topic(name={"en": "Culture policy", "lt": "Kultūros politika"})
    make_topic(name={"en": "Youth", "lt": "Jaunimas"})
    make_region(name="Šiaurė")
    make_region(name="Pietūs")


def check(page, heading):
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_a_visitor_subscribes_confirms_changes_preferences_and_unsubscribes(
    page, live_server, smtp_sink, celery_worker, choices
):
    page.set_default_timeout(10_000)
    page.goto("/en/newsletter/")
    check(page, "Subscribe to the newsletter")

    # Everything wrong first: the errors are summarised, linked to their fields, accessible.
    page.get_by_label("Email address").fill("ona@example")
    page.get_by_label("Your name").fill("x" * 200)
    page.get_by_role("button", name="Subscribe").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter a valid email address.")
    expect(summary).to_contain_text("Tick the box")
    expect(summary.get_by_role("link", name=re.compile("^Email address"))).to_have_attribute(
        "href", "#id_email"
    )
    check(page, "Subscribe to the newsletter")

    page.get_by_label("Email address").fill("ona@example.org")
    page.get_by_label("Your name").fill("Ona Linaitė")
    page.get_by_label("Language of the emails").select_option("lt")
    page.get_by_label("Youth").check()
    page.get_by_label("Šiaurė").check()
    page.get_by_label("I agree to receive").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page).to_have_url(f"{live_server.url}/en/newsletter/check-your-inbox/")
    check(page, "Check your inbox")

    (message,) = smtp_sink.wait_for(1)
    link = re.search(r"http://\S+/newsletter/confirm/\S+/", smtp_sink.text(message)).group(0)
    assert link.startswith(f"{live_server.url}/lt/")
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "lt")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main a[href*='/preferences/']")).to_have_count(1)
    assert_accessible(page)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "confirmed"
    assert subscriber.consents.count() == 1

    # The preferences, in English this time.
    token = subscriptions.preferences_token(subscriber)
    page.goto(f"/en/newsletter/preferences/{token}/")
    check(page, "Your newsletter preferences")
    page.get_by_label("Your name").fill("Ona\u2028Linaitė")
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator(".error-summary")).to_contain_text("cannot contain line breaks")
    check(page, "Your newsletter preferences")
    page.get_by_label("Your name").fill("Ona L.")
    page.get_by_label("Language of the emails").select_option("en")
    page.get_by_label("Culture policy").check()
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator(".message")).to_have_text("Your preferences are saved.")
    check(page, "Your newsletter preferences")
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language) == ("Ona L.", "en")

    # Unsubscribing: the link asks, the button does it.
    page.get_by_role("link", name="Unsubscribe from the newsletter").click()
    check(page, "Unsubscribe from the newsletter")
    assert Subscriber.objects.get().status == "confirmed"
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page).to_have_url(f"{live_server.url}/en/newsletter/unsubscribed/")
    check(page, "You are unsubscribed")
    assert Subscriber.objects.get().status == "unsubscribed"


@pytest.mark.parametrize("lang", ["en", "lt"])
def test_the_pages_reached_by_links_have_no_accessibility_violations(page, choices, lang):
    subscriber = make_subscriber(email="jonas@example.org", language=lang)
    unsubscribe = subscriptions.unsubscribe_token(subscriber)
    pages = [
        f"/{lang}/newsletter/",
        f"/{lang}/newsletter/check-your-inbox/",
        f"/{lang}/newsletter/preferences/{subscriptions.preferences_token(subscriber)}/",
        f"/{lang}/newsletter/unsubscribe/{unsubscribe}/",
        # The one-click address shows the same page, in the subscriber's language.
        f"/newsletter/unsubscribe/{unsubscribe}/",
        f"/{lang}/newsletter/confirm/not-a-real-link/",
        f"/{lang}/newsletter/unsubscribed/",
    ]
    for path in pages:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)


def test_the_subscribe_form_fits_a_320_pixel_screen(page, choices):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/lt/newsletter/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def test_member_staff_stop_their_mailings_from_the_link(page, live_server):
    from members.models import Role
    from tests.factories import make_organisation, make_user

    load_association()
    user = make_user(email="head@example.org")
    Role.objects.create(user=user, organisation=make_organisation(), level="admin")
    link = subscriptions.staff_links(user)["unsubscribe_url"]
    page.goto(live_server.url + urlsplit(link).path)
    check(page, "Mailings for member staff")
    page.get_by_role("button", name="Stop these mailings").click()
    expect(page.locator(".lead")).to_contain_text("No more mailings for member staff")
    check(page, "Mailings for member staff")
    user.refresh_from_db()
    assert user.receive_member_mailings is False
