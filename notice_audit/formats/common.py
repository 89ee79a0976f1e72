"""Small helpers shared by the report formats."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from notice_audit.formats.words import plural
from notice_audit.model import AuditReport, ItemResult


def as_list(value: Any) -> list[Any]:
    """An extracted value as a list: reports saved by other versions may hold one value or none."""
    if value is None or value == "":
        return []
    if isinstance(value, str | Mapping):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def gate_note(item: ItemResult) -> str:
    """How the gate treated an item beyond its status: waived (until when, by whom) and baseline state."""
    notes = []
    if item.waiver:
        w = item.waiver
        state = "waiver expired" if w.expired else "waived until"
        notes.append(f"{state} {w.expires} ({w.owner}): {w.reason}")
    if item.baseline:
        notes.append("known (in baseline)" if item.baseline == "known" else "new since baseline")
    return "; ".join(notes)


def gate_lines(report: AuditReport) -> list[str]:
    """The run's gate in plain sentences: waivers with their state, baseline counts and fixed gaps."""
    gate = report.gate
    if gate is None:
        return []
    lines = [f"waiver {w.status}: {w.item} for {w.target} until {w.expires} ({w.owner}): {w.reason}"
             for w in gate.waivers]
    baseline = gate.baseline
    if baseline:
        lines.append(f"baseline {baseline.file}: {plural(baseline.new, 'new gap')}, {baseline.known} known, "
                     f"{len(baseline.fixed)} fixed")
        lines += [f"fixed since baseline: {item} in {target}" for target, item in baseline.fixed]
    return lines


def needs_looked_for(item: ItemResult) -> bool:
    """Whether to show what was looked for beside the message (a missing item's message often says it)."""
    return bool(item.looked_for) and item.looked_for not in item.message
