"""The panel blueprint, apart so that each route module can register on it."""

from flask import Blueprint, request

bp = Blueprint("panel", __name__)


def page_number() -> int:
    return request.args.get("page", 1, type=int) or 1
