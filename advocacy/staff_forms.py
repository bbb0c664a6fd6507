"""Forms of member staff's advocacy pages. Every form lists its fields: anything else posted
(a position, an author, a date) is ignored."""

import uuid
from pathlib import PurePath

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .models import Endorsement, MemberInput

ATTACHMENT_EXTENSIONS = ".pdf,.odt,.docx,.txt"


class OrganisationChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose one of your organisations."),
    }

    def label_from_instance(self, organisation):
        return organisation.name


def offer(field, organisations, shown=None):
    """Let the field accept these organisations (a list the page has loaded already) and show
    these (all of them unless told), with no query of its own."""
    field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    field.widget.choices = [(o.pk, o.name) for o in (organisations if shown is None else shown)]


class MemberInputForm(forms.ModelForm):
    """A new input names its organisation; an edited one keeps it."""

    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None, empty_label=None)

    class Meta:
        model = MemberInput
        fields = ["organisation", "text", "attachment"]
        labels = {"text": _("Your input")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 12}),
            "attachment": forms.ClearableFileInput(attrs={"accept": ATTACHMENT_EXTENSIONS}),
        }
        help_texts = {
            "text": _(
                "What your organisation would have the association say, and why: experience, "
                "figures, examples. At most 10,000 characters."
            ),
            "attachment": _("Optional: PDF, ODT, DOCX or TXT, at most 20 MB."),
        }

    def __init__(self, *args, organisations, **kwargs):
        """organisations: a list of the person's organisations (None when editing)."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            offer(self.fields["organisation"], organisations)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):
            # The portal names stored files itself: a person's file name says nothing to
            # others, and input stays unguessable by address.
            upload.name = f"{uuid.uuid4().hex}{PurePath(upload.name).suffix.lower()}"
        return upload


class EndorsementForm(forms.ModelForm):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None, empty_label=None)

    class Meta:
        model = Endorsement
        fields = ["organisation", "signatory_name", "signatory_title"]
        help_texts = {
            "signatory_name": _("The person who signs for the organisation, as shown publicly."),
            "signatory_title": _("Their function, such as Chair or Director."),
        }

    def __init__(self, *args, organisations, shown, **kwargs):
        """organisations: those the person may sign for; shown: those offered (not yet
        signed), so that signing twice is refused by the service, with its message."""
        super().__init__(*args, **kwargs)
        offer(self.fields["organisation"], organisations, shown)


class NotificationsForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["notify_advocacy", "receive_member_mailings"]
