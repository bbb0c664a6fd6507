from collections import Counter

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.vary import vary_on_headers

from association.models import AssociationProfile
from association.pagecache import cached_for_visitors
from association.sanitize import plain_text
from members.selectors import vocabularies as directory_vocabularies

from .filters import PositionFilter
from .models import Consultation, Endorsement, Position, Seat
from .selectors import bodies_with_seats_held, cached

PAGE_SIZE = 20
NEWEST_FIRST = ["-published_at", "-id"]


@cached_for_visitors
def index(request):
    today = timezone.localdate()
    return render(
        request,
        "advocacy/index.html",
        {
            "positions": Position.objects.published()
            .select_related("consultation")
            .order_by(*NEWEST_FIRST)[:6],
            "consultations": Consultation.objects.filter(deadline__gte=today).order_by(
                "deadline", "id"
            )[:6],
            "bodies": bodies_with_seats_held(),
        },
    )


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_for_visitors
def position_list(request):
    filterset = PositionFilter(request.GET, queryset=Position.objects.published())
    queryset = filterset.qs
    problems = filterset.problems()
    paginator = Paginator(
        queryset.order_by(*NEWEST_FIRST).select_related("consultation").defer("body"),
        PAGE_SIZE,
    )
    # The paginator must not count again what is counted (and cached) already.
    paginator.count = cached(f"count:{filterset.cache_key()}", queryset.count)
    page = paginator.get_page(request.GET.get("page"))
    title = _("Positions")
    if page.number > 1:
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    context = {
        "filter": filterset,
        "page": page,
        "positions": page.object_list,
        "total": paginator.count,
        "chips": filterset.chips(request, problems),
        "errors": problems,
        "page_title": title,
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "advocacy/_partial.html" if partial else "advocacy/positions.html"
    return render(request, template, context)


@cached_for_visitors
def position_detail(request, slug):
    position = get_object_or_404(
        Position.objects.published()
        .select_related("consultation")
        .prefetch_related(
            "topics",
            "consultation__documents",
            Prefetch(
                "endorsements",
                queryset=Endorsement.objects.active()
                .select_related("organisation")
                .order_by("organisation__sort_name", "id"),
                to_attr="signatures",
            ),
        ),
        slug=slug,
    )
    types = {kind.pk: kind for kind in directory_vocabularies()["types"]}
    by_type = Counter(signature.organisation.type_id for signature in position.signatures)
    return render(
        request,
        "advocacy/position.html",
        {
            "position": position,
            "signatures": position.signatures,
            "by_type": [(types[pk], count) for pk, count in by_type.most_common() if pk in types],
            "summary": position.summary
            or Truncator(plain_text(position.body)).words(30)
            or position.title,
        },
    )


@cached_for_visitors
def delegations(request):
    """Each council or committee with its seats held out of its total, the current delegates
    and, on request, past terms. Seats that are not public are counted, not named."""
    show_past = request.GET.get("past") == "1"
    today = timezone.localdate()
    seats = Seat.objects.select_related("organisation").order_by("delegate", "id")
    bodies = list(
        bodies_with_seats_held().prefetch_related(
            Prefetch("seats", queryset=seats.current(today), to_attr="current_seats"),
            *(
                [Prefetch("seats", queryset=seats.past(today), to_attr="past_seats")]
                if show_past
                else []
            ),
        )
    )
    rank = {role: number for number, role in enumerate(Seat.Role.values)}
    for body in bodies:
        # Chairs first, then vice-chairs, members, substitutes and observers.
        body.current_seats.sort(key=lambda seat: rank[seat.role])
        body.hidden_seats = sum(not seat.public for seat in body.current_seats)
        # Seats that are not public are counted above, never named.
        body.named_seats = [seat for seat in body.current_seats if seat.public]
        body.named_past_seats = [seat for seat in getattr(body, "past_seats", []) if seat.public]
    return render(request, "advocacy/delegations.html", {"bodies": bodies, "show_past": show_past})


class PositionFeed(Feed):
    """The published positions as an Atom feed, newest first."""

    feed_type = Atom1Feed
    subtitle = gettext_lazy("Positions, consultation responses and statements, newest first.")

    def title(self):
        return _("%(name)s: positions") % {"name": AssociationProfile.load().name}

    def link(self):
        return reverse("advocacy:positions")

    def items(self):
        return Position.objects.published().order_by(*NEWEST_FIRST).defer("body")[:50]

    def item_title(self, position):
        return position.title

    def item_description(self, position):
        # Atom carries the description as HTML: the summary is plain text.
        return escape(position.summary)

    def item_pubdate(self, position):
        return position.published_at

    def item_updateddate(self, position):
        return position.updated_at

    def item_categories(self, position):
        return [position.get_kind_display()]
