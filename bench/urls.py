from django.http import HttpResponse
from django.urls import path

from association.urls import handler500  # noqa: F401 - Django reads it from the root URLconf
from association.urls import urlpatterns as portal


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *portal]
