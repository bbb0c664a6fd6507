"""Spreadsheet import: the management command, the admin's import page and its background job.
All or nothing: a file with any bad row changes nothing."""

import csv
import io
import time
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from members.importing import BACKGROUND_ROWS, COLUMNS
from members.models import ImportJob, Organisation
from members.selectors import matching, search_query
from tests.factories import make_secretariat_user, make_type, make_user
from tests.helpers import committed_db
from tests.members.conftest import build_directory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/members/organisation/import/"

# Types, places and fields named as a spreadsheet might: in Lithuanian, Slovenian, Swedish or
# English, by slug or code, in any case, with or without diacritics. A child comes before its
# parent in the file on purpose.
GOOD_ROWS = [
    {"external_id": "kc-1", "name": "Kėdainių rajono kultūros centras", "short_name": "KRKC",
     "type": "Kultūros centras", "municipality": "Kedainiu rajono savivaldybe",
     "address": "Didžioji g. 1", "postal_code": "LT-57001", "email": "info@krkc.example.org",
     "phone": "+370 347 11111", "website": "krkc.example.org", "founded_year": "1958",
     "members_count": "420", "volunteers_count": "30", "staff_count": "25",
     "fields_of_activity": "choras; liaudies sokis",
     "description": "Koncertai, parodos, šventės.", "latitude": "55,29", "longitude": "23.97",
     "membership_status": "Member", "member_since": "2004-05-01"},
    {"external_id": "col-1", "name": "Mišrus choras „Aidas“", "type": "art collective",
     "parent_external_id": "fil-1", "municipality": "KĖDAINIŲ RAJONO SAVIVALDYBĖ",
     "fields_of_activity": "Choir", "members_count": "28"},
    {"external_id": "fil-1", "name": "Josvainių filialas", "type": "filialas",
     "parent_external_id": "kc-1", "municipality": "LT-18", "fields_of_activity": "Folk dance"},
    {"external_id": "kc-2", "name": "Dom kulture Žalec", "type": "Kulturni center",
     "municipality": "ZALEC", "fields_of_activity": "Pevski zbor;Gledališče",
     "membership_status": "applicant", "member_since": "2019"},
    {"external_id": "kc-3", "name": "Kulturhuset Väst", "type": "centre",
     "municipality": "goteborg", "fields_of_activity": "Kör", "membership_status": "former"},
]  # fmt: skip


def write_csv(path, rows, *, delimiter=",", columns=COLUMNS, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.DictWriter(file, columns, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path, *options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", str(path), *options, stdout=out, stderr=err)
    return out.getvalue()


def imported():
    return Organisation.objects.filter(external_id__isnull=False)


def by_external_id():
    return {o.external_id: o for o in imported().select_related("type", "municipality", "parent")}


def field_slugs(organisation):
    return {field.slug for field in organisation.fields_of_activity.all()}


# --- The command ----------------------------------------------------------------------------


def test_a_good_csv_creates_the_tree_matching_names_in_any_language(directory, tmp_path):
    d = directory
    before = Organisation.objects.count()
    output = run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS))
    assert "5 rows: 5 organisations were created, 0 were updated." in output
    assert Organisation.objects.count() == before + 5

    made = by_external_id()
    assert {key: o.type for key, o in made.items()} == {
        "kc-1": d.centre, "col-1": d.collective, "fil-1": d.branch, "kc-2": d.centre,
        "kc-3": d.centre,
    }  # fmt: skip
    assert {key: o.municipality for key, o in made.items()} == {
        "kc-1": d.kedainiai, "col-1": d.kedainiai, "fil-1": d.kedainiai, "kc-2": d.zalec,
        "kc-3": d.goteborg,
    }  # fmt: skip
    assert {key: field_slugs(o) for key, o in made.items()} == {
        "kc-1": {"choir", "folk-dance"}, "col-1": {"choir"}, "fil-1": {"folk-dance"},
        "kc-2": {"choir", "theatre"}, "kc-3": {"choir"},
    }  # fmt: skip

    # The tree, with the paths the trigger keeps.
    centre, branch, choir = made["kc-1"], made["fil-1"], made["col-1"]
    assert (centre.parent, branch.parent, choir.parent) == (None, centre, branch)
    assert choir.path == f"{centre.pk:08d}/{branch.pk:08d}/{choir.pk:08d}/"
    assert choir.depth == 2

    assert centre.website == "https://krkc.example.org"
    assert (centre.latitude, centre.longitude) == (55.29, 23.97)
    assert (centre.founding_year, centre.members_count, centre.staff_count) == (1958, 420, 25)
    assert centre.member_since == date(2004, 5, 1)
    assert made["kc-2"].member_since == date(2019, 1, 1)
    assert [made[key].membership_status for key in ("kc-1", "kc-2", "kc-3")] == [
        "member", "applicant", "former",
    ]  # fmt: skip
    assert centre.slug == "kedainiu-rajono-kulturos-centras"
    assert centre.sort_name == "kedainiu rajono kulturos centras"


