"""Terminal report drawn with ``rich``: the default format on a terminal.

Page text is wrapped in ``rich.text.Text`` or passed through
``rich.markup.escape``, so a notice containing ``[bold]`` prints literally.
"""

from __future__ import annotations

import io
import os
import shutil
from typing import TextIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from notice_audit.formats.base import Format
from notice_audit.formats.common import gate_lines, gate_note
from notice_audit.model import AuditReport, ItemResult, NoticeReport

STATUS_STYLES: dict[str, tuple[str, str]] = {
    "met": ("✓ met", "green"),
    "partial": ("~ partial", "yellow"),
    "missing": ("✗ missing", "red"),
    "failed": ("✗ failed", "bold red"),
    "not_applicable": ("– n/a", "dim"),
}
QUOTE_CHARS = 80


def shorten(value: str, limit: int = QUOTE_CHARS) -> str:
    """Collapse whitespace and cut to ``limit`` characters with an ellipsis."""
    s = " ".join(value.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _score(value: float) -> str:
    return f"{round(float(value), 1):g}"


def render(report: AuditReport, *, color: bool = False, width: int = 100) -> str:
    """The report as terminal text; ANSI styles only when ``color`` is true."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
        force_jupyter=False,
        legacy_windows=False,
        soft_wrap=False,
    )
    console.print(
        f"[bold]notice-audit {escape(report.tool_version)}[/bold] · checklist "
        f"{escape(report.checklist_id)} {escape(report.checklist_version)} · {escape(report.generated_at)}"
    )
    for notice in report.notices:
        console.print()
        console.print(_title(notice))
        console.print(_items(notice))
        for failure in notice.failures:
            what = f"{failure.item}: " if failure.item else ""
            console.print(Text.assemble(("gate: ", "bold red"), what + failure.reason))
        for suggestion in notice.suggestions:
            console.print(Text.assemble(("suggestion: ", "bold"), f"also audit with --checklist "
                                        f"{suggestion.checklist}: {suggestion.reason}"))
        for warning in notice.warnings:
            console.print(Text.assemble(("warning: ", "bold yellow"), warning))
    s = report.summary
    line = (
        f"{s['notices']} notices · [green]{s['passed']} passed[/green] · "
        f"[red]{s['failed']} failed[/red] · mean score {_score(s['mean_score'])} · {s['errors']} errors"
    )
    if report.skipped:
        line += f" · {len(report.skipped)} skipped"
    if report.fail_under is not None:
        line += f" · gate ≥ {_score(report.fail_under)}"
    console.print()
    for gate_line in gate_lines(report):
        console.print(Text(gate_line))
    console.print(line)
    for err in report.errors:
        console.print(Text.assemble(("error: ", "bold red"), err.target, " — ", err.error))
    for skip in report.skipped:
        console.print(Text.assemble(("skipped: ", "bold"), skip.target, " — ", skip.reason))
    return "\n".join(ln.rstrip() for ln in buf.getvalue().splitlines()) + "\n"


def _title(notice: NoticeReport) -> Text:
    verdict = ("PASS", "bold green") if notice.passed else ("FAIL", "bold red")
    title = Text.assemble((notice.title or notice.source, "bold"), "  ")
    if notice.title and notice.title != notice.source:
        title.append(notice.source, style="dim")
    title.append(f"\nscore {_score(notice.score)}/100  ")
    title.append(*verdict)
    return title


def _detail(item: ItemResult) -> Text:
    out = _evidence_text(item)
    if note := gate_note(item):
        out.append(("\n" if out.plain else "") + note, style="yellow")
    return out


def _evidence_text(item: ItemResult) -> Text:
    if item.status in ("met", "partial", "failed") and item.evidence:
        ev = item.evidence[0]
        out = Text()
        if item.status == "failed" and item.message:
            out.append(item.message + "\n")
        out.append(f"“{shorten(ev.quote)}”")
        out.append("\n" + str(ev.locator), style="dim")
        return out
    if item.status == "missing" and item.looked_for:
        return Text("looked for: " + item.looked_for)
    return Text(item.message, style="dim" if item.status == "not_applicable" else "")


def _items(notice: NoticeReport) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("status", no_wrap=True)
    table.add_column("item", overflow="fold")
    table.add_column("severity")
    table.add_column("wt", justify="right")
    table.add_column("evidence / looked for", overflow="fold", ratio=1)
    for item in notice.items:
        label, style = STATUS_STYLES.get(item.status, (item.status, ""))
        table.add_row(
            Text(label, style=style),
            Text(item.id),
            Text(item.severity),
            _score(item.weight),
            _detail(item),
        )
    return table


def print_report(report: AuditReport, file: TextIO) -> None:
    """Write the report to ``file``, in colour when it is a terminal (and NO_COLOR is unset)."""
    isatty = getattr(file, "isatty", None)
    tty = bool(isatty and isatty())
    color = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((100, 24)).columns if tty else 100
    file.write(render(report, color=color, width=width))


FORMAT = Format("table", ("txt",), render, for_people=True, printer=print_report)
