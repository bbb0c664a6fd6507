from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from members.forms import ImageField
from members.services import delete_files_on_commit, stored_files

from .forms import LogoFormMixin
from .images import store_variants
from .models import Affiliation, AssociationProfile, NewsPost, SitePage, Topic, User


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


class NewsPostForm(forms.ModelForm):
    """The image is checked and re-encoded the portal's way, in the sizes pages use."""

    image = ImageField(label=_("Image"), required=False)

    class Meta:
        model = NewsPost
        fields = [
            "title", "slug", "lead", "body", "image", "image_alt", "status", "published_at",
            "language", "topics", "organisations", "projects", "positions",
        ]  # fmt: skip

    def save(self, commit=True):
        post = self.instance
        if "image" in self.changed_data:
            delete_files_on_commit(stored_files(post.image, post.image_list, post.image_social))
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
class NewsPostAdmin(admin.ModelAdmin):
    form = NewsPostForm
    list_display = ["title", "status", "published_at", "language"]
    list_filter = ["status", "language", "topics"]
    search_fields = ["title", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisations", "projects", "positions"]
    filter_horizontal = ["topics"]
    date_hierarchy = "published_at"
