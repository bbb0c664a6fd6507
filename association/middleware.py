from . import views

PROBES = {"/healthz/": views.healthz, "/readyz/": views.readyz}


class HealthProbeMiddleware:
    """Answer the health probes before host validation and the HTTPS redirect: orchestrators
    probe a container at its internal address, over plain HTTP, with no public host name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path)
        return probe(request) if probe else self.get_response(request)
