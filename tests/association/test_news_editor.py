"""The rich-text editor for news posts in the admin (django-prose-editor): the add page brings the
editor's assets under the site's Content-Security-Policy; the editor makes only what
association.sanitize.clean_html keeps; a body posted past the editor is still cleaned on save;
and in Chromium a superuser signs in, writes a heading, bold text and a link with the editor and
sees them on the public page."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django_prose_editor.config import allowlist_from_extensions
from playwright.sync_api import expect

from association.admin import NEWS_EDITOR_EXTENSIONS
from association.models import NewsPost
from association.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD, make_secretariat_user, make_user
from tests.helpers import committed_db

ADD = "/admin/association/newspost/add/"


def post_form(**changes):
    data = {
        "title": "Song festival",
        "slug": "song-festival",
        "lead": "Forty choirs came.",
        "body": "<p>It was loud.</p>",
        "image_alt": "",
        "status": "published",
        "published_at_0": "2025-06-01",
        "published_at_1": "10:00:00",
        "language": "en",
    }
    return data | changes


@pytest.fixture
def secretariat_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_secretariat_user())
    return client


# --- The editor's configuration ---------------------------------------------------------------


def test_the_editor_makes_nothing_the_sanitiser_removes():
    allowed = allowlist_from_extensions(NEWS_EDITOR_EXTENSIONS)
    assert allowed["tags"] <= ALLOWED_TAGS, allowed["tags"] - ALLOWED_TAGS
    # Headings from h2: the post's title is the page's h1.
    assert {"h2", "h3", "h4"} <= allowed["tags"] and "h1" not in allowed["tags"]
    # No target (a link opens in the same window), no style, no class.
    assert allowed["attributes"]["a"] <= {"href", "title", "rel"}
    for tag, attributes in allowed["attributes"].items():
        assert not attributes & {"style", "class", "target"}, tag


def test_the_editor_covers_what_the_sanitiser_keeps():
    allowed = allowlist_from_extensions(NEWS_EDITOR_EXTENSIONS)["tags"]
    # <b> and <i> are read as bold and italic; <abbr> and <caption> have no tool in the editor.
    assert ALLOWED_TAGS - allowed == {"b", "i", "abbr", "caption"}
    assert set(ALLOWED_ATTRIBUTES) - {"*"} <= allowed | {"abbr"}


# --- The admin pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_add_page_brings_the_editor_under_the_csp(secretariat_client):
    response = secretariat_client.get(ADD)
    assert response.status_code == 200
    content = response.content.decode()
    textarea = re.search(r"<textarea [^>]*name=\"body\"[^>]*>", content).group()
    assert "data-django-prose-editor-configurable=" in textarea
    assert "Heading" in textarea and "&quot;levels&quot;:[2,3,4]" in textarea
    assert 'src="/static/django_prose_editor/configurable.js"' in content
    assert 'src="/static/django_prose_editor/editor.js"' in content
    assert 'href="/static/django_prose_editor/editor.css"' in content
    assert 'href="/static/css/news-editor.css"' in content
    assert "/static/js/news-editor.js" in textarea
    # The import map is an inline script: it carries the nonce that this response's policy allows.
    importmap = re.search(r'<script type="importmap" nonce="([^"]+)">(.*?)</script>', content, re.S)
    assert importmap, "no import map with a nonce"
    nonce, imports = importmap.groups()
    assert '"django-prose-editor/editor": "/static/django_prose_editor/editor.js"' in imports
    policy = response["Content-Security-Policy"]
    assert re.search(rf"script-src 'self' 'nonce-{re.escape(nonce)}'(;|$)", policy), policy
    assert re.search(r"style-src 'self'(;|$)", policy), policy


@pytest.mark.django_db
def test_other_admin_pages_keep_the_strict_policy(secretariat_client):
    response = secretariat_client.get("/admin/association/newspost/")
    assert response.status_code == 200
    assert "nonce-" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_change_page_shows_the_stored_text_in_the_editor(secretariat_client):
    secretariat_client.post(ADD, post_form(body="<h2>Choirs</h2><p><strong>Forty</strong></p>"))
    post = NewsPost.objects.get()
    response = secretariat_client.get(f"/admin/association/newspost/{post.pk}/change/")
    assert response.status_code == 200
    assert (
        "data-django-prose-editor-configurable=" in response.content.decode()
        and "&lt;h2&gt;Choirs&lt;/h2&gt;&lt;p&gt;&lt;strong&gt;Forty" in response.content.decode()
    )


@pytest.mark.django_db
def test_a_body_posted_past_the_editor_is_cleaned_and_keeps_its_formatting(secretariat_client):
    body = (
        "<h2>Programme</h2>"
        '<p><strong>Saturday</strong> and <em>Sunday</em>, <a href="https://example.org/fest" '
        'target="_blank" onclick="steal()">tickets</a>.</p>'
        "<ul><li>Choirs</li><li>Dancers</li></ul><ol><li>First</li></ol>"
        "<blockquote><p>Sing!</p></blockquote>"
        "<script>alert(1)</script>"
        '<img src="x" onerror="alert(2)">'
        '<p><a href="javascript:alert(3)">click</a></p>'
        '<h1 style="color:red" class="big">Big</h1>'
        '<iframe src="https://evil.example"></iframe>'
    )
    response = secretariat_client.post(ADD, post_form(body=body))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = NewsPost.objects.get(slug="song-festival").body
    for bad in ("<script", "alert(1)", "onerror", "<img", "javascript:", "onclick", "steal()",
                "target=", "style=", "class=", "<h1", "<iframe"):  # fmt: skip
        assert bad not in saved, bad
    assert saved == (
        "<h2>Programme</h2>"
        '<p><strong>Saturday</strong> and <em>Sunday</em>, <a href="https://example.org/fest" '
        'rel="noopener noreferrer nofollow">tickets</a>.</p>'
        "<ul><li>Choirs</li><li>Dancers</li></ul><ol><li>First</li></ol>"
        "<blockquote><p>Sing!</p></blockquote>"
        '<p><a rel="noopener noreferrer nofollow">click</a></p>'
        "Big"
    )


# --- In Chromium ------------------------------------------------------------------------------


def current_code(secret):
    # A code computed in the last second of its 30-second window may expire before it is sent.
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@committed_db
def test_a_superuser_writes_a_heading_bold_text_and_a_link_in_the_editor(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.set_default_timeout(10_000)
    user = make_user(email="head@example.org", is_staff=True, is_superuser=True, mfa=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    # Signing in: the administration sends people through the site's sign-in with its code.
    page.goto("/admin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(ADD)
    editor = page.locator(".prose-editor")
    text = editor.locator(".ProseMirror[contenteditable=true]")
    expect(text).to_be_visible()
    page.get_by_label("Title").fill("Song festival")
    page.get_by_label("Lead").fill("Forty choirs came.")
    page.get_by_label("Status").select_option("published")

    # A heading from the toolbar's block type menu, then bold text with the keyboard.
    text.click()
    page.keyboard.type("What we heard")
    editor.locator(".prose-menubar__selected").click()  # the block type menu, now "paragraph"
    editor.get_by_role("button", name="Heading 2").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("It was ")
    page.keyboard.press("Control+b")
    page.keyboard.type("loud")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    # A link from the toolbar's dialog.
    page.keyboard.press("Enter")
    page.keyboard.type("Tickets")
    page.keyboard.press("Shift+Home")
    editor.get_by_role("button", name="insert link").click()
    page.get_by_label("URL").fill("https://example.org/tickets")
    page.get_by_role("button", name="Update").click()
    expect(text.locator("h2")).to_have_text("What we heard")
    expect(text.locator("strong")).to_have_text("loud")
    expect(text.locator("a")).to_have_attribute("href", "https://example.org/tickets")

    page.set_viewport_size({"width": 1280, "height": 900})
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".field-body").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "news-editor-admin-1280.png")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    post = NewsPost.objects.get(slug="song-festival")
    assert post.body == (
        "<h2>What we heard</h2><p>It was <strong>loud</strong>.</p>"
        # The dialog leaves the link's title empty when none is typed.
        '<p><a href="https://example.org/tickets" title="" rel="noopener noreferrer nofollow">'
        "Tickets</a></p>"
    )

    page.goto(post.get_absolute_url())
    body = page.locator("main")
    expect(body.locator("h2", has_text="What we heard")).to_be_visible()
    expect(body.locator("strong", has_text="loud")).to_be_visible()
    expect(body.get_by_role("link", name="Tickets")).to_have_attribute(
        "href", "https://example.org/tickets"
    )
