"""Reading a saved JSON report back into an ``AuditReport`` (reports are data; formats are views).

The report is validated against the schema first, so a file that is not a
notice-audit report is rejected with the file and the first problem named.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport, TargetError
from notice_audit.report.json import validation_errors


class ReportError(ValueError):
    """A file that cannot be read as a notice-audit JSON report."""


def load_report(path: str | Path) -> AuditReport:
    """Load and validate a JSON report written by ``--format json``."""
    name = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{name}: not a JSON report: {exc}") from exc
    problems = validation_errors(data)
    if problems:
        raise ReportError(f"{name}: not a notice-audit report: {problems[0]}")
    return report_from_json(data)


def report_from_json(data: dict[str, Any]) -> AuditReport:
    return AuditReport(
        tool_version=data["tool"]["version"],
        checklist_id=data["checklist"]["id"],
        checklist_version=data["checklist"]["version"],
        generated_at=data["generated_at"],
        notices=tuple(_notice(n) for n in data["notices"]),
        errors=tuple(TargetError(e["target"], e["error"]) for e in data.get("errors", [])),
        fail_under=data.get("fail_under"),
        gate=data.get("gate"),
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
        parent=n.get("parent"),
        suggestions=tuple(n.get("suggestions", ())),
        failures=tuple(n.get("failures", ())),
        warnings=tuple(n.get("warnings", ())),
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
        waiver=i.get("waiver"),
        baseline=i.get("baseline"),
    )
