"""Helpers shared by every app's views: put a ServiceError's messages onto a form."""

from __future__ import annotations

from django import forms

from .errors import Forbidden, NotFound, ServiceError


def add_service_errors(form: forms.Form, error: ServiceError) -> None:
    """Attach each (field, message) to the form field of that name, or to the form as a whole.

    A refusal (Forbidden) or a missing object (NotFound) is not a form problem: it is raised again for the view's
    error page.
    """
    if isinstance(error, Forbidden | NotFound):
        raise error
    for item in error.errors:
        field = item.field if item.field in form.fields else None
        form.add_error(field, item.message)
