"""The secretariat's view of registrations: list, CSV export, email registrants, attendance."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from association.exports import streamed_csv
from association.subscription_forms import SingleLineCharField

from .models import Registration
from .services import email_registrants, registration_cancel


class RegistrantMessageForm(forms.Form):
    subject = SingleLineCharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=_(
            "Plain text. Each person receives their own email, with the event's link and their "
            "link to cancel below the message."
        ),
    )


def _yes_no(value):
    return {True: gettext("yes"), False: gettext("no")}.get(value, "")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "event",
        "status",
        "organisation_shown",
        "created_at",
        "attended",
    ]
    list_filter = ["event", "status", "attended"]
    list_select_related = ["event", "organisation"]
    list_editable = ["attended"]
    search_fields = ["name", "email", "organisation__name", "organisation_name", "event__title"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]
    fields = [
        "event", "name", "email", "organisation", "organisation_name", "needs", "language",
        "user", "status", "attended", "created_at", "consent_at", "promoted_at", "reminded_at",
        "cancelled_at",
    ]  # fmt: skip
    # The status moves through the waiting list's rules (the actions), never by hand.
    readonly_fields = [
        "event", "status", "created_at", "consent_at", "promoted_at", "reminded_at",
        "cancelled_at",
    ]  # fmt: skip
    actions = ["export_csv", "email_selected", "cancel_selected"]

    def has_add_permission(self, request):
        # People register themselves (consent, the places left, the confirmation email).
        return False

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_shown(self, registration):
        return (
            registration.organisation.name
            if registration.organisation
            else registration.organisation_name
        )

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header = [
            gettext("Event"), gettext("Name"), gettext("Email"), gettext("Organisation"),
            gettext("Needs"), gettext("Status"), gettext("Registered at"), gettext("Attended"),
        ]  # fmt: skip
        rows = (
            [
                registration.event.title,
                registration.name,
                registration.email,
                registration.organisation.name
                if registration.organisation
                else registration.organisation_name,
                registration.needs,
                registration.get_status_display(),
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
                _yes_no(registration.attended),
            ]
            for registration in queryset.select_related("event", "organisation")
            .order_by("event__starts_at", "event_id", "created_at", "id")
            .iterator(chunk_size=500)
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return streamed_csv(header, rows, f"registrations-{stamp}.csv")

    @admin.action(description=_("Cancel (moves the waiting list up)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        registrations = list(queryset.exclude(status=Registration.Status.CANCELLED))
        promoted = 0
        for registration in registrations:
            promoted += len(registration_cancel(registration=registration))
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.",
                len(registrations),
            ) % {"count": len(registrations)}
            + " "
            + ngettext(
                "%(count)d person moved up from the waiting list.",
                "%(count)d people moved up from the waiting list.",
                promoted,
            ) % {"count": promoted},
            messages.SUCCESS,
        )  # fmt: skip

    @admin.action(description=_("Email the selected registrants"), permissions=["change"])
    def email_selected(self, request, queryset):
        recipients = queryset.exclude(status=Registration.Status.CANCELLED)
        form = RegistrantMessageForm(request.POST if "send" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = email_registrants(
                registrations=recipients,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
            self.message_user(
                request,
                ngettext("%(count)d email queued.", "%(count)d emails queued.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Email the selected registrants"),
            "subtitle": None,
            "opts": self.model._meta,
            "form": form,
            "selected": queryset,
            "recipients": recipients.select_related("event"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "events/admin_email.html", context)
