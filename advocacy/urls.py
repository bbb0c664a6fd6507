from django.urls import path
from django.views.generic import TemplateView

app_name = "advocacy"

urlpatterns = [
    path("", TemplateView.as_view(template_name="advocacy/index.html"), name="index"),
]
