"""Comparing notices across saved reports: heat map, ranking, coverage, grouped by organisation.

Reviewers compare councils, so the unit here is a set of reports, not one run.
:func:`build` merges them into a :class:`Comparison` (one view model) and the
renderers are views of it: ``html`` (one self-contained page in the audit
report's design: its stylesheet, page frame and macros from :mod:`.html`, plus
``compare.css``; inline SVG, an optional inline script under a hash-based CSP;
useful without the script), ``table`` (a terminal's), ``markdown`` and ``csv``.

Rules that the views rely on:

- a notice is identified by its ``source``; when several reports hold the same
  source, the one from the latest ``generated_at`` wins (ties: the later report
  on the command line);
- the organisation is the first extracted ``controller`` name; failing that, the
  single controller named by the other notices on the same web host (when they
  all agree); else the host without ``www.``; else the file's parent folder.
  Names are grouped case- and space-insensitively;
- notices are ranked by score (highest first, equal scores share a rank);
  organisations by mean score; within an organisation, notices by score;
- an item's coverage counts each status over the notices that were checked for
  it; "met %" and "partial %" are shares of the notices it applies to.

The CSV export is one row per notice (ranked): ``rank, organisation, source,
title, score, passed, generated_at, met, partial, missing, failed,
not_applicable`` and then one column per item id holding its status (empty when
the notice was not checked for that item). Cells a spreadsheet would read as a
formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from statistics import median
from typing import Any, TextIO
from urllib.parse import urlsplit

from markupsafe import Markup

from notice_audit.formats import html
from notice_audit.formats import mdtext as md
from notice_audit.formats.base import Format, Registry
from notice_audit.formats.markdown import STATUS_SYMBOLS
from notice_audit.formats.words import agree, plural
from notice_audit.model import STATUSES, AuditReport, NoticeReport, TargetError

CELL_LABELS: dict[str, str] = {
    "met": "✓ met",
    "partial": "◐ partial",
    "missing": "✗ missing",
    "failed": "⚠ failed",
    "not_applicable": "– n/a",
}
"""Heat-map cell text: a symbol and a word, so colour is never the only cue."""
CELL_CLASSES: dict[str, str] = {"met": "m", "partial": "p", "missing": "x", "failed": "f", "not_applicable": "n"}
UNKNOWN_ORGANISATION = "Unknown organisation"
BINS = 10


@dataclass(frozen=True, slots=True)
class Entry:
    """One notice in the comparison, with where it came from and its rank."""

    notice: NoticeReport
    organisation: str
    generated_at: str
    rank: int


@dataclass(frozen=True, slots=True)
class Group:
    """An organisation's notices, highest score first."""

    name: str
    entries: tuple[Entry, ...]

    @property
    def mean(self) -> float:
        return sum(e.notice.score for e in self.entries) / len(self.entries)

    @property
    def best(self) -> float:
        return max(e.notice.score for e in self.entries)

    @property
    def worst(self) -> float:
        return min(e.notice.score for e in self.entries)

    @property
    def passed(self) -> int:
        return sum(1 for e in self.entries if e.notice.passed)


