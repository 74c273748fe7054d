"""Demo catalogs for the demo county (issue 4): laws with article texts, enforcement items with service guides,
discretion benchmarks, major-decision rules, random-inspection and AV item lists.

【演示数据】Article texts are excerpts of the texts in force as the author knows them; verify them against the national
database of laws and regulations (国家法律法规数据库) before relying on them. Thresholds of the major-decision rules and
the ranges of the benchmarks are plausible examples, not any agency's adopted catalog.

Everything goes through the services (draft, submit, publish), so the demo leaves the same ledger trail as real use.
Loading twice changes nothing: laws are looked up by title and entries by (agency, code) first.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sunlight.core.choices import Unit as PeriodUnit
from sunlight.org.choices import ActionType, EnforcementField
from sunlight.org.models import Agency, Unit, User

from . import services
from .choices import AvRequirement, BandBasis, CatalogKind, Circumstance, Criterion, LawKind, Measure, PartyKind
from .choices import PenaltyKind as P
from .models import Article, Law
from .rules import LevelSpec, PenaltySpec
from .versioning import spec_for

WAN = 1_000_000  # 1万元 in fen
YUAN = 100

# (title, short title, kind, issuer, document number, promulgated, effective, {article: text})
LAWS: list[tuple[str, str, str, str, str, date | None, date, dict[int, str]]] = [
    (
        "中华人民共和国行政处罚法",
        "行政处罚法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第七十号",
        date(2021, 1, 22),
        date(2021, 7, 15),
        {
            32: "当事人有下列情形之一，应当从轻或者减轻行政处罚：（一）主动消除或者减轻违法行为危害后果的；（二）受他人胁迫或者诱骗实施违法行为的；（三）主动供述行政机关尚未掌握的违法行为的；（四）配合行政机关查处违法行为有立功表现的；（五）法律、法规、规章规定其他应当从轻或者减轻行政处罚的。",
            33: "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。\n当事人有证据足以证明没有主观过错的，不予行政处罚。法律、行政法规另有规定的，从其规定。\n对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育。",
            51: "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的行政处罚的，可以当场作出行政处罚决定。法律另有规定的，从其规定。",
            58: "有下列情形之一，在行政机关负责人作出行政处罚的决定之前，应当由从事行政处罚决定法制审核的人员进行法制审核；未经法制审核或者审核未通过的，不得作出决定：（一）涉及重大公共利益的；（二）直接关系当事人或者第三人重大权益，经过听证程序的；（三）案件情况疑难复杂、涉及多个法律关系的；（四）法律、法规规定应当进行法制审核的其他情形。\n行政机关中初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格。",
            63: "行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利，当事人要求听证的，行政机关应当组织听证：（一）较大数额罚款；（二）没收较大数额违法所得、没收较大价值非法财物；（三）降低资质等级、吊销许可证件；（四）责令停产停业、责令关闭、限制从业；（五）其他较重的行政处罚；（六）法律、法规、规章规定的其他情形。\n当事人不承担行政机关组织听证的费用。",
        },
    ),
    (
        "中华人民共和国行政强制法",
        "行政强制法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第四十九号",
        date(2011, 6, 30),
        date(2012, 1, 1),
        {22: "查封、扣押应当由法律、法规规定的行政机关实施，其他任何行政机关或者组织不得实施。"},
    ),
    (
        "中华人民共和国食品安全法",
        "食品安全法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第二十一号（2021年4月29日第二次修正）",
        date(2015, 4, 24),
        date(2015, 10, 1),
        {
            35: "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。仅销售预包装食品的，应当报所在地县级以上地方人民政府食品安全监督管理部门备案。\n县级以上地方人民政府食品安全监督管理部门应当依照《中华人民共和国行政许可法》的规定，审核申请人提交的本法第三十九条第一款第一项至第四项规定要求的相关资料，必要时对申请人的生产经营场所进行现场核查；对符合规定条件的，准予许可；对不符合规定条件的，不予许可并书面说明理由。",
            110: "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施，对生产经营者遵守本法的情况进行监督检查：（一）进入生产经营场所实施现场检查；（二）对生产经营的食品、食品添加剂、食品相关产品进行抽样检验；（三）查阅、复制有关合同、票据、账簿以及其他有关资料；（四）查封、扣押有证据证明不符合食品安全标准或者有证据证明存在安全隐患以及用于违法生产经营的食品、食品添加剂、食品相关产品；（五）查封违法从事生产经营活动的场所。",
            122: "违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可从事食品添加剂生产活动的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品、食品添加剂以及用于违法生产经营的工具、设备、原料等物品；违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。\n明知从事前款规定的违法行为，仍为其提供生产经营场所或者其他条件的，由县级以上人民政府食品安全监督管理部门责令停止违法行为，没收违法所得，并处五万元以上十万元以下罚款；使消费者的合法权益受到损害的，应当与食品、食品添加剂生产经营者承担连带责任。",
        },
    ),
    (
        "中华人民共和国产品质量法",
        "产品质量法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第七十一号（2018年12月29日第三次修正）",
        date(1993, 2, 22),
        date(1993, 9, 1),
        {
            15: "国家对产品质量实行以抽查为主要方式的监督检查制度，对可能危及人体健康和人身、财产安全的产品，影响国计民生的重要工业产品以及消费者、有关组织反映有质量问题的产品进行抽查。抽查的样品应当在市场上或者企业成品仓库内的待销产品中随机抽取。监督抽查工作由国务院市场监督管理部门规划和组织。县级以上地方市场监督管理部门在本行政区域内也可以组织监督抽查。……（节选）",
            49: "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的，责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品（包括已售出和未售出的产品，下同）货值金额等值以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照；构成犯罪的，依法追究刑事责任。",
            50: "在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品的，责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额百分之五十以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照；构成犯罪的，依法追究刑事责任。",
        },
    ),
    (
        "中华人民共和国价格法",
        "价格法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第九十二号",
        date(1997, 12, 29),
        date(1998, 5, 1),
        {
            13: "经营者销售、收购商品和提供服务，应当按照政府价格主管部门的规定明码标价，注明商品的品名、产地、规格、等级、计价单位、价格或者服务的项目、收费标准等有关情况。\n经营者不得在标价之外加价出售商品，不得收取任何未予标明的费用。",
            42: "经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五千元以下的罚款。",
        },
    ),
    (
        "市场主体登记管理条例",
        "",
        LawKind.ADMIN_REGULATION,
        "国务院",
        "国务院令第746号",
        date(2021, 7, 27),
        date(2022, 3, 1),
        {
            43: "未经设立登记从事经营活动的，由登记机关责令改正，没收违法所得；拒不改正的，处1万元以上10万元以下的罚款；情节严重的，依法责令关闭停业，并处10万元以上50万元以下的罚款。"
        },
    ),
    (
        "中华人民共和国城乡规划法",
        "城乡规划法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第七十四号（2019年4月23日第二次修正）",
        date(2007, 10, 28),
        date(2008, 1, 1),
        {
            53: "县级以上人民政府城乡规划主管部门对城乡规划的实施情况进行监督检查，有权采取以下措施：（一）要求有关单位和人员提供与监督事项有关的文件、资料，并进行复制；（二）要求有关单位和人员就监督事项涉及的问题作出解释和说明，并根据需要进入现场进行勘测；（三）责令有关单位和人员停止违反有关城乡规划的法律、法规的行为。……（节选）",
            64: "未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设；尚可采取改正措施消除对规划实施的影响的，限期改正，处建设工程造价百分之五以上百分之十以下的罚款；无法采取改正措施消除影响的，限期拆除，不能拆除的，没收实物或者违法收入，可以并处建设工程造价百分之十以下的罚款。",
            65: "在乡、村庄规划区内未依法取得乡村建设规划许可证或者未按照乡村建设规划许可证的规定进行建设的，由乡、镇人民政府责令停止建设、限期改正；逾期不改正的，可以拆除。",
        },
    ),
    (
        "中华人民共和国大气污染防治法",
        "大气污染防治法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第三十一号（2018年10月26日第二次修正）",
        date(2015, 8, 29),
        date(2016, 1, 1),
        {
            99: "违反本法规定，有下列行为之一的，由县级以上人民政府生态环境主管部门责令改正或者限制生产、停产整治，并处十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭：（一）未依法取得排污许可证排放大气污染物的；（二）超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的；（三）通过逃避监管的方式排放大气污染物的。"
        },
    ),
    (
        "中华人民共和国环境保护法",
        "环境保护法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第九号",
        date(2014, 4, 24),
        date(2015, 1, 1),
        {
            25: "企业事业单位和其他生产经营者违反法律法规规定排放污染物，造成或者可能造成严重污染的，县级以上人民政府环境保护主管部门和其他负有环境保护监督管理职责的部门，可以查封、扣押造成污染物排放的设施、设备。"
        },
    ),
    (
        "中华人民共和国公路法",
        "公路法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第八十一号（2017年11月4日第五次修正）",
        date(1997, 7, 3),
        date(1998, 1, 1),
        {
            46: "任何单位和个人不得在公路上及公路用地范围内摆摊设点、堆放物品、倾倒垃圾、设置障碍、挖沟引水、利用公路边沟排放污物或者进行其他损坏、污染公路和影响公路畅通的活动。",
            77: "违反本法第四十六条的规定，造成公路路面损坏、污染或者影响公路畅通的，或者违反本法第五十一条规定，将公路作为试车场地的，由交通主管部门责令停止违法行为，可以处五千元以下的罚款。",
        },
    ),
    (
        "中华人民共和国土地管理法",
        "土地管理法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第三十二号（2019年8月26日第三次修正）",
        date(1986, 6, 25),
        date(1987, 1, 1),
        {
            77: "未经批准或者采取欺骗手段骗取批准，非法占用土地的，由县级以上人民政府自然资源主管部门责令退还非法占用的土地，对违反土地利用总体规划擅自将农用地改为建设用地的，限期拆除在非法占用的土地上新建的建筑物和其他设施，恢复土地原状，对符合土地利用总体规划的，没收在非法占用的土地上新建的建筑物和其他设施，可以并处罚款；对非法占用土地单位的直接负责的主管人员和其他直接责任人员，依法给予处分；构成犯罪的，依法追究刑事责任。……（节选）"
        },
    ),
    (
        "中华人民共和国安全生产法",
        "安全生产法",
        LawKind.LAW,
        "全国人民代表大会常务委员会",
        "中华人民共和国主席令第八十八号（2021年6月10日第三次修正）",
        date(2002, 6, 29),
        date(2002, 11, 1),
        {
            65: "应急管理部门和其他负有安全生产监督管理职责的部门依法开展安全生产行政执法工作，对生产经营单位执行有关安全生产的法律、法规和国家标准或者行业标准的情况进行监督检查，行使以下职权：（一）进入生产经营单位进行检查，调阅有关资料，向有关单位和人员了解情况；（二）对检查中发现的安全生产违法行为，当场予以纠正或者要求限期改正；……（节选）"
        },
    ),
]


def _band(band: tuple[int | None, int | None] | None) -> dict[str, Any]:
    """The PenaltySpec fields limiting a fine to cases whose goods value is in `band` (yuan; None: no limit)."""
    if band is None:
        return {}
    return {
        "band_basis": BandBasis.GOODS_VALUE,
        "band_from_fen": band[0] * YUAN if band[0] is not None else None,
        "band_below_fen": band[1] * YUAN if band[1] is not None else None,
    }


def _fine(low: int, high: int, *, band: tuple[int | None, int | None] | None = None) -> PenaltySpec:
    """A fixed-amount fine from `low` to `high` yuan (for cases whose goods value is in `band`, yuan)."""
    return PenaltySpec(kind=P.FINE, measure=Measure.FIXED, min_fen=low * YUAN, max_fen=high * YUAN, **_band(band))


def _times(measure: str, low: str, high: str, *, band: tuple[int | None, int | None] | None = None) -> PenaltySpec:
    """A fine of `low`-`high` times the case's goods value (or gains, or construction cost)."""
    return PenaltySpec(
        kind=P.FINE, measure=measure, min_multiple=Decimal(low), max_multiple=Decimal(high), **_band(band)
    )


