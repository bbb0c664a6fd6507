"""The newsletter's public pages: subscribe, confirm, preferences, unsubscribe. No account and
no sign-in: the links in the emails carry signed tokens."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import subscriptions
from .models import Subscriber
from .subscription_forms import PreferencesForm, SubscribeForm
from .subscriptions import LinkExpired, LinkInvalid, client_ip


def _base_url(request):
    return request.build_absolute_uri("/")


def _link_problem(request, problem):
    """A clear page for a link that cannot be used, never an error: problem is "invalid",
    "expired" or "gone" (the subscriber was erased)."""
    status = {"invalid": 400, "expired": 410, "gone": 404}[problem]
    return render(request, "newsletter/link_problem.html", {"problem": problem}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    limit_message, status = "", 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reached = subscriptions.subscribe_limit_reached(ip=client_ip(request), email=data["email"])
        if reached is None:
            subscriptions.subscription_request(
                email=data["email"],
                name=data["name"],
                language=data["language"],
                topics=data["topics"],
                regions=data["regions"],
                base_url=_base_url(request),
            )
            return redirect("newsletter:sent")
        status = 429
        if reached == "ip":
            limit_message = _(
                "Too many subscription requests have come from your connection in the last "
                "hour. Please try again later."
            )
        else:
            # Counted for every address typed, known or not: this says nothing about who
            # subscribes.
            limit_message = _(
                "Several confirmation emails have been sent to this address in the last hour. "
                "Please look for them in your inbox (and your spam folder), or try again later."
            )
    return render(
        request,
        "newsletter/subscribe.html",
        {"form": form, "summary_forms": [form], "limit_message": limit_message},
        status=status,
    )


def sent(request):
    return render(request, "newsletter/sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    # The link only shows a button: mail scanners that open links must not confirm on a
    # stranger's behalf, which would defeat the point of a double opt-in.
    try:
        data = subscriptions.read_confirmation(token)
        if request.method == "POST":
            subscriber, activated = subscriptions.subscription_confirm(
                token=token, ip=client_ip(request)
            )
            return render(
                request,
                "newsletter/confirmed.html",
                {
                    "activated": activated,
                    **subscriptions.subscriber_links(subscriber, _base_url(request)),
                },
            )
    except LinkExpired:
        return _link_problem(request, "expired")
    except LinkInvalid:
        return _link_problem(request, "invalid")
    subscriber = Subscriber.objects.filter(email=data["e"]).first()
    if subscriber and subscriber.status == Subscriber.Status.CONFIRMED:
        return render(
            request,
            "newsletter/confirmed.html",
            {"activated": False, **subscriptions.subscriber_links(subscriber, _base_url(request))},
        )
    return render(request, "newsletter/confirm.html", {"email": data["e"]})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    try:
        subscriber = subscriptions.subscriber_for_preferences(token)
    except LinkInvalid:
        return _link_problem(request, "invalid")
    if subscriber is None:
        return _link_problem(request, "gone")
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=subscriber)
    unsubscribed = subscriber.status == Subscriber.Status.UNSUBSCRIBED
    if request.method == "POST" and not unsubscribed and form.is_valid():
        subscriber = form.save()
        # The page comes back in the language just chosen for the emails.
        with translation.override(subscriber.language):
            messages.success(request, _("Your preferences are saved."))
            return redirect(reverse("newsletter:preferences", args=[token]))
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "summary_forms": [form],
            "subscriber": subscriber,
            "unsubscribed": unsubscribed,
            **subscriptions.subscriber_links(subscriber, _base_url(request)),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks (link scanners open links); POST, from the page's button, unsubscribes."""
    try:
        subscriber = subscriptions.subscriber_for_unsubscribe(token)
    except LinkInvalid:
        return _link_problem(request, "invalid")
    if request.method == "POST":
        if subscriber is not None:
            subscriptions.subscription_cancel(subscriber=subscriber)
        return redirect("newsletter:unsubscribed")
    if subscriber is None:
        return _link_problem(request, "gone")
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "unsubscribed": subscriber.status == Subscriber.Status.UNSUBSCRIBED,
            "action": reverse("newsletter:unsubscribe", args=[token]),
            **subscriptions.subscriber_links(subscriber, _base_url(request)),
        },
    )


def unsubscribed(request):
    return render(request, "newsletter/unsubscribed.html")


def _plain(text, status=200, language=None):
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response.headers["Content-Language"] = language or translation.get_language()
    return response


@csrf_exempt  # RFC 8058: mail providers POST without cookies or a token; the token signs it.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def one_click(request, token):
    """The List-Unsubscribe address, the same in every language. A POST unsubscribes at once
    and answers in plain text, without a redirect; a GET shows the page with the button."""
    try:
        subscriber = subscriptions.subscriber_for_unsubscribe(token)
    except LinkInvalid:
        subscriber, invalid = None, True
    else:
        invalid = False
    language = subscriber.language if subscriber else translation.get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        if request.method == "POST":
            if invalid:
                return _plain(_("This unsubscribe link is not valid."), status=400)
            if subscriber is not None:
                subscriptions.subscription_cancel(subscriber=subscriber)
            return _plain(_("You are unsubscribed: you will receive no more newsletters."))
        response = unsubscribe(request, token)
        response.headers["Content-Language"] = language
        return response


@csrf_exempt  # RFC 8058, as one_click: the link in a mailing to member staff takes a POST too.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def staff_opt_out(request, token):
    """Member staff stop the mailings the secretariat sends them: a GET asks, a POST (the
    page's button or a mail provider's one click) takes effect at once and answers 200."""
    try:
        user = subscriptions.user_for_staff_opt_out(token)
    except LinkInvalid:
        return _link_problem(request, "invalid")
    if user is None:
        return _link_problem(request, "gone")
    if request.method == "POST":
        subscriptions.staff_opt_out(user)
        user.receive_member_mailings = False
    return render(
        request,
        "newsletter/staff_opt_out.html",
        {
            "staff_user": user,
            "opted_out": not user.receive_member_mailings,
            "settings_url": reverse("advocacy-staff:notifications"),
        },
    )
