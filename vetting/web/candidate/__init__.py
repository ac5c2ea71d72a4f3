from __future__ import annotations

from flask import Blueprint

bp = Blueprint("candidate", __name__)
