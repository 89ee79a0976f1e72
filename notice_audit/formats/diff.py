"""What changed between two saved reports: for content editors and pull-request checks.

Notices are matched by ``source`` (exactly as given to the audit). For each
notice in both reports: the score change, the gate change, and per item one
change of a kind:

- ``regressed`` / ``improved``: the status moved down / up the order
  met > partial > missing = failed (``failed``: the notice says something it must not);
- ``changed``: between ``missing`` and ``failed`` (same rank);
- ``applicability``: to or from ``not_applicable`` (reported, never a regression);
- ``added`` / ``removed``: the item is checked in one report only (a checklist change);
- ``evidence_lost``: still met or partial, but quotes that supported it are gone.

A regressed item also lists its ``evidence_lost``: the quotes present in the old
report and absent (whitespace aside) from the new one.

**What counts as a regression** (``regressed`` is true; the command exits 1):
an item that regressed; a notice whose gate went from passed to failed; a
target that newly errors (in the new report's ``errors`` but not the old's);
and a notice that disappeared from the new report, unless
``removed_is_regression=False`` (``--allow-removed``): a notice that silently
drops out of a crawl is how a broken page hides, so by default it fails the
check. A removed notice whose target now errors is listed once, as a new error.
Evidence lost from items still met, applicability changes and score changes on
their own are reported but are not regressions.

JSON shape (``render_json``; key order as listed)::

    {
      "regressed": true,
      "old": {"generated_at": "...", "checklist": "uk-gdpr 2024.1", "notices": 2, "mean_score": 49.8},
      "new": {... the same keys ...},
      "summary": {"matched": 2, "changed": 1, "unchanged": 1, "added": 0, "removed": 0,
                  "regressions": 2, "improvements": 0, "evidence_lost": 1,
                  "new_errors": 0, "fixed_errors": 0, "mean_score_change": -3.2},
      "notices": [   # matched notices with any change; regressed first, then by score change
        {"source": "...", "title": "...", "old_score": 87.5, "new_score": 60, "score_change": -27.5,
         "old_passed": true, "new_passed": false, "regressed": true,
         "changes": [{"item": "recipients", "title": "Recipients", "old": "met", "new": "missing",
                      "change": "regressed", "evidence_lost": [{"quote": "...", "locator": "..."}]}]}
      ],
      "unchanged": ["source", ...],
      "added": [{"source": "...", "title": "...", "score": 50, "passed": false}],
      "removed": [{"source": "...", "title": "...", "score": 50, "passed": false}],
      "new_errors": [{"target": "...", "error": "...", "old_score": 87.5}],   # old_score null if it was no notice
      "fixed_errors": [{"target": "...", "error": "..."}]
    }

``old``/``new`` of a change are ``null`` when the item is absent from that report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from notice_audit.formats import mdtext as md
from notice_audit.formats.base import Format, Registry
from notice_audit.formats.markdown import STATUS_SYMBOLS
from notice_audit.formats.words import plural
from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport, TargetError

RANK = {"met": 3, "partial": 2, "missing": 1, "failed": 1}
_HTTP = re.compile(r"https?://\S+\Z")
MAX_QUOTES = 5
"""Lost quotes shown per item in Markdown; the rest are counted."""


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item's change within a notice."""

    item: str
    title: str
    old: str | None
    new: str | None
    change: str
    evidence_lost: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "title": self.title, "old": self.old, "new": self.new, "change": self.change,
                "evidence_lost": [e.to_json() for e in self.evidence_lost]}


@dataclass(frozen=True, slots=True)
class NoticeDiff:
    """A notice present in both reports, and what changed in it."""

    old: NoticeReport
    new: NoticeReport
    changes: tuple[ItemChange, ...]

    @property
    def score_change(self) -> float:
        return round(self.new.score - self.old.score, 1)

    @property
    def gate_failed(self) -> bool:
        return self.old.passed and not self.new.passed

    @property
    def regressed(self) -> bool:
        return self.gate_failed or any(c.change == "regressed" for c in self.changes)

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.score_change != 0 or self.old.passed != self.new.passed

    def of(self, *kinds: str) -> list[ItemChange]:
        return [c for c in self.changes if c.change in kinds]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.new.source, "title": self.new.title or self.old.title,
            "old_score": self.old.score, "new_score": self.new.score, "score_change": self.score_change,
            "old_passed": self.old.passed, "new_passed": self.new.passed, "regressed": self.regressed,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class NewError:
    """A target that errors in the new report and did not in the old (``old`` if it was a notice)."""

    error: TargetError
    old: NoticeReport | None = None


