"""SYS-7 for the registry: the demo county's officers hold certificates (most valid; some expired, one suspended,
one expiring soon), with auxiliaries, this year's trainings and ~25 body cameras with checkouts; loading the registry
part again changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from sunlight.core.ledger import ledger_verify
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.models import Agency, User
from sunlight.registry.choices import SUBJECT_CAMERA_RATIO, CameraStatus
from sunlight.registry.demo import load_registry_demo
from sunlight.registry.models import (
    Auxiliary,
    BodyCamera,
    CameraLoan,
    Certificate,
    Officer,
    Sanction,
    TrainingPlan,
    TrainingRecord,
)
from sunlight.registry.selectors import cleanup_list, expiring_soon, may_act

pytestmark = pytest.mark.django_db


def test_demo_registry():
    from sunlight.org.demo import AGENCIES, ROLE_USERS, credit_code, load_demo

    load_demo()
    today = timezone.localdate()
    officers = User.objects.filter(role_grants__role=Role.OFFICER)
    assert Officer.objects.count() == officers.count() >= 112
    statuses = Counter(Certificate.objects.values_list("status", flat=True))
    assert statuses["expired"] == 3 and statuses["suspended"] == 1 and statuses["valid"] >= 100
    assert sum(expiring_soon(c, today) for c in Certificate.objects.all()) == 1
    assert len(cleanup_list(user=User.objects.get(username="admin"))) == 4  # three expired, one suspended
    for username in ("officer", "unithead"):
        assert may_act(user=User.objects.get(username=username), field="market", region_code="341221", on=today).ok
    assert may_act(user=User.objects.get(username="officer2"), field="urban", region_code="341221", on=today).ok
    assert not may_act(user=User.objects.get(username="auxiliary"), region_code="341221", on=today).ok
    assert Auxiliary.objects.count() >= 5 and Sanction.objects.count() == 3
    assert TrainingPlan.objects.filter(held_on__isnull=False).exists() and TrainingRecord.objects.count() > 100
    assert 20 <= BodyCamera.objects.count() <= 30
    assert BodyCamera.objects.filter(status=CameraStatus.CHECKED_OUT).count() == 3
    assert BodyCamera.objects.filter(status=CameraStatus.FAULTY).count() == 1
    assert CameraLoan.objects.filter(returned_at__isnull=False).count() >= 10
    assert Deadline.objects.filter(subject_type=SUBJECT_CAMERA_RATIO).exists()

    counts = (
        Officer.objects.count(),
        Certificate.objects.count(),
        BodyCamera.objects.count(),
        Deadline.objects.count(),
    )
    entries = LedgerEntry.objects.count()
    admin = User.objects.get(username="admin")
    agencies = {spec.slug: Agency.objects.get(credit_code=credit_code(i)) for i, spec in enumerate(AGENCIES, start=1)}
    users = {u: User.objects.get(username=u) for u, *_rest in ROLE_USERS}
    load_registry_demo(admin=admin, agencies=agencies, users=users, now=timezone.now())
    assert counts == (
        Officer.objects.count(),
        Certificate.objects.count(),
        BodyCamera.objects.count(),
        Deadline.objects.count(),
    )
    assert LedgerEntry.objects.count() == entries
    assert ledger_verify().ok
