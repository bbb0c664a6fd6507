"""Forms of member staff's project pages. Every form lists its fields: anything else posted
(published, submitted_at, created_by, slug...) is ignored."""

from babel import Locale
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from association.sanitize import text_for_editing, text_from_editing
from members.forms import ImageField, organisation_at
from members.models import Organisation

from .models import (
    Funder,
    Programme,
    Project,
    ProjectDocument,
    ProjectImage,
    ProjectItem,
    ProjectPartner,
)

# A select of thousands is no way to choose: beyond this many, an organisation is named by its
# profile's address, as a change request names a new parent (members.forms.ChangeRequestForm).
LEAD_CHOICES_LIMIT = 200
# Aims, activities, each kind of result, partners: more is a report, not a project page.
MAX_ROWS = 50
MAX_DESCRIPTION = 20_000
COUNTRIES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha()
)
MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationAddressField(forms.CharField):
    """An organisation named by its directory profile's address or its slug."""

    def __init__(self, *, organisations, missing, **kwargs):
        self.organisations = organisations
        self.missing = missing
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.slug if isinstance(value, Organisation) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        organisation = organisation_at(text, self.organisations)
        if organisation is None:
            raise forms.ValidationError(self.missing)
        return organisation


def _lines(text):
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    limit = ProjectItem._meta.get_field("text").max_length
    for number, line in enumerate(lines, 1):
        if len(line) > limit:
            raise forms.ValidationError(
                _("Line %(number)s has %(length)s characters; the most is %(limit)s.")
                % {"number": number, "length": len(line), "limit": limit}
            )
    if len(lines) > MAX_ROWS:
        raise forms.ValidationError(
            _("Give at most %(limit)s lines (there are %(count)s).")
            % {"limit": MAX_ROWS, "count": len(lines)}
        )
    return lines


