"""Terminal report drawn with ``rich``: the default format on a terminal.

Written for a person at an 80-column terminal: items by their checklist titles, each in at most two
lines (its status and title; then the quote and where it is, or what was looked for), places said as
a reader finds them ("under ‘Your rights’, paragraph 2"), and why a notice failed in words. A wider
terminal gets longer quotes, never more lines. The ids, selectors and full locators are in the JSON.

Page text is wrapped in ``rich.text.Text`` or passed through ``rich.markup.escape``, so a notice
containing ``[bold]`` prints literally.
"""

from __future__ import annotations

import io
import os
import shutil
import textwrap
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from notice_audit.formats.base import Format
from notice_audit.formats.common import gate_lines, gate_note
from notice_audit.formats.people import (
    condition_words,
    covered_by_parent,
    page_heading,
    parent_line,
    sentence,
    since_last_line,
    status_counts,
    titles,
    verdict_line,
    where,
)
from notice_audit.formats.words import plural
from notice_audit.model import NOT_A_NOTICE, AuditReport, ItemResult, NoticeReport

STATUS_STYLES: dict[str, tuple[str, str]] = {
    "met": ("✓ met", "green"),
    "partial": ("~ partial", "yellow"),
    "missing": ("✗ missing", "red"),
    "failed": ("✗ failed", "bold red"),
    "not_applicable": ("– n/a", "dim"),
}
#: The status column: the widest label and a space; an item's second line starts under its title.
INDENT = 11
#: The narrowest line the layout is drawn for; a narrower terminal wraps.
MIN_WIDTH = 60
#: At most this share of an evidence line goes to where the quote is; the quote gets the rest.
WHERE_SHARE = 0.5


#: Lines printed unfolded: a long URL or path stays whole, to be copied (the terminal wraps it for the eye).
WHOLE: dict[str, Any] = {"no_wrap": True, "overflow": "ignore", "crop": False}


def shorten(value: str, limit: int) -> str:
    """Collapse whitespace and cut to ``limit`` characters with an ellipsis."""
    s = " ".join(value.split())
    if limit <= 1:
        return s[:limit]
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _score(value: float) -> str:
    return f"{round(float(value), 1):g}"


def render(report: AuditReport, *, color: bool = False, width: int = 100) -> str:
    """The report as terminal text, laid out for ``width`` columns; ANSI styles only when ``color``."""
    width = max(width, MIN_WIDTH)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, color_system="standard" if color else None, width=width,
                      highlight=False, emoji=False, force_jupyter=False, legacy_windows=False, soft_wrap=False)
    console.print(f"[bold]notice-audit {escape(report.tool_version)}[/bold] · checklist "
                  f"{escape(report.checklist_id)} {escape(report.checklist_version)} · "
                  f"{escape(report.generated_at)}")
    for number, notice in enumerate(report.notices, 1):
        console.print()
        for line in _notice(number, notice, report, width):
            console.print(line, **WHOLE)
    console.print()
    for gate_line in gate_lines(report):
        console.print(Text(gate_line))
    console.print(_summary(report))
    for err in report.errors:
        console.print(Text.assemble(("could not audit: ", "bold red"), err.target, " — ", err.error), **WHOLE)
    for skip in report.skipped:
        console.print(Text.assemble(("skipped: ", "bold"), skip.target, " — ", skip.reason), **WHOLE)
    return "\n".join(ln.rstrip() for ln in buf.getvalue().splitlines()) + "\n"


def _summary(report: AuditReport) -> Text:
    s = report.summary
    out = Text(plural(s["notices"], "notice") + " · ")
    if s.get("not_notices"):
        out = Text(plural(s["notices"], "target") + f" ({s['not_notices']} not a notice) · ")
    out.append(f"{s['passed']} passed", style="green")
    out.append(" · ")
    out.append(f"{s['failed']} failed", style="red" if s["failed"] else "")
    out.append(f" · mean score {_score(s['mean_score'])}")
    if s["errors"]:
        out.append(" · " + plural(s["errors"], "target") + " could not be audited", style="red")
    if report.skipped:
        out.append(f" · {len(report.skipped)} skipped")
    if report.fail_under is not None:
        out.append(f" · pass mark {_score(report.fail_under)}")
    return out


