from django.urls import path
from django.views.generic import TemplateView

app_name = "members"

urlpatterns = [
    path("", TemplateView.as_view(template_name="members/index.html"), name="index"),
]
