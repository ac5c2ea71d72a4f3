"""Configuration safety: production refuses to start unsafely; development starts as is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vetting import create_app
from vetting.config import INSECURE_DEV_KEY, ConfigurationError, from_environment

STRONG_KEY = "k" * 32


def _production(tmp_path: Path, **overrides: object) -> dict[str, object]:
    config: dict[str, object] = {
        "ENV_NAME": "production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "MAIL_DIR": str(tmp_path / "mail"),
        "BASE_URL": "https://vetting.example.org",
        "SECRET_KEY": STRONG_KEY,
    }
    config.update(overrides)
    return config


@pytest.fixture(autouse=True)
def _no_vetting_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The developer's or CI's own VETTING_* variables must not decide these tests.
    for name in list(os.environ):
        if name.startswith("VETTING_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VETTING_INSTANCE_PATH", str(tmp_path / "instance"))


def test_production_starts_when_key_is_long_and_base_url_is_https(tmp_path):
    app = create_app(_production(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


@pytest.mark.parametrize(
    "key", [None, "", INSECURE_DEV_KEY, "x" * 31], ids=["unset", "empty", "dev-key", "short"]
)
def test_production_refuses_to_start_when_secret_key_is_missing_or_short(tmp_path, key):
    config = _production(tmp_path)
    if key is None:
        del config["SECRET_KEY"]  # the default is the insecure development key
    else:
        config["SECRET_KEY"] = key
    with pytest.raises(ConfigurationError, match="VETTING_SECRET_KEY"):
        create_app(config)


def test_production_refuses_to_start_when_secret_key_env_is_short(tmp_path, monkeypatch):
    monkeypatch.setenv("VETTING_SECRET_KEY", "short")
    config = _production(tmp_path)
    del config["SECRET_KEY"]
    with pytest.raises(ConfigurationError, match="VETTING_SECRET_KEY"):
        create_app(config)


def test_production_refuses_to_start_when_base_url_is_http(tmp_path):
    with pytest.raises(ConfigurationError, match="https://"):
        create_app(_production(tmp_path, BASE_URL="http://vetting.example.org"))


def test_production_refuses_to_start_when_env_name_is_unknown(tmp_path):
    with pytest.raises(ConfigurationError, match="VETTING_ENV"):
        create_app(_production(tmp_path, ENV_NAME="staging"))


def test_development_starts_with_dev_key_when_nothing_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("VETTING_ENV", "development")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"})
    assert app.config["ENV_NAME"] == "development"
    assert app.config["SECRET_KEY"] == INSECURE_DEV_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides_settings_when_vetting_variables_are_set():
    config = from_environment(
        {
            "VETTING_ENV": "development",
            "VETTING_DATABASE_URL": "postgresql+psycopg://db/vetting",
            "VETTING_REDIS_URL": "",
            "UNRELATED": "x",
        }
    )
    assert config == {"ENV_NAME": "development", "DATABASE_URL": "postgresql+psycopg://db/vetting"}
