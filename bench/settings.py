"""Production settings plus the framework's floor, a trivial view to compare every page with."""

from association.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
