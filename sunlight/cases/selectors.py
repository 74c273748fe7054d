"""Reads of cases, scoped to who asks (SYS-1): officers see the cases they lead or handle, heads their unit or agency,
supervisors their region."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound
from sunlight.core.models import Deadline
from sunlight.org.scope import scope_q

from .models import Case, CaseRecord
from .steps import spec_for
from .workflow import INTERNAL, allowed_next, step_name


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases a user may see: by data scope, plus those the user leads or handles."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    handled = Case.officers.through.objects.filter(user_id=user.pk).values("case_id")
    q = scope_q(user, owner="lead_officer", region="region_code") | Q(pk__in=handled)
    return Case.objects.filter(q).select_related("agency", "unit", "item")


def case_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Case:
    """One case the user may see, or NotFound (outside the scope looks the same as missing)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound.single("case", "not_found", _("案件不存在。")) from None
    found = cases_visible_to(user).filter(public_id=key).first()
    if found is None:
        raise NotFound.single("case", "not_found", _("案件不存在。"))
    return found


def case_records(case: Case) -> QuerySet[CaseRecord]:
    """The case's records in order, with their AV links and documents."""
    return (
        case.records.order_by("seq")
        .select_related("recorded_by")
        .prefetch_related("av_links__av_record__files__file", "documents")
    )


def case_deadlines(case: Case) -> QuerySet[Deadline]:
    """Every deadline of the case, running ones first."""
    return (
        Deadline.objects.filter(subject_type="case", subject_id=str(case.public_id))
        .select_related("rule")
        .order_by("status", "due_at")
    )


@dataclass(frozen=True)
class NextStep:
    """A step the case may take next, and what it needs (for the case page's action list)."""

    code: str
    name: str
    needs: list[str]
    approval: bool


def next_steps(case: Case) -> list[NextStep]:
    """What may be recorded next, in a stable order, with what each step requires in words."""
    from django.utils import timezone

    from sunlight.catalog.selectors import av_requirement

    out: list[NextStep] = []
    for code in sorted(allowed_next(case.workflow, case.step)):
        if code in INTERNAL or (code == "post_approval" and not case.emergency):
            continue
        spec = spec_for(case.workflow, code)
        needs = [str(label) for _key, label in spec.required]
        if spec.reasons:
            needs.append(_("理由"))
        if spec.field_work:
            needs.append(_("两名以上具备资格的执法人员、执法地点、出示证件"))
        if spec.rights:
            needs.append(_("告知的权利及方式"))
        if spec.approval:
            needs.append(_("负责人审批"))
        if av_requirement(agency=case.agency, action_type=case.action_type, step=code, on=timezone.localdate()) == (
            "continuous"
        ):
            needs.append(_("全程音像记录"))
        out.append(NextStep(code=code, name=step_name(case.workflow, code), needs=needs, approval=bool(spec.approval)))
    return out