class ProjectForm(forms.ModelForm):
    aims = forms.CharField(
        label=_("Aims"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One aim per line."),
    )
    activities = forms.CharField(
        label=_("Activities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One activity per line."),
    )

    class Meta:
        model = Project
        fields = [
            "lead_organisation", "title", "code", "summary", "description", "status", "funder",
            "programme", "decision_reference", "decision_date", "decision_document",
            "amount_awarded", "currency", "co_financing", "total_budget", "start_date",
            "end_date", "regions", "municipalities", "topics", "website",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "decision_date": DATE_WIDGET,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "amount_awarded": MONEY_WIDGET,
            "co_financing": MONEY_WIDGET,
            "total_budget": MONEY_WIDGET,
            "currency": forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
            "regions": forms.SelectMultiple(attrs={"size": 6}),
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "topics": forms.CheckboxSelectMultiple,
            "decision_document": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.odt,.ods,.docx,.xlsx,.pptx,.txt"}
            ),
        }
        labels = {
            "lead_organisation": _("Lead organisation"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
        }
        help_texts = {
            "lead_organisation": "",
            "summary": _("A few sentences for lists and search results: at most 600 characters."),
            "description": _(
                "Separate paragraphs with an empty line. Links, lists and emphasis in HTML are "
                "kept; anything else is removed."
            ),
            "decision_document": _("PDF, ODT, ODS, DOCX, XLSX, PPTX or TXT, at most 20 MB."),
            "currency": _("Three letters, such as EUR or SEK."),
            "amount_awarded": _("Such as 12500.00, in the currency below."),
            "regions": _("Hold Ctrl (⌘ on a Mac) to choose more than one."),
            "municipalities": _("Hold Ctrl (⌘ on a Mac) to choose more than one."),
        }

    def __init__(self, *args, organisations, items=(), **kwargs):
        """organisations: those the person may choose as the lead. items: the project's aims
        and activities, as stored."""
        super().__init__(*args, **kwargs)
        organisations = organisations.order_by("sort_name", "id")
        choices = list(organisations[: LEAD_CHOICES_LIMIT + 1])
        self.has_organisations = bool(choices)
        if len(choices) > LEAD_CHOICES_LIMIT:
            self.fields["lead_organisation"] = OrganisationAddressField(
                organisations=organisations,
                missing=_("You cannot add projects for an organisation at that address."),
                label=_("Lead organisation"),
                help_text=_(
                    "The address of the organisation's profile in the directory, or its last part."
                ),
            )
            if self.instance.lead_organisation_id:
                self.initial["lead_organisation"] = self.instance.lead_organisation.slug
        else:
            field = self.fields["lead_organisation"]
            field.queryset = organisations
            # The options from the list just read, not from a second query.
            field.choices = [
                *([] if len(choices) == 1 else [("", "—")]),
                *((organisation.pk, organisation.name) for organisation in choices),
            ]
            if len(choices) == 1 and not self.instance.pk:
                self.initial["lead_organisation"] = choices[0].pk
        self.fields["lead_organisation"].required = True
        self.fields["description"].max_length = MAX_DESCRIPTION
        self.fields["description"].validators.append(MaxLengthValidator(MAX_DESCRIPTION))
        self.fields["funder"].queryset = Funder.objects.all()
        # Programmes grouped under their funders' names (which would make options too long).
        programme = self.fields["programme"]
        programme.queryset = Programme.objects.all()
        groups = {}
        for item in Programme.objects.select_related("funder"):
            groups.setdefault(item.funder.name, []).append((item.pk, item.name))
        programme.choices = [("", programme.empty_label), *groups.items()]
        self.initial["description"] = text_for_editing(self.initial.get("description") or "")
        for kind, name in [
            (ProjectItem.Kind.AIM, "aims"),
            (ProjectItem.Kind.ACTIVITY, "activities"),
        ]:
            self.initial[name] = "\n".join(item.text for item in items if item.kind == kind)

    def clean_description(self):
        return text_from_editing(self.cleaned_data["description"])

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean_aims(self):
        return _lines(self.cleaned_data["aims"])

    def clean_activities(self):
        return _lines(self.cleaned_data["activities"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        programme = cleaned.get("programme")
        if programme and not cleaned.get("funder") and "funder" not in self.errors:
            # The programme says whose it is. Another funder's programme is the model's error.
            cleaned["funder"] = programme.funder
        return cleaned


class ResultForm(forms.ModelForm):
    class Meta:
        model = ProjectItem
        fields = ["text", "indicator", "target", "actual"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "target": MONEY_WIDGET,
            "actual": MONEY_WIDGET,
        }
        labels = {"text": _("Result")}
        help_texts = {
            "indicator": _("How it is measured, such as “people taking part”."),
        }


ResultFormSet = inlineformset_factory(
    Project,
    ProjectItem,
    form=ResultForm,
    extra=3,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


class PartnerForm(forms.ModelForm):
    organisation = OrganisationAddressField(
        organisations=Organisation.objects.published(),
        # The same words as a change request's unknown parent.
        missing=_("There is no organisation at that address."),
        label=_("Organisation in the directory"),
        required=False,
        help_text=_("The address of its profile in the directory, or its last part."),
    )

    class Meta:
        model = ProjectPartner
        fields = ["organisation", "name", "country", "role"]
        labels = {
            "name": _("Or its name, when it is not in the directory"),
            "country": _("Country"),
        }
        help_texts = {"name": "", "country": _("Two letters, such as LV or DE.")}
        widgets = {"country": forms.TextInput(attrs={"size": 2, "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.organisation_id:
            self.initial["organisation"] = self.instance.organisation.slug
            # A partner archived since it was added stays, until someone removes it.
            self.fields["organisation"].organisations = Organisation.objects.filter(
                Q(published=True) | Q(pk=self.instance.organisation_id)
            )

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code and code not in COUNTRIES:
            raise forms.ValidationError(
                _("“%(code)s” is not a country code: give two letters, such as LV."),
                params={"code": code},
            )
        return code

    def clean(self):
        cleaned = super().clean()
        organisation, name = cleaned.get("organisation"), cleaned.get("name")
        if "organisation" in self.errors or "name" in self.errors:
            return cleaned
        if organisation and name:
            self.add_error(
                "name", _("Give either an organisation in the directory or a name, not both.")
            )
        elif not organisation and not name:
            self.add_error(
                "organisation", _("Give an organisation in the directory, or a name and a country.")
            )
        elif name and not cleaned.get("country") and "country" not in self.errors:
            self.add_error("country", _("Give the country of a partner outside the directory."))
        return cleaned


PartnerFormSet = inlineformset_factory(
    Project,
    ProjectPartner,
    form=PartnerForm,
    extra=2,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


class ProjectImageForm(forms.Form):
    image = ImageField(
        label=_("Image"), help_text=_("PNG, JPEG or WebP, at most 5 MB and 25 megapixels.")
    )
    alt_text = forms.CharField(
        label=_("Description for people who cannot see it"),
        help_text=ProjectImage._meta.get_field("alt_text").help_text,
        max_length=250,
    )


class ProjectDocumentForm(forms.ModelForm):
    class Meta:
        model = ProjectDocument
        fields = ["title", "file", "url"]
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.odt,.ods,.docx,.xlsx,.pptx,.txt"}
            )
        }
        help_texts = {
            "file": _("PDF, ODT, ODS, DOCX, XLSX, PPTX or TXT, at most 20 MB."),
            "url": _("Or where it can be read on the web."),
        }
