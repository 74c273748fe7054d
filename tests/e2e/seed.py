"""Data the browser tests seed into the demo database through the services (shared by several flows)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from sunlight.cases.checks import StepInput
from sunlight.cases.demo import moments_before
from sunlight.cases.models import Case
from sunlight.cases.services import case_create, case_step_record
from sunlight.catalog.models import EnforcementItem
from sunlight.org.models import User

PLACE = "临泉县城关街道人民路88号"


def recent_moments(n: int) -> list[datetime]:
    """`n` moments in the hour before now, two minutes or more before it, in order (the hour may begin the day
    before: the demo's items are in force from the day before the demo was loaded)."""
    return moments_before(now=timezone.now(), count=n, span=timedelta(hours=1), margin=timedelta(minutes=2))


def case_at_statement() -> Case:
    """A demo penalty case through initiation, investigation, notice and a statement waiving the hearing."""
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="unithead")
    item = EnforcementItem.objects.get(agency=officer.agency, code="SC-CF-001")
    at = recent_moments(5)
    case = case_create(
        acting_user=officer,
        workflow="penalty",
        unit=officer.unit,
        item=item,
        title="无证经营大型餐饮",
        party_kind="organisation",
        party_name="临泉县大食堂餐饮管理有限公司",
        source="inspection",
        officers=[head],
        now=at[0],
    )

    def field_step(moment: datetime, **over) -> StepInput:
        values = {
            "occurred_at": moment,
            "place": PLACE,
            "officers": [officer, head],
            "certificates_shown": True,
            "party_present": True,
            "party_signed": True,
        }
        values.update(over)
        return StepInput(**values)

    case_step_record(
        acting_user=head, case=case, step="initiation", given=StepInput(occurred_at=at[1], data={"facts": "无证经营"})
    )
    case_step_record(acting_user=officer, case=case, step="investigation", given=field_step(at[2]))
    case_step_record(
        acting_user=officer,
        case=case,
        step="notice",
        given=field_step(
            at[3],
            rights_notified=["statement", "defence", "hearing"],
            rights_how="书面告知",
            data={"proposed": "罚款拾万元"},
        ),
    )
    case_step_record(
        acting_user=officer,
        case=case,
        step="statement",
        given=field_step(at[4], data={"statement": "放弃陈述申辩和听证", "waived_hearing": True}),
    )
    return case
