"""The portal's search and filter inputs take anything a visitor types — very long text, control characters, markup,
SQL and LIKE wildcards, malformed ids — and answer with a page (an error message where the input is invalid), never a
server error; what was typed is shown escaped."""

from __future__ import annotations

import pytest

from .factories import certified

pytestmark = pytest.mark.django_db

LISTS = ["/officers/", "/items/", "/benchmarks/", "/inspections/", "/av-items/", "/major-decisions/", "/changes/"]


@pytest.fixture
def someone(county):
    return certified(county.admin, county.unit_a, "张守法")


@pytest.mark.parametrize(
    "text",
    [
        "' OR 1=1 --",
        "%",
        "_",
        "%%__%%",
        "\\",
        "<script>alert(1)</script>",
        "张守法\u200b",
        "😀" * 10,
        "   ",
        "a\tb\nc",
    ],
)
def test_odd_text_is_searched_literally_and_escaped(client, someone, text):
    response = client.get("/officers/", {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if text in ("%", "_", "%%__%%", "' OR 1=1 --", "\\"):
        assert "张守法" not in html  # wildcards and quotes match only themselves


def test_too_long_or_null_input_is_refused_with_a_message(client, someone):
    for params in ({"q": "张" * 41}, {"q": "x" * 100_000}, {"q": "张\x00守法"}):
        response = client.get("/officers/", params)
        assert response.status_code == 400
        html = response.content.decode()
        assert "查询条件有误" in html and "张守法" not in html
    for url in ("/items/", "/agencies/"):
        assert client.get(url, {"q": "x" * 100_000}).status_code in (200, 400)


def test_bad_filters_are_errors_not_crashes(client, someone):
    for url in LISTS:
        for agency in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", "' OR 1=1 --", "x" * 5000):
            response = client.get(url, {"agency": agency})
            assert response.status_code == 400, (url, agency)
            assert "查询条件有误" in response.content.decode()
    assert client.get("/items/", {"action_type": "nonsense"}).status_code == 400
    assert client.get("/laws/", {"kind": "<b>"}).status_code == 400
    assert client.get("/agencies/", {"level": "<b>"}).status_code == 200


def test_odd_page_numbers_fall_back_to_a_real_page(client, someone):
    for page in ("abc", "-1", "0", "99999999999999999999999", "1.5", ""):
        response = client.get("/officers/", {"page": page})
        assert response.status_code == 200, page
        assert "张守法" in response.content.decode()


def test_malformed_or_unknown_ids_in_addresses_are_not_found(client):
    for url in (
        "/items/not-a-uuid/",
        "/items/00000000-0000-0000-0000-000000000000/",
        "/benchmarks/00000000-0000-0000-0000-000000000000/",
        "/laws/00000000-0000-0000-0000-000000000000/",
        "/agencies/00000000-0000-0000-0000-000000000000/",
        "/agencies/123/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_portal_only_answers_reads(client, someone):
    assert client.post("/officers/", {"q": "张守法"}).status_code == 405
    assert client.head("/officers/").status_code == 200
