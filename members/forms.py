"""Forms of the staff pages. Every form lists its fields: anything else posted is ignored."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from association.images import open_image
from association.sanitize import text_for_editing, text_from_editing

from .models import (
    AnnualReport,
    ChangeRequest,
    ContactPerson,
    FieldOfActivity,
    Municipality,
    Organisation,
    OrganisationType,
    Photo,
    Role,
)


def organisation_at(address, organisations):
    """The organisation whose directory profile is at this address (or has this slug), among
    these, or None: "https://portal.example/en/members/kaimo-centras/" and "kaimo-centras"
    both name it. A directory of thousands cannot be a list to choose from: the profile's
    address is what a person can find and copy."""
    slug = address.strip().rstrip("/").rsplit("/", 1)[-1]
    return organisations.filter(slug=slug).first() if slug else None


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "short_name", "description", "fields_of_activity", "address", "postal_code",
            "municipality", "latitude", "longitude", "website", "email", "phone",
            "social_links", "founding_year", "members_count", "volunteers_count", "staff_count",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "fields_of_activity": forms.CheckboxSelectMultiple,
            "social_links": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "description": _(
                "Separate paragraphs with an empty line. Links, lists and emphasis in HTML are "
                "kept; anything else is removed."
            ),
            "latitude": _("Click the map to set the position, or type it in decimal degrees."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_of_activity"].queryset = FieldOfActivity.objects.all()
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.initial["description"] = text_for_editing(self.initial.get("description") or "")

    def clean_description(self):
        return text_from_editing(self.cleaned_data["description"])


ContactFormSet = inlineformset_factory(
    Organisation,
    ContactPerson,
    fields=["name", "role", "email", "phone", "consent"],
    extra=1,
    max_num=10,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


class ImageField(forms.FileField):
    """An image checked the portal's way (explicit formats, size and pixel limits)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:  # the stored file was checked when it came
            open_image(upload)
            upload.seek(0)
        return upload


class LogoForm(forms.Form):
    logo = ImageField(
        label=_("Logo"), help_text=_("PNG, JPEG or WebP, at most 5 MB and 25 megapixels.")
    )


class PhotoForm(forms.Form):
    image = ImageField(
        label=_("Photo"), help_text=_("PNG, JPEG or WebP, at most 5 MB and 25 megapixels.")
    )
    alt_text = forms.CharField(
        label=_("Description for people who cannot see it"),
        help_text=Photo._meta.get_field("alt_text").help_text,
        max_length=250,
    )


class SubUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    type = forms.ModelChoiceField(label=_("Type"), queryset=OrganisationType.objects.none())

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = parent.type.allowed_children.all()


class MoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisation, within, **kwargs):
        super().__init__(*args, **kwargs)
        # Within the reach of the person's role, under a type that allows it, never below itself.
        self.fields["parent"].queryset = (
            within.filter(type__in=organisation.type.allowed_parents.all())
            .exclude(path__startswith=organisation.path)
            .order_by("sort_name")
        )


class ChangeRequestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    legal_name = forms.CharField(label=_("Legal name"), max_length=255, required=False)
    registration_code = forms.CharField(label=_("Registration code"), max_length=40, required=False)
    type = forms.ModelChoiceField(label=_("Type"), queryset=OrganisationType.objects.all())
    parent = forms.CharField(
        label=_("Part of"),
        required=False,
        help_text=_(
            "The address of the directory profile of the organisation it should be part of, or "
            "empty for none."
        ),
    )
    membership_status = forms.ChoiceField(
        label=_("Membership"), choices=Organisation.MembershipStatus.choices
    )
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        initial = {name: getattr(organisation, name) for name in ChangeRequest.FIELDS}
        initial["parent"] = organisation.parent.slug if organisation.parent else ""
        super().__init__(*args, initial=initial, **kwargs)

    def clean_parent(self):
        text = self.cleaned_data["parent"].strip()
        if not text:
            return None
        parent = organisation_at(text, Organisation.objects.published())
        if parent is None:
            raise forms.ValidationError(_("There is no organisation at that address."))
        if parent.path.startswith(self.organisation.path):
            raise forms.ValidationError(
                _("An organisation cannot be part of itself or of its own sub-unit.")
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        changes = {}
        for name in ChangeRequest.FIELDS:
            if name not in cleaned:
                continue
            new, old = cleaned[name], getattr(self.organisation, name)
            if new != old and (new or old):
                changes[name] = new.pk if hasattr(new, "pk") else new
        if not changes and not self.errors:
            raise forms.ValidationError(_("Change at least one field to make a request."))
        self.changes = changes
        return cleaned


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["year", "members", "volunteers", "staff", "collectives"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = date.today().year
        years = range(this_year, this_year - 10, -1)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year"), coerce=int, choices=[(year, year) for year in years]
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    level = forms.ChoiceField(
        label=_("Role"),
        choices=Role.Level.choices,
        initial=Role.Level.EDITOR,
        help_text=_("Admins also invite and remove colleagues; editors edit."),
    )


class AcceptInvitationForm(forms.Form):
    """A new account for the invited address: the person names themselves and chooses a
    password."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(
                    first, get_user_model()(email=self.email, name=cleaned.get("name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
