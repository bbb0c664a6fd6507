"""The form member staff fill in to say what partners their organisation is looking for."""

import unicodedata
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.models import Topic

from .countries import country_choices
from .models import PartnerOffer

# An offer is for an application round, not for ever: a date further ahead is a typing error.
LONGEST_AHEAD = timedelta(days=3 * 366)


def _one_line(value):
    """The text unless it holds a line break or another control character: a name or title
    goes on one line, and a line break in a name could forge headers of an email it ends up in."""
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise forms.ValidationError(
            _("Write it on one line, without line breaks or tabs."), code="control_characters"
        )
    return value


class PartnerOfferForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("Partners' countries"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "country-choices"}),
        help_text=_("Where the partners you look for may be. Choose at least one."),
        error_messages={
            "required": _("Choose at least one country."),
            "invalid_choice": _(
                "“%(value)s” is not one of the countries partners can be sought in here."
            ),
        },
    )

    class Meta:
        model = PartnerOffer
        fields = [
            "title", "project_kind", "description", "topics", "countries", "valid_until",
            "contact_name", "contact_email", "published",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "topics": forms.CheckboxSelectMultiple,
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "topics": _("Optional: what the project is about."),
            "valid_until": _("The last day partners may contact you, such as the deadline."),
        }
        error_messages = {
            "topics": {
                "invalid_choice": _("%(value)s is not one of the topics: choose from the list."),
                "invalid_pk_value": _("“%(pk)s” is not one of the topics: choose from the list."),
            },
            "valid_until": {"invalid": _("Enter a date, such as 2027-03-31.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.all()
        self.fields["countries"].choices = country_choices()

    def clean_title(self):
        return _one_line(self.cleaned_data["title"])

    def clean_contact_name(self):
        return _one_line(self.cleaned_data["contact_name"])

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(
                _("The date has passed: give today or a later day."), code="past"
            )
        if value > today + LONGEST_AHEAD:
            raise forms.ValidationError(
                _("Give a date within three years: renew the search when it runs out."),
                code="too_far",
            )
        return value
