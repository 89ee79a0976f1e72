"""CSV export: one row per notice and checklist item, for spreadsheets.

Each row also says whether its target reads as a notice at all (``notice_status``: notice or
not_a_notice) and what the report warns of it (``warnings``, joined by "; "), so that a sheet
filtered to failing items does not mistake an explainer page for a failing notice.

Quoting follows RFC 4180 (the ``csv`` module, CRLF line ends). Text from a
page could otherwise become a live spreadsheet formula, so any cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe (the OWASP advice on CSV injection); numbers written by
the tool itself (score, weight) are left as numbers.
"""

from __future__ import annotations

import csv
import io

from notice_audit.formats.base import Format
from notice_audit.formats.common import gate_note
from notice_audit.model import AuditReport, ItemResult, NoticeReport

COLUMNS = (
    "source",
    "notice_title",
    "score",
    "passed",
    "item_id",
    "item_title",
    "status",
    "severity",
    "weight",
    "message",
    "first_quote",
    "first_locator",
    "evidence_count",
    "gate",
    "notice_status",
    "warnings",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Text for one cell, defused when a spreadsheet would read it as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _number(value: float) -> str:
    """A number without a trailing ``.0`` (12, 87.5)."""
    return f"{round(float(value), 1):g}"


def _row(notice: NoticeReport, item: ItemResult) -> list[str]:
    first = item.evidence[0] if item.evidence else None
    return [
        cell(notice.source),
        cell(notice.title),
        _number(notice.score),
        "true" if notice.passed else "false",
        cell(item.id),
        cell(item.title),
        cell(item.status),
        cell(item.severity),
        _number(item.weight),
        cell(item.message),
        cell(" ".join(first.quote.split()) if first else ""),
        cell(str(first.locator) if first else ""),
        str(len(item.evidence)),
        cell("failed" if item.id in notice.gate_items() else gate_note(item)),
        *_notice_cells(notice),
    ]


def _notice_cells(notice: NoticeReport) -> list[str]:
    return [cell(notice.status), cell("; ".join(" ".join(w.split()) for w in notice.warnings))]


def render(report: AuditReport) -> str:
    """The per-item results as CSV with a header row."""
    buf = io.StringIO()
    writer = csv.writer(buf, dialect="excel", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for notice in report.notices:
        for item in notice.items:
            writer.writerow(_row(notice, item))
        if not notice.items:  # keep the notice visible in the sheet
            writer.writerow([cell(notice.source), cell(notice.title), _number(notice.score),
                             "true" if notice.passed else "false", *[""] * 8, "0", "", *_notice_cells(notice)])
    return buf.getvalue()


FORMAT = Format("csv", ("csv",), render)
