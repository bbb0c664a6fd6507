"""Import organisations from a spreadsheet (CSV or XLSX), all or nothing.

Every row is checked first; a file with any bad row changes nothing and every bad row is reported
with its line number and the reason. Rows are matched to existing organisations by external_id,
so importing the same file again updates them instead of adding them twice. Types,
municipalities and fields of activity are found by name in any language, whatever the case or
diacritics, or by slug or code.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import FieldOfActivity, Municipality, Organisation, OrganisationType
from .search import normalise
from .services import directory_changed, refresh_search, unique_slug

COLUMNS = [
    "external_id", "name", "short_name", "type", "parent_external_id", "municipality",
    "address", "postal_code", "email", "phone", "website", "founded_year", "members_count",
    "volunteers_count", "staff_count", "fields_of_activity", "description", "latitude",
    "longitude", "membership_status", "member_since",
]  # fmt: skip
REQUIRED = ["external_id", "name", "type"]
# Imports from the admin run in the background above this many rows.
BACKGROUND_ROWS = 2000
BATCH = 1000
# Where each imported value comes from.
VALUE_COLUMNS = {
    "name": "name", "short_name": "short_name", "address": "address",
    "postal_code": "postal_code", "phone": "phone", "email": "email", "website": "website",
    "description": "description", "founding_year": "founded_year",
    "members_count": "members_count", "volunteers_count": "volunteers_count",
    "staff_count": "staff_count", "latitude": "latitude", "longitude": "longitude",
    "type": "type", "municipality": "municipality", "fields": "fields_of_activity",
    "membership_status": "membership_status", "member_since": "member_since",
}  # fmt: skip


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors


def _cell(value):
    """A spreadsheet cell as text: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_rows(file, filename):
    """(line number, row dict) for each data row of a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
        lines = ([_cell(value) for value in row] for row in sheet.iter_rows(values_only=True))
    elif filename.lower().endswith(".csv"):
        raw = file.read()
        try:
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The CSV file must be saved as UTF-8.")) from error
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        lines = ([cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect))
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))

    header = [normalise(name).strip().replace(" ", "_") for name in next(lines, [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    for number, values in enumerate(lines, start=2):
        if any(values):
            yield number, dict(zip(header, values, strict=False))


class _Vocabulary:
    """Names (in every language, without case or diacritics), slugs and codes to objects."""

    def __init__(self):
        languages = settings.MODELTRANSLATION_LANGUAGES
        self.types = self._index(
            OrganisationType.objects.prefetch_related("allowed_parents"),
            [f"name_{code}" for code in languages] + [f"name_plural_{code}" for code in languages],
        )
        self.municipalities = self._index(Municipality.objects.all(), ["name", "code"])
        self.fields = self._index(FieldOfActivity.objects.all(), [f"name_{c}" for c in languages])
        self.statuses = {}
        for value, label in Organisation.MembershipStatus.choices:
            self.statuses[normalise(value)] = value
            for code in languages:
                with translation.override(code):
                    self.statuses[normalise(str(label))] = value

    @staticmethod
    def _index(objects, attributes):
        index = {}
        for item in objects:
            for key in [item.slug, *(getattr(item, name) for name in attributes)]:
                if key:
                    index.setdefault(normalise(key), item)
        return index


def _number(row, column, errors, *, low=0, high=10_000_000):
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        errors.append(_("%(column)s must be a whole number, not “%(value)s”.") % {
            "column": column, "value": text[:40]})  # fmt: skip
        return None
    if not low <= value <= high:
        errors.append(_("%(column)s must be between %(low)s and %(high)s.") % {
            "column": column, "low": low, "high": high})  # fmt: skip
        return None
    return value


def _coordinate(row, column, limit, errors):
    text = row.get(column, "").replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors.append(_("%(column)s must be a number, not “%(value)s”.") % {
            "column": column, "value": text[:40]})  # fmt: skip
        return None
    if not -limit <= value <= limit:
        errors.append(_("%(column)s must be between -%(limit)s and %(limit)s.") % {
            "column": column, "limit": limit})  # fmt: skip
        return None
    return value


def _check_row(row, vocabulary, errors):
    """The organisation's values from a row, with what is wrong added to errors."""
    for column in REQUIRED:
        if not row.get(column):
            errors.append(_("%(column)s is required.") % {"column": column})
    values = {
        "name": row.get("name", "")[:255],
        "short_name": row.get("short_name", "")[:80],
        "address": row.get("address", "")[:255],
        "postal_code": row.get("postal_code", "")[:20],
        "phone": row.get("phone", "")[:40],
        "email": row.get("email", ""),
        "website": row.get("website", ""),
        "description": row.get("description", ""),
        "founding_year": _number(row, "founded_year", errors, low=1000, high=date.today().year),
        "members_count": _number(row, "members_count", errors),
        "volunteers_count": _number(row, "volunteers_count", errors),
        "staff_count": _number(row, "staff_count", errors),
        "latitude": _coordinate(row, "latitude", 90, errors),
        "longitude": _coordinate(row, "longitude", 180, errors),
    }
    if len(row.get("external_id", "")) > 64:
        errors.append(_("external_id is longer than 64 characters."))
    if (values["latitude"] is None) != (values["longitude"] is None):
        errors.append(_("latitude and longitude go together: give both or neither."))
    if values["email"]:
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            errors.append(_("email “%(value)s” is not an email address.") % {
                "value": values["email"][:80]})  # fmt: skip
    if values["website"]:
        if "://" not in values["website"]:
            values["website"] = "https://" + values["website"]
        try:
            URLValidator(schemes=["http", "https"])(values["website"])
        except ValidationError:
            errors.append(_("website “%(value)s” is not a web address.") % {
                "value": values["website"][:80]})  # fmt: skip

    kind = vocabulary.types.get(normalise(row.get("type", "")))
    if row.get("type") and kind is None:
        errors.append(_("type “%(value)s” is not an organisation type.") % {
            "value": row["type"][:80]})  # fmt: skip
    values["type"] = kind

    municipality = None
    if row.get("municipality"):
        municipality = vocabulary.municipalities.get(normalise(row["municipality"]))
        if municipality is None:
            errors.append(_("municipality “%(value)s” is not known.") % {
                "value": row["municipality"][:80]})  # fmt: skip
    values["municipality"] = municipality

    fields = []
    for name in filter(
        None, (part.strip() for part in row.get("fields_of_activity", "").split(";"))
    ):
        found = vocabulary.fields.get(normalise(name))
        if found is None:
            errors.append(_("field of activity “%(value)s” is not known.") % {
                "value": name[:80]})  # fmt: skip
        else:
            fields.append(found)
    values["fields"] = fields

    status = row.get("membership_status", "")
    values["membership_status"] = Organisation.MembershipStatus.MEMBER
    if status:
        values["membership_status"] = vocabulary.statuses.get(normalise(status))
        if values["membership_status"] is None:
            errors.append(_("membership_status “%(value)s” is not one of: %(choices)s.") % {
                "value": status[:40],
                "choices": ", ".join(Organisation.MembershipStatus.values)})  # fmt: skip
    values["member_since"] = None
    if row.get("member_since"):
        text = row["member_since"]
        try:
            values["member_since"] = (
                date(int(text), 1, 1) if len(text) == 4 else date.fromisoformat(text[:10])
            )
        except ValueError:
            errors.append(_("member_since must be a date like 2015-09-01 or a year."))
    # A column the file does not have leaves that value of an existing organisation alone.
    return {key: value for key, value in values.items() if VALUE_COLUMNS[key] in row}


