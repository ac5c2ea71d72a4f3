"""Configuration: defaults for the embedded mode, then instance/config.py, then VETTING_* env."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

INSECURE_DEV_KEY = "dev-only-insecure-key"  # noqa: S105 - refused outside debug and tests


def defaults(instance_path: Path) -> dict[str, Any]:
    return {
        # production (the default), development (`make run`) or testing.
        "ENV_NAME": "production",
        "SECRET_KEY": INSECURE_DEV_KEY,
        "DATABASE_URL": f"sqlite:///{instance_path / 'vetting.sqlite3'}",
        # None means the embedded mode: fakeredis and jobs run in-process.
        "REDIS_URL": None,
        # None means mail is written to MAIL_DIR as .eml files, viewable by admins.
        "SMTP_URL": None,
        "MAIL_DIR": str(instance_path / "mail"),
        # Fernet key(s) for text and files encrypted at rest (see vetting.sealing). None outside
        # production means a key kept in DATA_KEY_FILE, created on first use.
        "DATA_KEY": None,
        "DATA_KEY_FILE": str(instance_path / "data.key"),
        # Ed25519 seed (32 bytes, base64) that signs the audit checkpoints published with the
        # findings (see vetting.checkpoints). None outside production means SIGNING_KEY_FILE.
        "SIGNING_KEY": None,
        "SIGNING_KEY_FILE": str(instance_path / "signing.key"),
        # Uploaded files, encrypted, under random names; never inside a web root.
        "FILES_DIR": str(instance_path / "files"),
        "MAIL_FROM": "vetting@localhost",
        "BASE_URL": "http://127.0.0.1:5000",
        "NOTICE_MAX_ATTEMPTS": 5,
        "NOTICE_STALE_CLAIM_SECONDS": 300,
        "INVITATION_HOURS": 72,
        "REPLY_WINDOW_DAYS": 10,
        # Days a candidate has for the questionnaire, from the day eligibility is passed.
        "QUESTIONNAIRE_DAYS": 30,
        # Days besides weekends that are not working days for the finding's notification lead
        # time before publication (domain.md: 5+ working days): the institution's holidays,
        # "2026-12-25, 2027-01-01". Read by parse_holidays; a day that is not a date is refused.
        "HOLIDAYS": "",
        "PREFERRED_URL_SCHEME": "http",
        # One uploaded file may be at most UPLOAD_MAX_BYTES (checked by vetting.operations.files);
        # one request at most MAX_CONTENT_LENGTH (a reply with a few files), else a 413 page.
        "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ["en", "fr"],
        "BOOTSTRAP_SERVE_LOCAL": True,
        # Rate limits on the confidential channel (vetting.web.ratelimit, Flask-Limiter syntax,
        # ";" between limits). Counted per client under a keyed hash of its address, never the
        # address itself; stored in Redis when REDIS_URL is set (RATELIMIT_STORAGE_URI), else in
        # memory. RATELIMIT_ENABLED False turns them off (the tests that do not test them).
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "CHANNEL_REPORT_LIMITS": "20 per hour",
        "CHANNEL_REPORT_GLOBAL_LIMITS": "500 per hour",
        "CHANNEL_RECEIPT_LIMITS": "10 per 10 minutes;50 per day",
    }


ENV_KEYS = {
    "VETTING_ENV": "ENV_NAME",
    "VETTING_SECRET_KEY": "SECRET_KEY",
    "VETTING_DATABASE_URL": "DATABASE_URL",
    "VETTING_REDIS_URL": "REDIS_URL",
    "VETTING_SMTP_URL": "SMTP_URL",
    "VETTING_MAIL_FROM": "MAIL_FROM",
    "VETTING_BASE_URL": "BASE_URL",
    "VETTING_MAIL_DIR": "MAIL_DIR",
    "VETTING_DATA_KEY": "DATA_KEY",
    "VETTING_SIGNING_KEY": "SIGNING_KEY",
    "VETTING_FILES_DIR": "FILES_DIR",
    "VETTING_QUESTIONNAIRE_DAYS": "QUESTIONNAIRE_DAYS",
    "VETTING_HOLIDAYS": "HOLIDAYS",
    "VETTING_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
}


def from_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    return {key: environ[var] for var, key in ENV_KEYS.items() if environ.get(var)}


class ConfigurationError(RuntimeError):
    pass


def parse_holidays(value: object) -> frozenset[date]:
    """The holidays as dates, from ISO dates separated by commas or spaces (the environment) or
    from a list of dates or such strings (instance/config.py)."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        items: Iterable[object] = value.replace(",", " ").split()
    elif isinstance(value, Iterable):
        items = value
    else:
        raise ConfigurationError("VETTING_HOLIDAYS must list dates, as 2026-12-25, 2027-01-01.")
    days: set[date] = set()
    for item in items:
        if isinstance(item, date) and not isinstance(item, datetime):
            days.add(item)
            continue
        try:
            days.add(date.fromisoformat(str(item).strip()))
        except ValueError:
            raise ConfigurationError(
                f"VETTING_HOLIDAYS: {item!s} is not a date; write each day as YYYY-MM-DD, "
                "separated by commas, as 2026-12-25, 2027-01-01."
            ) from None
    return frozenset(days)


def check(config: dict[str, Any]) -> None:
    """Refuse to run with a configuration that cannot be read, and in production with an
    unsafe one."""
    config["HOLIDAYS"] = parse_holidays(config.get("HOLIDAYS"))
    if str(config.get("BASE_URL", "")).startswith("https://"):
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"
    env = config.get("ENV_NAME")
    if env not in ("production", "development", "testing"):
        raise ConfigurationError("VETTING_ENV must be production, development or testing.")
    if env != "production" or config.get("TESTING"):
        return
    key = config.get("SECRET_KEY") or ""
    if key == INSECURE_DEV_KEY or len(key) < 32:
        raise ConfigurationError(
            "VETTING_SECRET_KEY must be set to a random value of at least 32 characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if not config["SESSION_COOKIE_SECURE"]:
        raise ConfigurationError(
            "Production is served over HTTPS only: set VETTING_BASE_URL to an https:// address."
        )
    if not config.get("DATA_KEY"):
        raise ConfigurationError(
            "VETTING_DATA_KEY must hold the key that encrypts confidential material at rest "
            "(python -c 'from vetting.sealing import new_key; print(new_key())'); keep a copy "
            "apart from the database backups."
        )
    if not config.get("SIGNING_KEY"):
        raise ConfigurationError(
            "VETTING_SIGNING_KEY must hold the Ed25519 key that signs the published audit "
            "checkpoints (python -c 'from vetting.checkpoints import new_seed; "
            "print(new_seed())'); its public key is shown on the site, so keep it for the "
            "life of the installation."
        )
