"""API of the catalog app."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["catalog"], auth=django_auth)
