"""A decision yields a publication draft at once (PUB-4, PUB-12): the bridge from a case record to the publicity app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from .choices import PartyKind
from .models import Case, CaseRecord
from .workflow import step_name

KINDS = {"result": "inspection_result", "handling": "execution"}
SOURCE_TYPE = "case_record"  # how the publicity app knows a case record as the source of a publication


def publish_draft(*, case: Case, record: CaseRecord, acting_user: Any, now: datetime) -> Any:
    """Create the publication draft of a decision record (in the caller's transaction)."""
    from sunlight.publicity.services import publication_draft_create

    data = record.data
    person = case.party_kind == PartyKind.INDIVIDUAL
    body = "\n".join(
        part
        for part in (
            f"当事人：{case.party_name}",
            f"案由：{case.title}",
            f"违法事实：{data.get('facts', '')}" if data.get("facts") else "",
            f"依据：{data.get('basis', '')}" if data.get("basis") else "",
            f"结果：{result_text(case, record)}",
            record.content,
        )
        if part
    )
    return publication_draft_create(
        source_type=SOURCE_TYPE,
        source_id=str(record.public_id),
        agency=case.agency,
        action_type=case.action_type,
        kind=KINDS.get(record.step, "decision"),
        title=f"{case.title}（{step_name(case.workflow, record.step)}）",
        party_name=case.party_name,
        party_is_person=person,
        persons=[case.party_name] if person else [],
        body=body,
        basis=str(data.get("basis", "")),
        result=result_text(case, record),
        document_number=str(data.get("document_number", "")),
        decided_on=timezone.localdate(record.occurred_at),
        region_code=case.region_code,
        acting_user=acting_user,
        now=now,
    )


def publication_of(record: CaseRecord) -> Any:
    """The publication created from a decision record (None when the record yielded none)."""
    from sunlight.publicity.models import Publication

    return Publication.objects.filter(source_type=SOURCE_TYPE, source_id=str(record.public_id)).first()


def result_text(case: Case, record: CaseRecord) -> str:
    """The result in words: penalty kinds and the fine, the licence outcome, the inspection conclusion, the handling."""
    from .steps import PENALTY_KINDS

    data = record.data
    if record.step in {"decision", "onsite_decision"} and case.workflow != "licence":
        kinds = "、".join(str(PENALTY_KINDS.get(k, k)) for k in data.get("kinds") or [])
        fine = data.get("fine_fen")
        if not fine:
            return kinds
        yuan, fen = divmod(int(fine), 100)
        return f"{kinds}；罚款{yuan}.{fen:02d}元"
    if case.workflow == "licence":
        return "准予许可" if str(data.get("granted")).lower() in {"true", "1", "yes"} else "不予许可"
    return str(data.get("conclusion") or data.get("handling") or data.get("reasons") or data.get("measure") or "")
