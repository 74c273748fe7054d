"""SYS-5: /api/v1/openapi.json lists the case paths with Chinese descriptions on every operation, schema and field;
the push endpoints declare the bearer scheme and the Idempotency-Key header; the staff endpoints the session."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest
from django.test import Client

from sunlight.cases import api as case_api
from sunlight.cases.choices import CaseStatus, PartyKind, RecusalOutcome, Source
from sunlight.core.choices import Level

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
BASE = "/api/v1/cases"
STAFF = {
    (f"{BASE}/", "get"),
    (f"{BASE}/", "post"),
    (f"{BASE}/{{case_id}}", "get"),
    (f"{BASE}/{{case_id}}/records", "post"),
    (f"{BASE}/{{case_id}}/conflicts", "post"),
    (f"{BASE}/{{case_id}}/conflicts/{{declaration_id}}/decision", "post"),
    (f"{BASE}/{{case_id}}/officers", "post"),
}
PUSH = {(f"{BASE}/push/cases", "post"), (f"{BASE}/push/cases/{{external_id}}/records", "post")}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


def test_openapi_lists_the_case_paths_with_their_security_and_chinese_descriptions() -> None:
    answer = Client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    schema = answer.json()
    operations = {(path, method): op for path, ops in schema["paths"].items() for method, op in ops.items()}
    assert set(operations) >= STAFF | PUSH

    for key in STAFF:
        assert operations[key]["security"] == [{"SessionAuth": []}], key
    for key in PUSH:
        op = operations[key]
        assert op["security"] == [{"ClientBearer": []}], key
        headers = [p for p in op["parameters"] if p["in"] == "header"]
        assert [h["name"] for h in headers] == ["Idempotency-Key"] and CJK.search(headers[0]["description"])
        assert {"201", "400", "401", "403", "404", "409"} <= set(op["responses"])
    scheme = schema["components"]["securitySchemes"]["ClientBearer"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer" and CJK.search(scheme["description"])

    components = schema["components"]["schemas"]
    reached: set[str] = set()
    todo = set().union(*(_refs(operations[k]) for k in STAFF | PUSH))
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo |= _refs(components[name]) - reached
    for key in STAFF | PUSH:
        op = operations[key]
        assert CJK.search(op["summary"]) and CJK.search(op["description"]), key
        for parameter in op.get("parameters", []):
            if parameter["in"] == "query":
                assert CJK.search(parameter.get("description", "")), (key, parameter["name"])
    assert {"CaseOut", "CaseRecordOut", "CaseDeadlineOut", "PushCaseIn", "PushStepIn", "CaseErrorsOut"} <= reached
    for name in reached:
        component = components[name]
        assert CJK.search(component.get("description", "")), name
        for prop, spec in component.get("properties", {}).items():
            assert CJK.search(spec.get("description", "")), (name, prop)


def test_the_codes_in_the_schema_are_the_choices() -> None:
    assert set(get_args(case_api.StatusCode)) == set(CaseStatus.values)
    assert set(get_args(case_api.PartyKindCode)) == set(PartyKind.values)
    assert set(get_args(case_api.SourceCode)) == set(Source.values)
    assert set(get_args(case_api.RecusalCode)) == set(RecusalOutcome.values)
    assert set(get_args(case_api.LevelCode)) == set(Level.values)
