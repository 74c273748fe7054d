"""Helpers and fixtures for the catalog tests: laws with articles, an agency with its legal department, entries
drafted and published through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sunlight.catalog import services
from sunlight.catalog.choices import BandBasis, CatalogKind, Circumstance, Criterion, LawKind, Measure, PartyKind
from sunlight.catalog.choices import PenaltyKind as P
from sunlight.catalog.models import Article, Law
from sunlight.catalog.rules import LevelSpec, PenaltySpec
from sunlight.core.deadlines import rules_sync
from sunlight.org.choices import ActionType, EnforcementField, Role
from sunlight.org.models import Agency, Unit, User
from sunlight.org.tests.factories import UnitFactory, staff

FOOD = "中华人民共和国食品安全法"
PRICE = "中华人民共和国价格法"
FOOD_122 = "违反本法规定，未取得食品生产经营许可从事食品生产经营活动……货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。"
WAN = 1_000_000  # 1万元 in fen


def today() -> date:
    return timezone.localdate()


def noon(day: date) -> datetime:
    """12:00 Asia/Shanghai of a day, aware."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@dataclass
class Catalog:
    """An agency with a field unit, a second field unit, a legal department, and the people who work on its catalog."""

    agency: Agency
    field_unit: Unit
    other_unit: Unit
    legal: Unit
    editor: User  # unit head of the field unit
    reviewer: User  # legal reviewer in the legal department
    officer: User
    outsider: User  # legal reviewer of another agency
    admin: User
    food: Law
    price: Law

    def article(self, law: Law, number: int) -> Article:
        return law.articles.get(number=number)


def make_law(
    admin: User, title: str, articles: dict[int, str], *, effective: date = date(2015, 10, 1), short: str = ""
) -> Law:
    return services.law_create(
        acting_user=admin,
        title=title,
        short_title=short,
        kind=LawKind.LAW,
        effective_from=effective,
        issuer="全国人民代表大会常务委员会",
        articles=sorted(articles.items()),
    )


@pytest.fixture
def catalog(county) -> Catalog:
    rules_sync()
    agency = county.unit_a.agency
    other_unit = UnitFactory(agency=agency, name="城关市场监管所")
    outsider = staff(
        Role.LEGAL_REVIEWER, unit=UnitFactory(agency=county.other_unit.agency, name="法制股"), username="rev_other"
    )
    food = make_law(
        county.admin,
        FOOD,
        {
            35: "国家对食品生产经营实行许可制度。",
            110: "县级以上人民政府食品安全监督管理部门……有权采取下列措施……",
            122: FOOD_122,
        },
        short="食品安全法",
    )
    price = make_law(
        county.admin,
        PRICE,
        {
            13: "经营者销售、收购商品和提供服务，应当按照政府价格主管部门的规定明码标价……",
            42: "经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五千元以下的罚款。",
        },
        effective=date(1998, 5, 1),
        short="价格法",
    )
    return Catalog(
        agency=agency,
        field_unit=county.unit_a,
        other_unit=other_unit,
        legal=county.unit_b,
        editor=county.unit_head,
        reviewer=staff(Role.LEGAL_REVIEWER, unit=county.unit_b, username="reviewer_a"),
        officer=county.officer,
        outsider=outsider,
        admin=county.admin,
        food=food,
        price=price,
    )


def item_content(c: Catalog, **over: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "name": "对未取得食品经营许可从事食品经营活动的行政处罚",
        "articles": [c.article(c.food, 122)],
        "basis_text": "",
        "handling_unit": c.field_unit,
        "approving_unit": None,
        "holding_units": [c.field_unit],
        "posts": ["执法岗"],
        "time_limit_amount": 90,
        "time_limit_unit": "CD",
        "time_limit_note": "自立案之日起90日内",
    }
    content.update(over)
    return content


def publish(c: Catalog, version: Any, *, now: datetime | None = None) -> Any:
    services.version_submit(acting_user=c.editor if _editable(c, version) else c.reviewer, version=version, now=now)
    return services.version_publish(confidentiality_checked=True, acting_user=c.reviewer, version=version, now=now)


def _editable(c: Catalog, version: Any) -> bool:
    from sunlight.catalog.permissions import can_edit
    from sunlight.catalog.versioning import kind_of

    return can_edit(c.editor, kind_of(version), c.agency)


def new_item(
    c: Catalog,
    code: str = "SC-CF-001",
    *,
    effective: date | None = None,
    published: bool = True,
    now: datetime | None = None,
    **content: Any,
) -> Any:
    version = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.ITEM,
        agency=c.agency,
        code=code,
        identity={"action_type": ActionType.PENALTY, "field": EnforcementField.MARKET},
        content=item_content(c, **content),
        meta={"effective_from": effective or today()},
    )
    return publish(c, version, now=now) if published else version


