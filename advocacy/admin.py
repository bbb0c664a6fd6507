from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from association.exports import streamed_csv

from . import services
from .models import (
    Body,
    Consultation,
    ConsultationDocument,
    Endorsement,
    MemberInput,
    Position,
    Seat,
)


class ConsultationDocumentInline(admin.TabularInline):
    model = ConsultationDocument
    fields = ["title", "file", "url"]
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "consulting_body", "level", "reference", "deadline"]
    list_filter = ["level"]
    search_fields = ["title", "consulting_body", "reference"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    date_hierarchy = "deadline"
    fields = [
        "title", "slug", "consulting_body", "level", "reference", "url", "opens_on", "deadline",
        "topics",
    ]  # fmt: skip
    inlines = [ConsultationDocumentInline]


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    fields = ["organisation", "signatory_name", "signatory_title", "signed_at", "withdrawn_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _move_action(to, description):
    @admin.action(description=description, permissions=["change"])
    def move(modeladmin, request, queryset):
        for position in queryset:
            try:
                services.position_move(position=position, to=to)
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{position}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                modeladmin.message_user(
                    request,
                    _("%(title)s is now “%(status)s”.")
                    % {"title": position, "status": Position.Status(to).label},
                    messages.SUCCESS,
                )

    move.__name__ = f"move_to_{to}"
    return move


WORKFLOW_FIELDS = [
    "status", "input_deadline", "input_visible_to_members", "input_opened_at", "submitted_on",
    "published_at", "signing_closed",
]  # fmt: skip


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = [
        "title", "kind", "status", "input_deadline", "published_at", "outcome", "input_link",
    ]  # fmt: skip
    list_filter = ["status", "kind", "level", "outcome", "language"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["consultation"]
    filter_horizontal = ["topics"]
    readonly_fields = ["status", "input_opened_at", "published_at", "created_at", "updated_at"]
    inlines = [EndorsementInline]
    actions = [
        _move_action(Position.Status.INPUT, _("Open for member input")),
        _move_action(Position.Status.DRAFTING, _("Close member input and start drafting")),
        _move_action(Position.Status.SUBMITTED, _("Mark as submitted to the body")),
        _move_action(Position.Status.PUBLISHED, _("Publish")),
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "body", "pdf", "language"]}),
        (_("What it answers"), {"fields": ["consultation", "level", "topics"]}),
        (_("Workflow"), {"fields": WORKFLOW_FIELDS}),
        (_("Outcome"), {"fields": ["outcome", "outcome_note", "outcome_date"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<int:position_id>/input/",
                self.admin_site.admin_view(self.input_view),
                name="advocacy_position_input",
            ),
            path(
                "<int:position_id>/input.csv",
                self.admin_site.admin_view(self.input_csv),
                name="advocacy_position_input_csv",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("member input"))
    def input_link(self, position):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:advocacy_position_input", args=[position.pk]),
            _("Read"),
        )

    def _inputs(self, request, position_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        position = get_object_or_404(Position, pk=position_id)
        inputs = position.inputs.select_related("organisation", "author").order_by(
            "organisation__sort_name", "created_at", "id"
        )
        return position, inputs

    def input_view(self, request, position_id):
        """Every member's input to a position on one page, which also prints well."""
        position, inputs = self._inputs(request, position_id)
        return render(
            request,
            "admin/advocacy/position_input.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Member input: %(title)s") % {"title": position.title},
                "position": position,
                "inputs": inputs,
                "opts": self.model._meta,
            },
        )

    def input_csv(self, request, position_id):
        position, inputs = self._inputs(request, position_id)
        rows = (
            [
                row.organisation.name,
                str(row.author or ""),
                row.created_at.isoformat(timespec="minutes"),
                row.updated_at.isoformat(timespec="minutes"),
                row.text,
                request.build_absolute_uri(row.attachment.url) if row.attachment else "",
            ]
            for row in inputs.iterator()
        )
        header = ["organisation", "author", "submitted", "updated", "input", "attachment"]
        return streamed_csv(header, rows, f"input-{position.slug}.csv")


@admin.register(MemberInput)
class MemberInputAdmin(admin.ModelAdmin):
    list_display = ["position", "organisation", "author", "created_at"]
    list_filter = ["position__status"]
    list_select_related = ["position", "organisation", "author"]
    search_fields = ["position__title", "organisation__name", "text"]
    readonly_fields = ["position", "organisation", "author", "text", "attachment", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["position", "organisation", "signatory_name", "signed_at", "withdrawn_at"]
    list_filter = ["withdrawn_at"]
    list_select_related = ["position", "organisation"]
    search_fields = ["position__title", "organisation__name", "signatory_name"]
    readonly_fields = [
        "position", "organisation", "signed_by", "signatory_name", "signatory_title",
        "signed_at", "withdrawn_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


class SeatInline(admin.TabularInline):
    model = Seat
    fields = ["delegate", "organisation", "role", "term_start", "term_end", "public"]
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "parent_institution", "level", "total_seats", "order"]
    list_editable = ["order"]
    list_filter = ["level"]
    search_fields = ["name", "parent_institution"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent_institution", "level", "total_seats", "url", "order"]
    inlines = [SeatInline]
