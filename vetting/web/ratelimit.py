"""Rate limits against flooding the confidential channel (security checklist AU-6, IN-7).

Flask-Limiter counts each client's requests under a key that is a keyed hash (HMAC-SHA256
with the application's secret key) of its address: the counters, in Redis or in memory, never
hold an address, and they expire with their window. The limits are configuration
(CHANNEL_*_LIMITS), and RATELIMIT_ENABLED turns them off. See
docs/decisions/0008-flask-limiter-for-the-channel-rate-limits.md.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded


def address_key() -> str:
    """The client, as the limits count it: a keyed hash of its address, never the address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(secret, b"ratelimit:" + address, hashlib.sha256).hexdigest()[:32]


def everyone() -> str:
    """One key for all clients: the ceiling on the whole channel, whoever floods it."""
    return "everyone"


limiter = Limiter(key_func=address_key, key_prefix="vetting")


def report_limits() -> str:
    return str(current_app.config["CHANNEL_REPORT_LIMITS"])


def report_global_limits() -> str:
    return str(current_app.config["CHANNEL_REPORT_GLOBAL_LIMITS"])


def receipt_limits() -> str:
    return str(current_app.config["CHANNEL_RECEIPT_LIMITS"])


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many)


def _too_many(error: RateLimitExceeded) -> object:
    current = limiter.current_limit
    minutes = None
    if current is not None:
        minutes = max(1, math.ceil((current.reset_at - time.time()) / 60))
    return render_template("errors/too_many.html", minutes=minutes), 429
