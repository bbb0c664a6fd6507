from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from association.models import Topic
from members.models import Organisation, Role
from projects.models import (
    Funder,
    FundingCall,
    Programme,
    Project,
    ProjectDocument,
    ProjectItem,
    ProjectPartner,
)

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (
            Topic,
            Funder,
            Programme,
            Project,
            ProjectItem,
            ProjectPartner,
            ProjectDocument,
            FundingCall,
            Project.topics.through,
            Project.regions.through,
            FundingCall.topics.through,
        )
    ]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_the_state_funded_project_of_the_seed_is_there_with_its_decision_and_aims(demo):
    project = Project.objects.get(code="NVOK06101")
    assert project.published and project.lead_organisation is None
    assert (project.amount_awarded, project.currency) == (Decimal(20000), "EUR")
    assert project.funder.kind == Funder.Kind.STATE
    assert project.decision_reference.startswith("Order No. ")
    assert project.decision_date == date(2023, 6, 22) and project.year == 2023
    assert project.website.startswith("https://example.org/")
    kinds = Counter(project.items.values_list("kind", flat=True))
    assert kinds == {"aim": 3, "activity": 4, "expected": 6, "achieved": 6}
    achieved = project.items.filter(kind="achieved").first()
    assert achieved.target is not None and achieved.actual is not None
    assert Project.objects.filter(pk=project.pk, search_vector__isnull=False).exists()


def test_the_demo_projects_are_spread_over_the_directory_funders_and_currencies(demo):
    published = Project.objects.published()
    assert 35 <= published.count() <= 50
    assert published.filter(lead_organisation=None).count() >= 3
    assert published.values("lead_organisation").distinct().count() >= 30
    assert set(published.values_list("status", flat=True)) == set(Project.Status.values)
    assert set(published.values_list("currency", flat=True)) == {"EUR", "SEK", "NOK"}
    assert set(published.values_list("year", flat=True)) >= set(range(2021, 2027))
    assert set(Funder.objects.values_list("kind", flat=True)) >= {
        "state", "municipality", "eu", "foundation", "international"
    }  # fmt: skip
    assert all(funder.identifier for funder in Funder.objects.all())
    assert ProjectPartner.objects.exclude(country="").exclude(country="LT").exists()
    assert not published.annotate(n=Count("topics")).filter(n=0).exists()
    assert not published.filter(search_vector=None).exists()
    for name in ["name_en", "name_lt", "name_sl", "name_sv"]:
        assert not Topic.objects.filter(**{name: ""}).exists()


def test_the_member_staff_account_has_drafts_some_submitted(demo):
    centre = Role.objects.get(user__email="staff@example.org").organisation
    drafts = Project.objects.filter(lead_organisation=centre, published=False)
    assert drafts.count() >= 2
    assert drafts.exclude(submitted_at=None).exists() and drafts.filter(submitted_at=None).exists()


def test_funding_calls_are_open_closing_soon_upcoming_and_closed_around_today(demo):
    calls = FundingCall.objects.published()
    assert 4 <= calls.open().count() <= 5
    assert calls.upcoming().count() == 1
    assert 4 <= calls.closed().count() <= 5
    states = [call.state for call in calls]
    assert states.count("closing-soon") == 1
    soon = next(call for call in calls if call.state == "closing-soon")
    assert soon.deadline - timezone.now() < timedelta(days=14)
    for call in calls:
        assert call.deadline.utcoffset() is not None
        assert call.topics.exists() and call.eligibility and call.url
        assert call.amount_min <= call.amount_max


def test_loading_the_demo_twice_adds_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_generated_projects_for_the_benchmark(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--organisations", "200", "--projects", "50")
    projects = Project.objects.all()
    assert projects.count() == projects.published().count() == 50
    generated = Organisation.objects.filter(external_id__startswith="bench1-")
    assert not projects.exclude(lead_organisation__in=generated).exists()
    for project in projects.annotate(
        partners_n=Count("partners", distinct=True),
        items_n=Count("items", distinct=True),
        regions_n=Count("regions", distinct=True),
        topics_n=Count("topics", distinct=True),
    ):
        assert 1 <= project.partners_n <= 4
        assert 3 <= project.items_n <= 8
        assert 1 <= project.regions_n <= 2
        assert 1 <= project.topics_n <= 2
        assert project.funder.programmes.filter(pk=project.programme_id).exists()
    assert not projects.filter(search_vector=None).exists()
    assert not projects.filter(year=None).exists()

    first = counts()
    call_command("seed_demo", "--organisations", "200", "--projects", "50")
    assert counts() == first
    with pytest.raises(CommandError, match="50 projects of seed 1 are loaded"):
        call_command("seed_demo", "--organisations", "200", "--projects", "60")


def test_generated_projects_need_the_generated_directory(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--organisations"):
        call_command("seed_demo", "--projects", "10")
