import re

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import views

PROBES = {"/healthz/": views.healthz, "/readyz/": views.readyz}

# The administration, and the staff pages where the secretariat may edit every organisation.
SECRETARIAT_PATHS = re.compile(r"^/(admin|[a-z]{2}/my)/")


class HealthProbeMiddleware:
    """Answer the health probes before host validation and the HTTPS redirect: orchestrators
    probe a container at its internal address, over plain HTTP, with no public host name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path)
        return probe(request) if probe else self.get_response(request)


class SecretariatMFAMiddleware:
    """When the association requires it (AssociationProfile.secretariat_requires_mfa), a member
    of the secretariat without an authenticator app sets one up before using the
    administration or the staff pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SECRETARIAT_PATHS.match(request.path) and self._must_set_up(request.user):
            messages.warning(
                request,
                _("Set up two-factor authentication to use the administration: the association "
                  "requires it of the secretariat."),
            )  # fmt: skip
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(user):
        from allauth.mfa.models import Authenticator

        from .models import AssociationProfile

        return (
            user.is_authenticated
            and user.is_staff
            and AssociationProfile.load().secretariat_requires_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