CONFISCATE = (PenaltySpec(kind=P.CONFISCATE_GAINS), PenaltySpec(kind=P.CONFISCATE_PROPERTY))
NO_PENALTY = LevelSpec(
    Circumstance.NO_PENALTY,
    "违法行为轻微并及时改正，没有造成危害后果的；初次违法且危害后果轻微并及时改正的；当事人有证据足以证明没有主观过错的（《行政处罚法》第三十三条）。",
)
MITIGATED = "有《行政处罚法》第三十二条规定的应当从轻或者减轻处罚情形之一，且违法情节较轻、社会危害较小的。"
LIGHTER = "有《行政处罚法》第三十二条规定情形之一的；或者违法经营时间不足3个月、主动改正的。"
ORDINARY = "不具有从轻、减轻或者从重处罚情形的。"
HEAVIER = (
    "经责令改正拒不改正的；一年内因同一违法行为受过行政处罚的；造成人身伤害或者其他严重后果的；阻碍、抗拒执法检查的。"
)
BELOW_1W = (None, 10_000)
FROM_1W = (10_000, None)


@dataclass(frozen=True)
class DemoItem:
    code: str
    name: str
    action_type: str
    field: str
    citations: tuple[tuple[str, int], ...]
    handling: int
    holding: tuple[int, ...] = ()
    approving: int | None = None
    time_limit: tuple[int, str, str] | None = None
    basis_text: str = ""
    guide: dict[str, str] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class DemoBenchmark:
    code: str
    violation: str
    item: str
    citations: tuple[tuple[str, int], ...]
    levels: tuple[LevelSpec, ...]


