from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from association import demo
from association.models import Affiliation, AssociationProfile, SitePage, User

DEMO_ACCOUNTS = [
    # email, password, name, secretariat?
    ("secretariat@example.org", "demo-secretariat", "Rasa Secretariat", True),
    ("staff@example.org", "demo-member-staff", "Tomas Member", False),
]


class Command(BaseCommand):
    help = "Load the demo association, its pages and two demo accounts (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has accounts with published passwords: it loads only with DEBUG on."
            )
        with transaction.atomic():
            self.load_profile()
            self.load_pages()
            self.load_accounts()
        self.stdout.write("Demo data is loaded. Demo sign-ins:")
        for email, password, _name, secretariat in DEMO_ACCOUNTS:
            role = "secretariat" if secretariat else "member staff"
            self.stdout.write(f"  {role:<13} {email} / {password}")

    def load_profile(self):
        profile = AssociationProfile.load()
        for field, value in demo.PROFILE.items():
            setattr(profile, field, value)
        profile.save()
        for order, names in enumerate(demo.AFFILIATIONS):
            Affiliation.objects.update_or_create(
                profile=profile,
                name_en=names["en"],
                defaults={"order": order} | {f"name_{code}": name for code, name in names.items()},
            )

    def load_pages(self):
        for kind, texts in demo.PAGES.items():
            page = SitePage.objects.get(kind=kind)
            for code, (title, body) in texts.items():
                setattr(page, f"title_{code}", title)
                setattr(page, f"body_{code}", body)
            page.save()

    def load_accounts(self):
        secretariat = Group.objects.get(name="Secretariat")
        for email, password, name, is_secretariat in DEMO_ACCOUNTS:
            user, _created = User.objects.update_or_create(
                email=email, defaults={"name": name, "is_staff": is_secretariat}
            )
            user.set_password(password)
            user.save()
            if is_secretariat:
                user.groups.add(secretariat)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
