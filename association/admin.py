from csp.constants import NONCE
from csp.decorators import csp_update
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media as AssetMedia
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from members.forms import ImageField
from members.services import delete_files_on_commit, stored_files

from .forms import LogoFormMixin
from .images import store_variants
from .models import Affiliation, AssociationProfile, NewsPost, SitePage, Topic, User
from .subscription_forms import SingleLineCharField


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "name", "is_active", "is_staff", "is_superuser", "groups"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        ),
    ]
    filter_horizontal = ["groups"]


class AssociationProfileForm(LogoFormMixin, forms.ModelForm):
    class Meta:
        model = AssociationProfile
        fields = [
            "name",
            "short_name",
            "founding_year",
            "registration_code",
            "vision",
            "mission",
            "values",
            "goals",
            "activities",
            "address",
            "email",
            "phone",
            "website",
            "logo",
            "secretariat_requires_mfa",
        ]


class AffiliationInline(TranslationTabularInline):
    model = Affiliation
    extra = 0


@admin.register(AssociationProfile)
class AssociationProfileAdmin(TranslationAdmin):
    form = AssociationProfileForm
    inlines = [AffiliationInline]
    fieldsets = [
        (_("Name"), {"fields": ["name", "short_name", "founding_year", "registration_code"]}),
        (_("Purpose"), {"fields": ["vision", "mission", "values", "goals", "activities"]}),
        (_("Contact"), {"fields": ["address", "email", "phone", "website", "logo"]}),
        (_("Security"), {"fields": ["secretariat_requires_mfa"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is one profile: the list would have one row, so go straight to it.
        return redirect(
            "admin:association_associationprofile_change", AssociationProfile.SINGLETON_ID
        )


@admin.register(SitePage)
class SitePageAdmin(TranslationAdmin):
    list_display = ["kind", "title", "updated_at"]
    fields = ["title", "body"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_lt", "name_sl", "name_sv", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["name", "slug", "order"]


# What the news editor can make: only what association.sanitize.clean_html keeps, which still
# cleans every body when the post is saved (the editor is a convenience, not the guarantee). The
# editor has no tool for <abbr>, <caption> or a header cell's scope: a body that has them loses
# them when it is edited here.
NEWS_EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Link": {"enableTarget": False},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Code": True,
    "CodeBlock": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}


class NewsEditorWidget(AdminProseEditorWidget):
    """django-prose-editor's editor with the extensions above, under the site's CSP: Tiptap's
    inline <style> is replaced by a static stylesheet (static/js/news-editor.js says how)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs, config={"extensions": NEWS_EDITOR_EXTENSIONS}, preset="configurable"
        )

    @property
    def media(self):
        # Listed after the editor's own stylesheets, so that Django's merge keeps it after them.
        stylesheets = ["django_prose_editor/editor.css", "django_prose_editor/overrides.css"]
        return super().media + forms.Media(css={"all": [*stylesheets, "css/news-editor.css"]})

    def get_config(self):
        config = super().get_config()
        config["extensions"]["NoInlineStyle"] = True
        config["js_modules"] = [*config["js_modules"], static("js/news-editor.js")]
        return config


class NewsPostForm(forms.ModelForm):
    """The image is checked and re-encoded the portal's way, in the sizes pages use; the text is
    written in a rich-text editor (and cleaned by the model when it is saved)."""

    image = ImageField(label=_("Image"), required=False)

    class Meta:
        model = NewsPost
        fields = [
            "title", "slug", "lead", "body", "image", "image_alt", "status", "published_at",
            "language", "topics", "organisations", "projects", "positions",
        ]  # fmt: skip
        widgets = {"body": NewsEditorWidget}

    def save(self, commit=True):
        post = self.instance
        if "image" in self.changed_data:
            # The field already holds the new upload: the old file is the form's initial value.
            old = stored_files(self.initial.get("image"), post.image_list, post.image_social)
            delete_files_on_commit(old)
            if self.cleaned_data["image"]:
                store_variants(
                    self.cleaned_data["image"],
                    post.image,
                    post.image_list,
                    post.image_social,
                    main_side=1600,
                    list_side=320,
                )
            else:
                post.image = post.image_list = post.image_social = ""
        return super().save(commit)


@admin.register(NewsPost)
# The editor finds its modules through an import map, an inline script: the form's page allows
# scripts with this response's nonce, and the import map carries it.
@method_decorator(csp_update({"script-src": [NONCE]}), name="changeform_view")
class NewsPostAdmin(admin.ModelAdmin):
    form = NewsPostForm
    list_display = ["title", "status", "published_at", "language"]
    list_filter = ["status", "language", "topics"]
    search_fields = ["title", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisations", "projects", "positions"]
    filter_horizontal = ["topics"]
    date_hierarchy = "published_at"

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = AssetMedia.from_media(
            context["media"], nonce=str(getattr(request, "csp_nonce", ""))
        )
        return super().render_change_form(request, context, *args, **kwargs)


# --- Newsletter campaigns ---------------------------------------------------------------------

from django.contrib import messages  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import get_object_or_404, render  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from django.utils.html import format_html  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from . import campaigns as campaign_services  # noqa: E402
from .models import Campaign  # noqa: E402

EDITABLE_CAMPAIGN_STATUSES = [Campaign.Status.DRAFT, Campaign.Status.SCHEDULED]


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "subject", "preheader", "intro", "include_news", "include_positions", "include_calls",
            "audience", "language", "topics", "regions", "staff_level", "organisation_types",
            "scheduled_at",
        ]  # fmt: skip
        # The subject and preheader become header lines: a line break would start another.
        field_classes = {"subject": SingleLineCharField, "preheader": SingleLineCharField}

    def clean(self):
        data = super().clean()
        staff = data.get("audience") == Campaign.Audience.STAFF
        if staff and (data.get("topics") or data.get("regions")):
            self.add_error(
                "audience",
                _("Topics and regions choose subscribers: leave them empty for member staff."),
            )
        if not staff and (data.get("staff_level") or data.get("organisation_types")):
            self.add_error(
                "audience",
                _(
                    "A role and organisation types choose member staff: leave them empty for "
                    "subscribers."
                ),
            )
        return data


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = ["subject", "status", "scheduled_at", "started_at", "finished_at", "links"]
    list_filter = ["status"]
    search_fields = ["subject"]
    filter_horizontal = ["topics", "regions", "organisation_types"]
    actions = ["send_test", "send_now", "pause", "resume", "cancel"]
    fieldsets = [
        (None, {"fields": ["subject", "preheader", "intro"]}),
        (_("Sections"), {"fields": ["include_news", "include_positions", "include_calls"]}),
        (
            _("Audience"),
            {
                "fields": [
                    "audience",
                    "language",
                    "topics",
                    "regions",
                    "staff_level",
                    "organisation_types",
                ],
                "description": _(
                    "Newsletter subscribers are chosen by language, topics and regions; member "
                    "staff by role and organisation type."
                ),
            },
        ),
        (
            _("Sending"),
            {
                "fields": ["scheduled_at", "status", "started_at", "finished_at"],
                "description": _(
                    "Set a time and save to schedule the campaign; or use the action "
                    "“Send now” in the list."
                ),
            },
        ),
    ]
    readonly_fields = ["status", "started_at", "finished_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in EDITABLE_CAMPAIGN_STATUSES:
            # What went out is what the progress view reports on: it no longer changes.
            return [field.name for field in Campaign._meta.fields] + [
                "topics",
                "regions",
                "organisation_types",
            ]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status in EDITABLE_CAMPAIGN_STATUSES:
            obj.status = Campaign.Status.SCHEDULED if obj.scheduled_at else Campaign.Status.DRAFT
        super().save_model(request, obj, form, change)

    @admin.display(description=_("campaign"))
    def links(self, campaign):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:association_campaign_preview", args=[campaign.pk]),
            _("Preview"),
            reverse("admin:association_campaign_progress", args=[campaign.pk]),
            _("Progress"),
        )

    def get_urls(self):
        return [
            path(
                "<int:campaign_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="association_campaign_preview",
            ),
            path(
                "<int:campaign_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="association_campaign_progress",
            ),
            path(
                "<int:campaign_id>/resend-uncertain/",
                self.admin_site.admin_view(require_POST(self.resend_view)),
                name="association_campaign_resend",
            ),
            *super().get_urls(),
        ]

    def _campaign(self, request, campaign_id, change=False):
        allowed = (
            self.has_change_permission(request) if change else self.has_view_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(Campaign, pk=campaign_id)

    def preview_view(self, request, campaign_id):
        """The email as it is (or will be) sent, in the browser."""
        campaign = self._campaign(request, campaign_id)
        html = campaign.html or campaign_services.campaign_render(campaign)[0]
        response = HttpResponse(html)
        # The email's own styles, and nothing that runs: no scripts, no requests but images.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
            "frame-ancestors 'self'"
        )
        return response

    def progress_view(self, request, campaign_id):
        campaign = self._campaign(request, campaign_id)
        return render(
            request,
            "admin/association/campaign_progress.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Sending: %(subject)s") % {"subject": campaign.subject},
                "campaign": campaign,
                "progress": campaign_services.progress(campaign),
                "opts": self.model._meta,
                "refresh": campaign.status == Campaign.Status.SENDING,
            },
        )

    def resend_view(self, request, campaign_id):
        campaign = self._campaign(request, campaign_id, change=True)
        count = campaign_services.resend_unknown(campaign=campaign)
        messages.success(
            request, _("%(count)d uncertain deliveries will be sent again.") % {"count": count}
        )
        return redirect("admin:association_campaign_progress", campaign.pk)

    def _each(self, request, queryset, service, done):
        count = sum(1 for campaign in queryset if service(campaign=campaign))
        messages.info(request, done % {"count": count})

    @admin.action(description=_("Send a test to me"), permissions=["view"])
    def send_test(self, request, queryset):
        for campaign in queryset:
            campaign_services.campaign_send_test(campaign=campaign, to=request.user.email)
        messages.info(request, _("Test sent to %(email)s.") % {"email": request.user.email})

    @admin.action(description=_("Send now"), permissions=["change"])
    def send_now(self, request, queryset):
        def start(*, campaign):
            return campaign.status in EDITABLE_CAMPAIGN_STATUSES and (
                campaign_services.campaign_start(campaign=campaign) is not None
            )

        self._each(request, queryset, start, _("%(count)d campaigns started."))

    @admin.action(description=_("Pause"), permissions=["change"])
    def pause(self, request, queryset):
        self._each(
            request, queryset, campaign_services.campaign_pause, _("%(count)d campaigns paused.")
        )

    @admin.action(description=_("Resume"), permissions=["change"])
    def resume(self, request, queryset):
        self._each(
            request, queryset, campaign_services.campaign_resume, _("%(count)d campaigns resumed.")
        )

    @admin.action(description=_("Cancel"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            campaign_services.campaign_cancel,
            _("%(count)d campaigns cancelled."),
        )


from . import subscription_admin  # noqa: E402, F401 - newsletter subscribers, registered there