def import_organisations(rows, *, dry_run=False, progress=None, user=None):
    """Import (line, row) pairs; returns an ImportReport. Nothing is written if any row is
    bad, or when dry_run is set. progress(done, total) is called as rows are written."""
    rows = list(rows)
    report = ImportReport(total=len(rows), dry_run=dry_run)
    vocabulary = _Vocabulary()
    checked = {}  # external_id → (line, values, parent external id)
    for line, row in rows:
        errors = []
        values = _check_row(row, vocabulary, errors)
        external_id = row.get("external_id", "")
        if external_id in checked:
            errors.append(_("external_id “%(value)s” is already used on line %(line)s.") % {
                "value": external_id, "line": checked[external_id][0]})  # fmt: skip
        report.errors.extend(RowError(line, message) for message in errors)
        if external_id and external_id not in checked:
            # None: the file has no parent column, so an existing organisation keeps its parent.
            checked[external_id] = (line, values, row.get("parent_external_id"))

    existing = {
        organisation.external_id: organisation
        for organisation in Organisation.objects.filter(
            external_id__in=list(checked)
        ).select_related("type")
    }
    parents_in_database = {
        organisation.external_id: organisation
        for organisation in Organisation.objects.filter(
            external_id__in={parent for *_, parent in checked.values() if parent} - set(checked)
        ).select_related("type")
    }
    _check_tree(checked, existing, parents_in_database, report)
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        return report

    try:
        with transaction.atomic():
            _write(checked, existing, parents_in_database, report, progress, user)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        # The tree trigger has the last word (for instance on a move inside the file's own rows).
        report.created = report.updated = 0
        report.errors.append(RowError(0, _("The database refused the import: %(reason)s") % {
            "reason": str(error).splitlines()[0]}))  # fmt: skip
    return report