@dataclass(frozen=True, slots=True)
class ReportDiff:
    """Everything that changed from ``old`` to ``new``."""

    old: AuditReport
    new: AuditReport
    notices: tuple[NoticeDiff, ...]
    added: tuple[NoticeReport, ...] = ()
    removed: tuple[NoticeReport, ...] = ()
    new_errors: tuple[NewError, ...] = ()
    fixed_errors: tuple[TargetError, ...] = ()
    removed_is_regression: bool = True
    unchanged: tuple[str, ...] = field(default=())

    @property
    def regressions(self) -> int:
        """Regression events: items, gates, new errors and (by default) removed notices."""
        items = sum(len(n.of("regressed")) + (1 if n.gate_failed else 0) for n in self.notices)
        return items + len(self.new_errors) + (len(self.removed) if self.removed_is_regression else 0)

    @property
    def regressed(self) -> bool:
        return self.regressions > 0

    def summary(self) -> dict[str, Any]:
        return {
            "matched": len(self.notices) + len(self.unchanged),
            "changed": len(self.notices),
            "unchanged": len(self.unchanged),
            "added": len(self.added),
            "removed": len(self.removed),
            "regressions": self.regressions,
            "improvements": sum(len(n.of("improved")) for n in self.notices),
            "evidence_lost": sum(len(c.evidence_lost) for n in self.notices for c in n.changes),
            "new_errors": len(self.new_errors),
            "fixed_errors": len(self.fixed_errors),
            "mean_score_change": round(self.new.summary["mean_score"] - self.old.summary["mean_score"], 1),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "regressed": self.regressed,
            "old": _side(self.old),
            "new": _side(self.new),
            "summary": self.summary(),
            "notices": [n.to_json() for n in self.notices],
            "unchanged": list(self.unchanged),
            "added": [_brief(n) for n in self.added],
            "removed": [_brief(n) for n in self.removed],
            "new_errors": [{**e.error.to_json(), "old_score": e.old.score if e.old else None}
                           for e in self.new_errors],
            "fixed_errors": [e.to_json() for e in self.fixed_errors],
        }


def _side(report: AuditReport) -> dict[str, Any]:
    return {"generated_at": report.generated_at, "checklist": f"{report.checklist_id} {report.checklist_version}",
            "notices": len(report.notices), "mean_score": report.summary["mean_score"]}


def _brief(n: NoticeReport) -> dict[str, Any]:
    return {"source": n.source, "title": n.title, "score": n.score, "passed": n.passed}


def _norm(quote: str) -> str:
    return " ".join(quote.split())


def _lost(old: ItemResult, new: ItemResult | None) -> tuple[Evidence, ...]:
    """Old quotes (whitespace aside) that the new result no longer has."""
    kept = {_norm(e.quote) for e in new.evidence} if new else set()
    seen: set[str] = set()
    out = []
    for e in old.evidence:
        q = _norm(e.quote)
        if q not in kept and q not in seen:
            seen.add(q)
            out.append(e)
    return tuple(out)


def item_change(old: ItemResult | None, new: ItemResult | None) -> ItemChange | None:
    """How one item changed (None when it did not)."""
    ref = new or old
    assert ref is not None
    title = (new.title if new else "") or (old.title if old else "") or ref.id
    if old is None or new is None:
        return ItemChange(ref.id, title, old.status if old else None, new.status if new else None,
                          "added" if old is None else "removed")
    if old.status == new.status:
        lost = _lost(old, new) if old.status in ("met", "partial") else ()
        return ItemChange(ref.id, title, old.status, new.status, "evidence_lost", lost) if lost else None
    if "not_applicable" in (old.status, new.status):
        return ItemChange(ref.id, title, old.status, new.status, "applicability")
    before, after = RANK.get(old.status, 0), RANK.get(new.status, 0)
    if after < before:
        return ItemChange(ref.id, title, old.status, new.status, "regressed", _lost(old, new))
    return ItemChange(ref.id, title, old.status, new.status, "improved" if after > before else "changed")


