from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page
from django.views.static import serve

from members.sitemaps import SITEMAPS
from members.staff_views import accept_invitation
from projects import opendata

from . import subscription_views, views

# The administration signs in through allauth, so email verification, rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)

handler500 = "association.views.server_error"

# /healthz/ and /readyz/ are answered by association.middleware.HealthProbeMiddleware.
urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        cache_page(60 * 60)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(60 * 60)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    # Open data keeps one address whatever the visitor's language.
    path("projects/360giving.json", opendata.package_json, name="projects-360giving"),
    path("projects/360giving.csv", opendata.flat_csv, name="projects-360giving-csv"),
    # The one-click unsubscribe address of List-Unsubscribe (RFC 8058): one address whatever the
    # subscriber's language, answering a mail provider's POST without cookies.
    path(
        "newsletter/unsubscribe/<str:token>/",
        subscription_views.one_click,
        name="newsletter-one-click",
    ),
    path(
        "newsletter/staff/<str:token>/",
        subscription_views.staff_opt_out,
        name="newsletter-staff-opt-out",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.site_page, {"kind": "accessibility"}, name="accessibility"),
    path("privacy/", views.site_page, {"kind": "privacy"}, name="privacy"),
    path("news/", include("association.news_urls")),
    path("newsletter/", include("association.subscription_urls")),
    path("members/", include("members.urls")),
    path("my/projects/", include("projects.staff_urls")),
    path("my/events/", include("events.staff_urls")),
    path("my/advocacy/", include("advocacy.staff_urls")),
    path("my/", include("members.staff_urls")),
    path("invitations/<str:token>/", accept_invitation, name="invitation"),
    path("projects/", include("projects.urls")),
    path("advocacy/", include("advocacy.urls")),
    path("events/", include("events.urls")),
    path("library/", include("library.urls")),
    path("accounts/", include("allauth.urls")),
)

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# The development outbox answers only with DEBUG on (see views.development_only).
urlpatterns += [
    path("dev/outbox/", views.outbox, name="outbox"),
    path("dev/outbox/<str:message_id>/", views.outbox_detail, name="outbox-detail"),
    path("dev/outbox/<str:message_id>/html/", views.outbox_html, name="outbox-html"),
]
