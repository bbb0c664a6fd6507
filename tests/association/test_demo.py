import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from association.models import Affiliation, AssociationProfile, SitePage, User

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Affiliation.objects.count(), EmailAddress.objects.count())


def test_demo_data_loads_once_however_often_it_runs(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first == (2, 2, 2)
    profile = AssociationProfile.load()
    assert profile.name_lt == "Nacionalinė kultūros centrų asociacija"
    assert all(getattr(profile, f"mission_{code}") for code in ("en", "lt", "sl", "sv"))
    assert SitePage.objects.get(kind="accessibility").body_sv.startswith("\n<p>Nationella")
    secretariat = User.objects.get(email="secretariat@example.org")
    assert secretariat.is_staff and secretariat.groups.filter(name="Secretariat").exists()
    assert secretariat.check_password("demo-secretariat")
    assert "secretariat@example.org / demo-secretariat" in capsys.readouterr().out


def test_demo_accounts_are_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()
