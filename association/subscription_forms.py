from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Region

from .models import Subscriber, Topic

# What the subscriber agrees to (the check box's label and its note). Changing either means
# raising subscriptions.CONSENT_TEXT_VERSION.
CONSENT_TEXT = _("I agree to receive the association's newsletter by email.")
CONSENT_NOTE = _("I can unsubscribe at any time with the link in every email.")


def has_line_break(value):
    # Everything str.splitlines() breaks on: a line break in a name or an address would start a
    # new header line in an email.
    return len(f"{value}x".splitlines()) > 1


class SingleLineMixin:
    line_break_message = _("This cannot contain line breaks.")

    def to_python(self, value):
        if isinstance(value, str) and has_line_break(value.strip()):
            raise ValidationError(self.line_break_message, code="line_break")
        return super().to_python(value)


class SingleLineCharField(SingleLineMixin, forms.CharField):
    pass


class SingleLineEmailField(SingleLineMixin, forms.EmailField):
    line_break_message = _("An email address cannot contain line breaks.")

    def to_python(self, value):
        # One message for a far too long value, not a list of everything wrong with it.
        if isinstance(value, str) and len(value.strip()) > self.max_length:
            raise ValidationError(
                _("An email address has at most %(max)d characters.") % {"max": self.max_length},
                code="max_length",
            )
        return super().to_python(value)


# The standard messages repeat the value sent, however long; these say what to do.
NOT_OFFERED = _("Choose from the list: one of the choices is not on it (any more).")
CHOICE_ERRORS = {"invalid_choice": NOT_OFFERED, "invalid_pk_value": NOT_OFFERED}


class PreferenceFields(forms.Form):
    name = SingleLineCharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose one of the languages on the list.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics that interest you"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=CHOICE_ERRORS,
        help_text=_("Choose none to hear about everything."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions that interest you"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=CHOICE_ERRORS,
        help_text=_("Choose none to hear about every region."),
    )


class SubscribeForm(PreferenceFields):
    # Not a ModelForm: its unique check would tell anyone whether an address is subscribed.
    email = SingleLineEmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box, or we cannot send you the newsletter.")},
    )

    field_order = ["email", "name", "language", "topics", "regions", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()
        self.fields["consent"].help_text = format_html(
            '{} {} <a href="{}">{}</a>',
            CONSENT_NOTE,
            _("How we keep and use your address:"),
            reverse("privacy"),
            _("privacy notice"),
        )


class PreferencesForm(forms.ModelForm):
    name = PreferenceFields.base_fields["name"]
    language = PreferenceFields.base_fields["language"]
    topics = PreferenceFields.base_fields["topics"]
    regions = PreferenceFields.base_fields["regions"]

    class Meta:
        model = Subscriber
        fields = ["name", "language", "topics", "regions"]
