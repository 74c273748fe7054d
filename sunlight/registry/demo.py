"""The registry part of the demo county: certificates for every officer (most valid; a few expired, one suspended,
one expiring soon, one in off-post training), auxiliaries with duties, this year's trainings, and body cameras with
checks, a fault and checkouts.

Called by `sunlight.org.demo.load_demo` once the agencies and accounts exist. Everything goes through the services
(backdated acts pass the `now` of their time), and each object is looked up first, so loading twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sunlight.core.calendar import LOCAL_TZ, local_date
from sunlight.org import services as org_services
from sunlight.org.choices import EnforcementField, Role
from sunlight.org.models import Agency, User

from . import services
from .choices import CheckResult, EstablishmentKind, SanctionKind
from .models import Auxiliary, BodyCamera, Certificate, Officer, RegistryPolicy, Sanction, TrainingPlan

CATEGORIES = {
    "scjg": EnforcementField.MARKET,
    "cgj": EnforcementField.URBAN,
    "sthj": EnforcementField.ENVIRONMENT,
    "mzj": EnforcementField.CIVIL_AFFAIRS,
    "jtj": EnforcementField.TRANSPORT,
    "zrzy": EnforcementField.NATURAL_RESOURCES,
    "wjw": EnforcementField.HEALTH,
    "yjj": EnforcementField.EMERGENCY,
    "nyj": EnforcementField.AGRICULTURE,
    "wlj": EnforcementField.CULTURE,
    "yqz": EnforcementField.COMPREHENSIVE,
    "tcz": EnforcementField.COMPREHENSIVE,
}
POSTS = ("执法队员", "执法队员", "执法队员", "科员", "中队长", "副大队长")
AUTHORITY = "临泉县人民政府"

# Officers with a story (username -> what happens to them).
EXPIRED = ("mzj06", "nyj09", "zrzy10")
EXPIRING_SOON = "jtj12"
SUSPENDED = "cgj05"
CRITICISED = "scjg05"
OFF_POST = "yjj03"

# Auxiliaries: username, name, agency slug, post, duties.
AUXILIARIES = [
    ("auxiliary", "", "scjg", "市场巡查协管员", "协助开展市场巡查、经营户信息登记和执法资料整理，不得单独执法。"),
    ("scjgfz01", "张晓燕", "scjg", "食品安全协管员", "协助开展食品经营场所日常巡查和宣传，发现问题及时报告执法人员。"),
    ("cgjfz01", "刘志刚", "cgj", "城管协管员", "协助劝导占道经营、维护市容秩序，配合执法人员取证，不得单独实施处罚。"),
    ("cgjfz02", "周海涛", "cgj", "城管协管员", "协助巡查违法建设线索，负责执法车辆和装备管理。"),
    ("jtjfz01", "吴丽娟", "jtj", "路政协管员", "协助路面巡查、超限运输劝导和信息录入。"),
    ("sthjfz01", "郑伟", "sthj", "环境监测辅助员", "协助采样、监测设备维护和资料归档，不得在执法文书上签名。"),
]

# Trainings each county agency plans this year: (month, day, title, days).
PLANS = [
    (3, 18, "《中华人民共和国行政处罚法》专题培训", Decimal(2)),
    (6, 24, "行政执法文书规范化制作培训", Decimal(1)),
    (9, 15, "行政执法“三项制度”实务培训", Decimal(2)),
    (12, 16, "年终执法案卷评查交流会", Decimal(1)),
]
# Agencies that held only their first training this year (their agency warning shows).
FEW_TRAININGS = ("mzj", "tcz")

# Cameras per agency and the agency whose policy asks for 2 officers per camera (as 001 does).
CAMERAS = {"scjg": 6, "cgj": 4, "sthj": 2, "mzj": 2, "jtj": 3, "zrzy": 2, "wjw": 2, "yjj": 2, "nyj": 1, "wlj": 2}
MODELS = ("海康威视 DSJ-HKV9", "华德安 DSJ-HDA7", "警翼 DSJ-V7")
STRICT_RATIO = "scjg"


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def load_registry_demo(
    *, admin: User, agencies: dict[str, Agency], users: dict[str, User], now: datetime
) -> dict[str, int]:
    """Load (or complete) the registry's demo data; returns counts of what was created."""
    rng = random.Random(341221 + 12)
    today = local_date(now)
    created = {"officers": 0, "certificates": 0, "auxiliaries": 0, "trainings": 0, "cameras": 0}
    if STRICT_RATIO in agencies and not RegistryPolicy.objects.filter(agency=agencies[STRICT_RATIO]).exists():
        services.registry_policy_set(
            acting_user=admin,
            agency=agencies[STRICT_RATIO],
            officers_per_camera=2,
            officer_training_days=Decimal(5),
            auxiliary_training_days=Decimal(3),
            agency_trainings_per_year=2,
            now=now,
        )
    for index, (slug, agency) in enumerate(agencies.items(), start=1):
        if slug not in CATEGORIES:
            continue
        people = list(
            User.objects.filter(agency=agency, role_grants__role=Role.OFFICER)
            .select_related("unit")
            .order_by("username")
        )
        for seq, person in enumerate(people, start=1):
            officer = Officer.objects.filter(user=person).first()
            if officer is None:
                officer = _register(admin, person, rng, today, now)
                created["officers"] += 1
            if not officer.certificates.exists():
                _certify(admin, officer, agency, CATEGORIES[slug], f"34122101{index:02d}{seq:03d}", rng, today, now)
                created["certificates"] += 1
    _sanctions(admin, today, now)
    created["auxiliaries"] = _auxiliaries(admin, agencies, users, today, now)
    created["trainings"] = _trainings(admin, agencies, rng, today, now)
    created["cameras"] = _cameras(admin, agencies, users, rng, today, now)
    services.registry_tick(now=now)
    return created


