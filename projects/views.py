import json
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers
from icalendar import Calendar, Event

from association.exports import streamed_csv
from association.models import AssociationProfile
from association.pagecache import cached_for_visitors
from association.sanitize import plain_text
from members.selectors import vocabularies as directory_vocabularies

from .filters import ProjectFilter
from .models import NEWEST_FIRST, FundingCall, Project, ProjectItem, ProjectPartner
from .selectors import cached, totals, vocabularies

PAGE_SIZE = 20
ARCHIVE_PAGE_SIZE = 30


def project_results(request):
    """The filtered list: what the page and the CSV share."""
    filterset = ProjectFilter(request.GET, queryset=Project.objects.published())
    return filterset, filterset.qs


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_for_visitors
def project_list(request):
    filterset, queryset = project_results(request)
    problems = filterset.problems()
    key = filterset.cache_key()
    paginator = Paginator(
        queryset.order_by(*NEWEST_FIRST).select_related("lead_organisation", "funder", "programme"),
        PAGE_SIZE,
    )
    # The paginator must not count again what is counted (and cached) already.
    paginator.count = cached(f"count:{key}", queryset.count)
    page = paginator.get_page(request.GET.get("page"))
    title = _("Projects")
    if page.number > 1:
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    context = {
        "filter": filterset,
        "page": page,
        "projects": page.object_list,
        "total": paginator.count,
        "totals": totals(queryset, key),
        "chips": filterset.chips(request, problems),
        "errors": problems,
        "page_title": title,
        "export_query": request.GET.copy().urlencode(),
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "projects/_partial.html" if partial else "projects/list.html"
    return render(request, template, context)


def _places(region_ids, municipality_ids):
    """The regions and municipalities named, with the points a small map shows."""
    directory = directory_vocabularies()
    regions = [region for region in directory["regions"] if region.pk in region_ids]
    municipalities = [
        place for place in directory["municipalities"] if place.pk in municipality_ids
    ]
    points = [
        [round(place.latitude, 4), round(place.longitude, 4), place.name]
        for place in [*municipalities, *regions]
    ]
    return regions, municipalities, points


@cached_for_visitors
def project_detail(request, slug):
    project = get_object_or_404(
        Project.objects.published()
        .select_related("lead_organisation__municipality", "funder", "programme")
        .with_relation_ids()
        .prefetch_related(
            "items",
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
            "images",
            "documents",
        ),
        slug=slug,
    )
    lists = {kind: [] for kind in ProjectItem.Kind.values}
    for item in project.items.all():
        lists[item.kind].append(item)
    regions, municipalities, points = _places(project.region_ids, project.municipality_ids)
    topics = [topic for topic in vocabularies()["topics"] if topic.pk in project.topic_ids]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "lead_name": project.lead_organisation.name
            if project.lead_organisation
            else AssociationProfile.load().name,
            "aims": lists[ProjectItem.Kind.AIM],
            "activities": lists[ProjectItem.Kind.ACTIVITY],
            "result_lists": [
                (_("Expected results"), lists[ProjectItem.Kind.EXPECTED]),
                (_("Achieved results"), lists[ProjectItem.Kind.ACHIEVED]),
            ],
            "partners": project.partners.all(),
            "regions": regions,
            "municipalities": municipalities,
            "map_points": json.dumps(points),
            "topics": topics,
            "summary": project.summary
            or Truncator(plain_text(project.description)).words(30)
            or project.title,
        },
    )


EXPORT_COLUMNS = [
    "code", "title", "status", "lead_organisation", "partners", "funder", "programme",
    "decision_reference", "decision_date", "amount_awarded", "currency", "co_financing",
    "total_budget", "start_date", "end_date", "year", "url",
]  # fmt: skip


def export_csv(request):
    """The filtered list as CSV, streamed from a server-side cursor."""
    _filterset, queryset = project_results(request)
    association = AssociationProfile.load().name
    partner_names = ArraySubquery(
        ProjectPartner.objects.filter(project_id=OuterRef("pk"))
        .order_by("order", "id")
        .values(partner_name=Coalesce("organisation__name", "name"))
    )
    rows = (
        queryset.order_by(*NEWEST_FIRST)
        .annotate(partner_names=partner_names)
        .values_list(
            "code", "title", "status", "lead_organisation__name", "partner_names", "funder__name",
            "programme__name", "decision_reference", "decision_date", "amount_awarded", "currency",
            "co_financing", "total_budget", "start_date", "end_date", "year", "slug",
        )
    )  # fmt: skip
    site = request.build_absolute_uri("/").rstrip("/")

    def lines():
        for row in rows.iterator(chunk_size=2000):
            row = list(row)
            row[3] = row[3] or association
            row[4] = "; ".join(row[4])
            row[-1] = site + reverse("projects:detail", args=[row[-1]])
            yield ["" if value is None else value for value in row]

    return streamed_csv(EXPORT_COLUMNS, lines(), "projects.csv")


# --- Funding calls ----------------------------------------------------------------------------
# These pages are not kept in the page cache: a call's state changes with the clock, not only
# with edits.


def call_list(request):
    now = timezone.now()
    calls = FundingCall.objects.published().select_related("funder", "programme")
    open_calls = list(calls.open(now).order_by("deadline", "id"))
    upcoming = list(calls.upcoming(now).order_by("opens_on", "deadline", "id"))
    recently_closed = list(calls.closed(now).order_by("-deadline", "-id")[:5])
    return render(
        request,
        "projects/calls.html",
        {"open_calls": open_calls, "upcoming": upcoming, "recently_closed": recently_closed},
    )


def call_archive(request):
    calls = (
        FundingCall.objects.published()
        .closed()
        .select_related("funder", "programme")
        .order_by("-deadline", "-id")
    )
    page = Paginator(calls, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/call_archive.html", {"page": page, "calls": page.object_list})


def call_detail(request, slug):
    call = get_object_or_404(
        FundingCall.objects.published()
        .select_related("funder", "programme")
        .prefetch_related("topics"),
        slug=slug,
    )
    return render(request, "projects/call_detail.html", {"call": call})


# Deadlines a calendar keeps: those of the past year and all to come.
CALENDAR_PAST = timedelta(days=365)


def calls_calendar(request):
    """The deadlines of funding calls as an iCalendar feed a calendar application subscribes to."""
    calendar = Calendar()
    calendar.add("prodid", "-//Culture portal//Funding calls//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Funding call deadlines"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0]
    calls = (
        FundingCall.objects.published()
        .filter(deadline__gte=timezone.now() - CALENDAR_PAST)
        .select_related("funder")
        .order_by("deadline", "id")
    )
    for call in calls:
        deadline = timezone.localtime(call.deadline)
        event = Event()
        event.add("uid", f"funding-call-{call.pk}@{host}")
        event.add("summary", _("Deadline: %(title)s") % {"title": call.title})
        event.add("dtstart", deadline)
        event.add("dtend", deadline)
        event.add("dtstamp", call.updated_at)
        event.add("last-modified", call.updated_at)
        event.add("url", request.build_absolute_uri(call.get_absolute_url()))
        event.add("description", f"{call.funder.name}\n\n{call.summary}".strip())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="funding-calls.ics"'
    return response
