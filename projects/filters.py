import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from association.filters import PublicFilterSet
from members.models import Organisation
from members.selectors import search_query
from members.selectors import vocabularies as directory_vocabularies

from .models import Project
from .selectors import vocabularies


class ProjectFilter(PublicFilterSet):
    """The project list's search and filters. Choices are slugs from cached vocabularies, so
    checking a request costs no query; an unknown value is an error on its field, and that
    filter is left out."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    funder = django_filters.ChoiceFilter(
        label=_("Funder"), empty_label=_("All funders"), method="filter_vocabulary"
    )
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), empty_label=_("All programmes"), method="filter_vocabulary"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=_("Any status"), choices=Project.Status.choices
    )
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"))
    region = django_filters.ChoiceFilter(
        label=_("Region"), empty_label=_("All regions"), method="filter_region"
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), empty_label=_("All topics"), method="filter_vocabulary"
    )
    organisation = django_filters.CharFilter(
        label=_("Member organisation"), method="filter_organisation", widget=forms.HiddenInput
    )

    # filter name → (vocabulary, lookup)
    VOCABULARY_LOOKUPS = {
        "funder": ("funders", "funder_id"),
        "programme": ("programmes", "programme_id"),
        "topic": ("topics", "topics"),
    }

    CHIPS = ["q", "funder", "programme", "status", "year", "region", "topic", "organisation"]

    class Meta:
        model = Project
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.vocabularies = vocabularies()
        self.by_slug = {
            name: {item.slug: item for item in self.vocabularies[vocabulary]}
            for name, (vocabulary, _lookup) in self.VOCABULARY_LOOKUPS.items()
        }
        self.by_slug["region"] = {
            region.slug: region for region in directory_vocabularies()["regions"]
        }
        for name, items in self.by_slug.items():
            self.filters[name].extra["choices"] = [
                (slug, str(item)) for slug, item in items.items()
            ]
        self.filters["year"].extra["choices"] = [
            (str(year), str(year)) for year in self.vocabularies["years"]
        ]
        self.organisation = None

    def filter_search(self, queryset, name, value):
        query = search_query(value)
        return queryset.filter(search_vector=query) if query else queryset

    def filter_vocabulary(self, queryset, name, value):
        lookup = self.VOCABULARY_LOOKUPS[name][1]
        return queryset.filter(**{lookup: self.by_slug[name][value].pk})

    def filter_region(self, queryset, name, value):
        return queryset.in_region(self.by_slug["region"][value].pk)

    def filter_organisation(self, queryset, name, value):
        self.organisation = Organisation.objects.published().filter(slug=value).first()
        if self.organisation is None:
            return queryset
        return queryset.involving([self.organisation.pk])

    def chip_value(self, name, value):
        if name == "organisation":
            return self.organisation.name
        return super().chip_value(name, value)

    def problems(self):
        """What was wrong with the request's filters, by filter name (after filtering)."""
        problems = {name: list(errors) for name, errors in self.form.errors.items()}
        if self.value("organisation") and self.organisation is None:
            problems["organisation"] = [_("There is no published organisation at that address.")]
        return problems