def food_levels() -> list[LevelSpec]:
    """食品安全法第一百二十二条: below 1万元 goods value 5万-10万元; from 1万元 10-20 times, split by circumstance."""

    def fixed(low: int, high: int) -> PenaltySpec:
        return PenaltySpec(
            kind=P.FINE,
            measure=Measure.FIXED,
            min_fen=low * 100,
            max_fen=high * 100,
            band_basis=BandBasis.GOODS_VALUE,
            band_below_fen=WAN,
        )

    def times(low: str, high: str) -> PenaltySpec:
        return PenaltySpec(
            kind=P.FINE,
            measure=Measure.GOODS_VALUE,
            min_multiple=Decimal(low),
            max_multiple=Decimal(high),
            band_basis=BandBasis.GOODS_VALUE,
            band_from_fen=WAN,
        )

    gains = PenaltySpec(kind=P.CONFISCATE_GAINS)
    return [
        LevelSpec(Circumstance.NO_PENALTY, "初次违法且危害后果轻微并及时改正"),
        LevelSpec(Circumstance.MITIGATED, "有法定减轻情形", (gains, fixed(20_000, 50_000), times("5", "10"))),
        LevelSpec(Circumstance.LIGHTER, "从轻情形", (gains, fixed(50_000, 65_000), times("10", "13"))),
        LevelSpec(Circumstance.ORDINARY, "一般情形", (gains, fixed(65_000, 85_000), times("13", "17"))),
        LevelSpec(Circumstance.HEAVIER, "从重情形", (gains, fixed(85_000, 100_000), times("17", "20"))),
    ]


def new_benchmark(
    c: Catalog,
    code: str = "BM-122",
    *,
    levels: list[LevelSpec] | None = None,
    item: Any = None,
    now: datetime | None = None,
) -> Any:
    version = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.BENCHMARK,
        agency=c.agency,
        code=code,
        identity={"item": item},
        content={
            "violation": "未取得食品经营许可从事食品经营活动",
            "articles": [c.article(c.food, 122)],
            "basis_text": "",
            "levels": levels if levels is not None else food_levels(),
        },
        meta={"effective_from": timezone.localdate(now) if now else today()},
    )
    return publish(c, version, now=now)


def new_major_rule(
    c: Catalog,
    code: str,
    criterion: str,
    title: str,
    *,
    amount_yuan: int | None = None,
    party: str = PartyKind.ANY,
    action_types: tuple[str, ...] = (),
    effective: date | None = None,
) -> Any:
    version = services.entry_create(
        acting_user=c.reviewer,
        kind=CatalogKind.MAJOR_RULE,
        agency=c.agency,
        code=code,
        content={
            "title": title,
            "criterion": criterion,
            "action_types": list(action_types),
            "amount_fen": amount_yuan * 100 if amount_yuan is not None else None,
            "party": party,
            "basis_text": "《行政处罚法》第五十八条",
        },
        meta={"effective_from": effective or today()},
    )
    return publish(c, version)


def major_catalog(c: Catalog) -> None:
    """The demo's thresholds: fines of 10万元 for organisations, 1万元 for individuals, and the flag rules."""
    new_major_rule(
        c,
        "MR-01",
        Criterion.FINE_AT_LEAST,
        "对法人或者其他组织处以10万元以上罚款",
        amount_yuan=100_000,
        party=PartyKind.ORGANISATION,
        action_types=(ActionType.PENALTY,),
    )
    new_major_rule(
        c,
        "MR-02",
        Criterion.FINE_AT_LEAST,
        "对公民处以1万元以上罚款",
        amount_yuan=10_000,
        party=PartyKind.INDIVIDUAL,
        action_types=(ActionType.PENALTY,),
    )
    new_major_rule(
        c, "MR-03", Criterion.CONFISCATION_AT_LEAST, "没收违法所得、非法财物价值10万元以上", amount_yuan=100_000
    )
    new_major_rule(c, "MR-04", Criterion.LICENCE_REVOCATION, "吊销许可证件")
    new_major_rule(c, "MR-05", Criterion.SUSPENSION, "责令停产停业、责令关闭")
    new_major_rule(c, "MR-06", Criterion.HEARING_HELD, "经过听证程序作出的行政执法决定")
    new_major_rule(c, "MR-07", Criterion.COMPLEX, "案件情况疑难复杂、涉及多个法律关系的")
    new_major_rule(c, "MR-08", Criterion.PUBLIC_INTEREST, "涉及重大公共利益的")
    new_major_rule(c, "MR-09", Criterion.SOCIAL_RISK, "可能造成重大社会影响或者引发社会风险的")
    new_major_rule(c, "MR-10", Criterion.THIRD_PARTY_RIGHTS, "直接关系当事人或者第三人重大权益的")
    new_major_rule(c, "MR-11", Criterion.SUSPECTED_CRIME, "涉嫌犯罪、需要移送司法机关的")
    new_major_rule(c, "MR-12", Criterion.ACTION_TYPE, "作出行政征收征用决定", action_types=(ActionType.EXPROPRIATION,))


def days(n: int) -> timedelta:
    return timedelta(days=n)
