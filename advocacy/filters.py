import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from association.filters import PublicFilterSet
from members.selectors import search_query

from .models import Level, Position
from .selectors import vocabularies

SIGNING_OPEN, SIGNING_CLOSED = "signing", "closed"


class PositionFilter(PublicFilterSet):
    """The published positions' search and filters. Choices come from cached vocabularies, so
    checking a request costs no query; an unknown value is an error on its field, and that filter
    is left out."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), empty_label=_("All kinds"), choices=Position.Kind.choices
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), empty_label=_("All topics"), method="filter_topic"
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), empty_label=_("All levels"), choices=Level.choices
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), empty_label=_("All years"), method="filter_year"
    )
    status = django_filters.ChoiceFilter(
        label=_("Co-signing"),
        empty_label=_("Open or closed"),
        choices=[(SIGNING_OPEN, _("Open for co-signing")), (SIGNING_CLOSED, _("Closed"))],
        method="filter_status",
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), empty_label=_("Any outcome"), choices=Position.Outcome.choices
    )

    CHIPS = ["q", "kind", "topic", "level", "year", "status", "outcome"]

    class Meta:
        model = Position
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.vocabularies = vocabularies()
        self.topics = {topic.slug: topic for topic in self.vocabularies["topics"]}
        self.filters["topic"].extra["choices"] = [(t.slug, str(t)) for t in self.topics.values()]
        self.filters["year"].extra["choices"] = [
            (str(year), str(year)) for year in self.vocabularies["years"]
        ]

    def filter_search(self, queryset, name, value):
        query = search_query(value)
        return queryset.filter(search_vector=query) if query else queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics=self.topics[value].pk)

    def filter_year(self, queryset, name, value):
        return queryset.year(int(value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(signing_closed=value == SIGNING_CLOSED)

    def problems(self):
        return {name: list(errors) for name, errors in self.form.errors.items()}