def test_imported_organisations_can_be_searched_at_once(directory, tmp_path):
    run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS))
    found = set(matching(imported(), search_query("choras")).values_list("external_id", flat=True))
    # By name (the collective) and by the Lithuanian name of the choir field (the others).
    assert found == {"kc-1", "col-1", "kc-2", "kc-3"}


def test_a_dry_run_changes_nothing(directory, tmp_path):
    before = set(Organisation.objects.values_list("pk", "name", "updated_at"))
    output = run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS), "--dry-run")
    assert "5 rows: 5 organisations would be created, 0 would be updated." in output
    assert set(Organisation.objects.values_list("pk", "name", "updated_at")) == before


def test_importing_the_same_file_again_updates_instead_of_duplicating(directory, tmp_path):
    path = write_csv(tmp_path / "members.csv", GOOD_ROWS)
    run_import(path)
    first = {key: (o.pk, o.slug, o.path) for key, o in by_external_id().items()}
    count = Organisation.objects.count()

    output = run_import(path)
    assert "5 rows: 0 organisations were created, 5 were updated." in output
    assert Organisation.objects.count() == count
    assert {key: (o.pk, o.slug, o.path) for key, o in by_external_id().items()} == first


def test_a_changed_value_is_updated_on_reimport(directory, tmp_path):
    run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS))
    changed = [dict(row) for row in GOOD_ROWS]
    changed[0] |= {"members_count": "512", "name": "Kėdainių kultūros namai",
                   "fields_of_activity": "theatre"}  # fmt: skip
    changed[1] |= {"parent_external_id": "kc-1"}  # the choir moves up to the centre
    run_import(write_csv(tmp_path / "changed.csv", changed))
    made = by_external_id()
    centre = made["kc-1"]
    assert (centre.name, centre.members_count) == ("Kėdainių kultūros namai", 512)
    assert field_slugs(centre) == {"theatre"}
    assert made["col-1"].parent == centre
    assert made["col-1"].path == f"{centre.pk:08d}/{made['col-1'].pk:08d}/"
    found = matching(imported(), search_query("namai")).values_list("external_id", flat=True)
    assert list(found) == ["kc-1"]


def test_columns_missing_from_a_reimport_leave_those_values_alone(directory, tmp_path):
    run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS))
    # A later file that only corrects the member counts.
    path = tmp_path / "counts.csv"
    path.write_text("external_id,name,type,members_count\nkc-1,Kėdainių rajono kultūros "
                    "centras,centre,512\nkc-3,Kulturhuset Väst,centre,90\n")  # fmt: skip
    run_import(path)
    made = by_external_id()
    assert made["kc-1"].members_count == 512
    assert (made["kc-1"].email, made["kc-1"].volunteers_count) == ("info@krkc.example.org", 30)
    assert field_slugs(made["kc-1"]) == {"choir", "folk-dance"}
    assert made["kc-3"].membership_status == "former"


def test_a_row_may_name_a_parent_that_is_already_in_the_directory(directory, tmp_path):
    d = directory
    Organisation.objects.filter(pk=d.kedainiai_centre.pk).update(external_id="old-1")
    rows = [{"external_id": "new-1", "name": "Naujas kolektyvas", "type": "collective",
             "parent_external_id": "old-1"}]  # fmt: skip
    run_import(write_csv(tmp_path / "members.csv", rows))
    assert Organisation.objects.get(external_id="new-1").parent == d.kedainiai_centre


