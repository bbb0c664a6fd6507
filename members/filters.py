import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from association.filters import PublicFilterSet
from association.models import Topic

from .countries import country_choices
from .models import Organisation, PartnerOffer
from .search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, words
from .selectors import matching, search_query, vocabularies

SORT_RELEVANCE = "relevance"
ORDERINGS = {
    "name": ["sort_name", "id"],
    "updated": ["-updated_at", "id"],
    "size": [F("members_count").desc(nulls_last=True), "id"],
}


class DirectoryFilter(PublicFilterSet):
    """The directory's search, filters and sort. The choices are slugs from the cached
    vocabularies, so checking a request costs no query; an unknown slug is an error on its
    field, and that filter is left out."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    type = django_filters.ChoiceFilter(
        empty_label=_("All types"), label=_("Type"), method="filter_vocabulary"
    )
    region = django_filters.ChoiceFilter(
        empty_label=_("All regions"), label=_("Region"), method="filter_vocabulary"
    )
    municipality = django_filters.ChoiceFilter(
        empty_label=_("All municipalities"), label=_("Municipality"), method="filter_vocabulary"
    )
    field = django_filters.ChoiceFilter(
        empty_label=_("All fields"), label=_("Field of activity"), method="filter_vocabulary"
    )
    status = django_filters.ChoiceFilter(
        label=_("Membership"),
        empty_label=_("Any membership"),
        field_name="membership_status",
        choices=Organisation.MembershipStatus.choices,
    )
    within = django_filters.CharFilter(
        label=_("Within"), method="filter_within", widget=forms.HiddenInput
    )
    # Applied by the view after every filter, with the search's ranking in mind.
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method=lambda queryset, name, value: queryset,
        empty_label=None,
        choices=[
            (SORT_RELEVANCE, _("Relevance")),
            ("name", _("Name")),
            ("updated", _("Recently updated")),
            ("size", _("Size")),
        ],
    )

    # filter name → (vocabulary, lookup)
    VOCABULARY_LOOKUPS = {
        "type": ("types", "type_id"),
        "region": ("regions", "municipality__region_id"),
        "municipality": ("municipalities", "municipality_id"),
        "field": ("fields", "fields_of_activity"),
    }

    CHIPS = ["q", "type", "region", "municipality", "field", "status", "within"]

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.by_slug = {}
        self.vocabularies = vocabularies()
        for name, (vocabulary, _lookup) in self.VOCABULARY_LOOKUPS.items():
            items = self.vocabularies[vocabulary]
            self.by_slug[name] = {item.slug: item for item in items}
            self.filters[name].extra["choices"] = [(item.slug, str(item)) for item in items]
        self.within_organisation = None

    def filter_search(self, queryset, name, value):
        query = search_query(value)
        return matching(queryset, query) if query else queryset

    def filter_vocabulary(self, queryset, name, value):
        lookup = self.VOCABULARY_LOOKUPS[name][1]
        return queryset.filter(**{lookup: self.by_slug[name][value].pk})

    def filter_within(self, queryset, name, value):
        self.within_organisation = Organisation.objects.published().filter(slug=value).first()
        if self.within_organisation is None:
            return queryset
        return queryset.within(self.within_organisation)

    def chip_value(self, name, value):
        if name == "within":
            return _("within %(name)s") % {"name": self.within_organisation.name}
        return super().chip_value(name, value)

    def problems(self):
        """What was wrong with the request's filters, by filter name (after filtering)."""
        problems = {name: list(errors) for name, errors in self.form.errors.items()}
        if self.value("within") and self.within_organisation is None:
            problems["within"] = [_("There is no published organisation at that address.")]
        return problems

    def cache_key(self):
        return super().cache_key(ignore={"sort"})

    def chosen_sort(self):
        """Relevance when there are words to search for, unless another sort was chosen."""
        searching = search_query(self.value("q")) is not None
        chosen = self.value("sort")
        if chosen == SORT_RELEVANCE or not chosen:
            return SORT_RELEVANCE if searching else "name"
        return chosen


class PartnerOfferFilter(PublicFilterSet):
    """The partner searches' text search and filters. Topics are read once (one query) and kept
    for the cards; regions come from the cached vocabularies. An unknown value is an error on its
    field, and that filter is left out."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    topic = django_filters.ChoiceFilter(
        empty_label=_("All topics"), label=_("Topic"), method="filter_topic"
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("All kinds"),
        label=_("Kind of project"),
        field_name="project_kind",
        choices=PartnerOffer.ProjectKind.choices,
    )
    country = django_filters.ChoiceFilter(
        empty_label=_("All countries"), label=_("Partners' country"), method="filter_country"
    )
    region = django_filters.ChoiceFilter(
        empty_label=_("All regions"), label=_("Region of the organisation"), method="filter_region"
    )

    CHIPS = ["q", "topic", "kind", "country", "region"]

    class Meta:
        model = PartnerOffer
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.topics = list(Topic.objects.all())
        self.topics_by_slug = {topic.slug: topic for topic in self.topics}
        self.regions_by_slug = {region.slug: region for region in vocabularies()["regions"]}
        self.filters["topic"].extra["choices"] = [(topic.slug, str(topic)) for topic in self.topics]
        self.filters["region"].extra["choices"] = [
            (region.slug, str(region)) for region in self.regions_by_slug.values()
        ]
        self.filters["country"].extra["choices"] = country_choices()

    def filter_search(self, queryset, name, value):
        # Offers are few: every word (normalised as search.py does) is looked for in the title
        # and description, or in the organisation's name, without an index.
        for word in words(value[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]:
            queryset = queryset.filter(
                Q(search_text__contains=word) | Q(organisation__sort_name__contains=word)
            )
        return queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics=self.topics_by_slug[value])

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries__contains=[value])

    def filter_region(self, queryset, name, value):
        return queryset.filter(organisation__municipality__region=self.regions_by_slug[value])

    def problems(self):
        return {name: list(errors) for name, errors in self.form.errors.items()}
