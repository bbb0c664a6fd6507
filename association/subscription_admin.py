"""The secretariat's view of newsletter subscribers and the suppression list, with the GDPR
export and erasure. Registered from admin.py."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ConsentRecord, Subscriber, Suppression
from .models.newsletters import normalise_email
from .subscriptions import subscriber_erase, subscriber_export, subscription_cancel

ERASE_HELP = _(
    "Erase deletes the subscriber, their name, preferences and consent records, and their "
    "address from the administration's history. An address on the suppression list "
    "(unsubscribed, bounced or complained) stays there, with only the address and the reason: "
    "it is what keeps newsletters from ever going to it again."
)


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = readonly_fields = ["given_at", "form", "text_version", "ip_address"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "status", "language", "confirmed_at", "created_at"]
    list_filter = ["status", "language", "topics", "regions"]
    search_fields = ["email", "name"]
    fields = [
        "email",
        "name",
        "language",
        "topics",
        "regions",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    readonly_fields = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    filter_horizontal = ["topics", "regions"]
    inlines = [ConsentInline]
    actions = ["export_data", "unsubscribe", "erase"]
    change_list_template = "newsletter/admin_change_list.html"

    def has_add_permission(self, request):
        # People subscribe themselves and confirm by email: that is the consent on record.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Erase does what deleting does, and says what is kept.
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"erase_help": ERASE_HELP} | (extra_context or {}))

    def log_deletions(self, request, queryset):
        # The history of an erased subscriber would keep their address: replace it with a
        # single line that says the record was erased, without saying whose it was.
        content_type = ContentType.objects.get_for_model(Subscriber)
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids).delete()
        return LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=pk,
                object_repr=f"#{pk}",
                action_flag=DELETION,
                change_message=json.dumps([{"deleted": {"name": "erased"}}]),
            )
            for pk in ids
        )

    @admin.action(description=_("Export their data (JSON)"), permissions=["view"])
    def export_data(self, request, queryset):
        data = {
            "exported_at": timezone.now().isoformat(),
            "subscribers": subscriber_export(queryset),
        }
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.json"'
        return response

    @admin.action(
        description=_("Unsubscribe them (and add to the suppression list)"),
        permissions=["change"],
    )
    def unsubscribe(self, request, queryset):
        for subscriber in queryset:
            subscription_cancel(subscriber=subscriber)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d subscriber unsubscribed.", "%(count)d subscribers unsubscribed.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Erase their data (GDPR)"), permissions=["delete"])
    def erase(self, request, queryset):
        if request.POST.get("confirm") == "yes":
            self.log_deletions(request, queryset)
            count = subscriber_erase(queryset)
            self.message_user(
                request,
                ngettext("%(count)d subscriber erased.", "%(count)d subscribers erased.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase these subscribers?"),
            "subtitle": None,
            "opts": self.model._meta,
            "subscribers": queryset,
            "suppressed": set(
                Suppression.objects.filter(
                    email__in=queryset.values_list("email", flat=True)
                ).values_list("email", flat=True)
            ),
            "erase_help": ERASE_HELP,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "newsletter/admin_erase.html", context)


class SuppressionForm(forms.ModelForm):
    class Meta:
        model = Suppression
        fields = ["email", "reason"]

    def clean_email(self):
        # Kept lower-case: the unique check must see the address as it will be stored.
        return normalise_email(self.cleaned_data["email"])


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    form = SuppressionForm
    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    fields = ["email", "reason", "created_at"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        # An entry is for one address: to suppress another, add another entry.
        return [*self.readonly_fields, "email"] if obj else self.readonly_fields
