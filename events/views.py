"""The public events pages: the upcoming list with filters, the archive, an event's page, its
documents and the iCalendar feeds."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from association.files import private_file_response
from association.models import AssociationProfile
from association.pagecache import cached_for_visitors
from association.sanitize import plain_text
from members import access
from members.models import Role
from members.services import directory_version

from .calendar import events_calendar
from .filters import EventFilter
from .models import Event
from .selectors import cached, for_list, listed, public_feed, topics

PAGE_SIZE = 12
SOONEST_FIRST = ["starts_at", "id"]
NEWEST_FIRST = ["-starts_at", "-id"]


def _event_list(request, *, past):
    now = timezone.now()
    events = listed().past(now) if past else listed().upcoming(now)
    filterset = EventFilter(request.GET, queryset=events)
    queryset = filterset.qs
    problems = filterset.problems()
    paginator = Paginator(
        for_list(queryset.order_by(*(NEWEST_FIRST if past else SOONEST_FIRST))), PAGE_SIZE
    )
    # Counted once per filter set until events change (the region filter reads organisers'
    # places, so the directory's version is in the name too).
    scope = "past" if past else "upcoming"
    key = f"count:{scope}:{filterset.cache_key()}:{directory_version()}"
    paginator.count = cached(key, queryset.count)
    page = paginator.get_page(request.GET.get("page"))
    title = _("Past events") if past else _("Events and trainings")
    if page.number > 1:
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    context = {
        "filter": filterset,
        "page": page,
        "events": page.object_list,
        "total": paginator.count,
        "chips": filterset.chips(request, problems),
        "errors": problems,
        "page_title": title,
        "past": past,
        "action": reverse("events:past" if past else "events:list"),
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = (
        "events/_partial.html" if partial else ("events/past.html" if past else "events/list.html")
    )
    return render(request, template, context)


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_for_visitors
def event_list(request):
    return _event_list(request, past=False)


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_for_visitors
def event_archive(request):
    return _event_list(request, past=True)


def _may_have_members_material(user):
    """Member staff (a role in any organisation) and the secretariat."""
    return user.is_authenticated and (
        access.is_secretariat(user) or Role.objects.filter(user=user).exists()
    )


ATTENDANCE = {
    (False, True): "OfflineEventAttendanceMode",
    (True, False): "OnlineEventAttendanceMode",
    (True, True): "MixedEventAttendanceMode",
}


def _structured_data(request, event, organiser_name):
    """schema.org Event for search engines. Never the link to join: it is for those registered."""
    place = None
    if event.venue:
        place = {"@type": "Place", "name": event.venue}
        address = {"@type": "PostalAddress", "streetAddress": event.address}
        if event.municipality:
            address |= {
                "addressLocality": event.municipality.name,
                "addressRegion": event.municipality.region.name,
                "addressCountry": event.municipality.region.country,
            }
        place["address"] = {key: value for key, value in address.items() if value}
        if event.latitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
    locations = [
        *([place] if place else []),
        *([{"@type": "VirtualLocation", "name": _("Online")}] if event.online else []),
    ]
    organiser = {"@type": "Organization", "name": organiser_name}
    if event.organiser is None:
        organiser["url"] = request.build_absolute_uri(reverse("home"))
    elif event.organiser.published:
        organiser["url"] = request.build_absolute_uri(event.organiser.get_absolute_url())
    cancelled = event.status == Event.Status.CANCELLED
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventAttendanceMode": "https://schema.org/"
        + ATTENDANCE[(event.online, bool(event.venue))],
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if cancelled else "EventScheduled"),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": organiser,
        "description": event.summary or plain_text(event.description)[:1000].strip(),
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "inLanguage": event.language,
    }
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    return data


@cached_for_visitors
def event_detail(request, slug):
    # A visitor without a session sees the same registration box as any other; the places left
    # change the events version (events/apps.py), so the cached page follows registrations.
    event = get_object_or_404(
        listed()
        .select_related("organiser", "municipality__region")
        .prefetch_related("topics", "documents"),
        slug=slug,
    )
    organiser_name = event.organiser.name if event.organiser else AssociationProfile.load().name
    members_only = event.audience == Event.Audience.MEMBERS
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "organiser_name": organiser_name,
            "cancelled": event.status == Event.Status.CANCELLED,
            "members_only": members_only,
            # A members-only event's material is listed to those who may open it.
            "documents_allowed": not members_only or _may_have_members_material(request.user),
            "documents": event.documents.all(),
            "same_day": timezone.localdate(event.starts_at) == timezone.localdate(event.ends_at),
            "structured_data": _structured_data(request, event, organiser_name),
            "summary": event.summary
            or Truncator(plain_text(event.description)).words(30)
            or event.title,
        },
    )


def event_document(request, slug, pk):
    """A document's file, streamed from the private storage: a members-only event's only to
    member staff and the secretariat (anyone else signed in gets 404, as for a missing one)."""
    event = get_object_or_404(listed(), slug=slug)
    if event.audience == Event.Audience.MEMBERS and not _may_have_members_material(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    document = get_object_or_404(event.documents.exclude(file=""), pk=pk)
    return private_file_response(document.file)


def _calendar_response(content, *, filename, attachment=False):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _feed(name, events, title):
    """A feed's file, built once per language until events change: subscribed calendars ask
    often, and writing a thousand events takes a while."""
    return cached(f"feed:{name}:{get_language()}", lambda: events_calendar(events, name=str(title)))


def calendar_feed(request):
    content = _feed("all", public_feed(), _("Events and trainings"))
    return _calendar_response(content, filename="events.ics")


def topic_calendar_feed(request, slug):
    topic = next((topic for topic in topics() if topic.slug == slug), None)
    if topic is None:
        raise Http404
    content = _feed(
        f"topic:{topic.pk}",
        public_feed().filter(topics=topic),
        _("Events and trainings: %(topic)s") % {"topic": topic.name},
    )
    return _calendar_response(content, filename=f"events-{topic.slug}.ics")


def event_calendar(request, slug):
    event = get_object_or_404(listed(), slug=slug)
    return _calendar_response(
        events_calendar([event], name=event.title), filename=f"{event.slug}.ics", attachment=True
    )
