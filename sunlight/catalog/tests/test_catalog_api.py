"""SYS-5, issue 4: the catalog API answers within the caller's scope, writes through the same services, and reports
errors as (field, code, message); the checks other systems need are there."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from sunlight.catalog.choices import CatalogKind, PartyKind
from sunlight.catalog.excel import export_workbook

from .factories import WAN, major_catalog, new_benchmark, new_item, today

pytestmark = pytest.mark.django_db
API = "/api/v1/catalog"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def item_body(catalog, **over):
    body = {
        "code": "SC-CF-100",
        "action_type": "penalty",
        "field": "market",
        "effective_from": today().isoformat(),
        "change_note": "首次录入",
        "content": {
            "name": "对经营者违反明码标价规定的行政处罚",
            "articles": ["《中华人民共和国价格法》第十三条", "《价格法》第四十二条"],
            "handling_unit": str(catalog.field_unit.public_id),
            "holding_units": [str(catalog.other_unit.public_id)],
            "posts": ["执法岗"],
            "time_limit_amount": 90,
            "time_limit_unit": "CD",
        },
    }
    body.update(over)
    return body


def test_anonymous_callers_get_401(client):
    assert client.get(f"{API}/items").status_code == 401


def test_an_item_is_created_reviewed_and_published_through_the_api(catalog):
    editor, reviewer = client_for(catalog.editor), client_for(catalog.reviewer)
    created = editor.post(f"{API}/items", item_body(catalog), content_type="application/json")
    assert created.status_code == 201, created.content
    version = created.json()
    assert version["status"] == "draft" and version["content"]["articles"] == [
        "《中华人民共和国价格法》第十三条",
        "《中华人民共和国价格法》第四十二条",
    ]
    assert version["content"]["holding_units"] == ["城关市场监管所"]
    refused = editor.post(f"{API}/items/versions/{version['id']}/publish", {}, content_type="application/json")
    assert refused.status_code == 403
    assert (
        editor.post(f"{API}/items/versions/{version['id']}/submit", {}, content_type="application/json").status_code
        == 200
    )
    unchecked = reviewer.post(
        f"{API}/items/versions/{version['id']}/publish", {"note": "同意"}, content_type="application/json"
    )
    assert unchecked.status_code == 400 and unchecked.json()["errors"][0]["field"] == "confidentiality_checked"
    published = reviewer.post(
        f"{API}/items/versions/{version['id']}/publish",
        {"note": "同意", "confidentiality_checked": True},
        content_type="application/json",
    )
    assert published.json()["status"] == "published"
    listed = client_for(catalog.officer).get(f"{API}/items").json()
    assert [(e["code"], e["field"], e["current"]["number"]) for e in listed] == [("SC-CF-100", "market", 1)]


def test_bad_content_gets_field_code_message(catalog):
    editor = client_for(catalog.editor)
    body = item_body(catalog)
    body["content"]["articles"] = ["《中华人民共和国价格法》第九百条"]
    response = editor.post(f"{API}/items", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "content.articles", "code": "not_found", "message": "未找到《中华人民共和国价格法》第九百条。"}
    ]
    body = item_body(catalog, code="")
    body["content"]["name"] = ""
    fields = {e["field"] for e in editor.post(f"{API}/items", body, content_type="application/json").json()["errors"]}
    assert fields == {"code", "name"}
    assert editor.get(f"{API}/nonsense").status_code == 404


def test_entries_of_another_agency_are_not_found(catalog, county):
    entry = new_item(catalog).entry
    other = client_for(county.other_officer)
    assert other.get(f"{API}/items/{entry.public_id}").status_code == 404
    assert other.get(f"{API}/items").json() == []
    detail = client_for(catalog.officer).get(f"{API}/items/{entry.public_id}").json()
    assert [v["number"] for v in detail["versions"]] == [1]


def test_a_benchmark_is_created_with_levels_and_checked(catalog):
    reviewer = client_for(catalog.reviewer)
    body = {
        "code": "BM-42",
        "effective_from": today().isoformat(),
        "content": {"violation": "违反明码标价规定", "articles": ["《中华人民共和国价格法》第四十二条"]},
        "levels": [
            {
                "circumstance": "lighter",
                "conditions": "初次",
                "penalties": [{"kind": "fine", "measure": "fixed", "min_fen": 0, "max_fen": 150000}],
            },
            {
                "circumstance": "ordinary",
                "penalties": [{"kind": "fine", "measure": "fixed", "min_fen": 100000, "max_fen": 350000}],
            },
        ],
    }
    overlap = reviewer.post(f"{API}/benchmarks", body, content_type="application/json")
    assert overlap.status_code == 400 and overlap.json()["errors"][0]["field"] == "levels.1.penalties.0"
    entry = new_benchmark(catalog).entry
    check = reviewer.post(
        f"{API}/benchmarks/{entry.public_id}/check",
        {"circumstance": "lighter", "kinds": ["fine"], "fine_fen": 9 * WAN, "goods_value_fen": 500000},
        content_type="application/json",
    ).json()
    assert check["within"] is False and check["reasons_required"] is True and check["version"] == 1
    assert check["problems"] == ["罚款9万元不在基准幅度（5万元至6.5万元）内。"]


def test_major_decision_classification(catalog):
    major_catalog(catalog)
    response = (
        client_for(catalog.officer)
        .post(
            f"{API}/major-rules/evaluate",
            {"action_type": "penalty", "fine_fen": 12 * WAN, "party": PartyKind.ORGANISATION, "hearing_held": True},
            content_type="application/json",
        )
        .json()
    )
    assert response["major"] is True
    assert [r["rule_code"] for r in response["reasons"]] == ["MR-01", "MR-06"]
    assert response["reasons"][0]["reason"].startswith("拟罚款12万元")


def test_av_requirement_unit_holds_and_workflows(catalog):
    officer = client_for(catalog.officer)
    av = officer.get(f"{API}/av-requirement", {"action_type": "coercion", "step": "onsite_measure"}).json()
    assert av == {"action_type": "coercion", "step": "onsite_measure", "requirement": "continuous"}
    item = new_item(catalog).entry
    holds = client_for(catalog.editor).get(f"{API}/units/{catalog.field_unit.public_id}/holds/{item.public_id}").json()
    assert holds["holds"] is True
    workflows = officer.get(f"{API}/workflows").json()
    assert {w["action_type"] for w in workflows} >= {"licence", "penalty", "coercion", "inspection"}
    svg = officer.get(f"{API}/workflows/penalty.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_laws_and_amendment_flags(catalog):
    reviewer = client_for(catalog.reviewer)
    created = reviewer.post(
        f"{API}/laws",
        {
            "title": "中华人民共和国广告法",
            "kind": "law",
            "effective_from": "2015-09-01",
            "articles": [{"number": 55, "text": "违反本法规定，发布虚假广告的……"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["articles"][0]["label"] == "第五十五条"
    new_item(catalog)
    amended = reviewer.post(
        f"{API}/laws/{catalog.food.public_id}/amendments",
        {
            "kind": "amend",
            "label": "2026年修正",
            "effective_from": today().isoformat(),
            "changes": [{"number": 122, "text": "新条文"}],
        },
        content_type="application/json",
    )
    assert amended.json() == {"flags": 1}
    flags = reviewer.get(f"{API}/flags").json()
    assert [(f["entry_kind"], f["law"], f["status"]) for f in flags] == [("item", "中华人民共和国食品安全法", "open")]
    assert (
        client_for(catalog.editor)
        .post(
            f"{API}/laws",
            {"title": "x", "kind": "law", "effective_from": "2020-01-01"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    laws = reviewer.get(f"{API}/laws").json()
    assert {law["title"] for law in laws} >= {"中华人民共和国广告法", "中华人民共和国食品安全法"}


def test_excel_export_and_import_through_the_api(catalog):
    new_item(catalog)
    editor = client_for(catalog.editor)
    exported = editor.get(f"{API}/export/{CatalogKind.ITEM}")
    assert exported.status_code == 200
    assert load_workbook(io.BytesIO(exported.content))["执法事项"].max_row == 2
    data = export_workbook(book=CatalogKind.ITEM, agency=catalog.agency)
    upload = io.BytesIO(data)
    upload.name = "items.xlsx"
    result = editor.post(f"{API}/import/{CatalogKind.ITEM}", {"file": upload})
    assert result.json() == {"created": 0, "revised": 0, "unchanged": 1}
    bad = io.BytesIO(b"garbage")
    bad.name = "bad.xlsx"
    refused = editor.post(f"{API}/import/{CatalogKind.ITEM}", {"file": bad})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "“文件”第1行：无法读取文件，请上传 .xlsx 格式的 Excel 文件。"
