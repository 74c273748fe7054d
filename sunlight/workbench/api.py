"""Warnings API (SYS-8): my warnings and the roll-up per agency and level."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from . import selectors

router = Router(tags=["预警"], auth=django_auth)


class WarningOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    rule: str = Field(..., alias="rule.code")
    requirement: str = Field(..., alias="rule.requirement")
    name: str = Field(..., alias="rule.name")
    subject_type: str
    subject_id: str
    subject_label: str
    start_event: str
    started_at: datetime
    due_at: datetime
    level: str
    status: str


class RollupAgency(Schema):
    agency: uuid.UUID
    name: str
    yellow: int
    red: int


class RollupLevelOut(Schema):
    level: str
    label: str
    yellow: int
    red: int
    agencies: list[RollupAgency]


@router.get("/mine", response=list[WarningOut], summary="我的黄色、红色预警")
def mine(request: HttpRequest, level: str | None = None) -> Any:
    return selectors.my_warnings(request.user, level=level)


@router.get("/rollup", response=list[RollupLevelOut], summary="按层级、执法主体汇总的预警数")
def rollup(request: HttpRequest) -> Any:
    return [
        {
            "level": lvl.level,
            "label": lvl.label,
            "yellow": lvl.yellow,
            "red": lvl.red,
            "agencies": [
                {"agency": r.agency.public_id, "name": r.agency.name, "yellow": r.yellow, "red": r.red}
                for r in lvl.rows
            ],
        }
        for lvl in selectors.warning_rollup(request.user)
    ]
