"""A consultation response in Chromium, from the secretariat opening it for member input to a
member's co-signature on the public pages: the opening email through Celery and an SMTP server
to the staff who want it, staff of two member organisations giving input (the form with its
errors checked by axe-core), the secretariat moving it on and publishing it in the
administration, an admin of a member co-signing it, and the position on that member's profile
and its own page (with no member input on either)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.models import Endorsement, MemberInput, Position
from association.models import AssociationProfile
from members.models import Role
from tests.browser.test_staff_journey import screenshots, signed_in_context
from tests.factories import (
    PASSWORD,
    make_consultation,
    make_organisation,
    make_position,
    make_secretariat_user,
    make_type,
    make_user,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

TITLE = "Atsakymas dėl Kultūros centrų įstatymo"
ONA_INPUT = "Kaimo centrams reikia lėšų šildymui žiemą."
PETRAS_INPUT = "Teatrams reikia ilgesnių sutarčių su savivaldybe."


@pytest.fixture
def members(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    association = AssociationProfile.load()
    association.name = "Kultūros centrų asociacija"
    association.save()
    centre_type = make_type(slug="centre", name="Culture centre")
    centre = make_organisation(
        name="Kaimo kultūros centras", slug="kaimo-kulturos-centras", type=centre_type
    )
    theatre = make_organisation(name="Miesto teatras", slug="miesto-teatras", type=centre_type)
    ona = make_user(email="ona@kaimas.example.org", name="Ona Linaitė")
    Role.objects.create(user=ona, organisation=centre, level="admin")
    petras = make_user(email="petras@teatras.example.org", name="Petras Jonaitis")
    Role.objects.create(user=petras, organisation=theatre, level="editor")
    quiet = make_user(email="quiet@teatras.example.org", notify_advocacy=False)
    Role.objects.create(user=quiet, organisation=theatre, level="editor")
    consultation = make_consultation(
        title="Kultūros centrų įstatymo projektas", consulting_body="Kultūros ministerija"
    )
    position = make_position(
        status="draft",
        kind=Position.Kind.CONSULTATION_RESPONSE,
        title=TITLE,
        slug="atsakymas-del-istatymo",
        summary="What the association answers the ministry about the law on culture centres.",
        consultation=consultation,
        input_deadline=timezone.now() + timedelta(days=10),
    )
    return centre, theatre, ona, petras, position


def admin_action(admin, label, message):
    admin.goto("/admin/advocacy/position/")
    row = admin.locator("#result_list tbody tr").filter(has_text=TITLE)
    row.get_by_role("checkbox").check()
    admin.locator("select[name=action]").select_option(label=label)
    admin.get_by_role("button", name=re.compile("Go|Run")).click()
    expect(admin.locator(".messagelist")).to_contain_text(message)


def sign_in(page, email):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My advocacy")).to_be_visible()


def test_a_consultation_response_goes_from_member_input_to_co_signatures(
    page, browser, live_server, smtp_sink, celery_worker, members
):
    centre, _theatre, ona, petras, position = members
    page.set_default_timeout(10_000)
    desk = make_secretariat_user(email="head@example.org", name="Head of Secretariat")
    secretariat = signed_in_context(browser, live_server, desk)
    admin = secretariat.new_page()
    admin.set_default_timeout(10_000)
    try:
        # The secretariat opens the response for member input.
        admin_action(admin, "Open for member input", "is now “Open for member input”.")
        assert Position.objects.get(pk=position.pk).status == "input"

        # Member staff who want it hear of it; the one who turned it off does not.
        messages = smtp_sink.wait_for(2)
        assert sorted(message["To"] for message in messages) == [
            "ona@kaimas.example.org",
            "petras@teatras.example.org",
        ]
        (to_ona,) = [message for message in messages if message["To"] == ona.email]
        assert to_ona["Subject"].strip() == f"Open for your input: {TITLE}"
        link = re.search(r"https?://\S+/my/advocacy/\S+/input/", smtp_sink.text(to_ona)).group()

        # Ona follows the link, signs in, and first sends the form empty.
        sign_in(page, ona.email)
        page.goto(urlsplit(link).path)
        expect(page.locator("h1")).to_have_text(TITLE)
        expect(page.get_by_text("Member input is open until")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Send your input").click()
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("Your input: This field is required.")
        assert_accessible(page)  # the form with its errors
        screenshots(page, "advocacy-input-errors")
        summary.get_by_role("link", name="Your input: This field is required.").click()
        expect(page.get_by_label("Your input", exact=True)).to_be_focused()
        page.get_by_label("Your input", exact=True).fill(ONA_INPUT)
        page.get_by_role("button", name="Send your input").click()
        expect(page.locator(".message")).to_have_text(
            "Your input for Kaimo kultūros centras is saved. You can change it until the deadline."
        )
        expect(page.get_by_text(ONA_INPUT)).to_be_visible()
        assert_accessible(page)

        # She improves it, and the list shows her organisation has given input.
        page.get_by_role("link", name="Change the input of Kaimo kultūros centras").click()
        page.get_by_label("Your input", exact=True).fill(ONA_INPUT + " Ir remontui.")
        page.get_by_role("button", name="Save the changes").click()
        expect(page.locator(".message")).to_have_text("Your input is saved.")
        page.get_by_role("link", name="My advocacy").first.click()
        row = page.locator("#input-heading ~ .table-scroll tbody tr").filter(has_text=TITLE)
        expect(row).to_contain_text("Kaimo kultūros centras: input given")
        assert_accessible(page)
        screenshots(page, "advocacy-staff-list")

        # Petras, an editor of the theatre, gives the theatre's input from the list.
        other = browser.new_context(base_url=live_server.url, locale="en-GB")
        try:
            theatre_page = other.new_page()
            theatre_page.set_default_timeout(10_000)
            sign_in(theatre_page, petras.email)
            theatre_page.get_by_role("link", name="My advocacy").first.click()
            theatre_page.get_by_role("link", name=TITLE).click()
            theatre_page.get_by_label("Your input", exact=True).fill(PETRAS_INPUT)
            theatre_page.get_by_role("button", name="Send your input").click()
            expect(theatre_page.locator(".message")).to_contain_text(
                "Your input for Miesto teatras is saved."
            )
            # Members do not see each other's input here: the secretariat did not allow it.
            expect(theatre_page.get_by_text(ONA_INPUT)).to_have_count(0)
        finally:
            other.close()
        assert MemberInput.objects.filter(position=position).count() == 2

        # The secretariat reads both, drafts, submits and publishes.
        admin.goto(f"/admin/advocacy/position/{position.pk}/input/")
        expect(admin.get_by_text(ONA_INPUT + " Ir remontui.")).to_be_visible()
        expect(admin.get_by_text(PETRAS_INPUT)).to_be_visible()
        admin_action(admin, "Close member input and start drafting", "is now “Drafting”.")
        admin_action(admin, "Mark as submitted to the body", "is now “Submitted”.")
        admin_action(admin, "Publish", "is now “Published”.")
    finally:
        secretariat.close()
    assert Position.objects.get(pk=position.pk).status == "published"

    # Input is closed now: Ona's page says so, and has no form.
    page.goto(urlsplit(link).path)
    expect(page.get_by_text("Member input for this position is closed.")).to_be_visible()
    expect(page.get_by_role("button", name="Send your input")).to_have_count(0)

    # Ona, an admin of the centre, co-signs it.
    page.get_by_role("link", name="My advocacy").first.click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.get_by_label("Signatory's name")).to_have_value("Ona Linaitė")
    page.get_by_label("Signatory's title").fill("Direktorė")
    assert_accessible(page)
    page.get_by_role("button", name="Co-sign").click()
    expect(page.locator(".message")).to_have_text(f"Kaimo kultūros centras co-signs “{TITLE}”.")
    expect(page.get_by_text("Co-signed by Ona Linaitė, Direktorė, on")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "advocacy-cosigned")
    endorsement = Endorsement.objects.active().get(position=position)
    assert (endorsement.organisation, endorsement.signed_by) == (centre, ona)

    # On the centre's public profile, and on the position's own page; no input on either.
    page.goto(f"/en/members/{centre.slug}/")
    expect(page.get_by_text(ONA_INPUT)).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{live_server.url}/en/advocacy/positions/{position.slug}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    cosigners = page.locator("#cosigners ~ ul")
    expect(cosigners.get_by_role("link", name="Kaimo kultūros centras")).to_be_visible()
    expect(cosigners).not_to_contain_text("Miesto teatras")
    content = page.content()
    assert ONA_INPUT not in content and PETRAS_INPUT not in content
    assert_accessible(page)
    assert len(smtp_sink.messages) == 2
