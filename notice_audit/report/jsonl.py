"""JSON Lines report, for very large runs: one JSON object per line, written as each notice is audited.

Line types: ``{"type": "run", ...}`` first (tool, checklist, time), then one ``{"type": "notice",
...}`` per notice (the same object as in the JSON report's ``notices``) or ``{"type": "error",
"target", "error"}`` per unreadable target, in target order, and ``{"type": "summary", "summary",
"gate", "since_last"}`` last. A reader can process a run of any size a line at a time, and the
writer never holds more than one notice.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from notice_audit.model import AuditReport, NoticeReport, TargetError
from notice_audit.report.common import atomic_file


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def head(report: AuditReport) -> dict[str, Any]:
    return {"type": "run", "tool": {"name": "notice-audit", "version": report.tool_version},
            "checklist": {"id": report.checklist_id, "version": report.checklist_version},
            "generated_at": report.generated_at}


def tail(report: AuditReport) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "summary", "summary": report.summary, "fail_under": report.fail_under}
    if report.gate is not None:
        out["gate"] = dict(report.gate)
    if report.since_last is not None:
        out["since_last"] = dict(report.since_last)
    return out


def render(report: AuditReport) -> str:
    """A whole report as JSON Lines (the same lines the streaming writer produces)."""
    lines = [_line(head(report))]
    lines += [_line({"type": "notice", **n.to_json()}) for n in report.notices]
    lines += [_line({"type": "error", **e.to_json()}) for e in report.errors]
    lines.append(_line(tail(report)))
    return "".join(lines)


class StreamWriter:
    """Writes a JSON Lines report as the run goes: to standard output, or atomically to a file
    (a temporary file beside it, renamed into place only when the run completes)."""

    def __init__(self, output: str | None) -> None:
        self._files = ExitStack()
        to_stdout = output in (None, "-")
        self._fh: TextIO = sys.stdout if to_stdout else self._files.enter_context(atomic_file(Path(str(output))))

    def head(self, report: AuditReport) -> None:
        self._fh.write(_line(head(report)))

    def notice(self, notice: NoticeReport) -> None:
        self._fh.write(_line({"type": "notice", **notice.to_json()}))

    def error(self, error: TargetError) -> None:
        self._fh.write(_line({"type": "error", **error.to_json()}))

    def tail(self, report: AuditReport) -> None:
        self._fh.write(_line(tail(report)))

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._fh.flush()
        self._files.__exit__(kind, exc, tb)  # a file: renamed into place, or removed when the run failed