def _register(admin: User, person: User, rng: random.Random, today: date, now: datetime) -> Officer:
    head = person.has_role(Role.UNIT_HEAD)
    exam_day = today - timedelta(days=rng.randint(2000, 2600))
    return services.officer_register(
        acting_user=admin,
        user=person,
        data={
            "unit": person.unit,
            "post": "大队长" if head else rng.choice(POSTS),
            "establishment_kind": EstablishmentKind.ADMINISTRATIVE
            if rng.random() < 0.8
            else EstablishmentKind.CIVIL_SERVICE_MANAGED,
            "establishment_proof": f"临编〔{exam_day.year - 1}〕{rng.randint(3, 60)}号",
            "exam_score": Decimal(rng.randint(620, 975)) / 10,
            "exam_date": exam_day,
            "exam_passed": True,
        },
        now=now,
    )


def _certify(
    admin: User,
    officer: Officer,
    agency: Agency,
    category: str,
    number: str,
    rng: random.Random,
    today: date,
    now: datetime,
) -> Certificate:
    username = officer.user.username
    if username in EXPIRED:
        expires = today - timedelta(days=rng.randint(20, 120))
    elif username == EXPIRING_SOON:
        expires = today + timedelta(days=18)
    else:
        expires = today + timedelta(days=rng.randint(200, 1700))
    issued = _years_before(expires, 5) + timedelta(days=1)
    issued = max(issued, officer.exam_date or issued)
    certificate = services.certificate_issue(
        acting_user=admin,
        officer=officer,
        number=number,
        issuing_authority=AUTHORITY,
        categories=[category],
        regions=[agency.region.code],
        issued_on=issued,
        expires_on=expires,
        now=_at(issued, 10),
    )
    if username not in EXPIRED and issued.year < today.year:
        review_day = max(issued + timedelta(days=1), date(today.year, 1, 15))
        if review_day <= today:
            services.certificate_review(
                acting_user=admin, certificate=certificate, year=today.year - 1, passed=True, now=_at(review_day, 15)
            )
    return certificate


def _sanctions(admin: User, today: date, now: datetime) -> None:
    cases = [
        (
            SUSPENDED,
            SanctionKind.SUSPENSION,
            "执法检查中未按规定出示执法证件、未告知当事人陈述申辩权利，经核查属实，暂扣行政执法证三个月。",
            "临司发〔2026〕41号",
            None,
        ),
        (
            CRITICISED,
            SanctionKind.CRITICISM,
            "制作的现场检查笔录要素缺失，经案卷评查发现，予以批评教育。",
            "临市监〔2026〕12号",
            None,
        ),
        (
            OFF_POST,
            SanctionKind.OFF_POST_TRAINING,
            "年度执法考核不合格，离岗参加执法业务培训半个月。",
            "临应急〔2026〕9号",
            (today - timedelta(days=5), today + timedelta(days=10)),
        ),
    ]
    for username, kind, reason, number, period in cases:
        officer = Officer.objects.filter(user__username=username, cleared_on__isnull=True).first()
        if officer is None or Sanction.objects.filter(officer=officer).exists():
            continue
        services.sanction_record(
            acting_user=admin,
            officer=officer,
            kind=kind,
            reason=reason,
            decided_on=today - timedelta(days=6),
            document_no=number,
            starts_on=period[0] if period else None,
            ends_on=period[1] if period else None,
            now=now,
        )


def _auxiliaries(admin: User, agencies: dict[str, Agency], users: dict[str, User], today: date, now: datetime) -> int:
    count = 0
    for username, name, slug, post, duties in AUXILIARIES:
        agency = agencies[slug]
        unit = agency.units.order_by("id").first()
        person = users.get(username) or User.objects.filter(username=username).first()
        if person is None:
            person = org_services.user_create(
                acting_user=admin,
                username=username,
                password=None,
                roles=[Role.AUXILIARY],
                data={"full_name": name, "agency": agency, "unit": unit},
            )
        if Auxiliary.objects.filter(user=person).exists() or unit is None:
            continue
        services.auxiliary_register(
            acting_user=admin,
            user=person,
            unit=unit,
            post=post,
            duties=duties,
            hired_on=today - timedelta(days=400 + 97 * count),
            now=now,
        )
        count += 1
    return count


