"""The library: a list with search and filters, an item's page and its file. Members-only items
are listed, shown and served only to those who may open them (library.models
may_open_members_only); a visitor who is not signed in is asked to sign in, anyone else finds
nothing there."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from association.files import private_file_response
from association.pagecache import cached_for_visitors

from .filters import LibraryFilter
from .models import LibraryItem, may_open_members_only

PAGE_SIZE = 12
NEWEST_FIRST = ["-published_at", "-id"]


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_for_visitors
def library_list(request):
    filterset = LibraryFilter(
        request.GET, queryset=LibraryItem.objects.published().visible_to(request.user)
    )
    problems = filterset.problems()
    paginator = Paginator(
        filterset.qs.order_by(*NEWEST_FIRST).defer("search_vector").prefetch_related("topics"),
        PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    title = _("Library")
    if page.number > 1:
        title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
    context = {
        "filter": filterset,
        "page": page,
        "items": page.object_list,
        "total": paginator.count,
        "chips": filterset.chips(request, problems),
        "errors": problems,
        "page_title": title,
        "members_view": may_open_members_only(request.user),
        "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}",
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    return render(request, "library/_partial.html" if partial else "library/list.html", context)


def _item_or_refusal(request, slug):
    """The published item the visitor may open, or a redirect to sign in (members-only, not
    signed in), or Http404 (no such item, or the signed-in visitor has no right to it)."""
    item = LibraryItem.objects.published().filter(slug=slug).first()
    if item is None:
        raise Http404
    if item.members_only and not may_open_members_only(request.user):
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        raise Http404
    return item, None


@cached_for_visitors
def library_item(request, slug):
    item, refusal = _item_or_refusal(request, slug)
    if refusal:
        return refusal
    return render(
        request,
        "library/detail.html",
        {"item": item, "topics": list(item.topics.all())},
    )


def library_file(request, slug):
    item, refusal = _item_or_refusal(request, slug)
    if refusal:
        return refusal
    if not item.file:
        raise Http404
    try:
        return private_file_response(item.file, download_name=f"{item.slug}.{item.file_extension}")
    except FileNotFoundError:
        raise Http404 from None
