"""SYS-7: `sunlight demo` loads a realistic county idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from sunlight.core.ledger import ledger_verify
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.org.choices import Level, Role
from sunlight.org.models import Agency, Region, RoleGrant, User

pytestmark = pytest.mark.django_db


def test_demo_county_has_what_the_issue_asks_and_loads_twice_without_change(capsys):
    call_command("demo")
    assert Region.objects.get(code="341221").full_name() == "安徽省阜阳市临泉县"
    assert Region.objects.filter(level=Level.TOWNSHIP, parent__code="341221").count() >= 20
    agencies = Agency.objects.all()
    assert agencies.count() >= 11
    assert agencies.filter(is_justice_bureau=True).count() == 1
    justice = agencies.get(is_justice_bureau=True)
    assert all(a.supervisor_id == justice.pk for a in agencies.exclude(pk=justice.pk))
    for name in (
        "市场监督管理局",
        "城市管理局",
        "生态环境",
        "民政局",
        "交通运输局",
        "自然资源",
        "卫生健康",
        "应急管理局",
        "农业农村局",
        "文化旅游",
    ):
        assert agencies.filter(name__contains=name).exists(), name
    assert RoleGrant.objects.filter(role=Role.OFFICER).count() >= 100
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert all(a.units.exists() for a in agencies)
    assert User.objects.get(username="officer").check_password("Sunlight@2026")
    assert Deadline.objects.filter(level="red").exists() and Deadline.objects.filter(level="yellow").exists()
    out = capsys.readouterr().out
    assert "Sunlight@2026" in out and "supervisor" in out

    counts = (
        Region.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Deadline.objects.count(),
        LedgerEntry.objects.count(),
    )
    call_command("demo")
    assert counts == (
        Region.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Deadline.objects.count(),
        LedgerEntry.objects.count(),
    )
    assert ledger_verify().ok
