import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.filters import PublicFilterSet
from members.selectors import vocabularies as directory_vocabularies

from .models import Event
from .selectors import topics

ONLINE, IN_PERSON = "yes", "no"


class EventFilter(PublicFilterSet):
    """The events lists' filters. Choices come from cached vocabularies, so checking a request
    costs no query; an unknown value is an error on its field, and that filter is left out."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), empty_label=_("All kinds"), choices=Event.Kind.choices
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), empty_label=_("All topics"), method="filter_topic"
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), empty_label=_("All regions"), method="filter_region"
    )
    audience = django_filters.ChoiceFilter(
        label=_("Who may come"),
        empty_label=_("Everyone or members"),
        choices=Event.Audience.choices,
    )
    online = django_filters.ChoiceFilter(
        label=_("Online"),
        empty_label=_("Online or in person"),
        choices=[(ONLINE, _("Online (or also online)")), (IN_PERSON, _("In person only"))],
        method="filter_online",
    )

    CHIPS = ["kind", "topic", "region", "audience", "online"]

    class Meta:
        model = Event
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.by_slug = {
            "topic": {topic.slug: topic for topic in topics()},
            "region": {region.slug: region for region in directory_vocabularies()["regions"]},
        }
        for name, items in self.by_slug.items():
            self.filters[name].extra["choices"] = [
                (slug, str(item)) for slug, item in items.items()
            ]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics=self.by_slug["topic"][value].pk)

    def filter_region(self, queryset, name, value):
        # Where it takes place or where its organiser is: an online event has no place of its
        # own, and a region's people look for what its organisations hold.
        region = self.by_slug["region"][value].pk
        return queryset.filter(
            Q(municipality__region=region) | Q(organiser__municipality__region=region)
        )

    def filter_online(self, queryset, name, value):
        return queryset.filter(online=value == ONLINE)

    def problems(self):
        return {name: list(errors) for name, errors in self.form.errors.items()}
