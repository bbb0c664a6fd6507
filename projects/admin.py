from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from association.images import store_variants
from members.forms import ImageField
from members.services import delete_files_on_commit, stored_files

from . import services
from .models import (
    Funder,
    FundingCall,
    Programme,
    Project,
    ProjectDocument,
    ProjectImage,
    ProjectItem,
    ProjectPartner,
)


class ProgrammeInline(admin.TabularInline):
    model = Programme
    fields = ["name", "slug", "code", "website"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "identifier"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "identifier"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "country", "identifier", "website"]
    inlines = [ProgrammeInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "funder"]
    list_filter = ["funder"]
    list_select_related = ["funder"]
    search_fields = ["name", "code", "funder__name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["funder", "name", "slug", "code", "website"]


class ItemInline(admin.TabularInline):
    model = ProjectItem
    fields = ["kind", "order", "text", "indicator", "target", "actual"]
    extra = 0
    formfield_overrides = {
        ProjectItem._meta.get_field("text").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 50})
        }
    }


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    fields = ["organisation", "name", "country", "role", "order"]
    autocomplete_fields = ["organisation"]
    extra = 0


class ProjectImageForm(forms.ModelForm):
    """An image checked and re-encoded the portal's way, in the three sizes pages use."""

    image = ImageField(label=_("Image"))

    class Meta:
        model = ProjectImage
        fields = ["image", "alt_text", "order"]

    def save(self, commit=True):
        image = self.instance
        if "image" in self.changed_data:
            delete_files_on_commit(stored_files(image.image, image.thumbnail, image.social))
            store_variants(
                self.cleaned_data["image"],
                image.image,
                image.thumbnail,
                image.social,
                main_side=1600,
                list_side=400,
            )
        return super().save(commit)


class ImageInline(admin.TabularInline):
    model = ProjectImage
    form = ProjectImageForm
    extra = 0
    max_num = ProjectImage.MAX_PER_PROJECT


class DocumentInline(admin.TabularInline):
    model = ProjectDocument
    fields = ["title", "file", "url", "order"]
    extra = 0


class AwaitingPublicationFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("submitted", _("Submitted, awaiting publication")),
            ("draft", _("Draft")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        return {
            "submitted": queryset.filter(published=False, submitted_at__isnull=False),
            "draft": queryset.filter(published=False, submitted_at__isnull=True),
            "published": queryset.filter(published=True),
        }.get(self.value(), queryset)


FUNDING_FIELDS = [
    "funder", "programme", "decision_reference", "decision_date", "decision_document",
    "amount_awarded", "currency", "co_financing", "total_budget", "start_date", "end_date",
]  # fmt: skip


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title", "code", "lead_organisation", "funder", "amount_awarded", "currency", "status",
        "year", "published", "submitted_at",
    ]  # fmt: skip
    list_filter = [AwaitingPublicationFilter, "status", "funder", "currency", "year"]
    list_select_related = ["lead_organisation", "funder"]
    search_fields = ["title", "code", "lead_organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_organisation", "funder", "programme", "municipalities"]
    filter_horizontal = ["regions", "topics"]
    date_hierarchy = "start_date"
    readonly_fields = ["submitted_at", "created_by", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    inlines = [ItemInline, PartnerInline, ImageInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "code", "status", "summary", "description"]}),
        (_("Who"), {"fields": ["lead_organisation"]}),
        (_("Funding"), {"fields": FUNDING_FIELDS}),
        (_("Where and what"), {"fields": ["regions", "municipalities", "topics", "website"]}),
        (
            _("Publication"),
            {"fields": ["published", "submitted_at", "created_by", "created_at", "updated_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected projects"), permissions=["change"])
    def publish(self, request, queryset):
        count = self._set_published(queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d project published.", "%(count)d projects published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected projects"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._set_published(queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d project unpublished.", "%(count)d projects unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def _set_published(self, queryset, published):
        # One at a time, so that each one's signals refresh search and the cached pages.
        projects = list(queryset.exclude(published=published))
        for project in projects:
            services.project_set_published(project=project, published=published)
        return len(projects)


class CallStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("upcoming", _("Not yet open")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "closed":
            return queryset.closed()
        return queryset


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "opens_on", "deadline", "published"]
    list_filter = [CallStateFilter, "published", "funder"]
    list_select_related = ["funder"]
    search_fields = ["title", "funder__name", "programme__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["funder", "programme"]
    filter_horizontal = ["topics"]
    date_hierarchy = "deadline"
    fields = [
        "funder", "programme", "title", "slug", "summary", "eligibility", "amount_min",
        "amount_max", "currency", "opens_on", "deadline", "url", "topics", "published",
    ]  # fmt: skip