def _trainings(admin: User, agencies: dict[str, Agency], rng: random.Random, today: date, now: datetime) -> int:
    count = 0
    for slug, agency in agencies.items():
        if slug not in CATEGORIES:
            continue
        for number, (month, day, title, days) in enumerate(PLANS):
            planned = date(today.year, month, day)
            plan = TrainingPlan.objects.filter(agency=agency, title=title, planned_on__year=today.year).first()
            if plan is None:
                plan = services.training_plan_create(
                    acting_user=admin,
                    agency=agency,
                    title=title,
                    planned_on=planned,
                    days=days,
                    location=f"{agency.short_name or agency.name}三楼会议室",
                    content="讲授法律条文、典型案例评析和执法文书示范，结业测试。",
                    now=_at(date(today.year, 1, 10)) if today >= date(today.year, 1, 10) else now,
                )
                count += 1
            held_enough = number == 0 or slug not in FEW_TRAININGS
            if plan.held_on is None and held_enough and planned <= today:
                trainees = [
                    o.user
                    for o in Officer.objects.filter(agency=agency, cleared_on__isnull=True).select_related("user")
                ] + [
                    a.user for a in Auxiliary.objects.filter(agency=agency, left_on__isnull=True).select_related("user")
                ]
                attendees = [p for p in trainees if rng.random() < 0.9]
                if attendees:
                    services.training_plan_hold(
                        acting_user=admin, plan=plan, held_on=planned, attendees=attendees, now=_at(planned, 17)
                    )
    return count


def _cameras(
    admin: User, agencies: dict[str, Agency], users: dict[str, User], rng: random.Random, today: date, now: datetime
) -> int:
    count = 0
    for slug, number_of in CAMERAS.items():
        agency = agencies.get(slug)
        if agency is None:
            continue
        unit = agency.units.order_by("id").first()
        first_officer = Officer.objects.filter(agency=agency).order_by("user__username").first()
        keeper = users.get("archivist") if slug == "scjg" else (first_officer.user if first_officer else None)
        for n in range(1, number_of + 1):
            number = f"LQ{slug.upper()}-JLY{n:03d}"
            if BodyCamera.objects.filter(number=number).exists() or unit is None or keeper is None:
                continue
            acquired = today - timedelta(days=rng.randint(200, 1400))
            camera = services.camera_register(
                acting_user=admin,
                number=number,
                unit=unit,
                administrator=keeper,
                model_name=rng.choice(MODELS),
                serial_no=f"SN{rng.randint(10**9, 10**10 - 1)}",
                acquired_on=acquired,
                now=now,
            )
            count += 1
            check_day = today - timedelta(days=rng.randint(3, 25))
            faulty = slug == "cgj" and n == 4
            services.camera_check(
                acting_user=admin,
                camera=camera,
                checked_on=check_day,
                result=CheckResult.FAULT if faulty else CheckResult.NORMAL,
                note="电池无法充电，已送厂家维修。" if faulty else "外观完好，电量、存储空间和时间设置正常。",
                now=now,
            )
            if slug == "scjg":
                _loans(admin, camera, users, n, today, now)
    return count


def _loans(admin: User, camera: BodyCamera, users: dict[str, User], n: int, today: date, now: datetime) -> None:
    """Past checkouts for the market regulation bureau's cameras, and three still out today."""
    approver = users["unithead"]
    officers = list(
        Officer.objects.filter(agency=camera.agency, cleared_on__isnull=True)
        .exclude(user=approver)
        .select_related("user")
        .order_by("user__username")
    )
    purposes = ("食品经营场所日常检查", "无照经营线索核查", "价格违法举报现场检查", "先行登记保存证据")
    for k in range(2):
        user = officers[(n * 3 + k) % len(officers)].user
        day = today - timedelta(days=20 - 7 * k + n)
        services.camera_checkout(
            acting_user=admin,
            camera=camera,
            user=user,
            approver=approver,
            purpose=purposes[(n + k) % len(purposes)],
            at=_at(day, 8),
            now=_at(day, 8),
        )
        services.camera_return(
            acting_user=admin, camera=camera, at=_at(day, 17), note="音像资料已导出", now=_at(day, 17)
        )
    if n <= 3:
        user = users["officer"] if n == 1 else officers[n].user
        services.camera_checkout(
            acting_user=admin,
            camera=camera,
            user=user,
            approver=approver,
            purpose=purposes[n % len(purposes)],
            at=now - timedelta(hours=2),
            now=now,
        )
