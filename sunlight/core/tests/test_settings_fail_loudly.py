"""SYS-7: configuration comes only from environment variables; malformed values stop the start with their name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from sunlight.core.env import env_bool, env_int, env_list, env_str, secret_key_from


def test_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("SUNLIGHT_X", raising=False)
    assert env_int("SUNLIGHT_X", 5) == 5
    assert env_bool("SUNLIGHT_X", True) is True
    assert env_list("SUNLIGHT_X", ["a"]) == ["a"]
    assert env_str("SUNLIGHT_X", "d") == "d"


@pytest.mark.parametrize(
    ("reader", "raw"),
    [
        (lambda: env_int("SUNLIGHT_X", 1), "ten"),
        (lambda: env_bool("SUNLIGHT_X", False), "maybe"),
        (lambda: env_int("SUNLIGHT_X", 1, minimum=1), "0"),
    ],
)
def test_malformed_values_name_the_variable(monkeypatch, reader, raw):
    monkeypatch.setenv("SUNLIGHT_X", raw)
    with pytest.raises(ImproperlyConfigured, match="SUNLIGHT_X"):
        reader()


def test_parsed_values(monkeypatch):
    monkeypatch.setenv("SUNLIGHT_X", " a, b ,,c ")
    assert env_list("SUNLIGHT_X", []) == ["a", "b", "c"]
    monkeypatch.setenv("SUNLIGHT_X", "YES")
    assert env_bool("SUNLIGHT_X", False) is True


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key_from(tmp_path / "var")
    assert len(first) > 40
    assert secret_key_from(tmp_path / "var") == first
    assert oct((tmp_path / "var" / "secret_key").stat().st_mode)[-3:] == "600"
    monkeypatch.setenv("SECRET_KEY", "configured")
    assert secret_key_from(tmp_path / "var") == "configured"
