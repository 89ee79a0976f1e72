"""The audit report's formats: the one registry every verb, extension guess and format property reads.

Adding a format is one module defining ``FORMAT`` (a :class:`~notice_audit.formats.base.Format`) and one
line in :data:`FORMATS` below, naming it, its extensions and its module. ``--format`` choices, the
extensions ``--output`` is guessed from, the file names ``demo`` writes, which formats stream, which are
read where they are printed and how each goes to a terminal all come from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from notice_audit.formats.base import Deferred, Format, Registry
from notice_audit.formats.output import write_text
from notice_audit.model import AuditReport

#: Every format an audit report can be written in, in the order errors list them. Each is named by its module,
#: imported when the format is used (a run imports the format it writes, not jinja2 and rich for the others).
FORMATS: Registry[AuditReport] = Registry("", [
    Deferred("table", ("txt",), "notice_audit.formats.table"),
    Deferred("json", ("json",), "notice_audit.formats.json"),
    Deferred("markdown", ("md", "markdown"), "notice_audit.formats.markdown"),
    Deferred("html", ("html", "htm"), "notice_audit.formats.html"),
    Deferred("csv", ("csv",), "notice_audit.formats.csv"),
    Deferred("sarif", ("sarif",), "notice_audit.formats.sarif"),
    Deferred("junit", ("junit.xml", "xml"), "notice_audit.formats.junit"),
    Deferred("summary", ("summary.md",), "notice_audit.formats.github"),
    Deferred("jsonl", ("jsonl", "ndjson"), "notice_audit.formats.jsonl"),
])


def register(fmt: Format[AuditReport]) -> Format[AuditReport]:
    """Add a report format (as the list above does): for a format kept outside this package."""
    FORMATS.register(fmt)
    return fmt


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
