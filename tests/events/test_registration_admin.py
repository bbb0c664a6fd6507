"""The secretariat's registrations: the list, CSV export (safe from formula injection),
marking attendance, cancelling (the waiting list moves up) and emailing registrants."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from association.mail import message_from_dict
from association.tasks import send_email
from events import services
from events.models import Registration
from tests.events.registration_helpers import mail_at_once, open_event
from tests.factories import make_organisation, make_secretariat_user

__all__ = ["mail_at_once"]  # a fixture used by name

pytestmark = pytest.mark.django_db
LIST = "/admin/events/registration/"


@pytest.fixture
def secretariat(client):
    client.force_login(make_secretariat_user())
    return client


def register(event, email, **fields):
    return services.registration_create(event=event, name=fields.pop("name", "Ona"),
                                        email=email, **fields)[0]  # fmt: skip


def action(client, name, registrations, **extra):
    return client.post(
        LIST,
        {"action": name, ACTION_CHECKBOX_NAME: [r.pk for r in registrations], **extra},
    )


def test_the_list_filters_by_event_and_status(secretariat):
    event, other = open_event(title="Stage craft"), open_event(title="Other")
    register(event, "ona@example.org", organisation=make_organisation(name="Kaunas Theatre"))
    register(other, "jonas@example.org", organisation_name="Free text org")
    page = secretariat.get(f"{LIST}?event__id__exact={event.pk}").content.decode()
    assert "ona@example.org" in page and "Kaunas Theatre" in page
    assert "jonas@example.org" not in page
    assert "Free text org" in secretariat.get(f"{LIST}?q=jonas").content.decode()
    assert secretariat.get(f"{LIST}?status__exact=waiting").status_code == 200
    assert secretariat.get(f"{LIST}?event__id__exact=abc").status_code in (200, 302)


@pytest.mark.parametrize("total", [3, 25])
def test_the_list_reads_the_same_number_of_queries_for_3_and_25(
    secretariat, django_assert_num_queries, total
):
    event = open_event()
    for number in range(total):
        register(event, f"p{number}@example.org", organisation=make_organisation())
    with django_assert_num_queries(QUERIES):
        assert secretariat.get(LIST).status_code == 200


QUERIES = 9


def test_csv_export_has_every_column_and_no_formulas(secretariat):
    event = open_event(title='=HYPERLINK("http://evil")')
    register(event, "ona@example.org", name="@SUM(A1:A9)", organisation_name="+Org",
             needs="-1 wheelchair\nand vegan")  # fmt: skip
    register(event, "jonas@example.org", name="Jonas", organisation=make_organisation(name="Choir"))
    Registration.objects.filter(email="jonas@example.org").update(attended=True)
    response = action(secretariat, "export_csv", Registration.objects.all())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Event", "Name", "Email", "Organisation", "Needs", "Status",
                       "Registered at", "Attended"]  # fmt: skip
    first, second = rows[1], rows[2]
    assert first[:5] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(A1:A9)", "ona@example.org",
                         "'+Org", "'-1 wheelchair\nand vegan"]  # fmt: skip
    assert first[5] == "Registered" and first[7] == ""
    assert second[1] == "Jonas" and second[3] == "Choir" and second[7] == "yes"


def test_attendance_is_marked_in_the_list(secretariat):
    event = open_event()
    ona, jonas = register(event, "ona@example.org"), register(event, "jonas@example.org")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(ona.pk),
        "form-0-attended": "true",
        "form-1-id": str(jonas.pk),
        "form-1-attended": "false",
        "_save": "Save",
    }
    response = secretariat.post(LIST, data)
    assert response.status_code == 302
    ona.refresh_from_db()
    jonas.refresh_from_db()
    assert ona.attended is True and jonas.attended is False


def test_cancelling_in_the_admin_moves_the_waiting_list_up(secretariat, mail_at_once):
    event = open_event(capacity=1)
    holder = mail_at_once(register, event, "holder@example.org")
    mail_at_once(register, event, "next@example.org")
    mail.outbox.clear()
    response = mail_at_once(action, secretariat, "cancel_selected", [holder])
    assert response.status_code == 302
    assert Registration.objects.get(email="next@example.org").status == "confirmed"
    assert [message.to for message in mail.outbox] == [["next@example.org"]]


def test_emailing_registrants_sends_one_email_each(secretariat, monkeypatch, mail_at_once):
    monkeypatch.setattr(send_email, "delay", lambda data: message_from_dict(data).send())
    event = open_event(title="Stage craft")
    people = [register(event, f"p{n}@example.org") for n in range(3)]
    gone = register(event, "gone@example.org")
    services.registration_cancel(registration=gone)
    mail.outbox.clear()
    selected = [*people, gone]

    form = action(secretariat, "email_selected", selected)
    assert form.status_code == 200
    page = form.content.decode()
    assert "p0@example.org" in page and "gone@example.org" not in page

    refused = action(secretariat, "email_selected", selected, send="1",
                     subject="Room\r\nBcc: all@example.org", message="Hi")  # fmt: skip
    assert refused.status_code == 200
    assert "cannot contain line breaks" in refused.content.decode()
    assert not mail.outbox

    response = mail_at_once(action, secretariat, "email_selected", selected, send="1",
                            subject="Room change", message="We meet in room 2.")  # fmt: skip
    assert response.status_code == 302
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("p0@example.org",), ("p1@example.org",), ("p2@example.org",),
    ]  # fmt: skip
    message = mail.outbox[0]
    assert message.subject == "Room change" and not message.bcc and not message.cc
    assert "We meet in room 2." in message.body and "Stage craft" in message.body
    assert "/events/registration/" in message.body


def test_registrations_are_not_added_by_hand(secretariat):
    assert secretariat.get(f"{LIST}add/").status_code == 403
