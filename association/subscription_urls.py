from django.urls import path

from . import archive_views
from . import subscription_views as views

app_name = "newsletter"

# The one-click unsubscribe address (RFC 8058) is outside the language prefixes: see urls.py.
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribed/", views.unsubscribed, name="unsubscribed"),
    path("archive/", archive_views.archive_list, name="archive"),
    path("archive/<int:campaign_id>/", archive_views.archive_detail, name="archive-detail"),
    path("archive/<int:campaign_id>/email/", archive_views.archive_email, name="archive-email"),
]