@dataclass(frozen=True)
class DemoInspection:
    code: str
    name: str
    citations: tuple[tuple[str, int], ...]
    target: str
    content: str
    ratio: str
    method: str
    frequency: str
    basis_text: str = ""


FOOD = "中华人民共和国食品安全法"
QUALITY = "中华人民共和国产品质量法"
PRICE = "中华人民共和国价格法"
PENALTY_LAW = "中华人民共和国行政处罚法"

REMEDIES = (
    "对行政执法决定不服的，可以自知道该行政行为之日起60日内向临泉县人民政府申请行政复议，"
    "或者自知道该行政行为之日起6个月内向有管辖权的人民法院提起行政诉讼。"
)
PENALTY_LIMIT = (90, PeriodUnit.CALENDAR_DAYS, "自立案之日起90日内作出处理决定；因案情复杂等原因依法延长的除外")

# Units are indexes into the agency's units in creation order (org.demo AGENCIES).
ITEMS: dict[str, list[DemoItem]] = {
    "scjg": [
        DemoItem(
            "SC-XK-001",
            "食品经营许可",
            ActionType.LICENCE,
            EnforcementField.MARKET,
            ((FOOD, 35),),
            handling=3,
            holding=(3, 2),
            approving=3,
            time_limit=(20, PeriodUnit.WORKING_DAYS, "法定20个工作日，承诺10个工作日内办结"),
            guide={
                "guide_conditions": "具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；有相应的设备设施；有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；法律、法规规定的其他条件。",
                "guide_materials": "1. 食品经营许可申请书；2. 营业执照或者其他主体资格证明文件复印件；3. 与食品经营相适应的主要设备设施布局、操作流程等文件；4. 食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度。",
                "guide_fee": "不收费",
                "guide_address": "临泉县政务服务中心一楼市场监管窗口",
                "guide_phone": "0558-6521111",
            },
        ),
        DemoItem(
            "SC-CF-001",
            "对未取得食品经营许可从事食品经营活动的行政处罚",
            ActionType.PENALTY,
            EnforcementField.MARKET,
            ((FOOD, 122), (FOOD, 35)),
            handling=0,
            holding=(0, 2, 3),
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "SC-CF-002",
            "对经营者违反明码标价规定的行政处罚",
            ActionType.PENALTY,
            EnforcementField.MARKET,
            ((PRICE, 13), (PRICE, 42)),
            handling=0,
            holding=(0, 2),
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "SC-CF-003",
            "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚",
            ActionType.PENALTY,
            EnforcementField.MARKET,
            ((QUALITY, 49),),
            handling=0,
            holding=(0,),
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "SC-CF-004",
            "对在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品的行政处罚",
            ActionType.PENALTY,
            EnforcementField.MARKET,
            ((QUALITY, 50),),
            handling=0,
            holding=(0,),
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "SC-CF-005",
            "对未经设立登记从事经营活动的行政处罚",
            ActionType.PENALTY,
            EnforcementField.MARKET,
            (("市场主体登记管理条例", 43),),
            handling=0,
            holding=(0, 2),
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "SC-QZ-001",
            "查封、扣押不符合食品安全标准或者存在安全隐患的食品及违法生产经营场所",
            ActionType.COERCION,
            EnforcementField.MARKET,
            ((FOOD, 110), ("中华人民共和国行政强制法", 22)),
            handling=0,
            holding=(0, 3),
            time_limit=(
                30,
                PeriodUnit.CALENDAR_DAYS,
                "查封、扣押期限不超过30日，情况复杂的经负责人批准可延长不超过30日",
            ),
        ),
        DemoItem(
            "SC-JC-001",
            "对食品生产经营者的监督检查",
            ActionType.INSPECTION,
            EnforcementField.MARKET,
            ((FOOD, 110),),
            handling=3,
            holding=(3, 2, 0),
        ),
    ],
    "cgj": [
        DemoItem(
            "CG-CF-001",
            "对未取得建设工程规划许可证或者未按照许可证规定进行建设的行政处罚",
            ActionType.PENALTY,
            EnforcementField.URBAN,
            (("中华人民共和国城乡规划法", 64),),
            handling=0,
            holding=(0,),
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "CG-JC-001",
            "对城乡规划实施情况的监督检查",
            ActionType.INSPECTION,
            EnforcementField.URBAN,
            (("中华人民共和国城乡规划法", 53),),
            handling=0,
            holding=(0, 2),
        ),
    ],
    "sthj": [
        DemoItem(
            "HB-CF-001",
            "对超过大气污染物排放标准排放大气污染物的行政处罚",
            ActionType.PENALTY,
            EnforcementField.ENVIRONMENT,
            (("中华人民共和国大气污染防治法", 99),),
            handling=0,
            time_limit=PENALTY_LIMIT,
        ),
        DemoItem(
            "HB-QZ-001",
            "查封、扣押造成污染物排放的设施、设备",
            ActionType.COERCION,
            EnforcementField.ENVIRONMENT,
            (("中华人民共和国环境保护法", 25),),
            handling=0,
        ),
    ],
    "jtj": [
        DemoItem(
            "JT-CF-001",
            "对在公路上及公路用地范围内摆摊设点、堆放物品等影响公路畅通的行政处罚",
            ActionType.PENALTY,
            EnforcementField.TRANSPORT,
            (("中华人民共和国公路法", 46), ("中华人民共和国公路法", 77)),
            handling=0,
            time_limit=PENALTY_LIMIT,
        )
    ],
    "zrzy": [
        DemoItem(
            "ZR-CF-001",
            "对非法占用土地的行政处罚",
            ActionType.PENALTY,
            EnforcementField.NATURAL_RESOURCES,
            (("中华人民共和国土地管理法", 77),),
            handling=0,
            time_limit=PENALTY_LIMIT,
        )
    ],
    "yjj": [
        DemoItem(
            "YJ-JC-001",
            "对生产经营单位执行安全生产法律法规和标准情况的监督检查",
            ActionType.INSPECTION,
            EnforcementField.EMERGENCY,
            (("中华人民共和国安全生产法", 65),),
            handling=0,
        )
    ],
    "wjw": [
        DemoItem(
            "WJ-JC-001",
            "对公共场所卫生的监督检查",
            ActionType.INSPECTION,
            EnforcementField.HEALTH,
            (),
            handling=0,
            basis_text="《公共场所卫生管理条例》《公共场所卫生管理条例实施细则》",
        )
    ],
    "mzj": [
        DemoItem(
            "MZ-JC-001",
            "对社会团体遵守法律法规和章程情况的监督检查",
            ActionType.INSPECTION,
            EnforcementField.CIVIL_AFFAIRS,
            (),
            handling=0,
            basis_text="《社会团体登记管理条例》",
        )
    ],
    "nyj": [
        DemoItem(
            "NY-JC-001",
            "对农药经营者经营活动的监督检查",
            ActionType.INSPECTION,
            EnforcementField.AGRICULTURE,
            (),
            handling=0,
            basis_text="《农药管理条例》",
        )
    ],
    "wlj": [
        DemoItem(
            "WL-JC-001",
            "对娱乐场所经营活动的监督检查",
            ActionType.INSPECTION,
            EnforcementField.CULTURE,
            (),
            handling=0,
            basis_text="《娱乐场所管理条例》",
        )
    ],
    "yqz": [
        DemoItem(
            "XZ-CF-001",
            "对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的处理",
            ActionType.PENALTY,
            EnforcementField.COMPREHENSIVE,
            (("中华人民共和国城乡规划法", 65),),
            handling=0,
            time_limit=PENALTY_LIMIT,
        )
    ],
    "tcz": [
        DemoItem(
            "XZ-CF-001",
            "对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的处理",
            ActionType.PENALTY,
            EnforcementField.COMPREHENSIVE,
            (("中华人民共和国城乡规划法", 65),),
            handling=0,
            time_limit=PENALTY_LIMIT,
        )
    ],
}

