"""API of the registry app."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["registry"], auth=django_auth)
