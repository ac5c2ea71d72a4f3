"""Crawling every page a signed-in user can reach, for the hiding and act-as tests.

The seeds come from app.url_map, so a page is covered the moment its route exists: every GET
route that is not public, with each argument filled with every object of its kind (every
candidacy's public id, every election, notice, assignment, user...; an unknown integer
argument is swept over the first ids, which covers every row of a small test world). Then
every same-site link the pages show is followed (pagers, filters, links with query strings),
and every same-site redirect.

Public routes are left out on purpose: they show what anyone sees signed out (the public
list of candidates and withdrawals), which no recusal can hide; test_recusal_hiding checks
that they show a signed-in user nothing more than they show an anonymous visitor.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Rule

from vetting.domain.roles import Permission, Role, has_permission
from vetting.models import Assignment, Candidacy, Election, Notice, User
from vetting.web.policy import EXTENSION_PUBLIC, PUBLIC, policy_of

# Integer arguments whose objects the test world holds in these tables.
ARGUMENT_TABLES = {
    "election_id": Election,
    "notice_id": Notice,
    "assignment_id": Assignment,
    "user_id": User,
}
SWEEP = range(1, 21)
HREF = re.compile(r'href="([^"]*)"')
MAIN = re.compile(r'<main id="main"[^>]*>(.*)</main>', re.DOTALL)
CSRF = re.compile(
    r'(name="csrf_token"[^>]*value=")[^"]*(")|(value=")[^"]*("[^>]*name="csrf_token")'
)
# The acting banner, where a page that does not extend base.html has it inside its content.
BANNER = re.compile(r"<!-- acting-banner -->.*?<!-- /acting-banner -->", re.DOTALL)
LIMIT = 5000


@dataclass(frozen=True)
class Page:
    status: int
    body: str
    location: str | None = None

    @property
    def main(self) -> str:
        """The page's own content, without the navigation and the acting banner, CSRF tokens
        blanked (they belong to the session, not to the page), white space collapsed."""
        found = MAIN.search(self.body)
        content = found.group(1) if found else BANNER.sub("", self.body)
        content = CSRF.sub(lambda m: (m[1] or m[3]) + (m[2] or m[4]), content)
        return re.sub(r"\s+", " ", content).strip()


def is_public(app: Flask, path: str) -> bool:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    return endpoint in EXTENSION_PUBLIC or policy_of(app, endpoint) == PUBLIC


def _values(app: Flask, session: sa.orm.Session, rule: Rule, arg: str) -> list[object]:
    if arg == "public_id":
        return list(session.scalars(sa.select(Candidacy.public_id).order_by(Candidacy.id)))
    if arg in ARGUMENT_TABLES:
        model = ARGUMENT_TABLES[arg]
        return list(session.scalars(sa.select(model.id).order_by(model.id)))
    if isinstance(rule._converters.get(arg), IntegerConverter):
        return list(SWEEP)
    pytest.fail(f"{rule.endpoint}: teach tests/web/crawl.py values for <{arg}>")


def seeds(app: Flask, session: sa.orm.Session, role: Role | None = None) -> list[str]:
    """Every non-public GET route, once per combination of its arguments' values. Given the
    role, a route whose permission it lacks is requested once only: it answers 403 whatever
    the object (the authorization matrix checks that for every route)."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in EXTENSION_PUBLIC:
            continue
        policy = policy_of(app, rule.endpoint)
        if policy == PUBLIC:
            continue
        args = sorted(rule.arguments)
        values = [_values(app, session, rule, a) for a in args]
        if role is not None and isinstance(policy, Permission) and not has_permission(role, policy):
            values = [v[:1] for v in values]
        for combination in itertools.product(*values):
            urls.append(adapter.build(rule.endpoint, dict(zip(args, combination, strict=True))))
    return urls


def _links(app: Flask, body: str) -> list[str]:
    found = []
    for raw in HREF.findall(body):
        link = html.unescape(raw)
        if not link.startswith("/") or link.startswith("//"):
            continue  # other sites, and the language switch (?lang=...)
        if link.startswith(("/static/", "/bootstrap/")) or is_public(app, link):
            continue
        found.append(link.split("#")[0])
    return found


def crawl(app: Flask, client: FlaskClient, start: list[str]) -> dict[str, Page]:
    """GET every seed, then every same-site non-public link and redirect found, once each."""
    pages: dict[str, Page] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in pages:
            continue
        assert len(pages) < LIMIT, "the crawl does not end: a page links to endless new URLs"
        response = client.get(url)
        body = response.get_data(as_text=True)
        location = response.headers.get("Location")
        pages[url] = Page(response.status_code, body, location)
        if location:
            parts = urlsplit(location)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc in ("", "localhost") and not is_public(app, target):
                queue.append(target)
        if response.status_code == 200 and response.mimetype == "text/html":
            queue.extend(link for link in _links(app, body) if link not in pages)
    return pages
