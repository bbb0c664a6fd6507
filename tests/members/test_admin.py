import re

import pytest

from tests.factories import make_organisation, make_secretariat_user, make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(make_secretariat_user())
    return client


@pytest.fixture
def add_organisations():
    """add_organisations(start, end): a centre and its branch for each number in the range."""
    centre = make_type(name="Centre")
    branch = make_type(name="Branch", allowed_parents=[centre], can_be_top_level=False)

    def add(start, end):
        for number in range(start, end):
            parent = make_organisation(name=f"Centre {number}", type=centre)
            make_organisation(name=f"Branch {number}", type=branch, parent=parent)

    return add


@pytest.mark.parametrize(
    "page", ["/admin/members/organisation/", "/admin/members/organisation/?q=Branch"]
)
def test_the_change_list_costs_the_same_queries_for_3_or_30_rows(
    secretariat_client, add_organisations, django_assert_max_num_queries, page
):
    add_organisations(0, 3)
    secretariat_client.get(page)
    with django_assert_max_num_queries(20) as few:
        secretariat_client.get(page)
    add_organisations(3, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretariat_client.get(page)
    assert response.status_code == 200
    assert "Branch 29" in response.content.decode()


def test_parent_and_municipality_are_chosen_by_autocomplete(secretariat_client, add_organisations):
    add_organisations(0, 1)
    content = secretariat_client.get("/admin/members/organisation/add/").content.decode()
    for field in ("parent", "municipality", "fields_of_activity"):
        select = re.search(rf'<select name="{field}"[^>]*>', content).group()
        assert 'class="admin-autocomplete"' in select
    found = secretariat_client.get(
        "/admin/autocomplete/",
        {
            "term": "Centre 0",
            "app_label": "members",
            "model_name": "organisation",
            "field_name": "parent",
        },
    ).json()
    assert [result["text"] for result in found["results"]] == ["Centre 0"]
