"""The public archive of the newsletters sent: a list, each campaign's page, and the email itself
as sent, framed by that page. No personal data: the stored email is the same for every
recipient, and its placeholder links (unsubscribe, preferences) become the subscribe page."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from .campaigns import PLACEHOLDERS
from .models import Campaign

PAGE_SIZE = 12
INVALID_LINK = re.compile(r"https?://[^\s\"'<>/]*\.invalid(?:[/?#][^\s\"'<>]*)?", re.IGNORECASE)
SENT = [Campaign.Status.FINISHED, Campaign.Status.FAILED]
# The email runs in a sandbox (no scripts, forms or same-origin access) with its own inline
# styles; only this portal may frame it. A link followed inside it opens in the whole window
# (the portal's pages refuse to be framed), and only when the visitor clicks it.
EMAIL_POLICY = (
    "sandbox allow-top-navigation-by-user-activation; default-src 'none'; "
    "style-src 'unsafe-inline'; img-src https: data:; form-action 'none'; "
    "frame-ancestors 'self'"
)


def _sent():
    # A campaign is shown as it was sent: without the email stored, there is nothing to show.
    # Mailings to member staff are for them, not for the public.
    return (
        Campaign.objects.filter(status__in=SENT, audience=Campaign.Audience.SUBSCRIBERS)
        .exclude(html="")
        .annotate(sent_at=Coalesce("finished_at", "started_at"))
    )


@require_safe
def archive_list(request):
    campaigns = _sent().only("id", "subject", "preheader", "language", "started_at", "finished_at")
    page = Paginator(campaigns.order_by("-sent_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "newsletter/archive.html", {"page": page, "campaigns": page.object_list})


@require_safe
def archive_detail(request, campaign_id):
    campaign = get_object_or_404(_sent().defer("html", "text"), pk=campaign_id)
    return render(request, "newsletter/archive_detail.html", {"campaign": campaign})


def public_email(campaign, subscribe_url):
    """The stored email with the subscribe page where each recipient had their own links."""
    html = campaign.html
    for placeholder in PLACEHOLDERS.values():
        html = html.replace(placeholder, subscribe_url)
    # Any other per-recipient placeholder (all are on the reserved .invalid domain) too.
    html = INVALID_LINK.sub(subscribe_url, html)
    # Links open in the whole window, not inside the frame.
    head = html.find("<head>")
    if head >= 0:
        html = html[: head + 6] + '<base target="_top">' + html[head + 6 :]
    return html


@require_safe
@xframe_options_sameorigin
def archive_email(request, campaign_id):
    campaign = get_object_or_404(_sent().only("id", "html", "language"), pk=campaign_id)
    # The subscribe page in the email's own language, as its other links are.
    with translation.override(campaign.language or settings.LANGUAGE_CODE):
        subscribe_url = request.build_absolute_uri(reverse("newsletter:subscribe"))
    response = HttpResponse(public_email(campaign, subscribe_url))
    response["Content-Security-Policy"] = EMAIL_POLICY
    # Search engines should send people to the campaign's page, which frames this.
    response["X-Robots-Tag"] = "noindex"
    return response
