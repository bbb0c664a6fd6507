"""Registering for a training in Chromium: a visitor finds it in the list, opens it, makes every
mistake on the form, registers, receives the confirmation with the calendar file through the
real Celery worker and SMTP server, and cancels with the link in it; member staff sign in for a
members-only event and propose one. axe-core checks each page; screenshots at phone and desktop
widths go to test-artifacts/."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from playwright.sync_api import expect

from association.demo import load_association
from events.models import Registration
from members.models import Role
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD, make_event, make_organisation, make_user
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db
CANCEL_LINK = re.compile(r"https?://\S+/events/registration/\S+/cancel/")


def check(page, heading, screenshot=None):
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text(heading)
    assert_accessible(page)
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=ARTIFACTS / f"events-{screenshot}-{width}.png", full_page=True)


def test_a_visitor_finds_a_training_registers_and_gets_the_confirmation(
    page, live_server, smtp_sink, celery_worker
):
    load_association()
    make_event(title="Choir leading for beginners", kind="training", capacity=12,
               summary="Two days of practice with a choir.", starts_in=timedelta(days=9),
               venue="Choir hall", address="Gedimino pr. 1, Vilnius")  # fmt: skip
    page.set_default_timeout(10_000)

    page.goto("/en/events/")
    page.get_by_role("link", name="Choir leading for beginners").first.click()
    check(page, "Choir leading for beginners", "detail")
    expect(page.locator(".registration-box")).to_contain_text("12 places left.")
    page.locator(".registration-box").get_by_role("link", name="Register").click()
    check(page, "Register for Choir leading for beginners", "register")

    # Every mistake first: summarised, linked to the fields, accessible.
    page.get_by_label("Your name").fill("")
    page.get_by_label("Email address").fill("ona@example")
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter a valid email address.")
    expect(summary).to_contain_text("Tick the box, or we cannot register you.")
    expect(summary.get_by_role("link", name=re.compile("^Email address"))).to_have_attribute(
        "href", "#id_email"
    )
    check(page, "Register for Choir leading for beginners", "register-errors")
    assert not Registration.objects.exists()

    page.get_by_label("Your name").fill("Ona Linaitė")
    page.get_by_label("Email address").fill("ona@example.org")
    page.get_by_label("Organisation").fill("Kauno choras")
    page.get_by_label("Anything we should know?").fill("Step-free access, please.")
    page.get_by_label("I agree that the association keeps").check()
    page.get_by_role("button", name="Register").click()
    check(page, "You are registered", "registered")

    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "ona@example.org"
    assert message["Subject"] == "You are registered: Choir leading for beginners"
    text = smtp_sink.text(message)
    assert "Choir hall" in text
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename().endswith(".ics")
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "Choir leading for beginners"

    # The link in the email: a page with a button, then cancelled.
    page.goto(urlsplit(CANCEL_LINK.search(text).group(0)).path)
    check(page, "Cancel your registration", "cancel")
    page.get_by_role("button", name="Cancel my registration").click()
    check(page, "Your registration is cancelled")
    assert Registration.objects.get().status == "cancelled"

    page.goto("/en/events/registration/not-a-token/cancel/")
    check(page, "This link does not work")


def test_member_staff_sign_in_for_a_members_only_event_and_propose_one(page, live_server):
    load_association()
    event = make_event(title="Directors' meeting", audience="members", capacity=1)
    choir = make_organisation(name="Vilnius Choir")
    user = make_user(name="Rūta Staff")
    Role.objects.create(user=user, organisation=choir, level="editor")
    page.set_default_timeout(10_000)

    page.goto(event.get_absolute_url())
    page.locator(".registration-box").get_by_role("link", name="Sign in to register").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    check(page, "Register for Directors' meeting")
    expect(page.get_by_label("Your name")).to_have_value("Rūta Staff")
    page.get_by_label("Your organisation").select_option(label="Vilnius Choir")
    page.get_by_label("I agree that the association keeps").check()
    page.get_by_role("button", name="Register").click()
    check(page, "You are registered")
    assert Registration.objects.get().organisation == choir

    page.goto("/en/my/")
    page.get_by_role("link", name="Events your organisations propose").click()
    check(page, "My events", "staff-list")
    page.get_by_role("link", name="Propose an event").click()
    check(page, "Propose an event", "propose")
    page.get_by_label("Title").fill("Open rehearsal")
    page.get_by_label("Starts").fill("2030-05-14T18:00")
    page.get_by_label("Ends").fill("2030-05-14T17:00")
    page.get_by_role("button", name="Send to the secretariat").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("The event cannot end before it starts.")
    expect(summary).to_contain_text("Give the venue")
    check(page, "Propose an event", "propose-errors")
    page.get_by_label("Ends").fill("2030-05-14T21:00")
    page.get_by_label("Venue").fill("Choir hall")
    page.get_by_role("button", name="Send to the secretariat").click()
    check(page, "My events")
    expect(page.locator("table")).to_contain_text("Proposed, awaiting the secretariat")