def _check_tree(checked, existing, parents_in_database, report):
    """Parents must exist, allow the child's type, and never lead back to the child."""
    for external_id, (line, values, parent_id) in checked.items():
        kind = values["type"]
        if kind is None or (parent_id is None and external_id in existing):
            continue
        if not parent_id:
            if not kind.can_be_top_level:
                report.errors.append(RowError(line, _("a %(type)s needs a parent_external_id.") % {
                    "type": kind.name}))  # fmt: skip
            continue
        if parent_id in checked:
            parent_type = checked[parent_id][1]["type"]
        elif parent_id in parents_in_database:
            parent_type = parents_in_database[parent_id].type
        else:
            report.errors.append(RowError(line, _(
                "parent_external_id “%(value)s” is neither in the file nor in the directory.")
                % {"value": parent_id[:64]}))  # fmt: skip
            continue
        if parent_type is not None and parent_type not in kind.allowed_parents.all():
            report.errors.append(RowError(line, _("a %(type)s cannot be part of a %(parent)s.") % {
                "type": kind.name, "parent": parent_type.name}))  # fmt: skip
        seen = {external_id}
        ancestor = parent_id
        while ancestor in checked:
            if ancestor in seen:
                report.errors.append(
                    RowError(
                        line,
                        _(
                            "parent_external_id makes a loop: "
                            "the organisation would be part of itself."
                        ),
                    )
                )
                break
            seen.add(ancestor)
            ancestor = checked[ancestor][2]


def _levels(checked):
    """External ids grouped by depth within the file, parents before their children."""
    depth = {}

    def depth_of(external_id):
        if external_id not in depth:
            parent = checked[external_id][2]
            depth[external_id] = depth_of(parent) + 1 if parent in checked else 0
        return depth[external_id]

    levels = {}
    for external_id in checked:
        levels.setdefault(depth_of(external_id), []).append(external_id)
    return [levels[number] for number in sorted(levels)]


def _write(checked, existing, parents_in_database, report, progress, user):
    taken = set(Organisation.objects.values_list("slug", flat=True))
    saved = dict(parents_in_database)
    through = Organisation.fields_of_activity.through
    done = 0
    for level in _levels(checked):
        for start in range(0, len(level), BATCH):
            batch = level[start : start + BATCH]
            creating, updating = [], []
            for external_id in batch:
                _line, values, parent_id = checked[external_id]
                organisation = existing.get(external_id) or Organisation(
                    external_id=external_id, slug=unique_slug(values["name"], taken)
                )
                for name, value in values.items():
                    if name != "fields":
                        setattr(organisation, name, value)
                if parent_id is not None or not organisation.pk:
                    organisation.parent = saved.get(parent_id) if parent_id else None
                organisation.updated_at = timezone.now()
                organisation.set_derived_fields()
                (updating if organisation.pk else creating).append(organisation)
                saved[external_id] = organisation
            # With their history, as every other change to an organisation.
            bulk_create_with_history(
                creating, Organisation, default_user=user, default_change_reason="import"
            )
            bulk_update_with_history(
                updating,
                Organisation,
                UPDATED_FIELDS,
                default_user=user,
                default_change_reason="import",
            )
            report.created += len(creating)
            report.updated += len(updating)
            ids = [saved[external_id].pk for external_id in batch]
            with_fields = [
                external_id for external_id in batch if "fields" in checked[external_id][1]
            ]
            through.objects.filter(
                organisation_id__in=[saved[external_id].pk for external_id in with_fields]
            ).delete()
            through.objects.bulk_create(
                through(organisation_id=saved[external_id].pk, fieldofactivity_id=item.pk)
                for external_id in with_fields
                for item in checked[external_id][1]["fields"]
            )
            refresh_search(ids)
            done += len(batch)
            if progress:
                progress(done, len(checked))
    transaction.on_commit(directory_changed)


UPDATED_FIELDS = [
    "name", "short_name", "sort_name", "type", "parent", "municipality", "address", "postal_code",
    "email", "phone", "website", "founding_year", "members_count", "volunteers_count",
    "staff_count", "description", "latitude", "longitude", "membership_status", "member_since",
    "updated_at",
]  # fmt: skip


def run_job(job):
    """Run a claimed ImportJob (in a Celery worker), reporting progress through the cache:
    the import's own transaction keeps its database writes invisible until it ends."""
    from django.core.cache import cache

    from .models import ImportJob

    def progress(done, total):
        cache.set(job.progress_key, [done, total], timeout=60 * 60)

    try:
        with job.file.open("rb") as handle:
            rows = list(read_rows(handle, job.filename))
        job.total_rows = len(rows)
        report = import_organisations(
            rows, dry_run=job.dry_run, progress=progress, user=job.created_by
        )
    except ImportFileError as error:
        job.errors = [{"line": 0, "message": str(error)}]
        job.status = ImportJob.Status.FAILED
    else:
        job.created_count, job.updated_count = report.created, report.updated
        job.errors = [{"line": error.line, "message": error.message} for error in report.errors]
        job.status = ImportJob.Status.FAILED if report.errors else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    cache.delete(job.progress_key)
