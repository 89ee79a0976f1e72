"""The audit report's formats: the one registry every verb, extension guess and format property reads.

Adding a format is one module defining ``FORMAT`` (a :class:`~notice_audit.formats.base.Format`) and one
line in :data:`FORMATS` below. ``--format`` choices, the extensions ``--output`` is guessed from, the
file names ``demo`` writes, which formats stream, which are read where they are printed and how each
goes to a terminal all come from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from notice_audit.formats import csv, github, html, json, jsonl, junit, markdown, sarif, table
from notice_audit.formats.base import Format, Registry
from notice_audit.formats.output import write_text
from notice_audit.model import AuditReport

#: Every format an audit report can be written in, in the order errors list them.
FORMATS: Registry[AuditReport] = Registry("", [
    table.FORMAT, json.FORMAT, markdown.FORMAT, html.FORMAT, csv.FORMAT, sarif.FORMAT, junit.FORMAT,
    github.FORMAT, jsonl.FORMAT,
])


def register(fmt: Format[AuditReport]) -> Format[AuditReport]:
    """Add a report format (as the list above does): for a format kept outside this package."""
    return FORMATS.register(fmt)


def render(report: AuditReport, fmt: str) -> str:
    """``report`` as text in the format named ``fmt``."""
    return FORMATS.get_format(fmt).render(report)


def format_for_path(path: str) -> str:
    """The report format ``path``'s extension names; JSON for a name without one (``/dev/null``, a FIFO)."""
    return FORMATS.guess(path, "json")


def emit(report: AuditReport, fmt: str, output: str | None) -> None:
    """Render and send to ``output``: a path, or standard output for None or '-' (as the format shows
    itself there: the table fits the terminal)."""
    chosen = FORMATS.get_format(fmt)
    if output in (None, "-"):
        chosen.show(report, sys.stdout)
    else:
        write_text(Path(output), chosen.render_at(report, Path(output)))
