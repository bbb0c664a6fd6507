from functools import wraps

import redis
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from kombu import Connection

from members.selectors import association_figures

from .mail import outbox_message, outbox_messages
from .models import SitePage
from .news import latest_news


def home(request):
    return render(
        request,
        "association/home.html",
        {"figures": association_figures(), "latest_news": latest_news()},
    )


def about(request):
    return render(request, "association/about.html", {"figures": association_figures()})


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n", content_type="text/plain"
    )


def site_page(request, kind):
    page = get_object_or_404(SitePage, kind=kind)
    return render(request, "association/site_page.html", {"page": page})


@never_cache
def healthz(request):
    # Liveness only: the process answers. Dependencies are /readyz/'s business.
    return HttpResponse("ok", content_type="text/plain")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _check_broker():
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)


READINESS_CHECKS = {"database": _check_database, "redis": _check_redis, "broker": _check_broker}


@never_cache
def readyz(request):
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure at all means "not ready"
            checks[name] = f"unavailable: {type(error).__name__}"
        else:
            checks[name] = "ok"
    down = [name for name, state in checks.items() if state != "ok"]
    return JsonResponse(
        {"status": "unavailable" if down else "ok", "down": down, "checks": checks},
        status=503 if down else 200,
    )


def development_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.DEBUG:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@development_only
def outbox(request):
    return render(request, "association/outbox.html", {"messages_sent": outbox_messages()})


@development_only
def outbox_detail(request, message_id):
    message = outbox_message(message_id)
    if message is None:
        raise Http404
    return render(request, "association/outbox_detail.html", {"message": message})


@development_only
def outbox_html(request, message_id):
    message = outbox_message(message_id)
    if message is None or not message.html:
        raise Http404
    response = HttpResponse(message.html)
    # The message's own HTML runs in a sandbox: no scripts, no forms, no same-origin access.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'"
    )
    return response


def server_error(request):
    # Rendered without a request context: the database may be the thing that failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