BAD_ROWS = [
    # line 2: good, and still not imported
    {"external_id": "ok-1", "name": "Geras centras", "type": "centre"},
    {"external_id": "bad-3", "name": "Nežinomas tipas", "type": "nope"},
    {"external_id": "bad-4", "name": "Daug narių", "type": "centre", "members_count": "many"},
    {"external_id": "bad-5", "name": "Be pašto", "type": "centre", "email": "not-an-email"},
    {"external_id": "bad-6", "name": "Be tėvo", "type": "collective",
     "parent_external_id": "ghost"},
    {"external_id": "bad-7", "name": "", "type": "centre"},
    {"external_id": "ok-1", "name": "Dvynys", "type": "centre"},
    {"external_id": "bad-9", "name": "Vienišas filialas", "type": "branch"},
    {"external_id": "bad-10", "name": "Pusė vietos", "type": "centre", "latitude": "55.1"},
    {"external_id": "bad-11", "name": "Filialo filialas", "type": "branch",
     "parent_external_id": "bad-9"},
    {"external_id": "bad-12", "name": "Niekur", "type": "centre", "municipality": "Atlantis"},
    {"external_id": "bad-13", "name": "Nieko", "type": "centre",
     "fields_of_activity": "choir;underwater basket weaving"},
    {"external_id": "bad-14", "name": "Senas", "type": "centre", "founded_year": "999"},
    {"external_id": "bad-15", "name": "Statusas", "type": "centre", "membership_status": "vip"},
    {"external_id": "bad-16", "name": "Data", "type": "centre", "member_since": "vakar"},
]  # fmt: skip

BAD_ROW_PROBLEMS = [
    "line 3: type “nope” is not an organisation type.",
    "line 4: members_count must be a whole number, not “many”.",
    "line 5: email “not-an-email” is not an email address.",
    "line 6: parent_external_id “ghost” is neither in the file nor in the directory.",
    "line 7: name is required.",
    "line 8: external_id “ok-1” is already used on line 2.",
    "line 9: a Branch needs a parent_external_id.",
    "line 10: latitude and longitude go together: give both or neither.",
    "line 11: a Branch cannot be part of a Branch.",
    "line 12: municipality “Atlantis” is not known.",
    "line 13: field of activity “underwater basket weaving” is not known.",
    f"line 14: founded_year must be between 1000 and {date.today().year}.",
    "line 15: membership_status “vip” is not one of: member, applicant, former, none.",
    "line 16: member_since must be a date like 2015-09-01 or a year.",
]


def test_bad_rows_are_each_reported_and_nothing_changes(directory, tmp_path):
    before = set(Organisation.objects.values_list("pk", "updated_at"))
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_organisations", str(write_csv(tmp_path / "bad.csv", BAD_ROWS)),
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert str(error.value) == (
        f"{len(BAD_ROW_PROBLEMS)} problem(s) in {len(BAD_ROWS)} rows; nothing was changed."
    )
    assert err.getvalue().splitlines() == BAD_ROW_PROBLEMS
    # Not even the good row on line 2 was imported.
    assert set(Organisation.objects.values_list("pk", "updated_at")) == before
    assert not imported().exists()


def test_a_loop_of_parents_in_the_file_is_reported(directory, tmp_path):
    group = make_type(slug="group", name="Group")
    group.allowed_parents.set([group])
    rows = [
        {"external_id": "a", "name": "A", "type": "group", "parent_external_id": "b"},
        {"external_id": "b", "name": "B", "type": "group", "parent_external_id": "a"},
    ]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_organisations", str(write_csv(tmp_path / "loop.csv", rows)),
                     stdout=io.StringIO(), stderr=err)  # fmt: skip
    loop = "parent_external_id makes a loop: the organisation would be part of itself."
    assert err.getvalue().splitlines() == [f"line 2: {loop}", f"line 3: {loop}"]
    assert not imported().exists()


def test_a_semicolon_delimited_csv_imports(directory, tmp_path):
    run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS, delimiter=";"))
    made = by_external_id()
    assert set(made) == {"kc-1", "col-1", "fil-1", "kc-2", "kc-3"}
    # A quoted "choras; liaudies sokis" stays one cell with two fields.
    assert field_slugs(made["kc-1"]) == {"choir", "folk-dance"}
    assert made["kc-1"].description == "Koncertai, parodos, šventės."


def test_a_csv_saved_by_excel_with_a_byte_order_mark_imports(directory, tmp_path):
    run_import(write_csv(tmp_path / "members.csv", GOOD_ROWS, encoding="utf-8-sig"))
    assert set(by_external_id()) == {"kc-1", "col-1", "fil-1", "kc-2", "kc-3"}


