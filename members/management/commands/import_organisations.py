import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.importing import ImportFileError, import_organisations, read_rows


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV or XLSX file (columns in the README). Rows are matched "
        "by external_id, so importing again updates them. A file with any bad row changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but change nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        try:
            with file.open("rb") as handle:
                rows = list(read_rows(handle, file.name))
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        # A progress bar on a terminal; nothing in a log.
        progress = self.show_progress if sys.stderr.isatty() else None
        report = import_organisations(rows, dry_run=dry_run, progress=progress)
        if progress:
            sys.stderr.write("\n")
        for error in report.errors:
            self.stderr.write(
                f"line {error.line}: {error.message}" if error.line else error.message
            )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} problem(s) in {report.total} rows; nothing was changed."
            )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total} rows: {report.created} organisations {verb} created, "
                f"{report.updated} {verb} updated."
            )
        )

    def show_progress(self, done, total):
        width = 40
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total}")
        sys.stderr.flush()
