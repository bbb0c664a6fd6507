import re

import django_filters
from django.utils.text import Truncator

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PublicFilterSet(django_filters.FilterSet):
    """A public list's filters: whatever a visitor puts in the address is either a valid value or
    an error on its field (and that filter is left out), never a failure."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # Control characters never belong in a filter, and would be echoed back in messages.
            data = data.copy()
            for key in data:
                data.setlist(key, [_CONTROL.sub("", value) for value in data.getlist(key)])
        super().__init__(data, *args, **kwargs)

    def value(self, name):
        """The valid value of a filter, or "" (after the queryset has been computed)."""
        return self.form.cleaned_data.get(name) or ""

    def cache_key(self, ignore=()):
        """The valid filters, in a stable order: the same results have the same key."""
        values = sorted(
            (name, str(value))
            for name, value in self.form.cleaned_data.items()
            if value and name not in ignore
        )
        return repr(values)

    # The filters shown as removable chips above the results, in order.
    CHIPS = ()

    def chip_value(self, name, value):
        """What a chip shows of a filter's value: its choice's label, or the text typed."""
        choices = dict(getattr(self.form.fields[name], "choices", ()))
        if value in choices:
            return str(choices[value])
        return f"“{Truncator(value).chars(60)}”"

    def chips(self, request, problems):
        """The active filters, each with what it shows and the address without it."""
        chips = []
        for name in self.CHIPS:
            value = self.value(name)
            if not value or name in problems:
                continue
            without = request.GET.copy()
            without.pop(name, None)
            without.pop("page", None)
            chips.append(
                {
                    "label": self.form[name].label,
                    "value": self.chip_value(name, value),
                    "remove_url": f"{request.path}?{without.urlencode()}"
                    if without
                    else request.path,
                }
            )
        return chips