BENCHMARKS: dict[str, list[DemoBenchmark]] = {
    "scjg": [
        DemoBenchmark(
            "BM-SP-122",
            "未取得食品经营许可从事食品经营活动",
            "SC-CF-001",
            ((FOOD, 122), (PENALTY_LAW, 32), (PENALTY_LAW, 33)),
            (
                NO_PENALTY,
                LevelSpec(
                    Circumstance.MITIGATED,
                    MITIGATED,
                    (
                        *CONFISCATE,
                        _fine(20_000, 50_000, band=BELOW_1W),
                        _times(Measure.GOODS_VALUE, "5", "10", band=FROM_1W),
                    ),
                ),
                LevelSpec(
                    Circumstance.LIGHTER,
                    LIGHTER,
                    (
                        *CONFISCATE,
                        _fine(50_000, 65_000, band=BELOW_1W),
                        _times(Measure.GOODS_VALUE, "10", "13", band=FROM_1W),
                    ),
                ),
                LevelSpec(
                    Circumstance.ORDINARY,
                    ORDINARY,
                    (
                        *CONFISCATE,
                        _fine(65_000, 85_000, band=BELOW_1W),
                        _times(Measure.GOODS_VALUE, "13", "17", band=FROM_1W),
                    ),
                ),
                LevelSpec(
                    Circumstance.HEAVIER,
                    HEAVIER,
                    (
                        *CONFISCATE,
                        _fine(85_000, 100_000, band=BELOW_1W),
                        _times(Measure.GOODS_VALUE, "17", "20", band=FROM_1W),
                    ),
                ),
            ),
        ),
        DemoBenchmark(
            "BM-JG-042",
            "经营者违反明码标价规定",
            "SC-CF-002",
            ((PRICE, 42),),
            (
                NO_PENALTY,
                LevelSpec(Circumstance.LIGHTER, LIGHTER, (PenaltySpec(kind=P.CONFISCATE_GAINS), _fine(0, 1_500))),
                LevelSpec(Circumstance.ORDINARY, ORDINARY, (PenaltySpec(kind=P.CONFISCATE_GAINS), _fine(1_500, 3_500))),
                LevelSpec(Circumstance.HEAVIER, HEAVIER, (PenaltySpec(kind=P.CONFISCATE_GAINS), _fine(3_500, 5_000))),
            ),
        ),
        DemoBenchmark(
            "BM-CP-049",
            "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品",
            "SC-CF-003",
            ((QUALITY, 49),),
            (
                LevelSpec(Circumstance.MITIGATED, MITIGATED, (*CONFISCATE, _times(Measure.GOODS_VALUE, "0.5", "1"))),
                LevelSpec(Circumstance.LIGHTER, LIGHTER, (*CONFISCATE, _times(Measure.GOODS_VALUE, "1", "1.6"))),
                LevelSpec(Circumstance.ORDINARY, ORDINARY, (*CONFISCATE, _times(Measure.GOODS_VALUE, "1.6", "2.4"))),
                LevelSpec(
                    Circumstance.HEAVIER,
                    HEAVIER + "情节严重的，吊销营业执照。",
                    (*CONFISCATE, _times(Measure.GOODS_VALUE, "2.4", "3"), PenaltySpec(kind=P.REVOKE_LICENCE)),
                ),
            ),
        ),
        DemoBenchmark(
            "BM-DJ-043",
            "未经设立登记从事经营活动，经责令改正拒不改正",
            "SC-CF-005",
            (("市场主体登记管理条例", 43),),
            (
                LevelSpec(Circumstance.LIGHTER, LIGHTER, (PenaltySpec(kind=P.CONFISCATE_GAINS), _fine(10_000, 37_000))),
                LevelSpec(
                    Circumstance.ORDINARY, ORDINARY, (PenaltySpec(kind=P.CONFISCATE_GAINS), _fine(37_000, 73_000))
                ),
                LevelSpec(
                    Circumstance.HEAVIER,
                    HEAVIER + "情节严重的，依法责令关闭停业，并处10万元以上50万元以下罚款（另行适用）。",
                    (PenaltySpec(kind=P.CONFISCATE_GAINS), _fine(73_000, 100_000)),
                ),
            ),
        ),
    ],
    "cgj": [
        DemoBenchmark(
            "BM-GH-064",
            "未取得建设工程规划许可证进行建设，尚可采取改正措施消除对规划实施的影响",
            "CG-CF-001",
            (("中华人民共和国城乡规划法", 64),),
            (
                LevelSpec(Circumstance.LIGHTER, LIGHTER, (_times(Measure.CONSTRUCTION_COST, "0.05", "0.065"),)),
                LevelSpec(Circumstance.ORDINARY, ORDINARY, (_times(Measure.CONSTRUCTION_COST, "0.065", "0.085"),)),
                LevelSpec(Circumstance.HEAVIER, HEAVIER, (_times(Measure.CONSTRUCTION_COST, "0.085", "0.1"),)),
            ),
        )
    ],
}

