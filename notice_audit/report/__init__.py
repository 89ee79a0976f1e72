"""Report formats: one module per format, each ``render(AuditReport) -> str``.

Reports are data and formats are views: every format renders the same
``AuditReport``. Files are written by ``report.output`` (atomically for
regular files) so that a failed run never leaves a half-written report behind.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from notice_audit.model import AuditReport
from notice_audit.report import csv as csv_format
from notice_audit.report import github, html, jsonl, junit, markdown, sarif, table
from notice_audit.report import json as json_format
from notice_audit.report.output import format_from_extension, write_text

FORMATS: dict[str, Callable[[AuditReport], str]] = {
    "table": table.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "html": html.render,
    "csv": csv_format.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "summary": github.summary,
    "jsonl": jsonl.render,
}
EXTENSIONS = {
    "table": "txt", "json": "json", "markdown": "md", "html": "html", "csv": "csv",
    "sarif": "sarif", "junit": "junit.xml", "summary": "summary.md", "jsonl": "jsonl",
}
#: The format an output file's extension names: every name in EXTENSIONS, and the usual alternatives.
EXT_FORMATS = {
    **{f".{ext}": fmt for fmt, ext in EXTENSIONS.items()},
    ".htm": "html", ".markdown": "markdown", ".xml": "junit", ".ndjson": "jsonl",
}


def extensions_for(formats: Iterable[str]) -> dict[str, str]:
    """The part of EXT_FORMATS naming one of ``formats``: what another verb (compare, diff, history) guesses
    from, so that an extension means the same format wherever it is read."""
    wanted = set(formats)
    return {ext: fmt for ext, fmt in EXT_FORMATS.items() if fmt in wanted}


def render(report: AuditReport, fmt: str) -> str:
    try:
        return FORMATS[fmt](report)
    except KeyError:
        raise ValueError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})") from None


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path``: atomically for a file, directly into a FIFO or a device (``report.output``)."""
    write_text(path, text)


def format_for_path(path: str) -> str:
    """The report format ``path``'s extension names; JSON for a name without one (``/dev/null``, a FIFO)."""
    return format_from_extension(path, EXT_FORMATS, "json")


def emit(report: AuditReport, fmt: str, output: str | None) -> None:
    """Render and send to ``output``: a path, or standard output for None or '-'."""
    if fmt == "table" and output in (None, "-"):
        table.print_report(report, sys.stdout)
        return
    text = render(report, fmt)
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomic(Path(output), text)
