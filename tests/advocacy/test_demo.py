from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from advocacy.models import (
    Body,
    Consultation,
    ConsultationDocument,
    Endorsement,
    Level,
    MemberInput,
    Position,
    Seat,
)
from members.models import Organisation, Role

pytestmark = pytest.mark.django_db

Status = Position.Status


def counts():
    return [
        model.objects.count()
        for model in (
            Consultation,
            ConsultationDocument,
            Position,
            MemberInput,
            Endorsement,
            Body,
            Seat,
            Position.topics.through,
            Consultation.topics.through,
        )
    ]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_consultations_at_every_level_with_upcoming_and_past_deadlines(demo):
    today = timezone.localdate()
    consultations = Consultation.objects.all()
    assert 6 <= consultations.count() <= 8
    assert set(consultations.values_list("level", flat=True)) >= {
        Level.LOCAL, Level.NATIONAL, Level.EU, Level.INTERNATIONAL
    }  # fmt: skip
    assert consultations.filter(deadline__gt=today).count() >= 2
    assert consultations.filter(deadline__lt=today).count() >= 3
    for consultation in consultations:
        assert consultation.reference and consultation.url.startswith("https://example.org/")
        assert consultation.opens_on <= consultation.deadline
        assert consultation.topics.exists() and consultation.documents.exists()


def test_positions_in_every_status_kind_and_outcome(demo):
    positions = Position.objects.all()
    assert 18 <= positions.count() <= 24
    assert set(positions.values_list("status", flat=True)) == set(Status.values)
    assert set(positions.values_list("kind", flat=True)) == set(Position.Kind.values)
    assert set(positions.values_list("language", flat=True)) == {"en", "lt"}
    assert set(positions.values_list("level", flat=True)) == set(Level.values)
    assert not positions.annotate(n=Count("topics")).filter(n=0).exists()
    assert not positions.filter(search_vector=None).exists()
    published = positions.published()
    assert set(published.values_list("outcome", flat=True)) == set(Position.Outcome.values)
    for position in published.exclude(outcome=Position.Outcome.PENDING):
        assert position.outcome_note and position.outcome_date > position.published_at.date()
    assert not positions.filter(status=Status.SUBMITTED).exclude(outcome="pending").exists()
    assert not positions.filter(status=Status.SUBMITTED, submitted_on=None).exists()

    now = timezone.now()
    open_now = positions.open_for_input()
    assert open_now.count() == 2
    assert open_now.filter(input_deadline__lt=now + timedelta(days=2)).count() == 1
    for position in positions.filter(status__in=[Status.INPUT, Status.DRAFTING]):
        assert position.inputs.values("organisation").distinct().count() >= 2
    assert not positions.filter(status=Status.DRAFTING, input_deadline__gt=now).exists()


def test_co_signers_on_published_positions_one_withdrawn(demo):
    published = Position.objects.published().annotate(
        n=Count("endorsements", filter=Q(endorsements__withdrawn_at=None))
    )
    assert all(5 <= position.n <= 25 for position in published)
    assert not Endorsement.objects.exclude(position__status=Status.PUBLISHED).exists()
    assert Endorsement.objects.exclude(withdrawn_at=None).count() == 1
    signers = Organisation.objects.filter(endorsements__isnull=False).distinct()
    assert not signers.exclude(external_id__startswith="demo-").exists()
    assert not signers.exclude(depth=0).exists()
    for endorsement in Endorsement.objects.all():
        assert endorsement.signatory_name and endorsement.signatory_title
        assert endorsement.signed_at >= endorsement.position.published_at


def test_the_association_holds_8_of_the_11_seats_of_the_culture_centres_council(demo):
    council = Body.objects.get(slug="culture-centres-council")
    assert council.total_seats == 11 and council.level == Level.NATIONAL
    holding = council.seats.current().filter(role__in=Seat.HOLDING)
    assert holding.count() == 8
    assert holding.values("organisation").distinct().count() == 8
    assert holding.filter(role__in=[Seat.Role.CHAIR, Seat.Role.VICE_CHAIR]).exists()
    assert council.seats.past().exists()
    government = Body.objects.get(slug="tripartite-council-for-culture")
    assert government.seats.current().filter(role__in=Seat.HOLDING).count() == 1
    assert Body.objects.filter(level=Level.LOCAL).exists()
    assert Seat.objects.current().filter(body__level=Level.EU, role=Seat.Role.OBSERVER).exists()
    assert Seat.objects.filter(public=False).count() == 1


def test_the_member_staff_account_has_input_to_give_and_a_position_to_co_sign(demo):
    centre = Role.objects.get(user__email="staff@example.org").organisation
    assert Position.objects.open_for_input().exclude(inputs__organisation=centre).exists()
    assert (
        Position.objects.published()
        .filter(signing_closed=False)
        .exclude(endorsements__organisation=centre)
        .exists()
    )


def test_loading_the_demo_twice_adds_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    assert "21 positions, 8 consultations, 17 seats" in capsys.readouterr().out
    # Open input stays open the next day: its dates move with the day the demo is loaded.
    Position.objects.filter(status=Status.INPUT).update(
        input_deadline=timezone.now() - timedelta(days=1)
    )
    call_command("seed_demo")
    assert counts() == first
    assert "positions" not in capsys.readouterr().out
    assert Position.objects.open_for_input().count() == 2


def test_generated_positions_for_the_benchmark(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--organisations", "300", "--positions", "50")
    positions = Position.objects.all()
    assert positions.count() == positions.published().count() == 50
    assert positions.filter(kind="response").exclude(consultation=None).exists()
    assert not positions.annotate(n=Count("topics")).filter(n=0).exists()
    most = positions.annotate(n=Count("endorsements")).order_by("-n").first()
    assert most.n == 200
    assert most.endorsements.values("organisation").distinct().count() == 200
    generated = Organisation.objects.filter(external_id__startswith="bench1-")
    assert not Endorsement.objects.exclude(organisation__in=generated).exists()
    assert not positions.filter(published_at__gt=timezone.now()).exists()
    assert not positions.filter(search_vector=None).exists()

    first = counts()
    call_command("seed_demo", "--organisations", "300", "--positions", "50")
    assert counts() == first
    with pytest.raises(CommandError, match="50 positions of seed 1 are loaded"):
        call_command("seed_demo", "--organisations", "300", "--positions", "60")


def test_co_signers_are_capped_by_the_size_of_the_directory(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--organisations", "40", "--positions", "5")
    most = Position.objects.annotate(n=Count("endorsements")).order_by("-n").first()
    assert most.n == 40


def test_generated_positions_need_the_generated_directory(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--organisations"):
        call_command("seed_demo", "--positions", "10")
