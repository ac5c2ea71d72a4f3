"""Notice texts: templates/notices/<kind>/{subject,body}.txt, in the recipient's language."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations, Translations

from vetting.notices.kinds import NoticeKind

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates" / "notices"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


@lru_cache(maxsize=8)
def _environment(language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        extensions=["jinja2.ext.i18n"],
        autoescape=False,  # noqa: S701 - plain-text mail, never rendered as HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    translations: NullTranslations = Translations.load(str(TRANSLATIONS), [language], "messages")
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def render(kind: NoticeKind, language: str, context: dict[str, Any]) -> tuple[str, str]:
    env = _environment(language if language in ("en", "fr") else "en")
    subject = env.get_template(f"{kind.value}/subject.txt").render(context).strip()
    body = env.get_template(f"{kind.value}/body.txt").render(context).strip() + "\n"
    return " ".join(subject.split()), body


# Links that act as credentials (invitations) in a notice body.
_SECRET_LINK = re.compile(r"(/invitation/)[A-Za-z0-9_\-]+")


def redact_secrets(body: str) -> str:
    """A body as staff may read it: a live invitation link would let the reader set the
    password before its owner does, so the token is hidden everywhere but the mail itself."""
    return _SECRET_LINK.sub(r"\1[hidden]", body)
