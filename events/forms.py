"""The registration form and the form member staff propose an event with. Both list their fields:
anything else posted (status, capacity of someone else's event, slug...) is ignored."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from association.sanitize import text_for_editing, text_from_editing
from association.subscription_forms import (
    CHOICE_ERRORS,
    SingleLineCharField,
    SingleLineEmailField,
)

from .models import Event

CONSENT_TEXT = _(
    "I agree that the association keeps my registration details to organise this event."
)
MAX_DESCRIPTION = 20_000
# datetime-local sends "2026-05-01T10:00"; older browsers show a text box, so spaces work too.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegistrationForm(forms.Form):
    """Not a ModelForm: the service decides the status, and whether the address is new."""

    name = SingleLineCharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = SingleLineEmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The confirmation, with a link to cancel, comes to this address."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=None,
        required=False,
        empty_label=_("Another organisation, or none (type its name below)"),
        error_messages=CHOICE_ERRORS,
    )
    organisation_name = SingleLineCharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    needs = forms.CharField(
        label=_("Anything we should know?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: accessibility, diet, anything else. At most 2000 characters."),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box, or we cannot register you.")},
    )

    def __init__(self, *args, organisations=None, **kwargs):
        """organisations: those the signed-in person works for (their roles), to choose from;
        everyone else types the name of their organisation."""
        super().__init__(*args, **kwargs)
        choices = [] if organisations is None else list(organisations.order_by("sort_name", "id"))
        if choices:
            field = self.fields["organisation"]
            field.queryset = organisations
            # The options from the list just read, not from a second query.
            field.choices = [("", field.empty_label), *((o.pk, o.name) for o in choices)]
            self.fields["organisation_name"].label = _("Other organisation")
            self.fields["organisation_name"].help_text = _(
                "Optional: if you come for an organisation not on the list above."
            )
        else:
            del self.fields["organisation"]
        self.fields["consent"].help_text = format_html(
            '{} <a href="{}">{}</a>',
            _("How we keep and use your details:"),
            reverse("privacy"),
            _("privacy notice"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation"):
            # One organisation: the one chosen from the list wins over a typed name.
            cleaned["organisation_name"] = ""
        return cleaned


class ProposeEventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        input_formats=DATETIME_FORMATS,
        widget=DATETIME_WIDGET,
        help_text=_("Date and time, such as 2026-05-14 10:00."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        input_formats=DATETIME_FORMATS,
        widget=DATETIME_WIDGET,
    )

    class Meta:
        model = Event
        fields = [
            "organiser", "kind", "title", "summary", "description", "starts_at", "ends_at",
            "venue", "address", "online", "capacity", "audience",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
        }
        labels = {"organiser": _("Organiser"), "online": _("Online event")}
        help_texts = {
            "organiser": "",
            "summary": _("A sentence or two for lists: at most 600 characters."),
            "description": _(
                "Programme, speakers, who it is for. Separate paragraphs with an empty line."
            ),
            "venue": _("Leave empty for an online event."),
            "online": _("The secretariat adds the link to join, shown only to people registered."),
            "capacity": _("Empty: no limit."),
        }
        error_messages = {
            "organiser": CHOICE_ERRORS,
            "kind": {"invalid_choice": _("Choose one of the kinds on the list.")},
            "audience": {"invalid_choice": _("Choose one of the options on the list.")},
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations.order_by("sort_name", "id")
        choices = list(organisations)
        field = self.fields["organiser"]
        field.queryset = organisations
        field.required = True
        # The options from the list just read, not from a second query.
        field.choices = [
            *([] if len(choices) == 1 else [("", "—")]),
            *((organisation.pk, organisation.name) for organisation in choices),
        ]
        for name in ["title", "venue", "address"]:
            self.fields[name] = SingleLineCharField(
                label=self.fields[name].label,
                max_length=self.fields[name].max_length,
                required=self.fields[name].required,
                help_text=self.fields[name].help_text,
            )
        self.fields["description"].validators.append(MaxLengthValidator(MAX_DESCRIPTION))
        self.fields["capacity"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.initial["description"] = text_for_editing(self.initial.get("description") or "")

    def clean_description(self):
        return text_from_editing(self.cleaned_data["description"])

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("Give at least one place, or leave it empty."))
        return capacity

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if starts and starts < timezone.now():
            self.add_error("starts_at", _("Propose an event that has not started yet."))
        if not cleaned.get("online") and not cleaned.get("venue") and "venue" not in self.errors:
            self.add_error("venue", _("Give the venue, or tick “Online event”."))
        return cleaned