MAJOR_BASIS = "《中华人民共和国行政处罚法》第五十八条；本机关重大执法决定法制审核目录清单（演示数据，金额标准为示例）"

# (code, title, criterion, action types, amount in yuan, party). Amounts per agency: (organisation, individual).
MAJOR_RULES: list[tuple[str, str, str, tuple[str, ...], str | None, str]] = [
    (
        "MR-01",
        "对法人或者其他组织处以{org}以上罚款",
        Criterion.FINE_AT_LEAST,
        (ActionType.PENALTY,),
        "org",
        PartyKind.ORGANISATION,
    ),
    ("MR-02", "对公民处以{ind}以上罚款", Criterion.FINE_AT_LEAST, (ActionType.PENALTY,), "ind", PartyKind.INDIVIDUAL),
    (
        "MR-03",
        "没收违法所得、非法财物价值{org}以上",
        Criterion.CONFISCATION_AT_LEAST,
        (ActionType.PENALTY,),
        "org",
        PartyKind.ANY,
    ),
    ("MR-04", "吊销许可证件", Criterion.LICENCE_REVOCATION, (), None, PartyKind.ANY),
    ("MR-05", "责令停产停业、责令关闭", Criterion.SUSPENSION, (ActionType.PENALTY,), None, PartyKind.ANY),
    ("MR-06", "经过听证程序作出的行政执法决定", Criterion.HEARING_HELD, (), None, PartyKind.ANY),
    ("MR-07", "案件情况疑难复杂、涉及多个法律关系的", Criterion.COMPLEX, (), None, PartyKind.ANY),
    ("MR-08", "涉及重大公共利益的", Criterion.PUBLIC_INTEREST, (), None, PartyKind.ANY),
    ("MR-09", "可能造成重大社会影响或者引发社会风险的", Criterion.SOCIAL_RISK, (), None, PartyKind.ANY),
    ("MR-10", "直接关系当事人或者第三人重大权益的", Criterion.THIRD_PARTY_RIGHTS, (), None, PartyKind.ANY),
    ("MR-11", "涉嫌犯罪、需要移送司法机关的", Criterion.SUSPECTED_CRIME, (), None, PartyKind.ANY),
    ("MR-12", "作出行政征收征用决定", Criterion.ACTION_TYPE, (ActionType.EXPROPRIATION,), None, PartyKind.ANY),
]
# (fine threshold for organisations, for individuals), in yuan.
THRESHOLDS = {"scjg": (100_000, 10_000), "sthj": (200_000, 20_000), "zrzy": (200_000, 20_000)}
DEFAULT_THRESHOLDS = (50_000, 5_000)

