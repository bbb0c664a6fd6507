from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from .filters import ORDERINGS, SORT_RELEVANCE, DirectoryFilter
from .models import ContactPerson, Organisation, Region
from .selectors import SEARCH_CANDIDATES, figures, ranked, search_query

PAGE_SIZE = 24
CHIP_FILTERS = ["q", "type", "region", "municipality", "field", "status", "within"]


def directory_results(request):
    """The filtered, sorted directory: what the list, the map and the exports share."""
    filterset = DirectoryFilter(request.GET, queryset=Organisation.objects.published())
    queryset = filterset.qs
    return filterset, queryset


def _chips(filterset):
    """The active filters, each with what it shows and the parameter that removes it."""
    chips = []
    for name in CHIP_FILTERS:
        value = filterset.value(name)
        if not value or name in filterset.form.errors:
            continue
        if name in filterset.by_slug:
            shown = str(filterset.by_slug[name][value])
        elif name == "status":
            shown = Organisation.MembershipStatus(value).label
        elif name == "within":
            shown = _("within %(name)s") % {"name": filterset.within_organisation.name}
        else:
            shown = f"“{value}”"
        chips.append({"name": name, "label": filterset.form[name].label, "value": shown})
    return chips


def _sub_unit_counts(organisations):
    ids = [organisation.pk for organisation in organisations]
    rows = (
        Organisation.objects.published()
        .filter(parent_id__in=ids)
        .values_list("parent_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return dict(rows)


@vary_on_headers("HX-Request")
def directory(request):
    filterset, queryset = directory_results(request)
    sort = filterset.chosen_sort()
    total = None
    if sort == SORT_RELEVANCE:
        query = search_query(filterset.value("q"))
        total = queryset.count()
        results = ranked(queryset, query)
    else:
        results = queryset.order_by(*ORDERINGS[sort])
    paginator = Paginator(results.for_list(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    organisations = list(page.object_list)
    sub_units = _sub_unit_counts(organisations)
    for organisation in organisations:
        organisation.sub_unit_count = sub_units.get(organisation.pk, 0)

    context = {
        "filter": filterset,
        "page": page,
        "organisations": organisations,
        "total": paginator.count if total is None else total,
        # Relevance ranks a bounded set: say so when there are more matches than it holds.
        "ranked_only": total is not None and total > paginator.count,
        "ranked_limit": SEARCH_CANDIDATES,
        "sort": sort,
        "chips": _chips(filterset),
        "errors": filterset.form.errors,
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "members/_directory_results.html" if partial else "members/directory.html"
    return render(request, template, context)


def organisation_detail(request, slug):
    published = Organisation.objects.published()
    organisation = get_object_or_404(
        published.select_related("type", "municipality__region", "parent").prefetch_related(
            "fields_of_activity",
            Prefetch("contacts", queryset=ContactPerson.objects.filter(consent=True)),
        ),
        slug=slug,
    )
    ancestors = list(published.filter(id__in=organisation.ancestor_ids).order_by("depth"))
    children = list(
        organisation.children.published()
        .select_related("type")
        .order_by("type__order", "sort_name")
    )
    groups = {}
    for child in children:
        groups.setdefault(child.type, []).append(child)
    return render(
        request,
        "members/organisation.html",
        {
            "organisation": organisation,
            "ancestors": ancestors,
            "child_groups": list(groups.items()),
            "children": children,
            "figures": figures(published.within(organisation)),
        },
    )


def region_list(request):
    counts = dict(
        Organisation.objects.published()
        .values_list("municipality__region")
        .annotate(count=Count("id"))
        .order_by()
    )
    regions = list(Region.objects.all())
    for region in regions:
        region.organisation_count = counts.get(region.pk, 0)
    return render(request, "members/region_list.html", {"regions": regions})


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    in_region = Organisation.objects.published().filter(municipality__region=region)
    by_municipality = {
        row["municipality"]: row
        for row in in_region.order_by()
        .values("municipality")
        .annotate(
            count=Count("id"),
            members=Sum("members_count"),
            volunteers=Sum("volunteers_count"),
        )
    }
    municipalities = list(region.municipalities.all())
    for municipality in municipalities:
        row = by_municipality.get(municipality.pk, {})
        municipality.organisation_count = row.get("count", 0)
        municipality.members = row.get("members") or 0
        municipality.volunteers = row.get("volunteers") or 0
    top_level = in_region.filter(type__is_legal_entity=True).select_related("type", "municipality")[
        :100
    ]
    return render(
        request,
        "members/region_detail.html",
        {
            "region": region,
            "figures": figures(in_region),
            "municipalities": municipalities,
            "organisations": top_level,
        },
    )
