"""PUB-10: the annual statistics are computed from real rows built through the services: certified officers, licence
decisions by result, penalties by kind with the total fine, publications made; complaints have no data source yet."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from sunlight.cases.tests.factories import Desk, ago, desk  # noqa: F401  (fixture)
from sunlight.catalog.tests.factories import catalog  # noqa: F401  (fixture)
from sunlight.core.calendar import LOCAL_TZ
from sunlight.publicity.models import Publication
from sunlight.publicity.report import annual_report_generate, compute_statistics
from sunlight.publicity.tests.factories import publish

YEAR = timezone.localdate().year
NEXT_JANUARY = datetime(YEAR + 1, 1, 5, 9, tzinfo=LOCAL_TZ)


def _penalty(desk: Desk, party: str, days: int) -> None:  # noqa: F811
    case = desk.start(party_name=party)
    desk.record(case, "initiation", ago(days), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(days - 1), given=desk.field(ago(days - 1)))
    desk.record(
        case,
        "notice",
        ago(days - 2),
        given=desk.field(ago(days - 2), rights_notified=["statement"], rights_how="书面", data={"proposed": "罚款"}),
    )
    desk.record(
        case,
        "statement",
        ago(days - 3),
        given=desk.field(ago(days - 3), data={"statement": "无", "waived_hearing": True}),
    )
    desk.record(
        case,
        "decision",
        ago(days - 4),
        by=desk.head,
        data={"facts": "无证经营", "basis": "第一百二十二条", "kinds": ["warning", "fine"], "fine_fen": 5_000_000},
    )


def _licence(desk: Desk, party: str, granted: bool) -> None:  # noqa: F811
    case = desk.start("licence", title="食品经营许可申请", party_name=party, source="application")
    desk.record(case, "application", ago(10), data={"materials": "申请书、营业执照"})
    desk.record(case, "acceptance", ago(9))
    desk.record(case, "examination", ago(8), data={"opinion": "已审查"})
    desk.record(case, "decision", ago(7), by=desk.head, data={"granted": granted, "basis": "《食品安全法》第三十五条"})


@pytest.mark.django_db
def test_statistics_count_officers_licences_penalties_and_publications(desk: Desk) -> None:  # noqa: F811
    _penalty(desk, "临泉县好味道餐饮有限公司", 30)
    _licence(desk, "临泉县甲餐饮有限公司", True)
    _licence(desk, "临泉县乙餐饮有限公司", False)
    draft = Publication.objects.filter(agency=desk.c.agency, action_type="penalty").get()
    publish(draft, desk.c.reviewer)

    s = compute_statistics(desk.c.agency, YEAR)

    assert s["officers"] == {"certified_at_year_end": 2, "active": 2}
    assert s["licences"] == {"total": 2, "granted": 1, "refused": 1}
    assert s["penalties"]["total"] == 1
    assert {r["label"]: r["count"] for r in s["penalties"]["by_kind"]} == {"警告": 1, "罚款": 1}
    assert s["penalties"]["fines_fen"] == 5_000_000
    assert s["coercion"]["total"] == 0 and s["inspections"]["total"] == 0
    assert s["reviews"]["total"] == 0
    assert s["complaints"] == {"available": False, "total": None}
    assert s["publications"]["total"] == 1
    assert s["agency"]["name"] == desk.c.agency.name

    # Another year has none of it.
    assert compute_statistics(desk.c.agency, YEAR - 1)["penalties"]["total"] == 0

    # The draft snapshot stores the same figures.
    report = annual_report_generate(agency=desk.c.agency, year=YEAR, now=NEXT_JANUARY)
    assert report.statistics["licences"]["granted"] == 1
    assert report.statistics["penalties"]["fines_fen"] == 5_000_000