def test_column_names_are_matched_without_case_or_spaces(directory, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("External ID,Name,Type,Members count\n1,Naujas centras,Centre,12\n")
    run_import(path)
    organisation = Organisation.objects.get(external_id="1")
    assert (organisation.name, organisation.type, organisation.members_count) == (
        "Naujas centras", directory.centre, 12,
    )  # fmt: skip


def test_a_real_xlsx_workbook_imports(directory, tmp_path):
    d = directory
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "name", "type", "parent_external_id", "municipality",
                  "members_count", "latitude", "longitude", "member_since",
                  "fields_of_activity"])  # fmt: skip
    # Numbers, floats and dates as a spreadsheet program stores them, not as text.
    sheet.append([101, "Kėdainių kultūros centras II", "Kultūros centras", None,
                  "Kėdainių rajono savivaldybė", 250, 55.3, 23.95, datetime(2011, 3, 1),
                  "choras"])  # fmt: skip
    sheet.append([102, "Teatro studija", "Meno kolektyvas", 101, "LT-18", 15.0, None, None,
                  None, "Teatras"])  # fmt: skip
    sheet.append([None] * 10)  # an empty row is skipped
    workbook.save(tmp_path / "members.xlsx")

    assert "2 rows: 2 organisations were created" in run_import(tmp_path / "members.xlsx")
    centre, studio = (
        Organisation.objects.get(external_id="101"),
        Organisation.objects.get(external_id="102"),
    )
    assert (centre.type, centre.municipality, centre.members_count) == (d.centre, d.kedainiai, 250)
    assert (centre.latitude, centre.longitude) == (55.3, 23.95)
    assert centre.member_since == date(2011, 3, 1)
    assert (studio.parent, studio.type, studio.members_count) == (centre, d.collective, 15)
    assert field_slugs(studio) == {"theatre"}


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("members.csv", "external_id,name,type\nkc-9,Kėdainių centras,centre\n".encode("cp1257"),
         "The CSV file must be saved as UTF-8."),
        ("members.csv", b"external_id,name\nkc-9,Centras\n",
         "The first row must name the columns; missing: type."),
        ("members.csv", b"", "The first row must name the columns; missing: external_id, name, "
                             "type."),
        ("members.txt", b"external_id,name,type\nkc-9,Centras,centre\n",
         "Upload a .csv or .xlsx file."),
        ("members.xlsx", b"external_id,name,type\n", "The file is not a readable XLSX workbook."),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_error(
    directory, tmp_path, filename, content, message
):
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value) == message
    assert not imported().exists()


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run_import(tmp_path / "nowhere.csv")


# --- The admin's import page ----------------------------------------------------------------


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


@pytest.fixture
def secretariat(client):
    client.force_login(make_secretariat_user())
    return client


def test_the_import_page_imports_a_small_file_at_once(directory, secretariat, tmp_path):
    response = secretariat.post(
        IMPORT_URL, {"file": upload(write_csv(tmp_path / "members.csv", GOOD_ROWS))}
    )
    assert response.status_code == 200
    assert "Imported 5 rows: 5 organisations created, 0 updated." in response.content.decode()
    assert set(by_external_id()) == {"kc-1", "col-1", "fil-1", "kc-2", "kc-3"}
    assert not ImportJob.objects.exists()


def test_the_import_page_can_only_check_a_file(directory, secretariat, tmp_path):
    path = write_csv(tmp_path / "members.csv", GOOD_ROWS)
    response = secretariat.post(IMPORT_URL, {"file": upload(path), "dry_run": "on"})
    assert (
        "The file is correct: 5 rows, 5 organisations would be created and 0 updated. "
        "Nothing was changed."
    ) in response.content.decode()
    assert not imported().exists()


def test_the_import_page_lists_each_problem_and_changes_nothing(directory, secretariat, tmp_path):
    response = secretariat.post(
        IMPORT_URL, {"file": upload(write_csv(tmp_path / "bad.csv", BAD_ROWS[:4]))}
    )
    content = response.content.decode()
    assert "3 problems in 4 rows: nothing was changed." in content
    assert "<tr><td>3</td><td>type “nope” is not an organisation type.</td></tr>" in content
    assert "<tr><td>4</td><td>members_count must be a whole number, not “many”.</td></tr>" in (
        content
    )
    assert not imported().exists()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("members.txt", b"external_id,name,type\n", "Upload a .csv or .xlsx file."),
        ("members.csv", "a,b\n".encode("utf-16"), "The CSV file must be saved as UTF-8."),
    ],
)
def test_the_import_page_refuses_an_unreadable_file(secretariat, filename, content, message):
    response = secretariat.post(IMPORT_URL, {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 200
    assert f'<ul class="errorlist" id="id_file_error"><li>{message}</li></ul>' in (
        response.content.decode()
    )


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_member_who_is_not_staff_is_sent_to_sign_in(client):
    client.force_login(make_user())
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("x.csv", b"a")})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not ImportJob.objects.exists()


