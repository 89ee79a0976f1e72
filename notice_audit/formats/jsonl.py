"""JSON Lines report, for very large runs: one JSON object per line, written as each notice is audited.

Line types: ``{"type": "run", ...}`` first (tool, checklist, time), then one ``{"type": "notice",
...}`` per notice (the same object as in the JSON report's ``notices``) or ``{"type": "error",
"target", "error"}`` per unreadable target, in target order, ``{"type": "skipped", "target", "reason"}``
per page a crawl did not fetch because robots.txt disallows it, and ``{"type": "summary", "summary",
"gate", "since_last"}`` last. A reader can process a run of any size a line at a time, and the
writer never holds more than one notice.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from types import TracebackType
from typing import Any, TextIO

from notice_audit.formats.base import Format
from notice_audit.formats.output import attempt, open_output
from notice_audit.model import AuditReport, NoticeReport, TargetError


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def head(report: AuditReport) -> dict[str, Any]:
    return {"type": "run", "tool": {"name": "notice-audit", "version": report.tool_version},
            "checklist": {"id": report.checklist_id, "version": report.checklist_version},
            "generated_at": report.generated_at}


def tail(report: AuditReport) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "summary", "summary": report.summary, "fail_under": report.fail_under}
    if report.gate is not None:
        out["gate"] = report.gate.to_json()
    if report.since_last is not None:
        out["since_last"] = dict(report.since_last)
    return out


def render(report: AuditReport) -> str:
    """A whole report as JSON Lines (the same lines the streaming writer produces)."""
    lines = [_line(head(report))]
    lines += [_line({"type": "notice", **n.to_json()}) for n in report.notices]
    lines += [_line({"type": "error", **e.to_json()}) for e in report.errors]
    lines += [_line({"type": "skipped", **s.to_json()}) for s in report.skipped]
    lines.append(_line(tail(report)))
    return "".join(lines)


class StreamWriter:
    """Writes a JSON Lines report as the run goes: to standard output, or to a file as ``report.output``
    writes one (a temporary file beside it, renamed into place only when the run completes; a FIFO or a
    device directly)."""

    def __init__(self, output: str | None) -> None:
        self._files = ExitStack()
        self._path = None if output in (None, "-") else str(output)
        self._fh: TextIO = sys.stdout if self._path is None else self._files.enter_context(open_output(self._path))

    def _write(self, obj: dict[str, Any]) -> None:
        if self._path is None:
            self._fh.write(_line(obj))
        else:  # a failed write names the file the user gave
            attempt(self._path, lambda: self._fh.write(_line(obj)))

    def head(self, report: AuditReport) -> None:
        self._write(head(report))

    def notice(self, notice: NoticeReport) -> None:
        self._write({"type": "notice", **notice.to_json()})

    def error(self, error: TargetError) -> None:
        self._write({"type": "error", **error.to_json()})

    def tail(self, report: AuditReport) -> None:
        for skip in report.skipped:
            self._write({"type": "skipped", **skip.to_json()})
        self._write(tail(report))

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._path is None:
            self._fh.flush()
        self._files.__exit__(kind, exc, tb)  # a file: flushed and renamed into place, or removed when the run failed


FORMAT = Format("jsonl", ("jsonl", "ndjson"), render, stream=StreamWriter)
