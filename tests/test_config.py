"""Configuration safety: production refuses to start unsafely; development starts as is."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from vetting import create_app
from vetting.checkpoints import SIGNER_KEY, new_seed
from vetting.config import (
    INSECURE_DEV_KEY,
    ConfigurationError,
    from_environment,
    parse_holidays,
)
from vetting.extensions import db
from vetting.operations.publication import HOLIDAYS_KEY
from vetting.sealing import SEALER_KEY, Sealer, Unreadable, new_key

STRONG_KEY = "k" * 32


def _production(tmp_path: Path, **overrides: object) -> dict[str, object]:
    config: dict[str, object] = {
        "ENV_NAME": "production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "MAIL_DIR": str(tmp_path / "mail"),
        "BASE_URL": "https://vetting.example.org",
        "SECRET_KEY": STRONG_KEY,
        "DATA_KEY": new_key(),
        "SIGNING_KEY": new_seed(),
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


def test_production_refuses_to_start_when_data_key_is_missing(tmp_path):
    config = _production(tmp_path)
    del config["DATA_KEY"]
    with pytest.raises(ConfigurationError, match="VETTING_DATA_KEY"):
        create_app(config)


def test_production_refuses_to_start_when_signing_key_is_missing(tmp_path):
    config = _production(tmp_path)
    del config["SIGNING_KEY"]
    with pytest.raises(ConfigurationError, match="VETTING_SIGNING_KEY"):
        create_app(config)


def test_holidays_are_read_from_the_environment_when_listed(tmp_path, monkeypatch):
    monkeypatch.setenv("VETTING_HOLIDAYS", "2026-12-25, 2027-01-01 2026-12-25")
    app = create_app({"ENV_NAME": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"})
    assert app.config["HOLIDAYS"] == frozenset({date(2026, 12, 25), date(2027, 1, 1)})
    with app.app_context(), db.sessionmaker() as session:
        assert session.info[HOLIDAYS_KEY] == app.config["HOLIDAYS"]


def test_holidays_may_be_dates_when_given_in_the_instance_config():
    assert parse_holidays([date(2026, 12, 25), "2027-01-01"]) == {
        date(2026, 12, 25),
        date(2027, 1, 1),
    }
    assert parse_holidays("") == frozenset()
    assert parse_holidays(None) == frozenset()


@pytest.mark.parametrize("value", ["2026-12-32", "25/12/2026", "2026-12-25, Christmas", 25])
def test_startup_is_refused_with_the_wrong_day_named_when_a_holiday_is_no_date(tmp_path, value):
    config = {"ENV_NAME": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"}
    with pytest.raises(ConfigurationError, match="VETTING_HOLIDAYS") as refused:
        create_app({**config, "HOLIDAYS": value})
    if isinstance(value, str):
        assert value.split(", ")[-1] in str(refused.value)


def test_development_keeps_one_signing_key_across_restarts(tmp_path):
    config = {
        "ENV_NAME": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "SIGNING_KEY_FILE": str(tmp_path / "signing.key"),
    }
    first = create_app(dict(config)).extensions[SIGNER_KEY].key_id
    assert create_app(dict(config)).extensions[SIGNER_KEY].key_id == first
    assert (tmp_path / "signing.key").stat().st_mode & 0o077 == 0


def test_development_keeps_one_data_key_across_restarts(tmp_path):
    config = {
        "ENV_NAME": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "DATA_KEY_FILE": str(tmp_path / "data.key"),
    }
    token = create_app(dict(config)).extensions[SEALER_KEY].seal("kept")
    restarted = create_app(dict(config)).extensions[SEALER_KEY]
    assert restarted.unseal(token) == "kept"
    assert (tmp_path / "data.key").stat().st_mode & 0o077 == 0


def test_sealed_text_is_unreadable_when_altered_or_under_another_key():
    sealer = Sealer(new_key())
    token = sealer.seal("a reporter's contact")
    assert "reporter" not in token
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(Unreadable):
        sealer.unseal(altered)
    with pytest.raises(Unreadable):
        Sealer(new_key()).unseal(token)


def test_rotated_keys_still_read_what_the_old_key_sealed():
    old, new = new_key(), new_key()
    token = Sealer(old).seal("before rotation")
    assert Sealer(f"{new},{old}").unseal(token) == "before rotation"


def test_command_line_names_the_bad_setting_in_one_line_when_configuration_is_refused(
    tmp_path, monkeypatch
):
    from click.testing import CliRunner

    from vetting.cli import main

    monkeypatch.setenv("VETTING_ENV", "development")
    monkeypatch.setenv("VETTING_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    monkeypatch.setenv("VETTING_HOLIDAYS", "2026-12-25, Xmas")
    result = CliRunner().invoke(main, ["send-reminders"])
    assert result.exit_code == 1
    assert "Error: VETTING_HOLIDAYS: Xmas is not a date" in result.output
    assert "Traceback" not in result.output
