"""REV-5: each automatic pre-check fails on a case built to fail it, and passes on a sound one, with its findings."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sunlight.cases.models import Case, CaseRecord
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.review.prechecks import precheck_case
from sunlight.review.tests.factories import noticed


def test_every_precheck_fails_on_a_case_built_to_fail_it(desk) -> None:
    c = desk.c
    day = timezone.localdate() - timedelta(days=200)  # before the item's version came into force
    at = timezone.now() - timedelta(days=200)
    case = Case.objects.create(
        number="TEST-1",
        workflow="penalty",
        action_type="penalty",
        agency=c.agency,
        unit=c.other_unit,  # does not hold the item
        item=desk.item,
        region_code="341222",  # another county
        title="x",
        source="other",
        party_kind="organisation",
        party_name="某公司",
        lead_officer=desk.officer,
        created_by=desk.officer,
    )
    plain = staff(Role.OFFICER, unit=c.field_unit, username="uncertified")
    CaseRecord.objects.create(case=case, seq=1, step="initiation", occurred_at=at, recorded_by=desk.head)
    CaseRecord.objects.create(
        case=case,
        seq=2,
        step="show_certificate",  # field work with one uncertified officer
        occurred_at=at,
        officers=[{"id": str(plain.public_id), "name": plain.full_name}],
        recorded_by=desk.officer,
    )
    draft = {
        "facts": "x",
        "basis": "y",
        "kinds": ["fine"],
        "fine_fen": 3_000_000,
        "goods_value_fen": 6_000_000,
        "benchmark_check": {"within": False, "problems": ["罚款低于一般情形下限"], "allowed": []},
    }
    found = {check.point: check for check in precheck_case(case=case, draft=draft, on=day)}
    assert set(found) == {"competence", "officers", "evidence", "procedure", "law", "discretion", "documents", "crime"}
    failed = {point for point, check in found.items() if not check.ok}
    assert failed == set(found)
    for check in found.values():
        assert check.findings and all(isinstance(f, str) and f for f in check.findings)
    assert any("不承担" in f for f in found["competence"].findings)
    assert any("341222" in f for f in found["competence"].findings)
    assert any("不足两名" in f for f in found["officers"].findings)
    assert any("调查取证" in f for f in found["evidence"].findings)
    assert any("告知" in f for f in found["procedure"].findings)
    assert any("立案审批表" in f for f in found["documents"].findings)
    assert any("5万" in f or "50000" in f for f in found["crime"].findings)


def test_a_sound_case_passes_the_checks_that_read_its_records(desk) -> None:
    case = noticed(desk, timezone.now())
    draft = {"facts": "无证经营", "basis": "第一百二十二条", "kinds": ["fine"], "fine_fen": 7_000_000}
    found = {check.point: check for check in precheck_case(case=case, draft=draft)}
    for point in ("competence", "officers", "evidence", "procedure", "law", "discretion", "crime"):
        assert found[point].ok, (point, found[point].findings)
    assert found["officers"].evidence  # the records it looked at are shown to the reviewer