def notice_diff(old: NoticeReport, new: NoticeReport) -> NoticeDiff:
    olds = {i.id: i for i in old.items}
    news = {i.id: i for i in new.items}
    order = list(dict.fromkeys([*news, *olds]))
    changes = [c for ident in order if (c := item_change(olds.get(ident), news.get(ident))) is not None]
    return NoticeDiff(old, new, tuple(changes))


def diff_reports(old: AuditReport, new: AuditReport, *, removed_is_regression: bool = True) -> ReportDiff:
    """Compare two reports of the same targets (see the module docstring for the rules)."""
    olds = {n.source: n for n in old.notices}
    news = {n.source: n for n in new.notices}
    old_errors = {e.target: e for e in old.errors}
    new_errors = {e.target: e for e in new.errors}
    matched = [notice_diff(olds[s], news[s]) for s in news if s in olds]
    changed = sorted((d for d in matched if d.changed),
                     key=lambda d: (not d.regressed, not d.of("evidence_lost"), d.score_change, d.new.source))
    fresh = tuple(NewError(e, olds.get(t)) for t, e in new_errors.items() if t not in old_errors)
    return ReportDiff(
        old=old,
        new=new,
        notices=tuple(changed),
        added=tuple(n for s, n in news.items() if s not in olds),
        removed=tuple(n for s, n in olds.items() if s not in news and s not in new_errors),
        new_errors=fresh,
        fixed_errors=tuple(e for t, e in old_errors.items() if t not in new_errors),
        removed_is_regression=removed_is_regression,
        unchanged=tuple(d.new.source for d in matched if not d.changed),
    )


# ---------------------------------------------------------------- views


def render_json(diff: ReportDiff) -> str:
    return json.dumps(diff.to_json(), indent=2, ensure_ascii=False) + "\n"


def signed(value: float) -> str:
    """A change with its sign: +3.5, −2, ±0."""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + md.score(abs(value))


def _name(n: NoticeReport) -> str:
    """The notice's title, linked when its source is an http(s) URL."""
    label = n.title or n.source
    if _HTTP.match(n.source.strip()):
        return md.link(label, n.source)
    return md.text(label) + (f" ({md.text(n.source)})" if n.title else "")


def _status(status: str | None) -> str:
    if status is None:
        return "not checked"
    return f"{STATUS_SYMBOLS.get(status, '')} {md.text(status.replace('_', ' '))}".strip()


_VERBS = {
    "regressed": "regressed",
    "improved": "improved",
    "changed": "changed",
    "applicability": "changed applicability",
    "added": "newly checked",
    "removed": "no longer checked",
    "evidence_lost": "evidence lost",
}


def _where(loc: Locator) -> str:
    """Address (linked when http) and heading path; the CSS selector is left to the JSON."""
    out = md.link(loc.address, loc.address)
    return out + (" § " + md.text(" > ".join(loc.heading_path)) if loc.heading_path else "")


_ORDER = ("regressed", "evidence_lost", "applicability", "changed", "removed", "added", "improved")


def _change(c: ItemChange) -> list[str]:
    if c.change == "evidence_lost":
        line = f"- **{_VERBS[c.change]}** {md.code(c.item)} {md.text(c.title)}: still {_status(c.new)}"
    else:
        line = f"- **{_VERBS[c.change]}** {md.code(c.item)} {md.text(c.title)}: {_status(c.old)} → {_status(c.new)}"
    out = [line]
    if c.evidence_lost:
        out.append("  - evidence that disappeared:")
        for e in c.evidence_lost[:MAX_QUOTES]:
            out.append(f"    - “{md.text(e.quote)}” — {_where(e.locator)}")
        if len(c.evidence_lost) > MAX_QUOTES:
            out.append(f"    - …and {len(c.evidence_lost) - MAX_QUOTES} more")
    return out


def _notice(d: NoticeDiff) -> list[str]:
    head = f"#### {_name(d.new)} — {md.score(d.old.score)} → {md.score(d.new.score)} ({signed(d.score_change)})"
    if d.old.passed != d.new.passed:
        head += " · " + ("✅ passed → ❌ failed" if d.gate_failed else "❌ failed → ✅ passed")
    out = [head, ""]
    for c in sorted(d.changes, key=lambda c: _ORDER.index(c.change)):
        out += _change(c)
    if not d.changes:
        out.append("- no item changed status")
    return [*out, ""]


