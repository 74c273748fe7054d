"""Catalog test fixtures (the agency, its legal department and two laws)."""

from .factories import catalog  # noqa: F401
