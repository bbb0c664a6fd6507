from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from association.forms import LogoFormMixin

from .importing import BACKGROUND_ROWS, COLUMNS, ImportFileError, import_organisations, read_rows
from .models import (
    ContactPerson,
    FieldOfActivity,
    ImportJob,
    Municipality,
    Organisation,
    OrganisationType,
    Region,
)
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


class OrganisationAdminForm(LogoFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            name
            for _title, options in ORGANISATION_FIELDSETS
            for name in options["fields"]
            if name not in {"path", "created_at", "updated_at"}
        ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
            *super().get_urls(),
        ]

    fieldsets = ORGANISATION_FIELDSETS


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
        report = import_organisations(form.rows, dry_run=dry_run)
    context = model_admin.admin_site.each_context(request) | {
        "title": _("Import organisations"),
        "form": form,
        "report": report,
        "columns": COLUMNS,
        "background_rows": BACKGROUND_ROWS,
        "opts": model_admin.opts,
    }
    return render(request, "admin/members/organisation/import.html", context)
