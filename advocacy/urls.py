from django.urls import path

from association.views import section

app_name = "advocacy"

urlpatterns = [
    path("", section, {"template_name": "advocacy/index.html"}, name="index"),
]