def _notice(number: int, notice: NoticeReport, report: AuditReport, width: int) -> list[Text]:
    """The notice's heading lines, then its items, then its suggestions and warnings."""
    verdict = ("PASS", "bold green") if notice.passed else ("FAIL", "bold red")
    lines = [Text.assemble((f"{number}. ", "bold"), (notice.title or notice.source, "bold"))]
    if notice.title and notice.title != notice.source:
        lines.append(Text("   " + notice.source, style="dim"))
    if not notice.is_notice:
        return lines + _not_a_notice(notice, verdict, width)
    head = Text.assemble("   ", f"Score {_score(notice.score)}/100 · ", verdict)
    if counts := status_counts(notice):
        head.append(" · " + counts)
    lines.append(head)
    names = titles(notice.items)
    said: list[tuple[str | None, str]] = [
        (sentence(verdict_line(notice)) if not notice.passed else None, "red"),
        (parent_line(notice), ""), (since_last_line(report.since_last, notice.source, names), "")]
    for note, style in said:
        if note:
            lines += [Text(line, style=style) for line in _wrap(note, width)]
    lines.append(Text())
    top = page_heading(notice)
    for item in notice.items:
        lines += _item(item, notice, top, width)
    for suggestion in notice.suggestions:
        tip = f"Tip: also audit with --checklist {suggestion.checklist}: {suggestion.reason}"
        lines += [Text(line) for line in _wrap(tip, width)]
    for warning in notice.warnings:
        lines += [Text(line, style="yellow") for line in _wrap("Warning: " + warning, width)]
    return lines


def _not_a_notice(notice: NoticeReport, verdict: tuple[str, str], width: int) -> list[Text]:
    """A target that does not read as a notice: why, in place of sixteen items it was never meant to meet
    (the JSON keeps them). It fails only when the run asks (``--fail-on-non-notice``)."""
    head = Text.assemble("   ", ("NOT A NOTICE", "bold yellow"))
    if not notice.passed:
        head.append(" · ")
        head.append(*verdict)
    lines = [head]
    for reason in notice.status_reasons:
        lines += [Text(line, style="yellow") for line in _wrap(sentence(reason), width)]
    others = [w for w in notice.warnings if not w.startswith(NOT_A_NOTICE)]
    for warning in others:
        lines += [Text(line, style="yellow") for line in _wrap("Warning: " + warning, width)]
    return lines


def _wrap(sentence: str, width: int) -> list[str]:
    """A sentence under a notice's heading, wrapped to the terminal with its indent kept."""
    return textwrap.wrap(sentence, width - 1, initial_indent="   ", subsequent_indent="   ") or [""]


def _item(item: ItemResult, notice: NoticeReport, top: str | None, width: int) -> list[Text]:
    """Two lines: the status and the item's title; then the evidence, or what was looked for."""
    label, style = STATUS_STYLES.get(item.status, (item.status, ""))
    room = width - INDENT
    title = item.title or item.id
    if item.severity != "required":
        title += f" ({item.severity})"
    first = Text.assemble((label.ljust(INDENT), style), shorten(title, room))
    second = Text(" " * INDENT)
    note = gate_note(item)
    if note:
        note = shorten(note, room // 2)
        second.append(note + " · ", style="yellow")
    detail = _detail(item, notice, top, room - (len(note) + 3 if note else 0))
    second.append_text(detail)
    return [first, second] if detail.plain or note else [first]


def _detail(item: ItemResult, notice: NoticeReport, top: str | None, room: int) -> Text:
    """One line of at most ``room`` characters: a quote and its place, a partial item's message, or what a
    missing item was looked for."""
    covered = covered_by_parent(item, notice)
    if item.status == "missing":
        lead = "covered by the parent notice; " if covered else ""
        wanted = item.looked_for or item.message
        return Text(shorten(lead + ("looked for " + wanted if item.looked_for else wanted), room))
    if item.status == "not_applicable":
        reason = condition_words(item).removeprefix("does not apply: ")
        return Text(shorten(reason, room), style="dim")
    if item.status == "partial":
        lead = "covered by the parent notice; " if covered else ""
        return Text(shorten(lead + item.message, room))
    if not item.evidence:
        return Text(shorten(item.message, room), style="dim")
    ev = item.evidence[0]
    place = where(ev.locator, notice, top=top, limit=int(room * WHERE_SHARE))
    if item.status == "failed":  # what is wrong, then where it is
        return Text.assemble(shorten(item.message, room - len(place) - 3), (f" — {place}", "dim"))
    quote_room = room - len(place) - 5  # the quote marks and " — "
    return Text.assemble(f"“{shorten(ev.quote, max(quote_room, 10))}”", (f" — {place}", "dim"))


def print_report(report: AuditReport, file: TextIO) -> None:
    """Write the report to ``file``, in colour when it is a terminal (and NO_COLOR is unset), as wide as the
    terminal; 80 columns otherwise."""
    isatty = getattr(file, "isatty", None)
    tty = bool(isatty and isatty())
    color = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns if tty else 80
    file.write(render(report, color=color, width=width))


def _render(report: AuditReport) -> str:
    """The text written to a ``.txt`` file: 80 columns, no colour."""
    return render(report, width=80)


FORMAT = Format("table", ("txt",), _render, for_people=True, printer=print_report)