INSPECTIONS: dict[str, list[DemoInspection]] = {
    "scjg": [
        DemoInspection(
            "RND-SC-001",
            "食品经营者监督检查",
            ((FOOD, 110),),
            "辖区内取得食品经营许可的食品销售者、餐饮服务提供者",
            "经营许可情况、从业人员健康管理、进货查验记录、食品贮存条件、过期变质食品处置、标签标识",
            "5",
            "现场检查、书面检查",
            "每年不少于1次",
        ),
        DemoInspection(
            "RND-SC-002",
            "产品质量监督抽查",
            ((QUALITY, 15),),
            "辖区内生产、销售列入抽查目录产品的企业",
            "抽取样品检验产品是否符合保障人体健康和人身、财产安全的国家标准、行业标准",
            "3",
            "抽样检验",
            "每年1次",
        ),
        DemoInspection(
            "RND-SC-003",
            "经营者明码标价情况检查",
            ((PRICE, 13),),
            "辖区内商场、超市、农贸市场经营者",
            "是否按规定明码标价，是否在标价之外加价出售商品或收取未标明的费用",
            "5",
            "现场检查",
            "每年不少于1次",
        ),
    ],
    "cgj": [
        DemoInspection(
            "RND-CG-001",
            "建设工程规划许可执行情况检查",
            (("中华人民共和国城乡规划法", 53),),
            "城区在建建设工程的建设单位",
            "是否取得建设工程规划许可证，是否按照许可证的规定进行建设",
            "10",
            "现场检查、查阅资料",
            "每半年1次",
        )
    ],
    "sthj": [
        DemoInspection(
            "RND-HB-001",
            "排污单位大气污染物排放情况检查",
            (("中华人民共和国大气污染防治法", 99),),
            "辖区内持有排污许可证的重点排污单位",
            "排污许可证执行情况、污染防治设施运行情况、自动监测数据",
            "20",
            "现场检查、监测",
            "每年不少于2次",
        )
    ],
    "yjj": [
        DemoInspection(
            "RND-YJ-001",
            "工贸企业安全生产检查",
            (("中华人民共和国安全生产法", 65),),
            "辖区内工贸行业生产经营单位",
            "安全生产责任制、安全培训、隐患排查治理、应急预案",
            "10",
            "现场检查",
            "每年1次",
        )
    ],
}

