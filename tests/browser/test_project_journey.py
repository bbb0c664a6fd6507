"""A member organisation's project in Chromium, from the staff's first draft to the public
pages: sign-in, the project form (its errors checked by axe-core), aims, activities and results,
sending it to the secretariat (an email through Celery and an SMTP server), the secretariat
publishing it in the administration, and the project on the organisation's profile and its
own page."""

import re

import pytest
from playwright.sync_api import expect

from association.models import AssociationProfile
from members.models import Role
from projects.models import Project
from tests.browser.test_staff_journey import screenshots, signed_in_context
from tests.factories import (
    PASSWORD,
    make_funder,
    make_organisation,
    make_programme,
    make_secretariat_user,
    make_topic,
    make_type,
    make_user,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

TITLE = "Dainų šventė trims kaimams"


@pytest.fixture
def centre(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    association = AssociationProfile.load()
    association.email = "secretariat@association.example.org"
    association.save()
    make_topic(name="Living heritage", slug="living-heritage")
    funder = make_funder(name="Lietuvos kultūros taryba", slug="lkt")
    make_programme(funder=funder, name="Mėgėjų menas", slug="megeju-menas")
    return make_organisation(
        name="Kaimo kultūros centras",
        slug="kaimo-kulturos-centras",
        type=make_type(slug="centre", name="Culture centre"),
    )


def test_a_project_goes_from_the_staff_draft_to_the_public_pages(
    page, browser, live_server, smtp_sink, celery_worker, centre
):
    page.set_default_timeout(10_000)
    ona = make_user(email="ona@kaimas.example.org", name="Ona Linaitė")
    Role.objects.create(user=ona, organisation=centre, level="editor")

    # Member staff sign in and find their projects.
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("ona@kaimas.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/en/my/")
    page.get_by_role("link", name="Projects your organisations lead").click()
    expect(page.locator("h1")).to_have_text("My projects")
    assert_accessible(page)
    page.get_by_role("link", name="New project").click()
    expect(page.locator("h1")).to_have_text("New project")
    # The one organisation Ona works on is chosen already.
    expect(page.get_by_label("Lead organisation")).to_have_value(str(centre.pk))
    assert_accessible(page)

    # The form, with mistakes: an end before the start and a currency that is none.
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary").fill("Choirs of three villages sing together.")
    page.get_by_label("Status").select_option(label="Ongoing")
    page.get_by_label("Living heritage").check()
    page.get_by_label("Funder").select_option(label="Lietuvos kultūros taryba")
    page.get_by_label("Programme").select_option(label="Mėgėjų menas")
    page.get_by_label("Amount awarded").fill("12500")
    page.get_by_label("Currency").fill("XYZ")
    page.get_by_label("Start date").fill("2026-05-01")
    page.get_by_label("End date").fill("2026-04-01")
    page.get_by_label("Aims").fill("Bring the villages together\nKeep the old songs alive")
    page.get_by_label("Activities").fill("Rehearsals in each village\nThe festival")
    page.locator("#id_expected-0-text").fill("People take part")
    page.locator("#id_expected-0-indicator").fill("participants")
    page.locator("#id_expected-0-target").fill("300")
    page.locator("#id_partners-0-name").fill("Kultūras nams Rīga")
    page.locator("#id_partners-0-country").fill("LV")
    page.get_by_role("button", name="Save the draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("End date: The project cannot end before it starts.")
    expect(summary).to_contain_text(
        "Currency: “XYZ” is not an ISO 4217 currency code, such as EUR or SEK."
    )
    # Nothing typed is lost.
    expect(page.get_by_label("Aims")).to_have_value(
        "Bring the villages together\nKeep the old songs alive"
    )
    expect(page.locator("#id_expected-0-indicator")).to_have_value("participants")
    expect(page.get_by_label("Living heritage")).to_be_checked()
    assert_accessible(page)
    screenshots(page, "project-form-errors")
    summary.get_by_role("link", name="End date: The project cannot end before it starts.").click()
    expect(page.get_by_label("End date")).to_be_focused()
    page.get_by_label("End date").fill("2026-10-31")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".message")).to_have_text(
        "The project is saved as a draft. Add images and documents if you like, then send it "
        "to the secretariat to publish."
    )
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".page-header .badge")).to_have_text("Draft")
    assert_accessible(page)
    project = Project.objects.get(title=TITLE)
    assert (project.lead_organisation, project.published, project.created_by) == (
        centre, False, ona,
    )  # fmt: skip
    assert [item.text for item in project.items.filter(kind="aim").order_by("order")] == [
        "Bring the villages together",
        "Keep the old songs alive",
    ]

    page.get_by_role("link", name="Images and documents").click()
    assert_accessible(page)
    page.get_by_role("link", name="Details").click()

    # To the secretariat.
    page.get_by_role("button", name="Send to the secretariat").click()
    expect(page.locator(".message")).to_have_text(
        "The project is sent to the secretariat. It will show on the portal once they publish it."
    )
    expect(page.locator(".page-header .badge")).to_have_text("Submitted")
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "secretariat@association.example.org"
    assert message["Subject"].strip() == f"Project to publish: {TITLE}"
    assert "/admin/projects/project/?publication=submitted" in smtp_sink.text(message)
    assert Project.objects.get(pk=project.pk).submitted_at is not None

    # Not on the portal yet.
    assert page.request.get(f"/en/projects/{project.slug}/").status == 404

    # The secretariat publishes it from the list of projects, in another browser.
    desk = make_secretariat_user(email="head@example.org", name="Head of Secretariat")
    secretariat = signed_in_context(browser, live_server, desk)
    try:
        admin = secretariat.new_page()
        admin.set_default_timeout(10_000)
        admin.goto("/admin/projects/project/?publication=submitted")
        row = admin.locator("#result_list tbody tr").filter(has_text=TITLE)
        row.get_by_role("checkbox").check()
        admin.locator("select[name=action]").select_option(label="Publish the selected projects")
        admin.get_by_role("button", name=re.compile("Go|Run")).click()
        expect(admin.locator(".messagelist")).to_contain_text("1 project published.")
    finally:
        secretariat.close()
    assert Project.objects.get(pk=project.pk).published

    # On the organisation's profile, and on its own page with its aims.
    page.goto(f"/en/members/{centre.slug}/")
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{live_server.url}/en/projects/{project.slug}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.get_by_text("Bring the villages together")).to_be_visible()
    expect(page.get_by_text("Keep the old songs alive")).to_be_visible()
    expect(page.get_by_text("Rehearsals in each village")).to_be_visible()
    assert_accessible(page)

    # Back on the staff pages, it is published, and still edited in place.
    page.goto("/en/my/projects/")
    expect(page.locator("tbody tr").filter(has_text=TITLE)).to_contain_text("Published")
