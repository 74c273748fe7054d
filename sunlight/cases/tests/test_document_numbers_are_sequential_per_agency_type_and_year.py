"""REC-15: document numbers run 1, 2, 3... per agency, document type and year, restart in a new year, and follow the
agency's numbering pattern when it has one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sunlight.cases.models import NumberPattern
from sunlight.cases.services import document_number_next
from sunlight.org.tests.factories import AgencyFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int = 6, day: int = 1, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def test_numbers_run_per_agency_type_and_year(county) -> None:
    agency = county.unit_a.agency
    other = county.other_unit.agency
    assert [document_number_next(agency=agency, doc_type="penalty_decision", on=at(2026)) for _ in range(3)] == [
        "临泉县市场监督管理局罚〔2026〕1号",
        "临泉县市场监督管理局罚〔2026〕2号",
        "临泉县市场监督管理局罚〔2026〕3号",
    ]
    assert (
        document_number_next(agency=agency, doc_type="penalty_notice", on=at(2026))
        == "临泉县市场监督管理局告〔2026〕1号"
    )
    assert (
        document_number_next(agency=other, doc_type="penalty_decision", on=at(2026))
        == "太和县市场监督管理局罚〔2026〕1号"
    )
    # the year is the local (Asia/Shanghai) year: 31 December 23:30 is still 2026, 1 January 00:30 is 2027
    assert document_number_next(agency=agency, doc_type="penalty_decision", on=at(2026, 12, 31, 23)).endswith(
        "〔2026〕4号"
    )
    assert document_number_next(agency=agency, doc_type="penalty_decision", on=at(2027, 1, 1, 0)) == (
        "临泉县市场监督管理局罚〔2027〕1号"
    )
    assert document_number_next(agency=agency, doc_type="penalty_decision", on=at(2027)).endswith("〔2027〕2号")
    assert document_number_next(agency=agency, doc_type="penalty_decision", on=at(2026)).endswith("〔2026〕5号")


def test_numbers_follow_the_agency_pattern(county) -> None:
    agency = AgencyFactory(name="临泉县市场监督管理局（试点）", short_name="临市监", region=county.county)
    NumberPattern.objects.create(agency=agency, doc_type="penalty_decision", pattern="临市监罚〔{year}〕{n}号")
    NumberPattern.objects.create(agency=agency, doc_type="hearing_notice", pattern="{abbr}听通字〔{year}〕第{n}号")
    assert document_number_next(agency=agency, doc_type="penalty_decision", on=at(2026)) == "临市监罚〔2026〕1号"
    assert document_number_next(agency=agency, doc_type="penalty_decision", on=at(2026)) == "临市监罚〔2026〕2号"
    assert document_number_next(agency=agency, doc_type="hearing_notice", on=at(2026)) == "临市监听通字〔2026〕第1号"
    # without a pattern: the short name, the type's mark, the year and the running number
    assert document_number_next(agency=agency, doc_type="seizure_decision", on=at(2026)) == "临市监强〔2026〕1号"
