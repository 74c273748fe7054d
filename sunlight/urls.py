"""Root URLconf: the public portal at /, the staff workbench at /workbench/, accounts, and the API at /api/v1/."""

from django.urls import include, path

from sunlight.api import api

urlpatterns = [
    # Decision pages first: they are the portal's most requested pages, and no other pattern overlaps them.
    path("", include("sunlight.publicity.urls")),
    path("", include("sunlight.portal.urls")),
    path("", include("sunlight.publicity.report_urls")),
    path("accounts/", include("sunlight.accounts.urls")),
    path("workbench/evidence/", include("sunlight.evidence.urls")),
    path("workbench/", include("sunlight.workbench.urls")),
    path("workbench/registry/", include("sunlight.registry.urls")),
    path("workbench/catalog/", include("sunlight.catalog.urls")),
    path("workbench/access/", include("sunlight.access.urls")),
    path("workbench/cases/", include("sunlight.cases.urls")),
    path("workbench/review/", include("sunlight.review.urls")),
    path("api/v1/", api.urls),
]

handler403 = "sunlight.workbench.views.permission_denied"
handler404 = "sunlight.workbench.views.not_found"
