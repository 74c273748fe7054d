"""Publications built the way the case system builds them: through `publication_draft_create` (no cases app)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from sunlight.org.choices import ActionType, Role
from sunlight.org.tests.factories import staff
from sunlight.publicity.choices import PublicationKind
from sunlight.publicity.models import Publication, PublicationVersion
from sunlight.publicity.services import publication_confirm, publication_draft_create, review_token_of

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_sources = itertools.count(1)


def resident_id(first17: str = "34122119800101123") -> str:
    """A resident ID number with a valid GB 11643 check character."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + _CHECK[total % 11]


PERSON = "张建国"
ID_NUMBER = resident_id()
MOBILE = "13912345678"
COMPANY = "临泉县鑫隆食品有限公司"


def person_body(name: str = PERSON, id_number: str = ID_NUMBER) -> str:
    return (
        f"当事人{name}，男，公民身份号码{id_number}，住安徽省阜阳市临泉县城关街道人民路88号，联系电话{MOBILE}。"
        f"经查，{name}于2026年3月2日在其经营的小吃店销售超过保质期的食品，违反了《中华人民共和国食品安全法》"
        "第三十四条第（十）项的规定。以上事实有现场检查笔录、询问笔录等证据证实。"
    )


def make_draft(
    county: Any,
    *,
    person: bool = True,
    name: str = PERSON,
    action_type: str = ActionType.PENALTY,
    kind: str = PublicationKind.DECISION,
    decided_on: date | None = None,
    agency: Any = None,
    **overrides: Any,
) -> Publication:
    """A draft for a decision of the county's market-regulation agency (a natural person by default)."""
    agency = agency or county.unit_a.agency
    n = next(_sources)
    arguments: dict[str, Any] = {
        "source_type": "case_record",
        "source_id": f"test-{n}",
        "agency": agency,
        "action_type": action_type,
        "kind": kind,
        "title": f"{name}销售过期食品案行政处罚决定书" if person else f"{COMPANY}销售过期食品案行政处罚决定书",
        "party_name": name if person else COMPANY,
        "party_is_person": person,
        "persons": [name] if person else [],
        "body": person_body(name)
        if person
        else f"当事人{COMPANY}，统一社会信用代码91341221MA2TXXXX0，销售超过保质期的食品。",
        "basis": "《中华人民共和国食品安全法》第一百二十四条第一款",
        "result": "没收违法所得并处罚款人民币5000元",
        "document_number": f"临市监处罚〔2026〕{n}号",
        "decided_on": decided_on or timezone.localdate(),
        "acting_user": None,
    }
    arguments.update(overrides)
    return publication_draft_create(**arguments)


def publisher(county: Any, username: str = "reviewer_b") -> Any:
    """A legal reviewer of the county agency (publishes its decisions)."""
    return staff(Role.LEGAL_REVIEWER, unit=county.unit_b, username=username)


def publish(publication: Publication, user: Any, **kwargs: Any) -> PublicationVersion:
    """Confirm the automatic redaction as shown (the side-by-side token of the draft) and publish."""
    return publication_confirm(
        publication=publication, review_token=review_token_of(publication), acting_user=user, **kwargs
    )