# (code, action type, step, requirement, scope, basis)
AV_ITEMS: list[tuple[str, str, str, str, str, str]] = [
    (
        "AV-01",
        ActionType.COERCION,
        "onsite_measure",
        AvRequirement.CONTINUOUS,
        "查封、扣押场所、设施、财物等行政强制措施",
        "阳光执法需求REC-5；《行政强制法》第十八条",
    ),
    (
        "AV-02",
        ActionType.PENALTY,
        "investigation",
        AvRequirement.APPROPRIATE,
        "现场检查、询问、调查取证",
        "阳光执法需求REC-5",
    ),
    (
        "AV-03",
        ActionType.PENALTY,
        "evidence_preservation",
        AvRequirement.CONTINUOUS,
        "先行登记保存涉及重大财产的证据",
        "阳光执法需求REC-5",
    ),
    ("AV-04", ActionType.PENALTY, "hearing", AvRequirement.APPROPRIATE, "听证", "阳光执法需求REC-5"),
    ("AV-05", ActionType.PENALTY, "service.lodged", AvRequirement.CONTINUOUS, "留置送达", "阳光执法需求REC-5"),
    (
        "AV-06",
        ActionType.PENALTY,
        "service.public_notice",
        AvRequirement.APPROPRIATE,
        "张贴公告送达（须拍照或录像）",
        "阳光执法需求REC-5",
    ),
    ("AV-07", ActionType.INSPECTION, "onsite_inspection", AvRequirement.APPROPRIATE, "现场检查", "阳光执法需求REC-5"),
    ("AV-08", ActionType.LICENCE, "site_check", AvRequirement.APPROPRIATE, "许可现场核查", "阳光执法需求REC-5"),
]
AV_AGENCIES = ("scjg", "cgj", "sthj")
# The entries are published, and in force, from a day before the demo's moment, so that the demo cases' steps (dated in
# the three hours before it, REC-1) fall within them at any hour, including just after midnight.
CATALOG_LEAD = timedelta(days=1)

# Agencies with the full major-decision catalog; the others get the core rules (kept small so the demo loads fast).
FULL_MAJOR = ("scjg", "cgj")
CORE_MAJOR = ("MR-01", "MR-02", "MR-04", "MR-06")


def _articles(citations: tuple[tuple[str, int], ...]) -> list[Article]:
    return [Article.objects.get(law__title=title, number=number) for title, number in citations]


def _publish(admin: User, version: Any, now: datetime) -> None:
    services.version_submit(acting_user=admin, version=version, now=now)
    services.version_publish(acting_user=admin, version=version, confidentiality_checked=True, note="演示数据", now=now)


def _add(
    admin: User, kind: str, agency: Agency, code: str, content: dict[str, Any], now: datetime, **identity: Any
) -> int:
    if spec_for(kind).entry_model.objects.filter(agency=agency, code=code).exists():
        return 0
    version = services.entry_create(
        acting_user=admin,
        kind=kind,
        agency=agency,
        code=code,
        identity=identity,
        content=content,
        meta={"effective_from": timezone.localdate(now), "change_note": "首次录入（演示数据）"},
    )
    _publish(admin, version, now)
    return 1


def _units(agency: Agency) -> list[Unit]:
    return list(agency.units.order_by("id"))


def _item_content(spec: DemoItem, agency: Agency) -> dict[str, Any]:
    units = _units(agency)
    content: dict[str, Any] = {
        "name": spec.name,
        "articles": _articles(spec.citations),
        "basis_text": spec.basis_text,
        "handling_unit": units[spec.handling],
        "approving_unit": units[spec.approving] if spec.approving is not None else None,
        "holding_units": [units[i] for i in spec.holding] or [units[spec.handling]],
        "posts": ["执法岗", "审核岗"] if spec.action_type != ActionType.LICENCE else ["受理岗", "审核岗", "审批岗"],
        "time_limit_amount": spec.time_limit[0] if spec.time_limit else None,
        "time_limit_unit": spec.time_limit[1] if spec.time_limit else "",
        "time_limit_note": spec.time_limit[2] if spec.time_limit else "",
        "guide_office_hours": agency.office_hours,
        "guide_address": agency.address,
        "guide_phone": agency.phone,
        "guide_supervision": "12345政务服务便民热线；临泉县司法局行政执法监督电话 0558-6511111",
        "guide_remedies": REMEDIES,
    }
    content.update(spec.guide)
    return content


