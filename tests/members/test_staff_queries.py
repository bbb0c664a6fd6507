"""The staff pages and the secretariat's history pages cost the same number of queries whether
an organisation has a few sub-units, photos, contacts, colleagues and changes or many."""

import pytest

from members.models import AnnualReport, ChangeRequest, Photo, Role
from tests.factories import make_contact, make_organisation, make_user
from tests.members.staff import build_world, make_invitation, url

pytestmark = pytest.mark.django_db


def grow(w, start, end):
    """For each number: a collective under centre A with a report and a change request, a photo,
    a contact person, a colleague with a role, an invitation, and an edit of the centre."""
    centre = w.orgs["centre-a"]
    for number in range(start, end):
        unit = make_organisation(
            name=f"Collective {number}", type=w.collective, parent=centre, published=True
        )
        AnnualReport.objects.create(
            organisation=unit,
            year=2020 + number % 5,
            members=number,
            volunteers=1,
            staff=1,
            collectives=0,
        )
        ChangeRequest.objects.create(organisation=unit, changes={"name": f"New {number}"})
        Photo.objects.create(
            organisation=unit,
            image=f"photos/{number}.png",
            thumbnail=f"photos/{number}-list.png",
            social=f"photos/{number}-social.jpg",
            alt_text=f"Photo {number}",
        )
        make_contact(centre, name=f"Contact {number}", consent=True)
        colleague = make_user(email=f"colleague-{number}@example.org")
        Role.objects.create(user=colleague, organisation=centre, level="editor")
        make_invitation(centre, email=f"invited-{number}@example.org", token=f"token-{number}")
        centre.short_name = f"C{number}"
        centre.save()


def queries(client, path, django_assert_max_num_queries, limit=40):
    with django_assert_max_num_queries(limit) as counted:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(counted.captured_queries)


STAFF_PAGES = ["dashboard", "profile", "media", "units", "change-request", "figures", "people"]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_staff_page_costs_the_same_for_3_or_25_of_everything(
    client, django_assert_max_num_queries, page
):
    w = build_world()
    client.force_login(w.admin_a)
    path = url(page) if page == "dashboard" else url(page, "centre-a")
    grow(w, 0, 3)
    client.get(path)  # sessions, caches and the profile memo are warm from here on
    few = queries(client, path, django_assert_max_num_queries)
    grow(w, 3, 25)
    assert queries(client, path, django_assert_max_num_queries, limit=few) <= few


@pytest.mark.parametrize(
    "path",
    ["/admin/members/organisation/recent-changes/", "/admin/members/organisation/{pk}/history/"],
)
def test_the_history_pages_cost_the_same_for_3_or_25_changes(
    client, django_assert_max_num_queries, path
):
    w = build_world()
    client.force_login(w.secretariat)
    path = path.format(pk=w.orgs["centre-a"].pk)
    grow(w, 0, 3)
    client.get(path)
    few = queries(client, path, django_assert_max_num_queries)
    grow(w, 3, 25)
    content = client.get(path).content.decode()
    assert queries(client, path, django_assert_max_num_queries, limit=few) <= few
    assert "Contact 24" in content
