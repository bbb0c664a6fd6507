"""Partner search: organisations say what partners they look for (a funding application's
partners, often abroad); the public list at /members/partners/ and a box on each profile show
the open ones, and member staff keep their organisation's under /my/<organisation>/partners/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from association.pagecache import cached_for_visitors

from . import access
from .filters import PartnerOfferFilter
from .models import LIST_DEFERRED, PartnerOffer
from .partner_forms import PartnerOfferForm
from .selectors import cached_value
from .staff_views import _page as staff_page

PAGE_SIZE = 20


def _topic_ids():
    """The offer's topic ids, in the row's own query: their names are in the filter's list."""
    return ArraySubquery(
        PartnerOffer.topics.through.objects.filter(partneroffer_id=OuterRef("pk"))
        .order_by("topic__order", "topic_id")
        .values("topic_id")
    )


def _page_title(filterset, page):
    title = _("Looking for partners")
    if filterset.value("q"):
        title = _("“%(query)s” in partner searches") % {"query": filterset.value("q")[:80]}
    if page.number > 1:
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    return title


@cached_for_visitors
def partner_list(request):
    """Open partner searches, newest first: three queries (topics, count, page) whatever
    the number of offers."""
    filterset = PartnerOfferFilter(request.GET, queryset=PartnerOffer.objects.active())
    problems = filterset.problems()
    offers = (
        filterset.qs.select_related("organisation")
        .defer(*(f"organisation__{name}" for name in LIST_DEFERRED))
        .annotate(topic_ids=_topic_ids())
        .order_by("-created_at", "-id")
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    topics = {topic.pk: topic for topic in filterset.topics}
    for offer in page.object_list:
        offer.topic_list = [topics[pk] for pk in offer.topic_ids if pk in topics]
    return render(
        request,
        "members/partners.html",
        {
            "filter": filterset,
            "page": page,
            "offers": page.object_list,
            "total": page.paginator.count,
            "page_title": _page_title(filterset, page),
            "chips": filterset.chips(request, problems),
            "errors": problems,
        },
    )


def active_offers_of(organisation):
    """An organisation's open offers for its profile, cached until the directory changes (an
    offer's change changes it) and for the day (an offer closes at midnight): the profile
    already spends the queries a page may."""
    today = timezone.localdate()
    return cached_value(
        f"partner-offers:{organisation.pk}:{today.isoformat()}",
        lambda: list(
            PartnerOffer.objects.active(today)
            .filter(organisation=organisation)
            .prefetch_related("topics")
            .order_by("valid_until", "id")
        ),
    )


# --- Member staff -----------------------------------------------------------------------------


def _offer_or_404(organisation, offer_id):
    # Only this organisation's own offers: another's answers 404, as if it did not exist.
    return get_object_or_404(PartnerOffer, pk=offer_id, organisation=organisation)


def _saved(request, offer):
    if offer.published:
        messages.success(request, _("“%(title)s” is saved.") % {"title": offer.title})
    else:
        messages.success(
            request, _("“%(title)s” is saved, hidden from the public.") % {"title": offer.title}
        )


@login_required
def staff_partner_list(request, slug):
    """The organisation's partner searches, and the form for a new one."""
    organisation = access.organisation_or_404(request.user, slug)
    # Whoever adds the search is the likeliest contact.
    initial = {"contact_name": request.user.name, "contact_email": request.user.email}
    form = PartnerOfferForm(
        request.POST or None, instance=PartnerOffer(organisation=organisation), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        _saved(request, form.save())
        return redirect("staff:partners", organisation.slug)
    offers = organisation.partner_offers.order_by("-created_at", "-id")
    return staff_page(
        request,
        "partners.html",
        organisation,
        form=form,
        offers=offers,
        today=timezone.localdate(),
    )


@login_required
def staff_partner_edit(request, slug, offer_id):
    organisation = access.organisation_or_404(request.user, slug)
    offer = _offer_or_404(organisation, offer_id)
    saved_title = offer.title
    form = PartnerOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        _saved(request, form.save())
        return redirect("staff:partners", organisation.slug)
    return staff_page(
        request, "partner_edit.html", organisation, form=form, offer=offer, saved_title=saved_title
    )


@login_required
def staff_partner_delete(request, slug, offer_id):
    organisation = access.organisation_or_404(request.user, slug)
    offer = _offer_or_404(organisation, offer_id)
    if request.method == "POST":
        offer.delete()
        messages.success(request, _("“%(title)s” is deleted.") % {"title": offer.title})
        return redirect("staff:partners", organisation.slug)
    return staff_page(request, "partner_delete.html", organisation, offer=offer)
