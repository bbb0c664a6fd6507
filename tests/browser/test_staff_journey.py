"""A member organisation's new admin in Chromium, from the invitation email to a renamed public
profile: sign-up, profile, logo and photo, a collective, a change request that the secretariat
approves in a second browser. axe-core checks every staff page on the way, the profile form
with its errors included."""

import re

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from members.demo import load_vocabularies
from members.models import ChangeRequest, FieldOfActivity, Organisation, OrganisationType
from tests.conftest import ARTIFACTS
from tests.factories import make_organisation, make_secretariat_user
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

PASSWORD = "Linas-and-flax-2024"
NEW_NAME = "Kaimo kultūros centras „Aidas“"
WIDTHS = [375, 1280]


@pytest.fixture
def offline_tiles(page):
    """Map tiles come from a third-party server: answer them with nothing."""
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


@pytest.fixture
def centre(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_vocabularies()
    return make_organisation(
        name="Kaimo kultūros centras",
        slug="kaimo-kulturos-centras",
        type=OrganisationType.objects.get(slug="centre"),
    )


def images(tmp_path):
    logo, photo = tmp_path / "logo.png", tmp_path / "rehearsal.jpg"
    Image.new("RGB", (240, 240), "#0d5c63").save(logo)
    Image.new("RGB", (1024, 683), "#c8553d").save(photo, quality=80)
    return logo, photo


def signed_in_context(browser, live_server, user):
    """A second browser, signed in with a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def screenshots(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def invite(live_server, centre, email):
    """The secretariat invites the centre's first admin in the administration (a superuser:
    the Secretariat group lacks the invitation permissions, see test_staff_flows)."""
    host = live_server.url.removeprefix("http://")
    client = Client(HTTP_HOST=host)
    client.force_login(
        make_secretariat_user(email="desk@example.org", name="Desk", is_superuser=True)
    )
    response = client.post(
        "/admin/members/invitation/add/",
        {"email": email, "organisation": centre.pk, "level": "admin"},
    )
    assert response.status_code == 302


def test_a_new_admin_goes_from_the_invitation_to_a_renamed_public_profile(
    offline_tiles, browser, live_server, smtp_sink, celery_worker, centre, tmp_path
):
    page = offline_tiles
    page.set_default_timeout(10_000)
    logo, photo = images(tmp_path)

    # The invitation arrives by email.
    invite(live_server, centre, "ona@kaimas.example.org")
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "ona@kaimas.example.org"
    link = re.search(r"(http://\S+/en/invitations/[\w-]+/)", message.get_content()).group(1)
    assert link.startswith(live_server.url)

    # The link: choose a name and a password, and land signed in on the dashboard.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Accept the invitation")
    expect(page.get_by_label("Email address")).to_have_value("ona@kaimas.example.org")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Ona Linaitė")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server.url}/en/my/")
    expect(page.locator(".message")).to_have_text(
        "Welcome. You now work on Kaimo kultūros centras here."
    )
    expect(page.locator(".completeness")).to_have_text(
        "Still missing: a description, a logo, a way to contact it, this year's figures."
    )
    assert_accessible(page)
    screenshots(page, "staff-dashboard")

    # The profile: everything but the email right first, to see the errors.
    page.get_by_role("link", name="Kaimo kultūros centras").first.click()
    expect(page.locator("h1")).to_have_text("Kaimo kultūros centras")
    assert_accessible(page)
    page.get_by_label("Description").fill(
        "Koncertai ir šventės visam kaimui.\n\nRepeticijos vyksta antradieniais."
    )
    page.get_by_label("Choir", exact=True).check()
    page.get_by_label("Municipality").select_option(label="Kėdainių rajono savivaldybė")
    page.get_by_label("Latitude").fill("55.2876")
    page.get_by_label("Longitude").fill("23.9721")
    page.locator("#id_email").fill("info(at)kaimas")
    page.locator("#id_contacts-0-name").fill("Ona Linaitė")
    page.locator("#id_contacts-0-role").fill("Direktorė")
    page.locator("#id_contacts-0-email").fill("ona@kaimas.example.org")
    page.locator("#id_contacts-0-consent").check()
    page.get_by_role("button", name="Save the profile").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Email: Enter a valid email address.")
    # Nothing typed is lost.
    expect(page.get_by_label("Latitude")).to_have_value("55.2876")
    expect(page.locator("#id_contacts-0-name")).to_have_value("Ona Linaitė")
    expect(page.get_by_label("Choir", exact=True)).to_be_checked()
    assert_accessible(page)
    screenshots(page, "staff-profile-errors")
    summary.get_by_role("link", name="Email: Enter a valid email address.").click()
    expect(page.locator("#id_email")).to_be_focused()
    page.locator("#id_email").fill("info@kaimas.example.org")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator(".message")).to_have_text("The profile is saved.")
    saved = Organisation.objects.get(pk=centre.pk)
    assert (
        saved.description,
        saved.municipality.name,
        saved.latitude,
        saved.longitude,
        saved.email,
    ) == (
        "<p>Koncertai ir šventės visam kaimui.</p>\n\n<p>Repeticijos vyksta antradieniais.</p>",
        "Kėdainių rajono savivaldybė",
        55.2876,
        23.9721,
        "info@kaimas.example.org",
    )
    assert list(saved.fields_of_activity.all()) == [FieldOfActivity.objects.get(slug="choir")]
    assert list(saved.contacts.values_list("name", "role", "email", "consent")) == [
        ("Ona Linaitė", "Direktorė", "ona@kaimas.example.org", True)
    ]

    # A logo and a photo with its description.
    page.get_by_role("link", name="Logo and photos").click()
    assert_accessible(page)
    page.locator("#id_logo-logo").set_input_files(logo)
    page.get_by_role("button", name="Upload the logo").click()
    expect(page.locator(".message")).to_have_text("The logo is saved.")
    page.locator("#id_photo-image").set_input_files(photo)
    page.get_by_label("Description for people who cannot see it").fill(
        "The choir rehearsing in the hall"
    )
    page.get_by_role("button", name="Add the photo").click()
    expect(page.locator(".message")).to_have_text("The photo is added.")
    expect(page.get_by_role("img", name="The choir rehearsing in the hall")).to_be_visible()
    assert_accessible(page)

    # A collective.
    page.get_by_role("link", name="Sub-units").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Jaunimo teatras")
    page.get_by_label("Type").select_option(label="Art collective")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".message")).to_have_text("Jaunimo teatras is added. Describe it now.")
    expect(page.locator("h1")).to_have_text("Jaunimo teatras")
    assert Organisation.objects.get(name="Jaunimo teatras").parent_id == centre.pk

    # The other staff pages of the centre, by way of the dashboard (a sub-unit's pages do not
    # link to its parent's).
    page.get_by_role("link", name="My organisations").first.click()
    page.get_by_role("link", name="Kaimo kultūros centras").click()
    for tab in ["Annual figures", "People"]:
        page.get_by_role("link", name=tab).click()
        expect(page.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
        assert_accessible(page)

    # The name changes only by a request.
    page.get_by_role("link", name="Name, type and membership").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill(NEW_NAME)
    page.get_by_label("Why").fill("The community chose the choir's name for the centre.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".message")).to_have_text(
        "Your request is sent to the secretariat. You will get an email when it is decided."
    )
    assert_accessible(page)

    # The secretariat approves it, in another browser.
    request = ChangeRequest.objects.get()
    head = make_secretariat_user(email="head@example.org", is_superuser=True)
    secretariat = signed_in_context(browser, live_server, head)
    try:
        desk = secretariat.new_page()
        desk.set_default_timeout(10_000)
        desk.goto("/admin/members/changerequest/")
        desk.locator("#result_list").get_by_role("link", name="Kaimo kultūros centras").click()
        expect(desk).to_have_url(
            f"{live_server.url}/admin/members/changerequest/{request.pk}/change/"
        )
        expect(desk.locator("#content tbody tr")).to_have_text(
            re.compile(r"Name\s*Kaimo kultūros centras\s*Kaimo kultūros centras „Aidas“")
        )
        desk.get_by_role("button", name="Approve and apply").click()
        expect(desk.locator(".messagelist")).to_contain_text(
            "The request is decided and the requester told."
        )
    finally:
        secretariat.close()
    request.refresh_from_db()
    assert request.status == "approved"
    decision = smtp_sink.wait_for(2)[1]
    assert decision["To"] == "ona@kaimas.example.org"

    # The public profile: the new name, the logo, the photo.
    page.goto(f"/en/members/{centre.slug}/")
    expect(page.locator("h1")).to_have_text(NEW_NAME)
    renamed = Organisation.objects.get(pk=centre.pk)
    expect(page.locator("img.organisation-logo")).to_have_attribute("src", renamed.logo.url)
    expect(page.get_by_role("img", name="The choir rehearsing in the hall")).to_be_visible()
    expect(page.get_by_text("Ona Linaitė")).to_be_visible()


def test_an_uploaded_logo_shows_on_the_public_profile(browser, live_server, centre, tmp_path, page):
    from members.models import Role
    from tests.factories import make_user

    user = make_user(email="ona@kaimas.example.org")
    Role.objects.create(user=user, organisation=centre, level="admin")
    context = signed_in_context(browser, live_server, user)
    try:
        staff = context.new_page()
        staff.goto(f"/en/my/{centre.slug}/media/")
        staff.locator("#id_logo-logo").set_input_files(images(tmp_path)[0])
        staff.get_by_role("button", name="Upload the logo").click()
        expect(staff.locator(".message")).to_have_text("The logo is saved.")
    finally:
        context.close()
    page.goto(f"/en/members/{centre.slug}/")
    logo = page.locator("img.organisation-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("image => image.complete && image.naturalWidth") == 240
