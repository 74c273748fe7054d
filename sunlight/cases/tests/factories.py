"""Helpers for the case tests: a desk with an item, a benchmark, the major-decision catalog, two certified officers,
a unit head and an agency head; and short-hands to record steps through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from sunlight.cases.checks import StepInput
from sunlight.cases.models import Case, CaseRecord
from sunlight.cases.services import case_create, case_step_record
from sunlight.catalog.tests.factories import Catalog, major_catalog, new_benchmark, new_item, noon
from sunlight.org.models import User
from sunlight.registry.tests.factories import certified


@dataclass
class Desk:
    """Everything a case needs."""

    c: Catalog
    item: Any
    benchmark: Any
    officer: User
    partner: User
    head: User
    chief: User

    def start(self, workflow: str = "penalty", **over: Any) -> Case:
        values: dict[str, Any] = {
            "acting_user": self.officer,
            "workflow": workflow,
            "unit": self.c.field_unit,
            "title": "未取得食品经营许可从事食品经营活动",
            "party_kind": "organisation",
            "party_name": "临泉县好味道餐饮有限公司",
            "source": "inspection",
            "item": self.item if workflow == "penalty" else None,
            "officers": [self.partner],
        }
        values.update(over)
        return case_create(**values)

    def field(self, at: datetime, **over: Any) -> StepInput:
        """A field-work step with both officers, certificates shown, the party present and signing."""
        values: dict[str, Any] = {
            "occurred_at": at,
            "place": "临泉县城关镇人民路88号",
            "officers": [self.officer, self.partner],
            "certificates_shown": True,
            "party_present": True,
            "party_signed": True,
            "content": "现场检查经营场所。",
        }
        values.update(over)
        return StepInput(**values)

    def record(self, case: Case, step: str, at: datetime, *, by: User | None = None, **over: Any) -> CaseRecord:
        given = over.pop("given", None) or StepInput(occurred_at=at, **over)
        return case_step_record(acting_user=by or self.officer, case=case, step=step, given=given)


@pytest.fixture
def desk(catalog: Catalog) -> Desk:
    c = catalog
    start = timezone.localdate() - timedelta(days=120)
    item = new_item(c, effective=start, now=noon(start)).entry
    benchmark = new_benchmark(c, item=item, now=noon(start)).entry
    major_catalog(c)
    officer, _cert = certified(c.admin, c.field_unit)
    partner, _cert2 = certified(c.admin, c.field_unit)
    from sunlight.org.choices import Role
    from sunlight.org.tests.factories import staff

    chief = staff(Role.AGENCY_HEAD, unit=c.field_unit, username="chief_desk")
    return Desk(c=c, item=item, benchmark=benchmark, officer=officer, partner=partner, head=c.editor, chief=chief)


def av_record(desk: Desk, at: datetime, *, title: str = "查封现场执法记录仪视频") -> Any:
    """A registered AV record of the desk's officer covering `at` (no file needed for the REC-5 link)."""
    from sunlight.evidence.services import av_record_register

    return av_record_register(
        acting_user=desk.officer,
        title=title,
        scene="coercion",
        device_number="DSJ-001",
        recorded_from=at - timedelta(minutes=30),
        recorded_to=at + timedelta(minutes=5),
        place="临泉县城关镇人民路88号",
    )


def ago(days: float = 0, hours: float = 0) -> datetime:
    """A moment before now."""
    return timezone.now() - timedelta(days=days, hours=hours)