def summary_line(diff: ReportDiff) -> str:
    """The first line of the Markdown: the verdict and the counts that matter."""
    s = diff.summary()
    regressed = [d for d in diff.notices if d.regressed]
    if diff.regressed:
        parts = [f"❌ **{plural(s['regressions'], 'regression')}**"]
        if regressed:
            parts[0] += f" in {plural(len(regressed), 'notice')}"
    else:
        parts = ["✅ **No regressions**"]
    if s["improvements"]:
        parts.append(plural(s["improvements"], "improvement"))
    if s["evidence_lost"]:
        parts.append(f"{plural(s['evidence_lost'], 'quote')} of evidence lost")
    for key, noun, after in (("added", "notice", " added"), ("removed", "notice", " removed"),
                             ("new_errors", "new error", ""), ("fixed_errors", "error", " fixed")):
        if s[key]:
            parts.append(plural(s[key], noun) + after)
    parts.append(f"mean score {md.score(diff.old.summary['mean_score'])} → {md.score(diff.new.summary['mean_score'])}"
                 f" ({signed(s['mean_score_change'])})")
    return " · ".join(parts)


def _side_line(label: str, r: AuditReport) -> str:
    return (f"{label}: generated {md.text(r.generated_at)} · checklist {md.code(r.checklist_id)}"
            f" {md.code(r.checklist_version)} · {plural(len(r.notices), 'notice')}")


def render_markdown(diff: ReportDiff) -> str:
    """A pull-request comment: the summary line first, then regressions, then the rest."""
    out = [summary_line(diff), "", _side_line("Old", diff.old) + "  ", _side_line("New", diff.new), ""]
    regressed = [d for d in diff.notices if d.regressed]
    other = [d for d in diff.notices if not d.regressed and (d.of("evidence_lost", "applicability", "changed",
                                                                   "added", "removed") or d.score_change < 0)]
    improved = [d for d in diff.notices if not d.regressed and d not in other]
    if regressed:
        out += ["### Regressions", ""]
        for d in regressed:
            out += _notice(d)
    if diff.new_errors:
        out += ["### New errors", "", "| Target | Error | Old score |", "|---|---|---:|"]
        out += [f"| {md.text(e.error.target)} | {md.text(e.error.error)} | "
                f"{md.score(e.old.score) if e.old else '—'} |" for e in diff.new_errors]
        out.append("")
    if diff.removed:
        note = "" if diff.removed_is_regression else " (allowed: not counted as regressions)"
        out += [f"### Removed notices{note}", "", "| Notice | Score | Gate |", "|---|---:|:---:|"]
        out += [f"| {_name(n)} | {md.score(n.score)} | {'✅' if n.passed else '❌'} |" for n in diff.removed]
        out.append("")
    if other:
        out += ["### Other changes", ""]
        for d in other:
            out += _notice(d)
    if improved:
        out += ["<details>", f"<summary>Improvements in {plural(len(improved), 'notice')}</summary>", ""]
        for d in improved:
            out += _notice(d)
        out += ["</details>", ""]
    if diff.added:
        out += ["### Added notices", "", "| Notice | Score | Gate |", "|---|---:|:---:|"]
        out += [f"| {_name(n)} | {md.score(n.score)} | {'✅' if n.passed else '❌'} |" for n in diff.added]
        out.append("")
    if diff.fixed_errors:
        out += ["### Errors fixed", ""]
        out += [f"- {md.text(e.target)} (was: {md.text(e.error)})" for e in diff.fixed_errors]
        out.append("")
    if diff.unchanged:
        out += [f"{plural(len(diff.unchanged), 'notice')} unchanged.", ""]
    return "\n".join(out).rstrip() + "\n"


#: ``notice-audit diff --format``, named by the same extensions as the report's formats.
FORMATS: Registry[ReportDiff] = Registry("diff", [
    Format("markdown", ("md", "markdown"), render_markdown, for_people=True),
    Format("json", ("json",), render_json),
])


def render(diff: ReportDiff, fmt: str) -> str:
    return FORMATS.get_format(fmt).render(diff)

