import csv
from datetime import date
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, OuterRef, Subquery, Sum, When, prefetch_related_objects
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange

from . import services
from .forms import ImageField
from .importing import BACKGROUND_ROWS, COLUMNS, ImportFileError, import_organisations, read_rows
from .models import (
    PATH_STEP,
    AnnualReport,
    ChangeRequest,
    ContactPerson,
    FieldOfActivity,
    ImportJob,
    Invitation,
    Municipality,
    Organisation,
    OrganisationType,
    PartnerOffer,
    Photo,
    Region,
    Role,
)
from .partner_forms import PartnerOfferForm
from .tasks import run_import


@admin.register(OrganisationType)
class OrganisationTypeAdmin(TranslationAdmin):
    list_display = ["name", "name_plural", "slug", "order", "is_legal_entity", "can_be_top_level"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["allowed_parents"]
    fields = [
        "name", "name_plural", "slug", "order", "is_legal_entity", "can_be_top_level",
        "allowed_parents",
    ]  # fmt: skip


@admin.register(FieldOfActivity)
class FieldOfActivityAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_lt", "name_sl", "name_sv", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["name", "slug", "order"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "code"]
    list_filter = ["country"]
    search_fields = ["name", "code"]
    fields = ["country", "code", "name", "slug", "latitude", "longitude"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "code"]
    list_filter = ["region__country", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]
    fields = ["region", "code", "name", "slug", "latitude", "longitude"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "role", "email", "phone", "consent", "order"]


ORGANISATION_FIELDSETS = [
    (None, {"fields": ["name", "short_name", "slug", "type", "parent", "published"]}),
    (
        _("Membership"),
        {"fields": ["legal_name", "registration_code", "membership_status", "member_since"]},
    ),
    (_("Profile"), {"fields": ["description", "fields_of_activity", "logo", "founding_year"]}),
    (
        _("Place and contact"),
        {
            "fields": [
                "address",
                "postal_code",
                "municipality",
                "latitude",
                "longitude",
                "website",
                "email",
                "phone",
                "social_links",
            ]
        },
    ),
    (_("Figures"), {"fields": ["staff_count", "members_count", "volunteers_count"]}),
    (_("Record"), {"fields": ["external_id", "path", "created_at", "updated_at"]}),
]


class OrganisationAdminForm(forms.ModelForm):
    logo = ImageField(label=_("Logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An old version opened to revert to shows its own fields of activity: the model form
        # would offer the current ones, which simple-history does not store on the instance.
        record = getattr(self.instance, "_history", None)
        if record is not None:
            self.initial["fields_of_activity"] = [
                row.fieldofactivity_id for row in record.fields_of_activity.all()
            ]

    class Meta:
        model = Organisation
        fields = [
            name
            for _title, options in ORGANISATION_FIELDSETS
            for name in options["fields"]
            if name not in {"path", "created_at", "updated_at"}
        ]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    form = OrganisationAdminForm
    list_display = [
        "name",
        "type",
        "parent",
        "municipality",
        "membership_status",
        "published",
        "updated_at",
    ]
    list_filter = ["type", "membership_status", "published", "municipality__region"]
    list_select_related = ["type", "parent", "municipality"]
    search_fields = ["name", "short_name", "legal_name", "registration_code", "external_id"]
    autocomplete_fields = ["parent", "municipality", "fields_of_activity"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["path", "created_at", "updated_at"]
    date_hierarchy = "updated_at"
    inlines = [ContactPersonInline]
    change_list_template = "admin/members/organisation/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="members_organisation_import",
            ),
            path(
                "recent-changes/",
                self.admin_site.admin_view(lambda request: recent_changes(self, request)),
                name="members_organisation_recent_changes",
            ),
            path(
                "annual-figures/",
                self.admin_site.admin_view(lambda request: annual_figures(self, request)),
                name="members_organisation_annual_figures",
            ),
            *super().get_urls(),
        ]

    fieldsets = ORGANISATION_FIELDSETS
    object_history_template = "admin/members/organisation/object_history.html"

    def save_model(self, request, obj, form, change):
        # A logo gets its three sizes, and a replaced logo's files go, as on the staff pages.
        logo = form.cleaned_data["logo"] if "logo" in form.changed_data else None
        if logo is not None:
            obj.logo = form.initial.get("logo") or ""
        elif (
            getattr(obj, "_history", None)
            and obj.logo
            and not obj.logo.storage.exists(obj.logo.name)
        ):
            # Reverting to a version whose logo files were deleted when it was replaced.
            current = Organisation.objects.get(pk=obj.pk)
            obj.logo, obj.logo_thumbnail, obj.logo_social = (
                current.logo,
                current.logo_thumbnail,
                current.logo_social,
            )
            self.message_user(
                request,
                _("The files of that version's logo are deleted: the current logo stays."),
                messages.WARNING,
            )
        super().save_model(request, obj, form, change)
        if logo:
            services.organisation_set_logo(organisation=obj, upload=logo)
        elif logo is False:
            services.organisation_remove_logo(organisation=obj)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .prefetch_related(ACTIVITY_ROWS)
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # simple-history diffs the fields of activity with two queries per version; here they
        # come from the prefetched rows.
        field_names = dict(FieldOfActivity.objects.values_list("pk", "name"))
        for newer, older in pairwise(historical_records):
            delta = newer.diff_against(
                older,
                excluded_fields=["fields_of_activity"],
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            old, new = activity_names(older, field_names), activity_names(newer, field_names)
            if old != new:
                delta.changes.append(
                    ModelChange(
                        "fields_of_activity",
                        [{"fieldofactivity": name} for name in old],
                        [{"fieldofactivity": name} for name in new],
                    )
                )
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    def history_view(self, request, object_id, extra_context=None):
        """The organisation's own versions, then the changes to its contacts and photos."""
        organisation = self.get_object(request, unquote(object_id))
        related = []
        if organisation is not None:
            related = change_entries(
                [
                    history.filter(organisation=organisation)
                    for history in (ContactPerson.history, Photo.history)
                ]
            )
        return super().history_view(
            request, object_id, {"related_changes": related, **(extra_context or {})}
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A .csv (UTF-8) or .xlsx file whose first row names the columns."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file"),
        required=False,
        help_text=_("Report problems and counts without changing anything."),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            self.rows = list(read_rows(upload, upload.name))
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        upload.seek(0)
        return upload


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    change_form_template = "admin/members/importjob/progress.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        if job is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        done, total = cache.get(job.progress_key) or (0, job.total_rows)
        context = self.admin_site.each_context(request) | {
            "title": _("Import of %(file)s") % {"file": job.filename},
            "job": job,
            "done": done,
            "total": total,
            "running": job.status in {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING},
            "opts": self.opts,
        }
        return render(request, self.change_form_template, context)


def import_view(model_admin, request):
    """Import from the administration: small files at once, large ones in the background."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        if len(form.rows) > BACKGROUND_ROWS:
            job = ImportJob.objects.create(
                file=upload, filename=upload.name[:255], dry_run=dry_run,
                total_rows=len(form.rows), created_by=request.user,
            )  # fmt: skip
            transaction.on_commit(lambda: run_import.delay(job.pk))
            return redirect("admin:members_importjob_change", job.pk)
        report = import_organisations(form.rows, dry_run=dry_run, user=request.user)
    context = model_admin.admin_site.each_context(request) | {
        "title": _("Import organisations"),
        "form": form,
        "report": report,
        "columns": COLUMNS,
        "background_rows": BACKGROUND_ROWS,
        "opts": model_admin.opts,
    }
    return render(request, "admin/members/organisation/import.html", context)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Who holds which role where."""

    list_display = ["user", "organisation", "level", "created_at"]
    list_filter = ["level"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "level"]


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "organisation", "level"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """The secretariat invites an organisation's first admin (and may resend or revoke)."""

    form = InvitationAdminForm
    list_display = ["email", "organisation", "level", "status_label", "sent_at", "invited_by"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    actions = ["resend", "revoke"]

    @admin.display(description=_("status"))
    def status_label(self, invitation):
        return invitation.status

    def get_fields(self, request, obj=None):
        return ["email", "organisation", "level"] if obj is None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["email", "organisation", "level", "invited_by", "sent_at", "expires_at",
                "accepted_at", "revoked_at"]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change:
            invitation = services.invitation_create(
                organisation=obj.organisation,
                email=obj.email,
                level=obj.level,
                invited_by=request.user,
                request=request,
            )
            obj.pk = invitation.pk

    @admin.action(description=_("Send the selected invitations again"))
    def resend(self, request, queryset):
        for invitation in queryset.pending():
            services.invitation_send(invitation=invitation, request=request)

    @admin.action(description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset):
        for invitation in queryset.pending():
            services.invitation_revoke(invitation=invitation)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the requester"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you reject the request: say why."),
    )


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """The queue of requested changes to what identifies a member."""

    list_display = ["organisation", "status", "requested_by", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["organisation", "requested_by", "decided_by"]
    search_fields = ["organisation__name", "reason"]
    change_form_template = "admin/members/changerequest/decide.html"

    def get_ordering(self, request):
        # Pending first: it is a queue.
        pending_first = Case(When(status=ChangeRequest.Status.PENDING, then=0), default=1)
        return [pending_first.asc(), "-created_at"]

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_request = self.get_object(request, object_id)
        if change_request is None or not self.has_view_permission(request, change_request):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        pending = change_request.status == ChangeRequest.Status.PENDING
        if request.method == "POST" and pending and self.has_change_permission(request):
            approve = "approve" in request.POST
            if form.is_valid() and not approve and not form.cleaned_data["note"].strip():
                form.add_error("note", _("Say why the request is rejected."))
            if form.is_valid():
                try:
                    services.change_request_decide(
                        change_request=change_request,
                        approve=approve,
                        by=request.user,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    self.message_user(request, _("The request is decided and the requester told."))
                    return redirect("admin:members_changerequest_changelist")
        organisation = change_request.organisation
        rows = []
        for name, value in change_request.changes.items():
            field = Organisation._meta.get_field(name)
            current = getattr(organisation, name)
            if field.is_relation:
                value = field.related_model.objects.filter(pk=value).first() if value else None
            elif field.choices:
                value = dict(field.choices).get(value, value)
                current = getattr(organisation, f"get_{name}_display")()
            rows.append((field.verbose_name, current, value))
        context = self.admin_site.each_context(request) | {
            "title": _("Change request for %(name)s") % {"name": organisation.name},
            "change_request": change_request,
            "rows": rows,
            "form": form,
            "pending": pending,
            "opts": self.opts,
        }
        return render(request, self.change_form_template, context)


FEED_SIZE = 40
# simple-history's reverse accessor from a historical organisation to its fields-of-activity rows.
ACTIVITY_ROWS = "historicalorganisation_fields_of_activity_set"


def activity_names(record, field_names):
    """A historical organisation's fields of activity by name, from its prefetched rows."""
    rows = getattr(record, ACTIVITY_ROWS).all()
    return sorted(field_names.get(row.fieldofactivity_id, "?") for row in rows)


def change_entries(histories):
    """The latest records of these history querysets, newest first, each with what changed since
    the record before it: a fixed number of queries however many records are shown."""
    records = []
    for history in histories:
        earlier = history.model.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        ).order_by("-history_date")
        records += (
            history.select_related("history_user")
            .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
            .order_by("-history_date")[:FEED_SIZE]
        )
    records = sorted(records, key=lambda record: record.history_date, reverse=True)[:FEED_SIZE]
    previous = {}
    for model in {type(record) for record in records}:
        ids = [record.previous_id for record in records if type(record) is model]
        previous |= {(model, old.pk): old for old in model.objects.filter(history_id__in=ids)}
    # Fields of activity are through-table rows of each record: fetched at once, read as names.
    organisation_history = Organisation.history.model
    prefetch_related_objects(
        [r for r in [*records, *previous.values()] if type(r) is organisation_history],
        ACTIVITY_ROWS,
    )
    field_names = dict(FieldOfActivity.objects.values_list("pk", "name"))

    def activity(record):
        return ", ".join(activity_names(record, field_names))

    organisation_ids = {getattr(record, "organisation_id", record.id) for record in records}
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    entries = []
    for record in records:
        organisation_id = getattr(record, "organisation_id", record.id)
        old = previous.get((type(record), record.previous_id))
        changes = []
        if old is not None:
            delta = record.diff_against(old, excluded_fields=["fields_of_activity"])
            changes = [(change.field, change.old, change.new) for change in delta.changes]
            if type(record) is organisation_history and activity(old) != activity(record):
                changes = sorted(
                    [*changes, ("fields_of_activity", activity(old), activity(record))]
                )
        entries.append(
            {
                "record": record,
                "kind": record.instance_type._meta.verbose_name,
                "organisation_id": organisation_id,
                "organisation": names.get(organisation_id, "—"),
                "changes": changes,
            }
        )
    return entries


def recent_changes(model_admin, request):
    """One feed of the latest changes to organisations, their contacts and their photos."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    entries = change_entries(
        [Organisation.history.all(), ContactPerson.history.all(), Photo.history.all()]
    )
    context = model_admin.admin_site.each_context(request) | {
        "title": _("Recent changes in the directory"),
        "entries": entries,
        "opts": model_admin.opts,
    }
    return render(request, "admin/members/organisation/recent_changes.html", context)


def annual_figures(model_admin, request):
    """Reported figures for a year, rolled up to each top-level organisation; also as CSV."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    years = list(AnnualReport.objects.order_by("-year").values_list("year", flat=True).distinct())
    try:
        year = int(request.GET.get("year") or (years[0] if years else date.today().year))
    except ValueError:
        year = years[0] if years else date.today().year
    sums = {
        "members": Sum("members"),
        "volunteers": Sum("volunteers"),
        "staff": Sum("staff"),
        "collectives": Sum("collectives"),
    }
    # The first step of the path names the top of the tree: one grouped query for all of them.
    rows = list(
        AnnualReport.objects.filter(year=year)
        .annotate(root=Substr("organisation__path", 1, PATH_STEP + 1))
        .values("root")
        .annotate(reports=Count("id"), **sums)
        .order_by()
    )
    roots = {
        organisation.path: organisation
        for organisation in Organisation.objects.filter(path__in=[row["root"] for row in rows])
    }
    for row in rows:
        row["organisation"] = roots.get(row["root"])
    rows.sort(key=lambda row: row["organisation"].sort_name if row["organisation"] else "")
    totals = {name: sum(row[name] or 0 for row in rows) for name in [*sums, "reports"]}
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="annual-figures-{year}.csv"'
        writer = csv.writer(response)
        writer.writerow(["organisation", "reports", *sums])
        for row in rows:
            name = row["organisation"].name if row["organisation"] else ""
            writer.writerow([name, row["reports"], *(row[key] for key in sums)])
        writer.writerow(["total", totals["reports"], *(totals[key] for key in sums)])
        return response
    context = model_admin.admin_site.each_context(request) | {
        "title": _("Annual figures %(year)s") % {"year": year},
        "year": year,
        "years": years,
        "rows": rows,
        "totals": totals,
        "opts": model_admin.opts,
    }
    return render(request, "admin/members/organisation/annual_figures.html", context)


@admin.register(PartnerOffer)
class PartnerOfferAdmin(admin.ModelAdmin):
    """Partner searches, which member staff publish themselves: the secretariat may correct or
    hide one."""

    form = PartnerOfferForm
    list_display = ["title", "organisation", "project_kind", "valid_until", "published"]
    list_filter = ["published", "project_kind", "valid_until"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name", "contact_email"]
    autocomplete_fields = ["organisation"]
    fields = [
        "organisation", "title", "project_kind", "description", "topics", "countries",
        "valid_until", "contact_name", "contact_email", "published",
    ]  # fmt: skip
    date_hierarchy = "created_at"
