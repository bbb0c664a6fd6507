"""The secretariat keeps the library in the administration: an upload is a file of an allowed
format, content and size, or it is refused with a message saying why, and nothing is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from association.models import Topic
from library import models as library_models
from library.models import LibraryItem
from tests.factories import make_library_item, make_secretariat_user, make_topic

pytestmark = pytest.mark.django_db

ADD = "/admin/library/libraryitem/add/"
PDF = b"%PDF-1.4\n% a tiny test document\n%%EOF\n"


@pytest.fixture
def admin_client(client):
    client.force_login(make_secretariat_user())
    return client


def form(**values):
    return {
        "title": "Guide: accessible events",
        "slug": "guide-accessible-events",
        "kind": "guide",
        "description": "<p>How to <strong>welcome</strong> everyone.</p><script>x()</script>",
        "link": "",
        "language": "en",
        "visibility": "members",
        "published": "on",
        "published_at_0": "2026-05-04",
        "published_at_1": "10:00:00",
        "topics": [],
        **values,
    }


def errors(response):
    assert response.status_code == 200, "the form was accepted"
    return " ".join(str(e) for e in response.context["adminform"].form.errors.values())


def test_the_secretariat_adds_an_item_with_a_file(admin_client, private_files):
    topic = make_topic(slug="heritage")
    response = admin_client.post(
        ADD, form(file=SimpleUploadedFile("Accessible events.pdf", PDF), topics=[topic.pk])
    )
    assert response.status_code == 302
    item = LibraryItem.objects.get()
    assert item.description == "<p>How to <strong>welcome</strong> everyone.</p>"
    assert item.file.name.startswith("library/") and item.file.name.endswith(
        "/Accessible_events.pdf"
    )
    assert private_files.exists(item.file.name)
    assert item.file_size == len(PDF)
    assert list(item.topics.all()) == [topic]


def test_the_change_page_links_the_file_to_its_download_view(admin_client):
    item = make_library_item(slug="budget", file=("budget.pdf", PDF))
    response = admin_client.get(f"/admin/library/libraryitem/{item.pk}/change/")
    assert response.status_code == 200
    assert 'href="/en/library/budget/file/"' in response.text
    assert "/media/library/" not in response.text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("setup.exe", b"MZ\x90\x00", "File extension “exe” is not allowed."),
        ("page.html", b"<html><script>alert(1)</script>", "File extension “html” is not allowed."),
        ("page.svg", b"<svg/>", "File extension “svg” is not allowed."),
        ("noextension", b"hello", "File extension “” is not allowed."),
        ("report.pdf", b"<html>not a pdf</html>", "not what a .pdf file holds"),
        ("slides.pptx", b"MZ\x90\x00 a program", "not what a .pptx file holds"),
        ("notes.txt", b"\x00\x01binary", "not what a .txt file holds"),
    ],
)
def test_a_file_of_another_format_is_refused_with_a_message(
    admin_client, name, content, message, private_files
):
    response = admin_client.post(ADD, form(file=SimpleUploadedFile(name, content)))
    assert message in errors(response)
    assert not LibraryItem.objects.exists()
    assert not private_files.exists("library")


def test_a_file_over_the_limit_is_refused_with_a_message(admin_client, monkeypatch):
    # The limit is 50 MB; a small one spares the test from sending 50 MB.
    monkeypatch.setattr(library_models, "MAX_FILE_BYTES", 10 * 1024 * 1024)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = admin_client.post(ADD, form(file=big))
    assert "The file is larger than 10 MB." in errors(response)
    assert not LibraryItem.objects.exists()


def test_the_limit_is_fifty_megabytes():
    assert library_models.MAX_FILE_BYTES == 50 * 1024 * 1024


@pytest.mark.parametrize("with_file, link", [(False, ""), (True, "https://example.org/guide")])
def test_an_item_has_a_file_or_a_link_not_both(admin_client, with_file, link):
    values = form(link=link)
    if with_file:
        values["file"] = SimpleUploadedFile("guide.pdf", PDF)
    assert "Give either a file or a link, not both." in errors(admin_client.post(ADD, values))
    assert not LibraryItem.objects.exists()


def test_a_link_item_is_saved(admin_client):
    response = admin_client.post(ADD, form(link="video.example.org/webinar"))
    assert response.status_code == 302
    assert LibraryItem.objects.get().link == "https://video.example.org/webinar"


def test_garbage_in_the_form_is_explained(admin_client):
    response = admin_client.post(
        ADD,
        form(
            slug="not a slug!", kind="nonsense", language="xx", visibility="all",
            published_at_0="31.31.2026", topics=["abc"], link="javascript:alert(1)",
        ),
    )  # fmt: skip
    text = errors(response)
    for field in ["slug", "kind", "language", "visibility", "published_at", "topics", "link"]:
        assert field in response.context["adminform"].form.errors, field
    assert text
    assert not LibraryItem.objects.exists()
    assert Topic.objects.count() == 0
