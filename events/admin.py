from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import registration_admin  # noqa: F401 - registers the registrations' admin
from .models import Event, EventDocument
from .services import event_places_changed

# Addresses under /events/ that an event's slug would hide.
RESERVED_SLUGS = {"past"}


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            *["status", "kind", "title", "slug", "summary", "description", "starts_at"],
            *["ends_at", "venue", "address", "municipality", "latitude", "longitude", "online"],
            *["online_url", "organiser", "topics", "language", "audience", "price_note"],
            *["capacity", "registration_open", "registration_deadline"],
        ]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is taken by a page of the portal."))
        return slug


class EventDocumentInline(admin.TabularInline):
    model = EventDocument
    extra = 1
    fields = ["title", "file", "link", "order"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "starts_at", "status", "audience", "organiser"]
    list_filter = ["status", "kind", "audience", "online", "language", "topics"]
    list_select_related = ["organiser"]
    search_fields = ["title", "slug", "venue", "organiser__name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    autocomplete_fields = ["organiser", "municipality"]
    readonly_fields = ["proposed_by", "created_at", "updated_at"]
    inlines = [EventDocumentInline]
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["status", "kind", "title", "slug", "summary", "description"]}),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
        (
            _("Where"),
            {
                "fields": [
                    "venue",
                    "address",
                    "municipality",
                    "latitude",
                    "longitude",
                    "online",
                    "online_url",
                ]
            },
        ),
        (
            _("Who and how"),
            {
                "fields": [
                    "organiser",
                    "topics",
                    "language",
                    "audience",
                    "price_note",
                    "capacity",
                    "registration_open",
                    "registration_deadline",
                ]
            },
        ),
        (_("History"), {"fields": ["proposed_by", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = event_places_changed(event=obj)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d person moved up from the waiting list.",
                        "%(count)d people moved up from the waiting list.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )

    @admin.action(description=_("Publish the proposed events chosen"), permissions=["change"])
    def publish(self, request, queryset):
        proposed = list(queryset.filter(status=Event.Status.PROPOSED))
        for event in proposed:
            # Saved one by one, so that the cached pages and lists learn of it.
            event.status = Event.Status.PUBLISHED
            event.save(update_fields=["status", "updated_at"])
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", len(proposed))
            % {"count": len(proposed)},
        )