def test_staff_without_the_permission_to_add_organisations_get_403(client, tmp_path):
    client.force_login(make_user(is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("x.csv", b"a,b\n")})
    assert response.status_code == 403


def test_staff_without_the_permission_to_view_imports_cannot_read_one(client, db):
    job = ImportJob.objects.create(file="imports/x.csv", filename="secret-members.csv")
    client.force_login(make_user(is_staff=True))
    response = client.get(f"/admin/members/importjob/{job.pk}/change/")
    assert response.status_code == 403


def wait_until_finished(job, timeout=60):
    deadline = time.monotonic() + timeout
    while job.status in {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}:
        assert time.monotonic() < deadline, f"the import is still {job.status} after {timeout} s"
        time.sleep(0.2)
        job.refresh_from_db()
    return job


@committed_db
def test_a_file_above_the_background_limit_is_imported_by_the_worker(
    celery_worker, client, settings, tmp_path, monkeypatch
):
    # The real limit is 2,000 rows (see the next test): a small file exercises the same path.
    monkeypatch.setattr("members.admin.BACKGROUND_ROWS", len(GOOD_ROWS) - 1)
    settings.MEDIA_ROOT = tmp_path / "media"
    build_directory()
    client.force_login(make_secretariat_user())

    response = client.post(IMPORT_URL, {"file": upload(write_csv(tmp_path / "m.csv", GOOD_ROWS))})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/members/importjob/{job.pk}/change/"
    assert (job.filename, job.total_rows, job.dry_run) == ("m.csv", len(GOOD_ROWS), False)

    wait_until_finished(job)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.updated_count, job.errors) == (len(GOOD_ROWS), 0, [])
    assert job.finished_at is not None
    assert set(by_external_id()) == {row["external_id"] for row in GOOD_ROWS}
    assert by_external_id()["col-1"].parent == by_external_id()["fil-1"]

    page = client.get(response["Location"]).content.decode()
    assert f"Done: {len(GOOD_ROWS)} rows, {len(GOOD_ROWS)} organisations created, 0 updated." in (
        page
    )
    assert 'http-equiv="refresh"' not in page  # a finished import stops refreshing itself


@committed_db
def test_a_background_import_with_bad_rows_reports_them_on_its_page(
    celery_worker, client, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr("members.admin.BACKGROUND_ROWS", 2)
    settings.MEDIA_ROOT = tmp_path / "media"
    build_directory()
    client.force_login(make_secretariat_user())
    response = client.post(IMPORT_URL, {"file": upload(write_csv(tmp_path / "b.csv", BAD_ROWS))})
    job = wait_until_finished(ImportJob.objects.get())
    assert job.status == ImportJob.Status.FAILED
    assert [f"line {e['line']}: {e['message']}" for e in job.errors] == BAD_ROW_PROBLEMS
    assert not imported().exists()
    page = client.get(response["Location"]).content.decode()
    assert f"{len(BAD_ROW_PROBLEMS)} problems: nothing was changed." in page
    assert "<tr><td>3</td><td>type “nope” is not an organisation type.</td></tr>" in page


def many_rows(count):
    return [{"external_id": f"bulk-{number}", "name": f"Kolektyvas {number}",
             "type": "centre", "municipality": "zalec", "fields_of_activity": "choir"}
            for number in range(count)]  # fmt: skip


@committed_db
def test_a_file_of_more_than_background_rows_is_imported_by_the_worker(
    celery_worker, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_directory()
    client.force_login(make_secretariat_user())
    rows = many_rows(BACKGROUND_ROWS + 1)
    response = client.post(IMPORT_URL, {"file": upload(write_csv(tmp_path / "large.csv", rows))})
    job = wait_until_finished(ImportJob.objects.get())
    assert response["Location"] == f"/admin/members/importjob/{job.pk}/change/"
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.updated_count) == (len(rows), 0)
    assert imported().count() == len(rows)
    page = client.get(response["Location"]).content.decode()
    assert f"Done: {len(rows)} rows, {len(rows)} organisations created, 0 updated." in page
