from __future__ import annotations

from flask import Blueprint

bp = Blueprint("diligence", __name__)
