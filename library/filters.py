import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from association import versioned
from association.filters import PublicFilterSet
from association.models import Topic
from members.selectors import search_query

from .models import LibraryItem
from .services import library_version


def topics():
    """The topic filter's choices, cached until the library or a topic changes."""
    return versioned.cached("library", library_version, "topics", lambda: list(Topic.objects.all()))


class LibraryFilter(PublicFilterSet):
    """The library's search and filters. Topic choices are cached, so checking a request costs
    no query; an unknown value is an error on its field, and that filter is left out."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), empty_label=_("All kinds"), choices=LibraryItem.Kind.choices
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), empty_label=_("All topics"), method="filter_topic"
    )

    CHIPS = ["q", "kind", "topic"]

    class Meta:
        model = LibraryItem
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.topics = {topic.slug: topic for topic in topics()}
        self.filters["topic"].extra["choices"] = [(t.slug, str(t)) for t in self.topics.values()]

    def filter_search(self, queryset, name, value):
        query = search_query(value)
        return queryset.filter(search_vector=query) if query else queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics=self.topics[value].pk)

    def problems(self):
        return {name: list(errors) for name, errors in self.form.errors.items()}
