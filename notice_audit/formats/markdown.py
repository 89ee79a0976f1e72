"""Markdown report, for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Every piece of text that came from a page (titles, quotes, locators, extracted
values) goes through :func:`text` (``formats.mdtext``), which keeps it on one
line and escapes what Markdown would otherwise interpret, so a notice cannot
break a table or inject raw HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notice_audit.formats.base import Format
from notice_audit.formats.common import as_list, gate_lines, gate_note
from notice_audit.formats.history import render_since_last
from notice_audit.formats.mdtext import code, is_url, link, score, text
from notice_audit.formats.people import (
    STATUS_WORDS,
    condition_words,
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
from notice_audit.model import NOT_A_NOTICE, AuditReport, Evidence, ItemResult, NoticeReport

STATUS_SYMBOLS: dict[str, str] = {
    "met": "✅",
    "partial": "🟡",
    "missing": "❌",
    "failed": "⛔",
    "not_applicable": "➖",
}
MAX_EVIDENCE = 3
"""Quotes shown per item; the rest are counted."""


def render(report: AuditReport) -> str:
    """The whole report as GitHub-flavoured Markdown."""
    out: list[str] = ["# Privacy notice audit", ""]
    meta = (
        f"Checklist {text(report.checklist_id)} version {text(report.checklist_version)}"
        f" · notice-audit {text(report.tool_version)} · generated {text(report.generated_at)}"
    )
    if report.fail_under is not None:
        meta += f" · pass mark: score {score(report.fail_under)}"
    out += [meta, ""]
    out += _summary(report)
    for number, notice in enumerate(report.notices, 1):
        out += _notice(number, notice, report.since_last)
    gate = gate_lines(report)
    if gate:
        out += ["## Gate", "", *[f"- {text(line)}" for line in gate], ""]
    if report.since_last is not None:
        out += [render_since_last(dict(report.since_last)).rstrip(), ""]
    if report.errors:
        out += ["## Targets that could not be audited", ""]
        out += ["| Target | Error |", "|---|---|"]
        out += [f"| {text(e.target)} | {text(e.error)} |" for e in report.errors]
        out.append("")
    if report.skipped:
        out += ["## Pages skipped", "", "Not fetched because the site's robots.txt asks so; they fail no gate.", ""]
        out += ["| Page | Reason |", "|---|---|"]
        out += [f"| {text(s.target)} | {text(s.reason)} |" for s in report.skipped]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _counts(notice: NoticeReport) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_SYMBOLS, 0)
    for item in notice.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts


def _summary(report: AuditReport) -> list[str]:
    s = report.summary
    out = [
        "## Summary",
        "",
        (f"**{plural(s['notices'], 'target')}** ({s['not_notices']} not a notice)" if s.get("not_notices")
         else f"**{plural(s['notices'], 'notice')}**")
        + f" · **{s['passed']}** passed · **{s['failed']}** failed"
        f" · mean score **{score(s['mean_score'])}**"
        + (f" · **{plural(s['errors'], 'target')}** could not be audited" if s["errors"] else "")
        + (f" · **{s['skipped']}** skipped" if s.get("skipped") else ""),
        "",
    ]
    if not report.notices:
        return out
    out += [
        "| Notice | Source | Score | Passed | Met | Partial | Missing | Failed |",
        "|---|---|---:|:---:|---:|---:|---:|---:|",
    ]
    for n in report.notices:
        c = _counts(n)
        if not n.is_notice:  # its items were not judged: no score or counts to compare
            out.append(f"| {text(n.title or n.source)} | {text(n.source)} | — | {'✅' if n.passed else '❌'}"
                       " | not a notice | | | |")
            continue
        out.append(
            f"| {text(n.title or n.source)} | {text(n.source)} | {score(n.score)} | {'✅' if n.passed else '❌'}"
            f" | {c['met']} | {c['partial']} | {c['missing']} | {c['failed']} |"
        )
    return [*out, ""]


def _notice(number: int, notice: NoticeReport, since_last: Mapping[str, Any] | None) -> list[str]:
    verdict = "✅ passed" if notice.passed else "❌ failed"
    out = [f"## {number}. {text(notice.title or notice.source)}", ""]
    if not notice.is_notice:
        return [*out, f"Source: {link(notice.source, notice.source)} · {verdict}", "", *_not_a_notice(notice)]
    out += [
        f"Source: {link(notice.source, notice.source)} · score **{score(notice.score)}** / 100 · {verdict}"
        + (f" · {text(counts)}" if (counts := status_counts(notice)) else ""),
        "",
    ]
    if not notice.passed:
        out += [f"**{text(sentence(verdict_line(notice)))}**", ""]
    names = titles(notice.items)
    for note in (parent_line(notice), since_last_line(since_last, notice.source, names)):
        if note:
            out += [f"> {text(note)}", ""]
    for suggestion in notice.suggestions:
        out += [f"> **Suggestion:** also audit with checklist {code(suggestion.checklist)}: "
                f"{text(suggestion.reason)}", ""]
    for warning in notice.warnings:
        out += [f"> **Warning:** {text(warning)}", ""]
    if notice.items:
        out += ["| Status | Item | Severity | Weight | Message |", "|---|---|---|---:|---|"]
        for i in notice.items:
            status = f"{STATUS_SYMBOLS.get(i.status, '')} {text(STATUS_WORDS.get(i.status, i.status))}".strip()
            note = f" ({text(note)})" if (note := gate_note(i)) else ""
            out.append(
                f"| {status} | {text(i.title or i.id)} | {text(i.severity)} | {score(i.weight)} | "
                f"{text(condition_words(i))}{note} |"
            )
        out.append("")
    shown = [i for i in notice.items if i.evidence and i.status in ("met", "partial", "failed")]
    if shown:
        out += ["### Evidence", ""]
        top = page_heading(notice)
        for item in shown:
            out += _evidence(item, notice, top)
    gaps = [i for i in notice.items if i.status in ("missing", "partial", "failed")]
    if gaps:
        out += ["### What to fix", ""]
        for item in gaps:
            out += _gap(item)
    out += _extracted(notice.extracted)
    return out


def _not_a_notice(notice: NoticeReport) -> list[str]:
    """Why the target does not read as a notice, in place of its items (the JSON keeps them)."""
    verdict = " It fails the gate: this run counts a target that is not a notice as failing." if not notice.passed \
        else " It fails nothing unless the run is given --fail-on-non-notice."
    out = [f"**Not a notice.**{verdict}", ""]
    out += [f"> {text(sentence(reason))}" + "\n" for reason in notice.status_reasons]
    out += [f"> **Warning:** {text(w)}\n" for w in notice.warnings if not w.startswith(NOT_A_NOTICE)]
    return out


def _item_heading(item: ItemResult) -> str:
    status = STATUS_WORDS.get(item.status, item.status)
    return f"**{text(item.title or item.id)}** — {STATUS_SYMBOLS.get(item.status, '')} {text(status)}"


def _evidence(item: ItemResult, notice: NoticeReport, top: str | None) -> list[str]:
    out = [_item_heading(item), ""]
    for ev in item.evidence[:MAX_EVIDENCE]:
        out += _quote(ev, notice, top)
    extra = len(item.evidence) - MAX_EVIDENCE
    if extra > 0:
        out += [f"…and {plural(extra, 'more quote')} in the JSON report.", ""]
    return out


def _quote(ev: Evidence, notice: NoticeReport, top: str | None) -> list[str]:
    """The quote, then where it is in words, linked to the place (the page and its anchor, or the file)."""
    place = where(ev.locator, notice, top=top)
    shown = link(place, ev.locator.address) if is_url(ev.locator.address) else text(place)
    return [f"> {text(ev.quote)}\\", f"> — {shown}", ""]


def _gap(item: ItemResult) -> list[str]:
    out = [_item_heading(item), ""]
    if item.message:
        out.append(f"- {text(item.message)}")
    if item.looked_for:
        out.append(f"- Looked for: {text(item.looked_for)}")
    if item.guidance:
        out.append(f"- Guidance: {text(item.guidance)}")
    ref = text(item.reference) if item.reference else ""
    if item.link:
        ref = f"{ref} ({link('guidance', item.link)})" if ref else link(item.link, item.link)
    if ref:
        out.append(f"- Reference: {ref}")
    return [*out, ""]



def _plain(value: Any) -> str:
    """Any extracted value as one escaped line."""
    if isinstance(value, Mapping):
        return "; ".join(f"{text(k)}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [], ()))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_plain(v) for v in value)
    return text(value)


def _statute(s: Any) -> str:
    if not isinstance(s, Mapping):
        return _plain(s)
    name = " ".join(str(s[k]) for k in ("title", "year") if s.get(k) not in (None, ""))
    out = text(name or "statute")
    if s.get("section") not in (None, ""):
        out += f", s. {text(s['section'])}"
    if s.get("text"):
        out += f" — “{text(s['text'])}”"
    return out


def _pair(value: Any, main: str, extra: str) -> str:
    if not isinstance(value, Mapping):
        return _plain(value)
    out = text(value.get(main) or "")
    if value.get(extra):
        out += f" ({text(value[extra])})"
    return out


_EXTRACTED: dict[str, tuple[str, Any]] = {
    "lawful_bases": ("Lawful bases", None),
    "special_category_conditions": ("Special category conditions", None),
    "statutes": ("Statutes", _statute),
    "rights": ("Rights", None),
    "recipients": ("Recipients", lambda r: _pair(r, "text", "category")),
    "contacts": ("Contacts", None),
    "retention": ("Retention", lambda r: _pair(r, "text", "period")),
}


def _extracted(extracted: Mapping[str, Any] | None) -> list[str]:
    extracted = extracted or {}
    keys = [k for k in _EXTRACTED if k in extracted] + sorted(set(extracted) - set(_EXTRACTED))
    lines: list[str] = []
    for key in keys:
        label, fmt = _EXTRACTED.get(key, (key.replace("_", " ").capitalize(), None))
        value = extracted[key]
        if key == "contacts" and isinstance(value, Mapping):
            parts = [f"{text(k)}: {_plain(v)}" for k, v in value.items() if as_list(v)]
            lines.append(f"- **{text(label)}:** {'; '.join(parts) or '—'}")
        elif fmt is None:
            lines.append(f"- **{text(label)}:** {_plain(as_list(value)) or '—'}")
        else:
            values = as_list(value)
            lines.append(f"- **{text(label)}:**" + ("" if values else " —"))
            lines += [f"  - {fmt(v)}" for v in values]
    return ["### Extracted values", "", *lines, ""] if lines else []


FORMAT = Format("markdown", ("md", "markdown"), render, for_people=True)
