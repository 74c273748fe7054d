"""PUB-9, PUB-12: the documented public JSON API (django-ninja, OpenAPI): search, one decision, its proof."""

from __future__ import annotations

import pytest

from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def test_search_and_read(county, client):
    draft = make_draft(county)
    publish(draft, publisher(county))
    data = client.get("/api/v1/publicity/decisions?q=过期&action_type=penalty").json()
    assert data["total"] == 1 and data["total_capped"] is False and data["pages"] == 1
    item = data["items"][0]
    assert item["id"] == str(draft.public_id) and item["party"] == "张某" and "<mark>过期</mark>" in item["snippet"]
    one = client.get(f"/api/v1/publicity/decisions/{draft.public_id}").json()
    assert one["status"] == "published" and one["version"] == 1 and one["party"] == "张某"
    assert one["document_number"] == draft.document_number and len(one["published_hash"]) == 64


def test_drafts_and_unknown_ids_are_not_found(county, client):
    draft = make_draft(county)
    for path in (
        f"/api/v1/publicity/decisions/{draft.public_id}",
        f"/api/v1/publicity/decisions/{draft.public_id}/verification",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
    assert client.get("/api/v1/publicity/decisions/not-a-uuid").status_code == 422


def test_bad_parameters_get_the_one_error_shape(client, db):
    response = client.get("/api/v1/publicity/decisions?page_size=1000")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "page_size", "code": "out_of_range", "message": "page_size 应在 1 到 100 之间。"}]
    }
    assert client.get("/api/v1/publicity/decisions?agency=nonsense&date_from=bad&page=x").status_code == 200


def test_the_api_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/publicity/decisions",
        "/api/v1/publicity/decisions/{public_id}",
        "/api/v1/publicity/decisions/{public_id}/verification",
        "/api/v1/publicity/export",
    ):
        assert path in paths
        operation = paths[path]["get"]
        assert operation["tags"] == ["行政执法公示"] and operation["summary"]
        assert "security" not in operation  # public, no login
