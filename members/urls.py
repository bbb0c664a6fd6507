from django.urls import path

from association.views import section

app_name = "members"

urlpatterns = [
    path("", section, {"template_name": "members/index.html"}, name="index"),
]
