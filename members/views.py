from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Sum, When
from django.db.models.functions import Coalesce, Round
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from association.exports import streamed_csv
from association.pagecache import cached_for_visitors
from association.sanitize import plain_text
from events.selectors import organisation_events

from .filters import ORDERINGS, SORT_RELEVANCE, DirectoryFilter
from .models import AnnualReport, ContactPerson, Organisation, Region
from .partner_views import active_offers_of
from .selectors import (
    SEARCH_CANDIDATES,
    cached_count,
    cached_value,
    figures,
    ranked_search,
    vocabularies,
)

PAGE_SIZE = 24


def directory_results(request):
    """The filtered, sorted directory: what the list, the map and the exports share."""
    filterset = DirectoryFilter(request.GET, queryset=Organisation.objects.published())
    queryset = filterset.qs
    return filterset, queryset


def _page_title(filterset, page):
    title = _("Members")
    if filterset.value("q"):
        title = _("“%(query)s” in members") % {"query": filterset.value("q")[:80]}
    if page.number > 1:
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    return title


def _prepare_cards(organisations, fields):
    """What each result card shows beyond its own row: field names (from the vocabulary),
    the number of direct sub-units (one query for the page) and its address."""
    names = {field.pk: str(field) for field in fields}
    sub_units = dict(
        Organisation.objects.published()
        .filter(parent_id__in=[organisation.pk for organisation in organisations])
        .values_list("parent_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    prefix = reverse("members:directory")
    for organisation in organisations:
        organisation.field_names = [names[pk] for pk in organisation.field_ids if pk in names]
        organisation.sub_unit_count = sub_units.get(organisation.pk, 0)
        organisation.url = f"{prefix}{organisation.slug}/"


class _IdsInOrder:
    """What the paginator sees of a ranked search: the ordered ids; a page's rows come from one
    query for just those ids, put back in rank order."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, window):
        ids = self.ids[window]
        rows = {row.pk: row for row in Organisation.objects.filter(pk__in=ids).for_list()}
        return [rows[pk] for pk in ids if pk in rows]


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_for_visitors
def directory(request):
    filterset, queryset = directory_results(request)
    problems = filterset.problems()
    sort = filterset.chosen_sort()
    total = cached_count(queryset, filterset.cache_key())
    if sort == SORT_RELEVANCE:
        results = _IdsInOrder(ranked_search(queryset, filterset.value("q")))
    else:
        results = queryset.order_by(*ORDERINGS[sort]).for_list()
    paginator = Paginator(results, PAGE_SIZE)
    # The paginator must not count again what is counted (and cached) already.
    paginator.count = len(results) if sort == SORT_RELEVANCE else total
    page = paginator.get_page(request.GET.get("page"))
    organisations = list(page.object_list)
    _prepare_cards(organisations, filterset.vocabularies["fields"])

    context = {
        "filter": filterset,
        "page": page,
        "organisations": organisations,
        "total": total,
        # Relevance ranks a bounded set: say so when there are more matches than it holds.
        "ranked_only": total > paginator.count,
        "ranked_limit": SEARCH_CANDIDATES,
        "sort": sort,
        "page_title": _page_title(filterset, page),
        "chips": filterset.chips(request, problems),
        "errors": problems,
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "members/_directory_results.html" if partial else "members/directory.html"
    return render(request, template, context)


def _structured_data(request, organisation, children):
    """schema.org Organization with its parent and sub-units, for search engines."""

    def reference(other):
        return {
            "@type": "Organization",
            "name": other.name,
            "url": request.build_absolute_uri(other.get_absolute_url()),
        }

    data = {"@context": "https://schema.org"} | reference(organisation)
    optional = {
        "alternateName": organisation.short_name,
        "description": plain_text(organisation.description)[:1000].strip(),
        "email": organisation.email,
        "telephone": organisation.phone,
        "foundingDate": str(organisation.founding_year or ""),
        "sameAs": [link for link in [organisation.website, *organisation.social_link_list] if link],
        "knowsAbout": [str(field) for field in organisation.fields_of_activity.all()],
        "subOrganization": [reference(child) for child in children],
    }
    data |= {key: value for key, value in optional.items() if value}
    if organisation.logo:
        data["logo"] = request.build_absolute_uri(organisation.logo.url)
    if organisation.municipality:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": organisation.address,
            "postalCode": organisation.postal_code,
            "addressLocality": organisation.municipality.name,
            "addressRegion": organisation.municipality.region.name,
            "addressCountry": organisation.municipality.region.country,
        }
    if organisation.parent and organisation.parent.published:
        data["parentOrganization"] = reference(organisation.parent)
    if organisation.staff_count:
        data["numberOfEmployees"] = {
            "@type": "QuantitativeValue",
            "value": organisation.staff_count,
        }
    return data


CHART_HEIGHT = 100
BAR_WIDTH = 36


def _members_chart(reports):
    """Bars of members and participants over the reported years (oldest first), for an SVG."""
    reports = sorted(reports, key=lambda report: report.year)
    if len(reports) < 2:
        return None
    highest = max(report.members for report in reports) or 1
    bars = []
    for number, report in enumerate(reports):
        height = round(CHART_HEIGHT * report.members / highest)
        bars.append(
            {
                "report": report,
                "x": number * (BAR_WIDTH + 12),
                "y": CHART_HEIGHT - height,
                "height": height,
                "label_x": number * (BAR_WIDTH + 12) + BAR_WIDTH // 2,
            }
        )
    return {"bars": bars, "width": len(bars) * (BAR_WIDTH + 12), "bar_width": BAR_WIDTH}


@cached_for_visitors
def organisation_detail(request, slug):
    published = Organisation.objects.published()
    organisation = get_object_or_404(
        published.select_related("type", "municipality__region", "parent").prefetch_related(
            "fields_of_activity",
            "photos",
            Prefetch("contacts", queryset=ContactPerson.objects.filter(consent=True)),
            Prefetch("annual_reports", queryset=AnnualReport.objects.order_by("-year")),
        ),
        slug=slug,
    )
    # The breadcrumb: the ancestors named in the path, in one query.
    ancestors = list(published.filter(id__in=organisation.ancestor_ids).order_by("depth"))
    children = list(
        organisation.children.published()
        .select_related("type")
        .order_by("type__order", "sort_name", "id")
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
            "figures": figures(published.within(organisation)),
            "chart": _members_chart(organisation.annual_reports.all()),
            # Cached until events change: the profile already spends the queries a page may.
            "upcoming_events": organisation_events(organisation),
            "partner_offers": active_offers_of(organisation),
            "structured_data": _structured_data(request, organisation, children),
            # For search results and link previews; an empty description says what and where.
            "summary": Truncator(plain_text(organisation.description)).words(30)
            or ", ".join(
                str(part) for part in [organisation.type, organisation.municipality] if part
            ),
        },
    )


@cached_for_visitors
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


@cached_for_visitors
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


@cached_for_visitors
def map_page(request):
    filterset, queryset = directory_results(request)
    problems = filterset.problems()
    return render(
        request,
        "members/map.html",
        {
            "filter": filterset,
            "chips": filterset.chips(request, problems),
            "errors": problems,
            "total": cached_count(queryset, filterset.cache_key()),
        },
    )


# Below this zoom the map gets one point per municipality with its count (a few hundred points
# for the whole country, cached per filter); from it on, each organisation in view.
POINTS_FROM_ZOOM = 11
MAX_POINTS = 2000


def _bounding_box(value):
    """(west, south, east, north) from "w,s,e,n", or None when missing or not four numbers."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return west, south, east, north


def _municipality_counts(filterset, queryset):
    def build():
        places = {place.pk: place for place in vocabularies()["municipalities"]}
        counts = queryset.order_by().values_list("municipality").annotate(count=Count("id"))
        points = [
            [round(places[pk].latitude, 4), round(places[pk].longitude, 4), count]
            for pk, count in counts
            if pk in places
        ]
        # Organisations placed by their own coordinates only, gathered to a tenth of a degree.
        unplaced = (
            queryset.filter(municipality=None, latitude__isnull=False)
            .order_by()
            .values_list(Round("latitude", 1), Round("longitude", 1))
            .annotate(count=Count("id"))
        )
        return points + [[lat, lon, count] for lat, lon, count in unplaced]

    return cached_value(f"map:{filterset.cache_key()}", build)


def map_data(request):
    filterset, queryset = directory_results(request)
    try:
        zoom = int(request.GET.get("zoom", ""))
    except ValueError:
        zoom = 0
    box = _bounding_box(request.GET.get("bbox", ""))
    if box is not None and zoom >= POINTS_FROM_ZOOM:
        west, south, east, north = box
        nearby = [
            place.pk
            for place in vocabularies()["municipalities"]
            if south <= place.latitude <= north and west <= place.longitude <= east
        ]
        in_view = queryset.filter(
            Q(latitude__range=(south, north), longitude__range=(west, east))
            | Q(latitude=None, municipality__in=nearby)
        ).annotate(
            lat=Coalesce("latitude", "municipality__latitude"),
            lon=Coalesce("longitude", "municipality__longitude"),
        )
        rows = list(in_view.values_list("lat", "lon", "name", "slug")[: MAX_POINTS + 1])
        if len(rows) <= MAX_POINTS:
            prefix = reverse("members:directory")
            points = [
                [round(a, 5), round(o, 5), name, f"{prefix}{slug}/"] for a, o, name, slug in rows
            ]
            return JsonResponse({"points": points})
    return JsonResponse({"places": _municipality_counts(filterset, queryset)})


# The columns of the open-data exports and where each comes from ("url" is filled from the slug).
EXPORT_COLUMNS = {
    "name": F("name"),
    "short_name": F("short_name"),
    "type": F("type__slug"),
    "parent": Case(When(parent__published=True, then=F("parent__slug"))),
    "membership_status": F("membership_status"),
    "member_since": F("member_since"),
    "municipality": F("municipality__name"),
    "region": F("municipality__region__name"),
    "address": F("address"),
    "postal_code": F("postal_code"),
    "latitude": F("latitude"),
    "longitude": F("longitude"),
    "website": F("website"),
    "email": F("email"),
    "phone": F("phone"),
    "founding_year": F("founding_year"),
    "members_count": F("members_count"),
    "volunteers_count": F("volunteers_count"),
    "staff_count": F("staff_count"),
    "fields_of_activity": ArraySubquery(
        Organisation.fields_of_activity.through.objects.filter(organisation_id=OuterRef("pk"))
        .order_by("fieldofactivity__slug")
        .values("fieldofactivity__slug")
    ),
    "url": F("slug"),
    "updated_at": F("updated_at"),
}


def _export_rows(request, queryset):
    """The export's rows as dicts: one query, streamed from a server-side cursor."""
    rows = queryset.order_by("sort_name", "id").values_list(*EXPORT_COLUMNS.values())
    site = request.build_absolute_uri("/").rstrip("/")
    for values in rows.iterator(chunk_size=2000):
        row = dict(zip(EXPORT_COLUMNS, values, strict=True))
        row["url"] = site + reverse("members:organisation", args=[row["url"]])
        yield row


def export_csv(request):
    _filterset, queryset = directory_results(request)

    def rows():
        for row in _export_rows(request, queryset):
            row["fields_of_activity"] = ";".join(row["fields_of_activity"])
            yield row.values()

    return streamed_csv(EXPORT_COLUMNS.keys(), rows(), "members.csv")


def export_json(request):
    _filterset, queryset = directory_results(request)
    encoder = DjangoJSONEncoder()

    def chunks():
        yield '{"organisations": [\n'
        for number, row in enumerate(_export_rows(request, queryset)):
            yield ("" if number == 0 else ",\n") + encoder.encode(row)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="members.json"'
    return response
