import re

import pytest
from playwright.sync_api import expect

from association.demo import load_association
from tests.factories import PASSWORD, make_user
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db


@pytest.fixture
def demo():
    load_association()


PAGES = {
    "home": "/{lang}/",
    "about": "/{lang}/about/",
    "sign-in": "/{lang}/accounts/login/",
    "password-reset": "/{lang}/accounts/password/reset/",
    "not-found": "/{lang}/no-such-page/",
}


@pytest.mark.parametrize("lang", ["en", "lt"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violations(page, demo, name, lang):
    response = page.goto(PAGES[name].format(lang=lang))
    assert response.status == (404 if name == "not-found" else 200)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("name", ["home", "about", "sign-in"])
def test_page_fits_a_320_pixel_screen(page, demo, name):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(PAGES[name].format(lang="lt"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def test_sign_in_form_errors_are_summarised_and_linked(page, demo):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("not correct")
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_to_the_content(page, demo):
    page.goto("/en/about/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_language_switcher_keeps_the_page(page, demo):
    page.goto("/en/about/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Lietuviškai").click()
    expect(page).to_have_url(re.compile(r"/lt/about/$"))
    expect(page.locator("html")).to_have_attribute("lang", "lt")
    expect(page.locator("h1")).to_contain_text("Nacionalinė kultūros centrų asociacija")
    expect(page.get_by_role("heading", name="Misija")).to_be_visible()


def sign_in(page, user):
    page.goto("/en/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(
    "path",
    ["/en/accounts/email/", "/en/accounts/password/change/", "/lt/accounts/2fa/"],
)
def test_account_pages_have_no_accessibility_violations(page, demo, path):
    sign_in(page, make_user())
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_sign_in_and_out(page, demo):
    sign_in(page, make_user(email="rasa@example.org"))
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_password_reset_with_the_emailed_link(page, demo, smtp_sink, celery_worker):
    make_user(email="rasa@example.org", password="the-old-password-1")
    page.goto("/en/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("rasa@example.org")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.locator("h1")).to_contain_text("Password Reset")

    # The mail went through a Celery task to the SMTP server.
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "rasa@example.org"
    assert message["Subject"].startswith("[NACC]")
    link = re.search(r"https?://\S+/password/reset/key/\S+", smtp_sink.text(message)).group()
    page.goto(link)
    page.get_by_label("New Password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New Password (again)").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Change Password").click()
    expect(page.locator("h1")).to_contain_text("Password")

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("rasa@example.org")
    page.get_by_label("Password").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