def load_catalog_demo(*, now: datetime | None = None) -> int:
    """Load (or complete) the demo catalogs of the demo county's agencies; returns how many entries were created."""
    from sunlight.org.demo import AGENCIES, credit_code

    moment = now or timezone.now()
    since = moment - CATALOG_LEAD
    admin = User.objects.get(username="admin")
    created = 0
    for title, short, kind, issuer, number, promulgated, effective, articles in LAWS:
        if not Law.objects.filter(title=title).exists():
            services.law_create(
                acting_user=admin,
                title=title,
                short_title=short,
                kind=kind,
                issuer=issuer,
                doc_number=number,
                promulgated_on=promulgated,
                effective_from=effective,
                articles=sorted(articles.items()),
            )
    agencies = {
        spec.slug: Agency.objects.get(credit_code=credit_code(index)) for index, spec in enumerate(AGENCIES, start=1)
    }
    for slug, items in ITEMS.items():
        agency = agencies[slug]
        for item in items:
            created += _add(
                admin,
                CatalogKind.ITEM,
                agency,
                item.code,
                _item_content(item, agency),
                since,
                action_type=item.action_type,
                field=item.field,
            )
    for slug, benchmarks in BENCHMARKS.items():
        agency = agencies[slug]
        for bm in benchmarks:
            created += _add(
                admin,
                CatalogKind.BENCHMARK,
                agency,
                bm.code,
                {
                    "violation": bm.violation,
                    "articles": _articles(bm.citations),
                    "basis_text": "",
                    "levels": list(bm.levels),
                },
                since,
                item=agency_item(agency, bm.item),
            )
    for slug, agency in agencies.items():
        if agency.is_justice_bureau:
            continue
        org, ind = THRESHOLDS.get(slug, DEFAULT_THRESHOLDS)
        for code, title, criterion, types, amount, party in MAJOR_RULES:
            if slug not in FULL_MAJOR and code not in CORE_MAJOR:
                continue
            yuan = {"org": org, "ind": ind}.get(amount or "")
            created += _add(
                admin,
                CatalogKind.MAJOR_RULE,
                agency,
                code,
                {
                    "title": title.format(org=_wan(org), ind=_wan(ind)),
                    "criterion": criterion,
                    "action_types": list(types),
                    "amount_fen": yuan * YUAN if yuan else None,
                    "party": party,
                    "basis_text": MAJOR_BASIS,
                },
                since,
            )
    for slug, inspections in INSPECTIONS.items():
        agency = agencies[slug]
        for insp in inspections:
            created += _add(
                admin,
                CatalogKind.INSPECTION,
                agency,
                insp.code,
                {
                    "name": insp.name,
                    "subject": agency.name,
                    "articles": _articles(insp.citations),
                    "basis_text": insp.basis_text,
                    "target": insp.target,
                    "content": insp.content,
                    "ratio_percent": Decimal(insp.ratio),
                    "method": insp.method,
                    "frequency": insp.frequency,
                },
                since,
            )
    for slug in AV_AGENCIES:
        agency = agencies[slug]
        for code, action_type, step, requirement, scope, basis in AV_ITEMS:
            created += _add(
                admin,
                CatalogKind.AV,
                agency,
                code,
                {
                    "action_type": action_type,
                    "step": step,
                    "requirement": requirement,
                    "scope": scope,
                    "basis_text": basis,
                },
                since,
            )
    created += _scheduled_change(admin, agencies["scjg"], moment)
    return created


def agency_item(agency: Agency, code: str) -> Any:
    """An item of the agency by code (for a benchmark's identity)."""
    return spec_for(CatalogKind.ITEM).entry_model.objects.get(agency=agency, code=code)


def _wan(yuan: int) -> str:
    return f"{yuan // 10_000}万元" if yuan % 10_000 == 0 else f"{yuan}元"


def _scheduled_change(admin: User, agency: Agency, now: datetime) -> int:
    """A second version of one item, published now and effective in about six weeks (PUB-2 scheduled change)."""
    from .versioning import content_of

    item = agency_item(agency, "SC-CF-002")
    if item.versions.count() > 1:
        return 0
    current = item.versions.order_by("-number").first()
    content = content_of(CatalogKind.ITEM, current)
    content["basis_text"] = "《明码标价和禁止价格欺诈规定》（国家市场监督管理总局令第56号）同时适用。"
    version = services.version_draft(
        acting_user=admin,
        kind=CatalogKind.ITEM,
        entry=item,
        content=content,
        meta={
            "effective_from": timezone.localdate(now) + timedelta(days=45),
            "change_note": "补充规章依据（演示数据）",
        },
    )
    _publish(admin, version, now)
    return 1
