"""The documentation that restates code is checked against the code, line by line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vetting.domain.roles import ROLE_PERMISSIONS, Permission, Role
from vetting.domain.stages import TRANSITIONS, Stage

DOCS = Path(__file__).resolve().parents[1] / "docs"
MERMAID = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)
EDGE = re.compile(r"^\s*(\w+)\s*-->\s*(\w+)\s*:\s*(\w+)\s*$")
TICK = "✓"


def _mermaid_edges(text: str) -> set[tuple[str, str, str]]:
    blocks = MERMAID.findall(text)
    assert len(blocks) == 1, "docs/workflow.md must hold exactly one mermaid block"
    block = blocks[0]
    assert block.lstrip().startswith("stateDiagram-v2")
    edges = set()
    for line in block.splitlines():
        if "[*]" in line or "-->" not in line:
            continue
        match = EDGE.match(line)
        assert match, f"unreadable diagram line: {line!r}"
        edges.add((match[1], match[2], match[3]))
    return edges


def _table_rows(text: str, first_header: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and the body rows of the markdown table whose first header is given."""
    lines = text.splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("|") and line.strip("| ").startswith(first_header)
    )
    header = [cell.strip() for cell in lines[start].strip().strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return header, rows


def _table_transitions() -> set[tuple[str, str, str]]:
    return {(t.source.value, t.target.value, t.action.value) for t in TRANSITIONS}


def _generated_diagram() -> str:
    """What the block should say; printed on failure so the fix is a copy and paste."""
    lines = ["stateDiagram-v2", "    [*] --> nominated"]
    lines += [f"    {t.source.value} --> {t.target.value}: {t.action.value}" for t in TRANSITIONS]
    lines += [f"    {s.value} --> [*]" for s in Stage if s.is_terminal]
    return "\n".join(lines)


def test_workflow_diagram_matches_transition_table_when_compared_line_by_line():
    drawn = _mermaid_edges((DOCS / "workflow.md").read_text(encoding="utf-8"))
    expected = _table_transitions()

    assert drawn == expected, (
        f"only in the drawing: {sorted(drawn - expected)}; "
        f"only in TRANSITIONS: {sorted(expected - drawn)}\n"
        f"expected block:\n{_generated_diagram()}"
    )


def test_workflow_roles_table_matches_transition_roles_when_compared_row_by_row():
    header, rows = _table_rows((DOCS / "workflow.md").read_text(encoding="utf-8"), "From")
    assert header[:4] == ["From", "Action", "To", "Roles"]
    documented: dict[tuple[str, str, str], set[str]] = {}
    for source, action, target, roles, *_ in rows:
        expected_roles = {r.strip() for r in roles.split(",")}
        if source.startswith("every stage"):
            sources = [s.value for s in Stage if not s.is_terminal]
        else:
            sources = [source]
        for each in sources:
            documented[(each, target, action)] = expected_roles

    in_code = {
        (t.source.value, t.target.value, t.action.value): {r.value for r in t.roles}
        for t in TRANSITIONS
    }
    assert documented == in_code


def test_permissions_table_matches_role_permissions_when_compared_cell_by_cell():
    header, rows = _table_rows((DOCS / "permissions.md").read_text(encoding="utf-8"), "Permission")
    roles = header[1:]
    assert sorted(roles) == sorted(r.value for r in Role)

    documented: dict[str, set[str]] = {role: set() for role in roles}
    listed = []
    for row in rows:
        assert len(row) == len(header), f"row with the wrong number of cells: {row}"
        permission = row[0].strip("`")
        listed.append(permission)
        for role, cell in zip(roles, row[1:], strict=True):
            assert cell in ("", TICK), f"cell {permission} x {role} holds {cell!r}"
            if cell == TICK:
                documented[role].add(permission)

    assert sorted(listed) == sorted(p.value for p in Permission)
    assert len(listed) == len(set(listed))
    in_code = {role.value: {p.value for p in perms} for role, perms in ROLE_PERMISSIONS.items()}
    assert documented == in_code


@pytest.mark.parametrize(
    ("broken", "expected_gap"),
    [
        ("    published --> closed: close\n", ("published", "closed", "close")),
        ("    nominated --> withdrawn: withdraw\n", ("nominated", "withdrawn", "withdraw")),
    ],
)
def test_diagram_parser_notices_a_missing_transition_when_a_line_is_removed(broken, expected_gap):
    """The check above is only worth something if a missing line makes it fail."""
    text = (DOCS / "workflow.md").read_text(encoding="utf-8")
    assert broken in text
    drawn = _mermaid_edges(text.replace(broken, ""))

    assert _table_transitions() - drawn == {expected_gap}
