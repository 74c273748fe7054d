"""Reads for record access (REC-11): my requests, requests waiting for me, a record's access log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AccessLog, AccessRequest
from .services import may_decide
from .subjects import Subject


def my_requests(user: Any) -> QuerySet[AccessRequest]:
    """The user's own requests, newest first, with their decisions."""
    return AccessRequest.objects.filter(requester=user).select_related("decision", "decision__approver")


def requests_to_decide(user: Any) -> list[AccessRequest]:
    """Undecided requests this user is the right approver for."""
    if not getattr(user, "agency_id", None):
        return []
    pending = AccessRequest.objects.filter(agency_id=user.agency_id, decision__isnull=True).select_related(
        "requester", "unit"
    )
    return [r for r in pending if may_decide(user, r)]


def request_get(*, public_id: Any) -> AccessRequest | None:
    """A request by its public id (callers check what the user may do with it)."""
    from django.core.exceptions import ValidationError

    try:
        return AccessRequest.objects.select_related("requester", "agency", "unit").get(public_id=public_id)
    except (AccessRequest.DoesNotExist, ValidationError, ValueError):
        return None


def access_log_for(subject: Subject) -> QuerySet[AccessLog]:
    """Every use and refused attempt on a subject, newest first."""
    return AccessLog.objects.filter(subject_type=subject.type, subject_id=subject.id).select_related(
        "user", "approver", "request"
    )


def requests_for(subject: Subject) -> QuerySet[AccessRequest]:
    """Every request about a subject, newest first."""
    return AccessRequest.objects.filter(subject_type=subject.type, subject_id=subject.id).select_related(
        "requester", "decision", "decision__approver"
    )
