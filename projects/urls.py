from django.urls import path

from association.views import section

app_name = "projects"

urlpatterns = [
    path("", section, {"template_name": "projects/index.html"}, name="index"),
]
