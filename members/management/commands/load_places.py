from django.core.management.base import BaseCommand, CommandError

from members.services import load_places, read_places


class Command(BaseCommand):
    help = (
        "Load regions and municipalities: lt, si or se for the data that ships with the portal, "
        "or the path of a CSV with the columns country, region_code, region_name, "
        "municipality_code, municipality_name, latitude, longitude. Loading again updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="lt, si, se, or a path to a CSV file")

    def handle(self, *args, source, **options):
        try:
            regions, municipalities = load_places(read_places(source))
        except FileNotFoundError:
            raise CommandError(f"There is no places file for {source!r}.") from None
        except (KeyError, ValueError) as error:
            raise CommandError(f"The places file is not usable: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"{regions} regions and {municipalities} municipalities loaded.")
        )
