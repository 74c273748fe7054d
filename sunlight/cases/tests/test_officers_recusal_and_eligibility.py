"""REC-2 and DIS-4: two officers who may act; a declared conflict keeps an officer out until the head decides."""

from __future__ import annotations

import pytest

from sunlight.cases.services import case_conflict_declare, case_officers_assign, case_recusal_decide
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff


def test_one_officer_alone_cannot_investigate(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(5), by=desk.head, data={"facts": "x"})
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "investigation", ago(4), given=desk.field(ago(4), officers=[desk.officer]))
    assert any("不足两名" in e.message for e in refused.value.errors)


def test_an_uncertified_colleague_cannot_make_up_the_pair(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(5), by=desk.head, data={"facts": "x"})
    plain = staff(Role.OFFICER, unit=desk.c.field_unit, username="no_cert")
    with pytest.raises(ServiceError):
        desk.record(case, "investigation", ago(4), given=desk.field(ago(4), officers=[desk.officer, plain]))


def test_conflicted_officer_is_kept_out_until_the_head_decides(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(5), by=desk.head, data={"facts": "x"})
    declaration = case_conflict_declare(
        acting_user=desk.partner, case=case, officer=desk.partner, reason="当事人系本人亲属"
    )
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "investigation", ago(4), given=desk.field(ago(4)))
    assert "recused" in [e.code for e in refused.value.errors]
    with pytest.raises(ServiceError):
        case_officers_assign(acting_user=desk.officer, case=case, officers=[desk.partner])
    with pytest.raises(Forbidden):  # an officer cannot decide recusal
        case_recusal_decide(acting_user=desk.officer, declaration=declaration, outcome="recused", reasons="亲属")
    case_recusal_decide(
        acting_user=desk.head, declaration=declaration, outcome="not_recused", reasons="系远亲，不影响公正"
    )
    desk.record(case, "investigation", ago(4), given=desk.field(ago(4)))


def test_a_head_concerned_is_decided_collectively(desk: Desk) -> None:
    case = desk.start()
    declaration = case_conflict_declare(
        acting_user=desk.officer, case=case, officer=desk.head, reason="当事人申请负责人回避", by_party=True
    )
    with pytest.raises(ServiceError) as refused:
        case_recusal_decide(acting_user=desk.chief, declaration=declaration, outcome="recused", reasons="有利害关系")
    assert refused.value.errors[0].field == "collective"
    case_recusal_decide(
        acting_user=desk.chief, declaration=declaration, outcome="recused", reasons="有利害关系", collective=True
    )
