"""The demo county (SYS-7): 临泉县, its townships, thirteen agencies (eleven departments, two townships) with units, 100+ officers and one user per role.

Everything goes through the services, so the demo leaves the same ledger trail as real use. Loading twice changes
nothing: each object is looked up by its natural key (division code, credit code, username) first.
Region codes for the county and above are the national ones; township codes follow GB/T 10114's shape but are
illustrative. Credit codes are generated with a correct check character and are not real registrations.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sunlight.core.audit import audit
from sunlight.core.ids import uscc_check_char

from . import services
from .choices import AgencyKind, Level, Role
from .models import Agency, Region, Unit, User

DEMO_PASSWORD = "Sunlight@2026"  # noqa: S105  (documented demo password, README and docs)

PROVINCE = ("340000", "安徽省")
CITY = ("341200", "阜阳市")
COUNTY = ("341221", "临泉县")
TOWNSHIPS = [
    ("341221001", "城关街道"),
    ("341221002", "邢塘街道"),
    ("341221003", "田桥街道"),
    ("341221004", "城东街道"),
    ("341221005", "城南街道"),
    ("341221101", "杨桥镇"),
    ("341221102", "鲖城镇"),
    ("341221103", "谭棚镇"),
    ("341221104", "老集镇"),
    ("341221105", "滑集镇"),
    ("341221106", "吕寨镇"),
    ("341221107", "单桥镇"),
    ("341221108", "长官镇"),
    ("341221109", "宋集镇"),
    ("341221110", "张新镇"),
    ("341221111", "艾亭镇"),
    ("341221112", "陈集镇"),
    ("341221113", "韦寨镇"),
    ("341221114", "迎仙镇"),
    ("341221115", "瓦店镇"),
    ("341221200", "土陂乡"),
    ("341221201", "范兴集乡"),
]


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    short: str
    units: tuple[str, ...]
    duties: str
    basis: str
    officers: int
    level: str = Level.COUNTY
    region: str = COUNTY[0]
    justice: bool = False


AGENCIES = [
    DemoAgency(
        "sfj",
        "临泉县司法局",
        "县司法局",
        ("行政执法协调监督股", "法治督察股"),
        "负责全县行政执法协调监督工作，推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。",
        "《中华人民共和国行政处罚法》；《安徽省行政执法监督条例》",
        0,
        justice=True,
    ),
    DemoAgency(
        "scjg",
        "临泉县市场监督管理局",
        "县市场监管局",
        ("综合行政执法大队", "法规科", "城关市场监管所", "食品安全监管股"),
        "负责市场综合监督管理，查处无照经营、不正当竞争、食品药品安全等违法行为。",
        "《中华人民共和国行政处罚法》；《市场监督管理行政处罚程序规定》；《中华人民共和国食品安全法》",
        16,
    ),
    DemoAgency(
        "cgj",
        "临泉县城市管理局",
        "县城管局",
        ("城市管理行政执法大队", "法制股", "市容环卫股"),
        "负责城市管理领域相对集中行政处罚权，查处违法建设、占道经营、违规户外广告等行为。",
        "《城市管理执法办法》；《安徽省城市管理领域相对集中行政处罚权办法》",
        14,
    ),
    DemoAgency(
        "sthj",
        "阜阳市临泉县生态环境分局",
        "县生态环境分局",
        ("生态环境保护综合行政执法大队", "法制股"),
        "负责生态环境保护监督执法，查处大气、水、固体废物、噪声污染等环境违法行为。",
        "《中华人民共和国环境保护法》；《生态环境行政处罚办法》",
        10,
    ),
    DemoAgency(
        "mzj",
        "临泉县民政局",
        "县民政局",
        ("社会组织管理股", "法制股"),
        "负责社会组织、殡葬、养老服务等民政领域行政执法。",
        "《社会团体登记管理条例》；《殡葬管理条例》",
        6,
    ),
    DemoAgency(
        "jtj",
        "临泉县交通运输局",
        "县交通运输局",
        ("交通运输综合行政执法大队", "法制股"),
        "负责道路运输、公路路政、水路运输等交通运输领域行政执法。",
        "《中华人民共和国道路运输条例》；《中华人民共和国公路法》",
        12,
    ),
    DemoAgency(
        "zrzy",
        "临泉县自然资源和规划局",
        "县自然资源局",
        ("执法监察大队", "法规股"),
        "负责土地、矿产、规划等自然资源领域行政执法。",
        "《中华人民共和国土地管理法》；《中华人民共和国矿产资源法》",
        10,
    ),
    DemoAgency(
        "wjw",
        "临泉县卫生健康委员会",
        "县卫健委",
        ("卫生监督所", "法制股"),
        "负责公共场所卫生、医疗机构、职业卫生等卫生健康领域行政执法。",
        "《中华人民共和国基本医疗卫生与健康促进法》；《公共场所卫生管理条例》",
        10,
    ),
    DemoAgency(
        "yjj",
        "临泉县应急管理局",
        "县应急局",
        ("安全生产执法监察大队", "法制股"),
        "负责安全生产、危险化学品、烟花爆竹等应急管理领域行政执法。",
        "《中华人民共和国安全生产法》",
        9,
    ),
    DemoAgency(
        "nyj",
        "临泉县农业农村局",
        "县农业农村局",
        ("农业综合行政执法大队", "法制股"),
        "负责种子、农药、兽药、饲料、渔业等农业领域行政执法。",
        "《中华人民共和国农产品质量安全法》；《农药管理条例》",
        9,
    ),
    DemoAgency(
        "wlj",
        "临泉县文化旅游体育局",
        "县文旅体局",
        ("文化市场综合执法大队", "法制股"),
        "负责文化、旅游、出版、广电、体育市场行政执法。",
        "《中华人民共和国旅游法》；《娱乐场所管理条例》",
        8,
    ),
    DemoAgency(
        "yqz",
        "临泉县杨桥镇人民政府",
        "杨桥镇政府",
        ("综合行政执法办公室",),
        "依法承接县级下放的行政执法事项，开展乡镇综合行政执法。",
        "《中华人民共和国行政处罚法》第二十四条；《安徽省赋予乡镇（街道）部分县级行政执法权限指导目录》",
        4,
        level=Level.TOWNSHIP,
        region="341221101",
    ),
    DemoAgency(
        "tcz",
        "临泉县鲖城镇人民政府",
        "鲖城镇政府",
        ("综合行政执法办公室",),
        "依法承接县级下放的行政执法事项，开展乡镇综合行政执法。",
        "《中华人民共和国行政处罚法》第二十四条；《安徽省赋予乡镇（街道）部分县级行政执法权限指导目录》",
        4,
        level=Level.TOWNSHIP,
        region="341221102",
    ),
]

# One documented account per role (README and docs/user-guide): username, name, role(s), agency slug, unit index.
ROLE_USERS: list[tuple[str, str, list[str], str | None, int | None]] = [
    ("officer", "王立新", [Role.OFFICER], "scjg", 0),
    ("auxiliary", "李小芳", [Role.AUXILIARY], "scjg", 0),
    ("unithead", "陈国强", [Role.UNIT_HEAD, Role.OFFICER], "scjg", 0),
    ("reviewer", "周婷", [Role.LEGAL_REVIEWER], "scjg", 1),
    ("agencyhead", "刘建华", [Role.AGENCY_HEAD], "scjg", None),
    ("archivist", "孙丽", [Role.ARCHIVIST], "scjg", 1),
    ("supervisor", "赵明", [Role.JUSTICE_SUPERVISOR], "sfj", 0),
    ("monitor", "钱文", [Role.EXTERNAL_SUPERVISOR], None, None),
    ("liaison", "吴敏", [Role.LIAISON], None, None),
    ("officer2", "黄志远", [Role.OFFICER], "cgj", 0),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇浩凯鹏辉林海燕玲丹萍亮成俊峰"


def credit_code(index: int) -> str:
    """A well-formed demo credit code: 11 (机关) + county code + a 9-character organisation code + check."""
    body = f"11{COUNTY[0]}{3000000 + index * 137:08d}X"[:17]
    return body + uscc_check_char(body)


def _region(admin: User, code: str, name: str, level: str, parent: Region | None) -> Region:
    existing = Region.objects.filter(code=code).first()
    return existing or services.region_create(acting_user=admin, code=code, name=name, level=level, parent=parent)


def bootstrap_admin() -> tuple[User, bool]:
    """The first system administrator (superuser), created once; the ledger records it as a system act."""
    admin = User.objects.filter(username="admin").first()
    if admin is not None:
        return admin, False
    with transaction.atomic():
        admin = User(username="admin", full_name="系统管理员", is_superuser=True)
        services.password_store(user=admin, password=DEMO_PASSWORD, must_change=False)
        admin.role_grants.create(role=Role.ADMIN)
        audit(
            kind="org.user_created",
            actor=None,
            stream=f"user:{admin.public_id}",
            payload={"user": str(admin.public_id), "username": "admin", "roles": [Role.ADMIN], "bootstrap": True},
        )
    return admin, True


def _officer_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def load_demo(*, now: Any = None) -> dict[str, int]:
    """Load (or complete) the demo county; returns counts of what was created."""
    from sunlight.core.deadlines import deadlines_tick, rules_sync
    from sunlight.registry.demo import load_registry_demo

    moment = now or timezone.now()  # one moment for every part, so their dates agree with each other
    created = {"regions": 0, "agencies": 0, "units": 0, "users": 0, "deadlines": 0}
    admin, made = bootstrap_admin()
    created["users"] += int(made)
    rules_sync()

    before = Region.objects.count()
    province = _region(admin, *PROVINCE, Level.PROVINCE, None)
    city = _region(admin, *CITY, Level.CITY, province)
    county = _region(admin, *COUNTY, Level.COUNTY, city)
    for code, name in TOWNSHIPS:
        _region(admin, code, name, Level.TOWNSHIP, county)
    created["regions"] = Region.objects.count() - before

    agencies: dict[str, Agency] = {}
    justice: Agency | None = None
    for index, spec in enumerate(AGENCIES, start=1):
        agency = Agency.objects.filter(credit_code=credit_code(index)).first()
        if agency is None:
            agency = services.agency_create(
                acting_user=admin,
                data={
                    "name": spec.name,
                    "short_name": spec.short,
                    "credit_code": credit_code(index),
                    "kind": AgencyKind.ADMINISTRATIVE,
                    "level": spec.level,
                    "region": Region.objects.get(code=spec.region),
                    "is_justice_bureau": spec.justice,
                    "supervisor": justice,
                    "legal_basis": spec.basis,
                    "duties": spec.duties,
                    "address": f"临泉县城关街道人民路{100 + index * 8}号"
                    if spec.level == Level.COUNTY
                    else f"临泉县{Region.objects.get(code=spec.region).name}政府路1号",
                    "phone": f"0558-65{index:02d}{index * 37 % 100:02d}1"[:13],
                    "office_hours": "工作日 8:00-12:00，14:30-17:30",
                    "is_active": True,
                },
            )
            created["agencies"] += 1
        agencies[spec.slug] = agency
        if spec.justice:
            justice = agency
        for position, unit_name in enumerate(spec.units):
            if not Unit.objects.filter(agency=agency, name=unit_name).exists():
                services.unit_create(
                    acting_user=admin,
                    agency=agency,
                    data={
                        "name": unit_name,
                        "is_legal_department": "法" in unit_name and position > 0,
                        "phone": "",
                        "is_active": True,
                    },
                )
                created["units"] += 1

    rng = random.Random(341221)
    county_region = Region.objects.get(code=COUNTY[0])
    for spec in AGENCIES:
        agency = agencies[spec.slug]
        field_unit = agency.units.order_by("id").first()
        for n in range(1, spec.officers + 1):
            name = _officer_name(rng)
            username = f"{spec.slug}{n:02d}"
            if User.objects.filter(username=username).exists():
                continue
            services.user_create(
                acting_user=admin,
                username=username,
                password=None,
                roles=[Role.OFFICER],
                data={"full_name": name, "agency": agency, "unit": field_unit},
            )
            created["users"] += 1

    role_users: dict[str, User] = {}
    for username, full_name, roles, slug, unit_index in ROLE_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            agency = agencies[slug] if slug else None
            unit = agency.units.order_by("id")[unit_index] if agency is not None and unit_index is not None else None
            user = services.user_create(
                acting_user=admin,
                username=username,
                password=DEMO_PASSWORD,
                roles=list(roles),
                data={
                    "full_name": full_name,
                    "agency": agency,
                    "unit": unit,
                    "region": county_region if agency is None or Role.JUSTICE_SUPERVISOR in roles else None,
                    "phone": "",
                },
            )
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            created["users"] += 1
        role_users[username] = user

    created["deadlines"] = _demo_deadlines(agencies, role_users, now=moment)
    load_registry_demo(admin=admin, agencies=agencies, users=role_users, now=moment)
    from sunlight.catalog.demo import load_catalog_demo  # the power catalog (issue 4)

    created["catalog"] = load_catalog_demo(now=moment)
    from sunlight.cases.demo import load_cases_demo  # demo cases (issue 5)

    created["cases"] = load_cases_demo(now=moment)
    deadlines_tick(now=moment)
    return created


def _demo_deadlines(agencies: dict[str, Agency], users: dict[str, User], *, now: Any) -> int:
    """Running clocks that show each colour, marked as demo data in their subject (cases arrive with REC-1)."""
    from sunlight.core.deadlines import deadline_open
    from sunlight.core.models import Deadline

    scjg, cgj = agencies["scjg"], agencies["cgj"]
    officer, officer2, reviewer = users["officer"], users["officer2"], users["reviewer"]
    specs = [
        ("penalty.case", "demo-1", "【演示】临市监罚〔2026〕31号 某超市销售过期食品案", officer, scjg, 80, "立案"),
        (
            "penalty.hearing_request",
            "demo-2",
            "【演示】临市监罚〔2026〕27号 张某无照经营案",
            officer,
            scjg,
            12,
            "听证告知书送达",
        ),
        (
            "penalty.fine_payment",
            "demo-3",
            "【演示】临市监罚〔2026〕19号 某药店价格违法案",
            officer,
            scjg,
            3,
            "决定书送达",
        ),
        (
            "review.legal_review",
            "demo-4",
            "【演示】临市监罚〔2026〕35号 重大案件法制审核",
            reviewer,
            scjg,
            4,
            "审核材料齐全",
        ),
        ("penalty.case", "demo-5", "【演示】临城管罚〔2026〕8号 违法建设案", officer2, cgj, 88, "立案"),
        ("penalty.case", "demo-6", "【演示】临城管罚〔2026〕11号 占道经营案", officer2, cgj, 20, "立案"),
    ]
    count = 0
    for rule, subject_id, label, responsible, agency, days_ago, event in specs:
        if Deadline.objects.filter(subject_type="demo", subject_id=subject_id).exists():
            continue
        deadline_open(
            rule_code=rule,
            subject_type="demo",
            subject_id=subject_id,
            subject_label=label,
            started_at=now - timedelta(days=days_ago),
            start_event=event,
            agency=agency,
            unit=responsible.unit,
            responsible=responsible,
            acting_user=None,
            now=now,
        )
        count += 1
    return count
