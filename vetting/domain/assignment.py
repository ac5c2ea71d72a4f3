"""Automatic assignment of reviewers to candidacies: a balanced load.

The problem: each candidacy wants ``per_candidacy`` reviewers; each member may carry at most
``cap`` assignments; some member x candidacy pairs are excluded (a detected conflict, a
recusal) and some already exist (they count for the candidacy and for the member's load, and
are never made twice). The plan, in this order of priority:

1. **Coverage first**: as many new assignments as the exclusions and the cap allow (a maximum
   flow), so that no candidacy goes short when another choice would have filled it.
2. **Then an even load**: among the plans of maximum coverage, the one whose members' final
   loads have the least sum of squares. With a fixed total that is the most even spread, so
   the loads differ by at most one whenever some plan of maximum coverage allows it.
3. **Deterministic**: the same input, in the same order, gives the same plan.

It is solved as a min-cost maximum flow: source -> candidacy (capacity: the reviewers it still
wants), candidacy -> member (capacity 1, when the pair is allowed), member -> sink (one unit
edge per free place under the cap, the k-th costing ``2 * (load + k) - 1``, the growth of the
square of the load, a convex cost). Successive shortest paths (Dijkstra with potentials) is
exact for this and fast for panels of tens of members and elections of tens of candidacies.

Standard library only.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

Pair = tuple[int, int]  # (candidacy id, member id)


class ShortReason(enum.Enum):
    # Fewer members without a conflict than the reviewers wanted.
    TOO_FEW_MEMBERS = "too_few_members"
    # Enough members without a conflict, but those not yet on it have reached the cap.
    CAP_REACHED = "cap_reached"


@dataclass(frozen=True)
class Shortfall:
    candidacy: int
    wanted: int
    # Reviewers it has once the plan is carried out (existing and new).
    got: int
    # Members who may review it (no exclusion), and members excluded from it.
    available: int
    excluded: int
    reason: ShortReason


@dataclass(frozen=True)
class Plan:
    # The new pairs, in the order of the candidacies, then of the members, given.
    chosen: tuple[Pair, ...]
    shortfalls: tuple[Shortfall, ...]
    # Each member's load once the plan is carried out (existing assignments included).
    loads: dict[int, int] = field(default_factory=dict)


def plan_balanced(
    candidacies: Sequence[int],
    members: Sequence[int],
    *,
    per_candidacy: int,
    cap: int,
    existing: Collection[Pair] = (),
    excluded: Collection[Pair] = (),
) -> Plan:
    """The balanced plan described in the module's docstring.

    ``existing`` pairs count towards their candidacy's reviewers and their member's load (a
    pair whose candidacy is not in ``candidacies`` still counts for the load), even when also
    excluded (a member assigned by hand despite a detected conflict). ``excluded`` pairs are
    never chosen; leave a recused reviewer's assignment out of ``existing`` and put it here, so
    that it neither counts nor is made again.
    """
    if per_candidacy < 1:
        raise ValueError("per_candidacy must be at least 1")
    if cap < 0:
        raise ValueError("cap must not be negative")
    member_set = set(members)
    taken = {p for p in existing if p[1] in member_set}
    out_pairs = set(excluded) - taken
    blocked = out_pairs | taken
    load = {m: 0 for m in members}
    for _c, m in taken:
        load[m] += 1
    have = {c: 0 for c in candidacies}
    for c, _m in taken:
        if c in have:
            have[c] += 1

    flow = _MinCostFlow(2 + len(candidacies) + len(members))
    source, sink = 0, 1
    c_node = {c: 2 + i for i, c in enumerate(candidacies)}
    m_node = {m: 2 + len(candidacies) + j for j, m in enumerate(members)}
    pair_edges: list[tuple[Pair, int]] = []
    for c in candidacies:
        need = max(0, per_candidacy - have[c])
        if need:
            flow.add_edge(source, c_node[c], need, 0)
    for c in candidacies:
        if per_candidacy - have[c] <= 0:
            continue
        for m in members:
            if (c, m) not in blocked:
                pair_edges.append(((c, m), flow.add_edge(c_node[c], m_node[m], 1, 0)))
    for m in members:
        for k in range(1, max(0, cap - load[m]) + 1):
            flow.add_edge(m_node[m], sink, 1, 2 * (load[m] + k) - 1)
    flow.run(source, sink)

    chosen = {pair for pair, edge in pair_edges if flow.used(edge)}
    for c, m in chosen:
        load[m] += 1
        have[c] += 1
    order_c = {c: i for i, c in enumerate(candidacies)}
    order_m = {m: j for j, m in enumerate(members)}
    shortfalls = []
    for c in candidacies:
        if have[c] >= per_candidacy:
            continue
        out = sum(1 for m in members if (c, m) in out_pairs)
        available = len(members) - out
        shortfalls.append(
            Shortfall(
                candidacy=c,
                wanted=per_candidacy,
                got=have[c],
                available=available,
                excluded=out,
                reason=ShortReason.TOO_FEW_MEMBERS
                if available < per_candidacy
                else ShortReason.CAP_REACHED,
            )
        )
    return Plan(
        chosen=tuple(sorted(chosen, key=lambda p: (order_c[p[0]], order_m[p[1]]))),
        shortfalls=tuple(shortfalls),
        loads=load,
    )


def plan_everyone(
    candidacies: Sequence[int],
    members: Sequence[int],
    *,
    existing: Collection[Pair] = (),
    excluded: Collection[Pair] = (),
) -> tuple[Pair, ...]:
    """The default mode: every member on every candidacy, but for the excluded pairs and the
    pairs that already exist; in the order of the candidacies, then of the members."""
    skip = set(existing) | set(excluded)
    return tuple((c, m) for c in candidacies for m in members if (c, m) not in skip)


class _MinCostFlow:
    """Successive shortest paths with Dijkstra on reduced costs (all costs start >= 0)."""

    def __init__(self, nodes: int) -> None:
        self.graph: list[list[int]] = [[] for _ in range(nodes)]
        # Edge i: to[i], capacity cap[i], cost cost[i]; its reverse is i ^ 1.
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def add_edge(self, u: int, v: int, capacity: int, cost: int) -> int:
        index = len(self.to)
        for a, b, c, w in ((u, v, capacity, cost), (v, u, 0, -cost)):
            self.graph[a].append(len(self.to))
            self.to.append(b)
            self.cap.append(c)
            self.cost.append(w)
        return index

    def used(self, edge: int) -> bool:
        return self.cap[edge ^ 1] > 0

    def run(self, source: int, sink: int) -> int:
        n = len(self.graph)
        potential = [0] * n
        total = 0
        while True:
            dist: list[int | None] = [None] * n
            via: list[int] = [-1] * n
            dist[source] = 0
            heap = [(0, source)]
            while heap:
                d, u = heapq.heappop(heap)
                if d != dist[u]:
                    continue
                for e in self.graph[u]:
                    if self.cap[e] <= 0:
                        continue
                    v = self.to[e]
                    nd = d + self.cost[e] + potential[u] - potential[v]
                    current = dist[v]
                    if current is None or nd < current:
                        dist[v] = nd
                        via[v] = e
                        heapq.heappush(heap, (nd, v))
            reached = dist[sink]
            if reached is None:
                return total
            for v in range(n):
                dv = dist[v]
                if dv is not None:
                    potential[v] += dv
            # Every path's bottleneck is 1 (candidacy -> member edges carry one unit).
            push = min(self._path_caps(via, source, sink))
            v = sink
            while v != source:
                e = via[v]
                self.cap[e] -= push
                self.cap[e ^ 1] += push
                v = self.to[e ^ 1]
            total += push

    def _path_caps(self, via: list[int], source: int, sink: int) -> list[int]:
        caps = []
        v = sink
        while v != source:
            e = via[v]
            caps.append(self.cap[e])
            v = self.to[e ^ 1]
        return caps
