from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from advocacy import demo as advocacy_demo
from association import demo
from events import demo as events_demo
from library import demo as library_demo
from members import demo as members_demo
from projects import demo as projects_demo


class Command(BaseCommand):
    help = (
        "Load the demo association: its profile, pages, two demo accounts, a Lithuanian "
        "directory of about 50 member centres, their funded projects and funding calls, "
        "consultations, positions, seats and news; or, with --organisations (and --projects, "
        "--positions), a deterministic large directory (and projects, published positions) "
        "for benchmarks (development only). Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            help="Instead of the demo directory, generate this many organisations.",
        )
        parser.add_argument(
            "--projects",
            type=int,
            help="With --organisations: also generate this many projects over them.",
        )
        parser.add_argument(
            "--positions",
            type=int,
            help="With --organisations: also generate this many published positions.",
        )
        parser.add_argument(
            "--events",
            type=int,
            default=0,
            help="With --organisations: also generate this many published events.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generated data.")

    def handle(self, *args, organisations=None, projects=None, positions=None, seed=1, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has accounts with published passwords: it loads only with DEBUG on."
            )
        if organisations is not None and organisations < 1:
            raise CommandError("--organisations must be a positive number.")
        if projects is not None and (projects < 1 or not organisations):
            raise CommandError("--projects needs a positive number and --organisations.")
        if positions is not None and (positions < 1 or not organisations):
            raise CommandError("--positions needs a positive number and --organisations.")
        staff_centre = None
        calls = None
        created_projects = 0
        advocacy = None
        news = subscribers = events = library = offers = 0
        with transaction.atomic():
            demo.load_association()
            members_demo.load_vocabularies()
            try:
                if organisations:
                    created = members_demo.load_large_directory(organisations, seed)
                    if projects:
                        created_projects = projects_demo.load_large_projects(projects, seed)
                    if positions:
                        advocacy = advocacy_demo.load_large_positions(positions, seed)
                    events = events_demo.load_large_events(options["events"], seed)
                else:
                    created = members_demo.load_demo_directory()
                    staff_centre = members_demo.load_demo_roles()
                    created_projects = projects_demo.load_demo_projects()
                    calls = projects_demo.load_demo_calls()
                    advocacy = advocacy_demo.load_demo_advocacy()
                    news = demo.load_news()
                    subscribers = demo.load_newsletter()
                    events = events_demo.load_demo_events()
                    library = library_demo.load_demo_library()
                    offers = members_demo.load_demo_partner_offers()
            except ValueError as error:
                raise CommandError(str(error)) from None
        if created:
            self.stdout.write(f"{created} organisations added to the directory.")
        if created_projects:
            self.stdout.write(f"{created_projects} projects added.")
        if calls:
            self.stdout.write("Funding calls: {} open, {} not yet open, {} closed.".format(*calls))
        if advocacy and any(advocacy):
            self.stdout.write(
                "Advocacy: {} positions, {} consultations, {} seats added.".format(*advocacy)
            )
        if news:
            self.stdout.write(f"{news} news posts added.")
        if subscribers:
            self.stdout.write(f"{subscribers} newsletter subscribers added.")
        if events:
            self.stdout.write(f"{events} events added.")
        if library:
            self.stdout.write(f"{library} library items added.")
        if offers:
            self.stdout.write(f"{offers} partner offers added.")
        self.stdout.write("Demo data is loaded. Demo sign-ins:")
        for email, password, _name, secretariat in demo.ACCOUNTS:
            role = "secretariat" if secretariat else "member staff"
            self.stdout.write(f"  {role:<13} {email} / {password}")
        if not organisations and staff_centre:
            self.stdout.write(f"The member staff account administers {staff_centre.name}.")
