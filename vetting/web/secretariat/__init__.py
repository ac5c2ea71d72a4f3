from __future__ import annotations

from flask import Blueprint

bp = Blueprint("secretariat", __name__)
