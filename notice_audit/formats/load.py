"""Reading a saved report back into an ``AuditReport`` (reports are data; formats are views).

Two formats are read: the JSON report, and JSON Lines (``--format jsonl``, the one for large runs: a
``run`` line, ``notice`` and ``error`` lines, a ``summary`` line; see ``formats/jsonl.py``), which is
assembled into the same object and so loads into the same ``AuditReport``. A file is JSON Lines when its
name ends in ``.jsonl`` or ``.ndjson``, or when its first line is a whole ``run`` record.

The report is validated against the schema first, so a file that is not a notice-audit report is
rejected with the file and the first problem named (for JSON Lines, the line too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from notice_audit.errors import UsageError
from notice_audit.formats import jsonl
from notice_audit.formats.json import validation_errors
from notice_audit.model import (
    AuditReport,
    Evidence,
    Failure,
    GateSummary,
    ItemResult,
    Locator,
    NoticeReport,
    ParentCoverage,
    SkippedTarget,
    Suggestion,
    TargetError,
    WaiverState,
)

#: The names of JSON Lines files: those the jsonl format is written to.
JSONL_SUFFIXES = tuple(f".{ext}" for ext in jsonl.FORMAT.extensions)


class ReportError(UsageError, ValueError):
    """A file that cannot be read as a notice-audit report."""


def load_report(path: str | Path) -> AuditReport:
    """Load and validate a report written by ``--format json`` or ``--format jsonl``."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ReportError(f"{name}: not a JSON report: {exc}") from exc
    if is_json_lines(name, text):
        return _from_json_lines(name, text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{name}: not a JSON report: {exc}") from exc
    problems = validation_errors(data)
    if problems:
        raise ReportError(f"{name}: not a notice-audit report: {problems[0]}")
    return report_from_json(data)


def is_json_lines(name: str, text: str) -> bool:
    """By the file's extension, or (for a file named otherwise) by a first line that is a ``run`` record."""
    if name.lower().endswith(JSONL_SUFFIXES):
        return True
    first = text.lstrip().split("\n", 1)[0]
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and record.get("type") == "run"


def _from_json_lines(name: str, text: str) -> AuditReport:
    data, lines = _assemble(name, text)
    problems = validation_errors(data)
    if problems:
        raise ReportError(f"{name}: line {_line_of(problems[0], lines)}: not a notice-audit report: {problems[0]}")
    return report_from_json(data)


class _Lines:
    """Which line each part of the assembled report came from, for naming it in a message."""

    def __init__(self) -> None:
        self.run = self.summary = 0
        self.notices: list[int] = []
        self.errors: list[int] = []
        self.skipped: list[int] = []


def _assemble(name: str, text: str) -> tuple[dict[str, Any], _Lines]:
    """The JSON report a JSON Lines file holds: run line first, summary line last, and between them the
    notices, errors and skipped pages."""
    data: dict[str, Any] = {"notices": [], "errors": []}
    lines = _Lines()
    number = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        record = _record(name, number, raw)
        kind = record.pop("type")
        if lines.summary:
            raise ReportError(f"{name}: line {number}: a '{kind}' record after the summary line")
        if kind == "run" and lines.run:
            raise ReportError(f"{name}: line {number}: a second 'run' record")
        if kind != "run" and not lines.run:
            raise ReportError(f"{name}: line {number}: a '{kind}' record before the 'run' line")
        if kind == "run":
            data.update(record)
            lines.run = number
        elif kind in ("notice", "error"):
            data[f"{kind}s"].append(record)
            getattr(lines, f"{kind}s").append(number)
        elif kind == "skipped":
            data.setdefault("skipped", []).append(record)
            lines.skipped.append(number)
        elif kind == "summary":
            data.update(record)
            lines.summary = number
        else:
            raise ReportError(f"{name}: line {number}: unknown record type '{kind}'")
    if not lines.summary:
        raise ReportError(f"{name}: line {number + 1}: the file ends without its 'summary' line (truncated?)")
    return data, lines


def _record(name: str, number: int, raw: str) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{name}: line {number}: not JSON (truncated?): {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict) or not isinstance(record.get("type"), str):
        raise ReportError(f"{name}: line {number}: not a notice-audit record (an object with a 'type')")
    return record


def _line_of(problem: str, lines: _Lines) -> int:
    """The line a schema problem (``/notices/3/items: ...``, or ``/: 'tool' is a required property``) is on."""
    where, message = problem.split(": ", 1)
    parts = where.strip("/").split("/")
    if parts[0] in ("notices", "errors", "skipped") and len(parts) > 1 and parts[1].isdigit():
        return int(getattr(lines, parts[0])[int(parts[1])])
    run_keys = ("tool", "checklist", "generated_at")
    if parts[0] in run_keys or (not parts[0] and any(f"'{key}'" in message for key in run_keys)):
        return lines.run
    return lines.summary


def report_from_json(data: dict[str, Any]) -> AuditReport:
    return AuditReport(
        tool_version=data["tool"]["version"],
        checklist_id=data["checklist"]["id"],
        checklist_version=data["checklist"]["version"],
        generated_at=data["generated_at"],
        notices=tuple(_notice(n) for n in data["notices"]),
        errors=tuple(TargetError(e["target"], e["error"]) for e in data.get("errors", [])),
        skipped=tuple(SkippedTarget(s["target"], s["reason"]) for s in data.get("skipped", [])),
        fail_under=data.get("fail_under"),
        gate=GateSummary.from_json(data["gate"]) if data.get("gate") else None,
        since_last=data.get("since_last"),
    )


def _notice(n: dict[str, Any]) -> NoticeReport:
    return NoticeReport(
        source=n["source"],
        title=n["title"],
        score=float(n["score"]),
        passed=bool(n["passed"]),
        items=tuple(_item(i) for i in n["items"]),
        extracted=n["extracted"],
        content_hash=n.get("content_hash", ""),
        media_type=n.get("media_type", ""),
        parts=tuple(n.get("parts", ())),
        parent=ParentCoverage.from_json(n["parent"]) if n.get("parent") else None,
        suggestions=tuple(Suggestion.from_json(s) for s in n.get("suggestions", ())),
        failures=tuple(Failure.from_json(f) for f in n.get("failures", ())),
        warnings=tuple(n.get("warnings", ())),
        status=n.get("status", "notice"),  # reports written before screening: every target a notice
    )


def _item(i: dict[str, Any]) -> ItemResult:
    return ItemResult(
        id=i["id"],
        title=i.get("title", i["id"]),
        status=i["status"],
        severity=i["severity"],
        weight=float(i["weight"]),
        message=i["message"],
        evidence=tuple(Evidence(e["quote"], Locator.parse(e["locator"])) for e in i["evidence"]),
        reference=i.get("reference", ""),
        guidance=i.get("guidance", ""),
        link=i.get("link", ""),
        looked_for=i.get("looked_for", ""),
        waiver=WaiverState.from_json(i["waiver"]) if i.get("waiver") else None,
        baseline=i.get("baseline"),
    )
