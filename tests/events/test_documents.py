"""An event's documents: files in the private storage, streamed by a view that checks who
asks. A public event's to anyone; a members-only event's to member staff and the secretariat
(anonymous visitors are sent to sign in, anyone else gets 404); never under /media/."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from members.models import Role
from tests.factories import (
    make_event,
    make_event_document,
    make_organisation,
    make_secretariat_user,
    make_user,
)

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 notes of the day"


@pytest.fixture
def private_files():
    """The private storage of the test settings; the files saved are removed afterwards."""
    from events.models import EventDocument

    yield settings.PRIVATE_MEDIA_ROOT
    for document in EventDocument.objects.exclude(file=""):
        document.file.delete(save=False)


def document_of(event):
    return make_event_document(event, title="Notes", file=ContentFile(CONTENT, name="notes.pdf"))


def url(document):
    return f"{document.event.get_absolute_url()}documents/{document.pk}/"


def body(response):
    return b"".join(response.streaming_content)


def test_a_public_events_file_is_for_anyone(client, private_files):
    document = document_of(make_event())

    response = client.get(url(document))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == CONTENT
    assert (private_files / document.file.name).exists()


def test_a_members_only_file_sends_a_visitor_to_sign_in(client, private_files):
    document = document_of(make_event(audience="members"))

    response = client.get(url(document))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_a_members_only_file_is_not_found_for_someone_without_a_role(client, private_files):
    document = document_of(make_event(audience="members"))
    client.force_login(make_user())
    assert client.get(url(document)).status_code == 404


def test_a_members_only_file_is_for_member_staff_and_the_secretariat(client, private_files):
    document = document_of(make_event(audience="members"))
    staff = make_user()
    Role.objects.create(user=staff, organisation=make_organisation(), level="editor")
    for user in (staff, make_secretariat_user()):
        client.force_login(user)
        response = client.get(url(document))
        assert response.status_code == 200
        assert body(response) == CONTENT


def test_the_file_is_not_under_media(client, private_files):
    document = document_of(make_event())
    assert (private_files / document.file.name).exists()
    assert not (settings.MEDIA_ROOT / document.file.name).exists()
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    assert client.get(document.file.url).status_code == 404


@pytest.mark.parametrize("status", ["draft", "proposed"])
def test_an_unpublished_events_file_is_not_found(client, private_files, status):
    document = document_of(make_event(status=status))
    client.force_login(make_secretariat_user())
    assert client.get(url(document)).status_code == 404


def test_another_events_document_or_a_link_is_not_found(client, private_files):
    document = document_of(make_event())
    other = make_event()
    link = make_event_document(other, link="https://example.org/slides")
    assert client.get(f"{other.get_absolute_url()}documents/{document.pk}/").status_code == 404
    assert client.get(url(link)).status_code == 404
    assert (
        client.get(f"{other.get_absolute_url()}documents/99999999999999999999/").status_code == 404
    )
