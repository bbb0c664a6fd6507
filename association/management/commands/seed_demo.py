from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from association import demo
from association.models import Affiliation, AssociationProfile, SitePage, User
from members import demo as members_demo

DEMO_ACCOUNTS = [
    # email, password, name, secretariat?
    ("secretariat@example.org", "demo-secretariat", "Rasa Secretariat", True),
    ("staff@example.org", "demo-member-staff", "Tomas Member", False),
]


class Command(BaseCommand):
    help = (
        "Load the demo association: its profile, pages, two demo accounts and a Lithuanian "
        "directory of about 50 member centres; or, with --organisations, a deterministic large "
        "directory for benchmarks (development only). Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            help="Instead of the demo directory, generate this many organisations.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generated data.")

    def handle(self, *args, organisations=None, seed=1, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has accounts with published passwords: it loads only with DEBUG on."
            )
        if organisations is not None and organisations < 1:
            raise CommandError("--organisations must be a positive number.")
        with transaction.atomic():
            self.load_profile()
            self.load_pages()
            self.load_accounts()
            members_demo.load_vocabularies()
            try:
                if organisations:
                    created = members_demo.load_large_directory(organisations, seed)
                else:
                    created = members_demo.load_demo_directory()
            except ValueError as error:
                raise CommandError(str(error)) from None
        if created:
            self.stdout.write(f"{created} organisations added to the directory.")
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