@dataclass(frozen=True, slots=True)
class Coverage:
    """How one item fared across the set."""

    id: str
    title: str
    counts: dict[str, int]

    @property
    def checked(self) -> int:
        return sum(self.counts.values())

    @property
    def applicable(self) -> int:
        return self.checked - self.counts["not_applicable"]

    def share(self, status: str) -> float | None:
        """Percentage of checked notices with ``status`` (None when none was checked)."""
        return 100 * self.counts[status] / self.checked if self.checked else None

    def applicable_share(self, status: str) -> float | None:
        """Percentage of the notices the item applies to with ``status``."""
        return 100 * self.counts[status] / self.applicable if self.applicable else None


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the comparison views show, computed once."""

    entries: tuple[Entry, ...]
    groups: tuple[Group, ...]
    items: tuple[tuple[str, str], ...]
    coverage: tuple[Coverage, ...]
    errors: tuple[TargetError, ...]
    reports: int
    checklists: tuple[str, ...]
    generated: tuple[str, str] | None
    fail_under: float | None

    @property
    def histogram(self) -> list[tuple[int, int, int]]:
        """(lower, upper, count) per score band of 10; the last band includes 100."""
        counts = [0] * BINS
        for e in self.entries:
            counts[min(int(e.notice.score // (100 / BINS)), BINS - 1)] += 1
        width = 100 // BINS
        return [(i * width, (i + 1) * width, n) for i, n in enumerate(counts)]

    @property
    def passed(self) -> int:
        return sum(1 for e in self.entries if e.notice.passed)

    @property
    def mean(self) -> float | None:
        return sum(e.notice.score for e in self.entries) / len(self.entries) if self.entries else None

    @property
    def median(self) -> float | None:
        return median(e.notice.score for e in self.entries) if self.entries else None


def _when(stamp: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _latest(reports: Sequence[AuditReport]) -> list[tuple[NoticeReport, str]]:
    """Each source once: the notice from the latest report (ties: later on the command line)."""
    best: dict[str, tuple[datetime, int, NoticeReport, str]] = {}
    for index, report in enumerate(reports):
        when = _when(report.generated_at)
        for notice in report.notices:
            key = (when, index)
            held = best.get(notice.source)
            if held is None or key >= held[:2]:
                best[notice.source] = (when, index, notice, report.generated_at)
    return [(n, stamp) for _, _, n, stamp in best.values()]


def _key(name: str) -> str:
    """Grouping key: case, spacing, a leading 'the' and trailing punctuation do not matter."""
    key = " ".join(name.casefold().replace("’", "'").split())
    key = re.sub(r"^the\s+", "", key)
    return key.rstrip(" .,;:")


def _controller(notice: NoticeReport) -> str:
    value = (notice.extracted or {}).get("controller")
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list | tuple):
        for name in value:
            if isinstance(name, str) and name.strip():
                return " ".join(name.split())
    return ""


def _host(source: str) -> str:
    parts = urlsplit(source)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname
    return host[4:] if host.startswith("www.") else host


def _folder(source: str) -> str:
    path = PurePath(source.replace("\\", "/"))
    return path.parent.name or UNKNOWN_ORGANISATION


def organisations(notices: Sequence[NoticeReport]) -> list[str]:
    """The organisation of each notice (see the module docstring for the rule)."""
    by_host: dict[str, set[str]] = {}
    named: dict[str, str] = {}
    for n in notices:
        name, host = _controller(n), _host(n.source)
        if name and host:
            by_host.setdefault(host, set()).add(_key(name))
            named.setdefault(_key(name), name)
    out = []
    for n in notices:
        name, host = _controller(n), _host(n.source)
        if not name and host and len(by_host.get(host, ())) == 1:
            name = named[next(iter(by_host[host]))]
        out.append(name or host or _folder(n.source))
    return out


def _ranked(notices: Sequence[NoticeReport]) -> list[tuple[NoticeReport, int]]:
    order = sorted(notices, key=lambda n: (-n.score, (n.title or n.source).casefold(), n.source))
    out: list[tuple[NoticeReport, int]] = []
    for position, n in enumerate(order, 1):
        rank = out[-1][1] if out and out[-1][0].score == n.score else position
        out.append((n, rank))
    return out


def build(reports: Sequence[AuditReport]) -> Comparison:
    """Merge saved reports into one comparison."""
    latest = _latest(reports)
    stamps = {n.source: stamp for n, stamp in latest}
    notices = [n for n, _ in latest]
    orgs = organisations(notices)
    display: dict[str, Counter[str]] = {}
    for org in orgs:
        display.setdefault(_key(org), Counter())[org] += 1
    org_of = {n.source: display[_key(o)].most_common(1)[0][0] for n, o in zip(notices, orgs, strict=True)}
    entries = tuple(Entry(n, org_of[n.source], stamps[n.source], rank) for n, rank in _ranked(notices))

    grouped: dict[str, list[Entry]] = {}
    for e in entries:
        grouped.setdefault(e.organisation, []).append(e)
    groups = sorted((Group(name, tuple(es)) for name, es in grouped.items()),
                    key=lambda g: (-g.mean, g.name.casefold()))

    titles: dict[str, str] = {}
    for n in notices:
        for item in n.items:
            if not titles.get(item.id):
                titles[item.id] = item.title
    counts: dict[str, dict[str, int]] = {ident: dict.fromkeys(STATUSES, 0) for ident in titles}
    for n in notices:
        for ident, status in statuses(n).items():
            counts[ident][status] = counts[ident].get(status, 0) + 1
    coverage = [Coverage(ident, title, counts[ident]) for ident, title in titles.items()]

    sources = {n.source for n in notices}
    errors: dict[str, TargetError] = {}
    for report in sorted(reports, key=lambda r: _when(r.generated_at)):
        for err in report.errors:
            if err.target not in sources:
                errors[err.target] = err
    stamps_all = sorted((r.generated_at for r in reports), key=_when)
    gates = {r.fail_under for r in reports}
    return Comparison(
        entries=entries,
        groups=tuple(groups),
        items=tuple(titles.items()),
        coverage=tuple(coverage),
        errors=tuple(errors.values()),
        reports=len(reports),
        checklists=tuple(dict.fromkeys(f"{r.checklist_id} {r.checklist_version}" for r in reports)),
        generated=(stamps_all[0], stamps_all[-1]) if stamps_all else None,
        fail_under=gates.pop() if len(gates) == 1 else None,
    )


# ---------------------------------------------------------------- helpers shared by the views


def statuses(notice: NoticeReport) -> dict[str, str]:
    return {item.id: item.status for item in notice.items}


def http_url(value: str) -> str | None:
    """``value`` when it is an absolute http(s) URL without spaces or controls, else None."""
    value = value.strip()
    if re.search(r"[\s\x00-\x1f\x7f]", value):
        return None
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def short_source(source: str, limit: int = 60) -> str:
    """A source to show under a title: no scheme or ``www.``, long ones cut in the middle.

    The full address stays in the link (and in the CSV); this keeps 8,000-row pages small.
    """
    parts = urlsplit(source)
    text = source
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        host = parts.netloc[4:] if parts.netloc.lower().startswith("www.") else parts.netloc
        text = host + parts.path + (f"?{parts.query}" if parts.query else "")
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + "…" + text[-(limit - head - 1):]


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _range(c: Comparison, when: Callable[[str], str] = str) -> str:
    """When the reports were made: one time, or the first and the last (``when`` words each)."""
    if c.generated is None:
        return ""
    first, last = c.generated
    return when(first) if first == last else f"{when(first)} to {when(last)}"


# ---------------------------------------------------------------- HTML

CELL_SYMBOLS: dict[str, str] = {**{s: label.split()[0] for s, label in CELL_LABELS.items()}, "not_checked": "·"}
"""The symbol a heat-map cell shows (its word is there for screen readers and copied text)."""
NOT_CHECKED = f"{CELL_SYMBOLS['not_checked']} not checked"
TALL = 25
"""Above this many notices the heat map gets a box of its own height, so its item titles stay in view."""
LOWEST = 5
"""Notices listed under the score distribution as the place to start."""


def _histogram_chart(c: Comparison) -> dict[str, Any]:
    """Geometry of the score histogram (SVG user units), narrow enough that its text stays legible
    when the chart shrinks to a phone's width."""
    bins = c.histogram
    top = max((n for _, _, n in bins), default=0) or 1
    left, bar, height, head = 22, 32, 150, 26
    width = bar * BINS
    bars = []
    for i, (lo, hi, n) in enumerate(bins):
        h = round(height * n / top, 1)
        bars.append({"x": left + i * bar + 3, "y": head + height - h, "w": bar - 6, "h": h, "n": n,
                     "label": f"{lo} to {'100' if hi == 100 else f'under {hi}'}", "lx": left + i * bar + bar / 2})
    gate = None
    if c.fail_under is not None:
        gate = {"x": round(left + width * c.fail_under / 100, 1), "value": md.score(c.fail_under)}
    ticks = [{"x": left + i * bar, "label": str(i * 100 // BINS)} for i in range(0, BINS + 1, 2)]
    return {"bars": bars, "ticks": ticks, "gate": gate, "left": left, "right": left + width,
            "base": head + height, "view_w": left + width + 22, "view_h": head + height + 46, "top": top}


def _coverage_rows(c: Comparison) -> list[dict[str, Any]]:
    """Each item's row of the coverage chart and its table: title, id, bar widths (of 100) and counts."""
    rows = []
    for cov in c.coverage:
        met, partial = cov.applicable_share("met"), cov.applicable_share("partial")
        met_w = round(met or 0, 1)
        rows.append({
            "id": cov.id, "title": cov.title or cov.id,
            "met_w": met_w, "partial_w": round(partial or 0, 1),
            "met": pct(met), "partial": pct(partial),
            "counts": [(s, cov.counts[s], pct(cov.share(s))) for s in STATUSES],
            "text": (f"{pct(met)} met · {pct(partial)} partial of {cov.applicable}" if cov.applicable
                     else f"applies to none of {cov.checked}"),
        })
    return rows


def render_html(c: Comparison) -> str:
    """One self-contained HTML page in the audit report's design (its stylesheet and page frame, plus
    compare.css); no external requests, and the script is optional."""
    css, style = html.stylesheet("compare.css")
    js = html.asset("compare.js")
    item_ids = [ident for ident, _ in c.items]
    group_rows: list[dict[str, Any]] = []
    row_of: dict[str, dict[str, Any]] = {}
    for index, g in enumerate(c.groups, 1):
        rows = []
        for e in g.entries:
            found = statuses(e.notice)
            cells = [(CELL_CLASSES.get(found[i], "z"), CELL_LABELS.get(found[i], found[i])) if i in found
                     else ("z", NOT_CHECKED) for i in item_ids]
            n = e.notice
            row_of[n.source] = {"e": e, "n": n, "url": html.safe_href(n.source), "name": n.title or n.source,
                                "short": short_source(n.source) if n.title else "", "cells": cells}
            rows.append(row_of[n.source])
        group_rows.append({"g": g, "anchor": f"org-{index}", "rows": rows})
    lowest = [row_of[e.notice.source] for e in reversed(c.entries[-LOWEST:])] if len(c.entries) > 1 else []
    return html.environment().get_template("compare.html.j2").render(
        c=c,
        css=css,
        js=Markup(js),
        csp=html.content_security_policy(style, html.csp_source(js)),
        groups=group_rows,
        items=[{"id": ident, "title": title or ident} for ident, title in c.items],
        generated=_range(c, html.when_text),
        fail_under=md.score(c.fail_under) if c.fail_under is not None else None,
        histogram=_histogram_chart(c),
        coverage=_coverage_rows(c),
        lowest=lowest,
        classes=CELL_CLASSES,
        symbols=CELL_SYMBOLS,
        statuses=STATUSES,
        columns=len(item_ids) + 4,
        tall=len(c.entries) > TALL,
    )


# ---------------------------------------------------------------- Markdown


def render_markdown(c: Comparison) -> str:
    """The comparison as GitHub-flavoured Markdown (tables; symbols in the matrix)."""
    out = ["# Privacy notice comparison", ""]
    meta = [plural(c.reports, "report"), plural(len(c.entries), "notice"), plural(len(c.groups), "organisation")]
    meta += [f"checklist {md.text(k)}" for k in c.checklists]
    if c.generated:
        meta.append(f"generated {md.text(_range(c))}")
    out += [" · ".join(meta), "", "## Summary", ""]
    if c.entries:
        count = len(c.entries)
        out += [f"**{c.passed}** of **{count}** {agree(count, 'notice')} passed · mean score "
                f"**{md.score(c.mean or 0)}** · median **{md.score(c.median or 0)}**", ""]
    else:
        out += ["No notices to compare.", ""]
    out += ["## Score distribution", "", "| Score | Notices | |", "|---|---:|---|"]
    for lo, hi, n in c.histogram:
        band = f"{lo} to 100" if hi == 100 else f"{lo} to under {hi}"
        out.append(f"| {band} | {n} | {'█' * n if n <= 40 else '█' * 40 + '…'} |")
    out += ["", "## Coverage by item", "",
            "| Item | Title | Met | Partial | Missing | Failed | N/A | Met % | Partial % |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for cov in c.coverage:
        k = cov.counts
        out.append(f"| {md.code(cov.id)} | {md.text(cov.title)} | {k['met']} | {k['partial']} | {k['missing']}"
                   f" | {k['failed']} | {k['not_applicable']} | {pct(cov.applicable_share('met'))}"
                   f" | {pct(cov.applicable_share('partial'))} |")
    out += ["", "## Organisations", "", "| Rank | Organisation | Notices | Mean | Best | Worst | Passed |",
            "|---:|---|---:|---:|---:|---:|---:|"]
    for rank, g in enumerate(c.groups, 1):
        out.append(f"| {rank} | {md.text(g.name)} | {len(g.entries)} | {md.score(g.mean)} | {md.score(g.best)}"
                   f" | {md.score(g.worst)} | {g.passed} |")
    legend = " · ".join(f"{STATUS_SYMBOLS[s]} {s.replace('_', ' ')}" for s in STATUSES)
    out += ["", "## Notices × items", "", f"Grouped by organisation, highest score first. {legend}"
            " · blank: not checked.", ""]
    ids = [ident for ident, _ in c.items]
    out.append("| Organisation | Rank | Notice | Score | Passed | " + " | ".join(md.code(i) for i in ids) + " |")
    out.append("|---|---:|---|---:|:---:|" + ":---:|" * len(ids))
    for g in c.groups:
        for e in g.entries:
            notice, found = e.notice, statuses(e.notice)
            cells = [STATUS_SYMBOLS.get(found[i], md.text(found[i])) if i in found else "" for i in ids]
            name = notice.title or notice.source
            label = md.link(name, notice.source) if http_url(notice.source) else md.text(name)
            out.append(f"| {md.text(g.name)} | {e.rank} | {label} | {md.score(notice.score)} | "
                       f"{'✅' if notice.passed else '❌'} | " + " | ".join(cells) + " |")
    if c.errors:
        out += ["", "## Targets that could not be audited", "", "| Target | Error |", "|---|---|"]
        out += [f"| {md.text(e.target)} | {md.text(e.error)} |" for e in c.errors]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- terminal

TERMINAL_SYMBOLS: dict[str, str] = {"met": "✓", "partial": "~", "missing": "✗", "failed": "!", "not_applicable": "-"}
"""One narrow character per status (the terminal's ``--format table``), so sixteen items fit in 32 columns."""
TERMINAL_WIDTH = 100


def _plain(value: object) -> str:
    """One terminal line: whitespace collapsed, control characters (escape sequences) replaced."""
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(str(value).split()))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    return ["  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            .rstrip() for r in [headers, *rows]]


def render_table(c: Comparison, width: int = TERMINAL_WIDTH) -> str:
    """The comparison for a terminal: what ``compare`` prints there when no format is asked for.

    The heat map numbers its item columns (titles in the coverage list above it) and shows each
    status as one character, so a row of sixteen items stays within ``width`` columns with its title.
    """
    meta = [plural(c.reports, "report"), plural(len(c.entries), "notice"), plural(len(c.groups), "organisation")]
    meta += [f"checklist {_plain(k)}" for k in c.checklists]
    if c.generated:
        meta.append(f"generated {_plain(_range(c, html.when_text))}")
    out = ["Privacy notice comparison", " · ".join(meta), ""]
    if not c.entries:
        return "\n".join([*out, "No notices to compare."]) + "\n"
    out += [f"{c.passed} of {plural(len(c.entries), 'notice')} passed · mean score {md.score(c.mean or 0)}"
            f" · median {md.score(c.median or 0)}", ""]

    out += ["Organisations, by mean score"]
    rows = [[str(rank), _cut(_plain(g.name), 40), str(len(g.entries)), md.score(g.mean), md.score(g.best),
             md.score(g.worst), f"{g.passed} of {len(g.entries)}"] for rank, g in enumerate(c.groups, 1)]
    out += _columns(["Rank", "Organisation", "Notices", "Mean", "Best", "Worst", "Passed"], rows,
                    frozenset({0, 2, 3, 4, 5, 6}))

    out += ["", "Coverage by item (percentages: of the notices the item applies to)"]
    rows = [[str(k), _cut(_plain(cov.title or cov.id), max(width - 58, 24)), *(str(cov.counts[s]) for s in STATUSES),
             pct(cov.applicable_share("met")), pct(cov.applicable_share("partial"))]
            for k, cov in enumerate(c.coverage, 1)]
    out += _columns(["#", "Item", "Met", "Partial", "Missing", "Failed", "N/A", "Met %", "Partial %"], rows,
                    frozenset({0, 2, 3, 4, 5, 6, 7, 8}))

    ids = [ident for ident, _ in c.items]
    key = "  ".join(f"{TERMINAL_SYMBOLS[s]} {s.replace('_', ' ')}" for s in STATUSES)
    out += ["", "Notices × items (columns: the items numbered above)", f"{key}  . not checked", ""]
    lead = "Rank  Score  Gate  "
    tens = "".join(str(k // 10) if k >= 10 else " " for k in range(1, len(ids) + 1))
    units = "".join(str(k % 10) for k in range(1, len(ids) + 1))
    if len(ids) >= 10:
        out.append((" " * len(lead) + tens).rstrip())
    out.append(f"{lead}{units}  Notice")
    room = max(width - len(lead) - len(ids) - 2, 20)
    for g in c.groups:
        out.append(_cut(f"{_plain(g.name)} · {plural(len(g.entries), 'notice')} · mean {md.score(g.mean)}"
                        f" · {g.passed} passed", width))
        for e in g.entries:
            found = statuses(e.notice)
            cells = "".join(TERMINAL_SYMBOLS.get(found[i], "?") if i in found else "." for i in ids)
            gate = "pass" if e.notice.passed else "FAIL"
            name = _cut(_plain(e.notice.title or e.notice.source), room)
            out.append(f"{e.rank:>4}  {md.score(e.notice.score):>5}  {gate}  {cells}  {name}")
    if c.errors:
        out += ["", "Targets that could not be audited"]
        out += [f"  {_cut(_plain(err.target), 60)}: {_plain(err.error)}" for err in c.errors]
    return "\n".join(out).rstrip() + "\n"


def print_table(c: Comparison, out: TextIO) -> None:
    """The terminal rendering at the terminal's width (``COLUMNS``, else the window, else 100)."""
    out.write(render_table(c, max(shutil.get_terminal_size((TERMINAL_WIDTH, 24)).columns, 60)))


# ---------------------------------------------------------------- CSV

_FORMULA = re.compile(r"^[=+\-@\t\r]")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def render_csv(c: Comparison) -> str:
    """One row per notice, ranked; one column per item holding its status."""
    ids = [ident for ident, _ in c.items]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["rank", "organisation", "source", "title", "score", "passed", "generated_at",
                     *STATUSES, *ids])
    for e in c.entries:
        n, found = e.notice, statuses(e.notice)
        counts = Counter(found.values())
        row = [e.rank, e.organisation, n.source, n.title, md.score(n.score), "true" if n.passed else "false",
               e.generated_at, *(counts.get(s, 0) for s in STATUSES), *(found.get(i, "") for i in ids)]
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


#: ``notice-audit compare --format``, named by the same extensions as the report's formats.
FORMATS: Registry[Comparison] = Registry("comparison", [
    Format("html", ("html", "htm"), render_html),
    Format("table", ("txt",), render_table, for_people=True, printer=print_table),
    Format("markdown", ("md", "markdown"), render_markdown, for_people=True),
    Format("csv", ("csv",), render_csv),
])


def render(reports: Sequence[AuditReport], fmt: str) -> str:
    """Compare ``reports`` and render the comparison in ``fmt`` (html, markdown or csv)."""
    view = FORMATS.get_format(fmt)
    return view.render(build(reports))
