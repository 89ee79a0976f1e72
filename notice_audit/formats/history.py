"""Text, Markdown and JSON views of the run history (``notice-audit history``, ``audit --since-last``).

They take the plain dicts built by :mod:`notice_audit.app.history`, so a JSON report read back renders
the same. Sources are page or user text: Markdown goes through the report's escaping, the terminal
table drops control characters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from notice_audit.formats.base import Format, Registry
from notice_audit.formats.mdtext import code, score
from notice_audit.formats.mdtext import text as md
from notice_audit.formats.words import plural


def _plain(value: object) -> str:
    """One terminal line: whitespace collapsed, control characters (escape sequences) replaced."""
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(str(value).split()))


def _md(value: object) -> str:
    """Markdown-safe text with control characters gone too (the report's escaping keeps them)."""
    return md(_plain(value))


def _delta(value: float | None) -> str:
    return "" if value is None else f"{round(float(value), 1):+g}".replace("-", "−")


def _status(value: str | None) -> str:
    return "—" if value is None else value.replace("_", " ")


def _aligned(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    return ["  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            .rstrip() for r in [headers, *rows]]


def _md_table(headers: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> list[str]:
    rule = {"l": "---", "r": "---:", "c": ":---:"}
    return ["| " + " | ".join(headers) + " |", "|" + "|".join(rule[a] for a in align) + "|",
            *["| " + " | ".join(r) + " |" for r in rows]]


def render_trend(data: Mapping[str, Any], fmt: str) -> str:
    """``History.trend()`` output as ``table`` (terminal), ``markdown`` or ``json``."""
    return FORMATS.get_format(fmt).render(data)


def _json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _table(data: Mapping[str, Any]) -> str:
    return _trend(data, markdown=False)


def _markdown(data: Mapping[str, Any]) -> str:
    return _trend(data, markdown=True)


def _trend(data: Mapping[str, Any], *, markdown: bool) -> str:
    lines = (_target_lines if data.get("target") is not None else _overview_lines)(data, markdown)
    return "\n".join(lines).rstrip() + "\n"


def _target_lines(data: Mapping[str, Any], markdown: bool) -> list[str]:
    runs, changes = data["runs"], data["changes"]
    esc = _md if markdown else _plain
    where = f"{len(runs)} of {plural(data['total_runs'], 'run')} shown · {esc(data['database'])}"
    if not runs:
        empty = f"No recorded runs of {esc(data['target'])} in {esc(data['database'])}."
        return [f"## History of {code(_plain(data['target']))}", "", empty] if markdown else [empty]
    run_rows = [[str(r["run"]), esc(r["at"]), esc(f"{r['checklist']} {r['checklist_version']}"), score(r["score"]),
                 _delta(r.get("score_change")), "passed" if r["passed"] else "failed",
                 esc(r["content_hash"]) + (" (changed)" if r["content_changed"] else "")] for r in runs]
    change_rows = [[str(c["run"]), esc(c["at"]), code(c["item"]) if markdown else _plain(c["item"]),
                    _status(c["from"]), _status(c["to"])] for c in changes]
    run_head = ["Run", "When", "Checklist", "Score", "Change", "Gate", "Content"]
    change_head = ["Run", "When", "Item", "From", "To"]
    if markdown:
        out = [f"## History of {code(_plain(data['target']))}", "", where, ""]
        out += [*_md_table(run_head, "rllrrcl", run_rows), ""]
        out += ["### When each item changed", ""]
        return out + (_md_table(change_head, "rllll", change_rows) if changes else ["No item changed."])
    out = [f"History of {_plain(data['target'])} · {where}", ""]
    out += _aligned([h.upper() for h in run_head], run_rows, frozenset({0, 3, 4}))
    if not changes:
        return [*out, "", "No item changed."]
    out += ["", "When each item changed (newest first):"]
    return out + ["  " + line for line in _aligned([h.upper() for h in change_head], change_rows, frozenset({0}))]


def _overview_lines(data: Mapping[str, Any], markdown: bool) -> list[str]:
    targets = data["targets"]
    esc = _md if markdown else _plain
    where = f"{plural(len(targets), 'target')} · {plural(data['total_runs'], 'run')} · {esc(data['database'])}"
    if not targets:
        empty = f"No runs recorded yet in {esc(data['database'])}."
        return ["## Run history", "", empty] if markdown else [empty]
    rows = [[esc(t["source"]), esc(t["checklist"]), str(t["runs"]), esc(t["last_run"]["at"]), score(t["latest_score"]),
             "" if t["previous_score"] is None else _delta(t["latest_score"] - t["previous_score"]),
             "passed" if t["passed"] else "failed"] for t in targets]
    head = ["Target", "Checklist", "Runs", "Last run", "Score", "Change", "Gate"]
    if markdown:
        return ["## Run history", "", where, "", *_md_table(head, "llrlrrc", rows)]
    return [f"Run history · {where}", "", *_aligned([h.upper() for h in head], rows, frozenset({2, 4, 5}))]


def render_since_last(data: Mapping[str, Any]) -> str:
    """The ``since_last`` part of a report as a short Markdown section."""
    notices = data.get("notices") or []
    out = ["## Since the last run", ""]
    if not notices:
        out.append("No earlier run of these targets to compare with.")
    else:
        counts = [sum(len(n[key]) for n in notices) for key in ("regressions", "improvements")]
        content = sum(1 for n in notices if n["content_changed"])
        out += [f"**{len(data.get('regressed') or [])}** of {plural(len(notices), 'notice')} regressed · "
                f"{plural(counts[0], 'item')} worse, {counts[1]} better · {plural(content, 'content change')}", ""]
        quiet = 0
        for n in notices:
            lines = _notice_lines(n)
            if lines:
                out += lines
            else:
                quiet += 1
        if quiet:
            out.append(f"- {plural(quiet, 'notice')} unchanged since the last run")
    if data.get("new_targets") and notices:
        out += ["", "No earlier run of: " + ", ".join(_md(s) for s in data["new_targets"])]
    for e in data.get("errored") or []:
        out += ["", f"Audited in run {e['previous_run']['id']} but not now: {_md(e['source'])} ({_md(e['error'])})"]
    return "\n".join(out).rstrip() + "\n"


def _notice_lines(n: Mapping[str, Any]) -> list[str]:
    """A notice's bullet and its item changes; nothing when nothing changed."""
    facts = []
    s = n["score"]
    if s["previous"] != s["current"]:
        facts.append(f"score {score(s['previous'])} → {score(s['current'])} "
                     f"({_delta(s['current'] - s['previous'])})")
    if n["passed"]["previous"] and not n["passed"]["current"]:
        facts.append("**now fails its gate** (passed before)")
    elif n["passed"]["current"] and not n["passed"]["previous"]:
        facts.append("now passes its gate")
    if n["content_changed"]:
        facts.append("content changed")
    if n.get("checklist_version"):
        v = n["checklist_version"]
        facts.append(f"checklist version {code(v['previous'])} → {code(v['current'])}")
    items = [(label, i) for label, key in (("⚠️ worse", "regressions"), ("better", "improvements"),
                                            ("changed", "changed")) for i in n[key]]
    if not facts and not items:
        return []
    run = n["previous_run"]
    head = f"- {_md(n['source'])} (since run {run['id']}, {_md(run['at'])})"
    out = [head + (": " + "; ".join(facts) if facts else "")]
    return out + [f"  - {label}: {code(i['item'])} {_status(i['previous'])} → {_status(i['current'])}"
                  + (f" ({_md(i['severity'])})" if i.get("severity") else "") for label, i in items]


#: ``notice-audit history --format``: the trend's formats, named by the same extensions as the report's.
FORMATS: Registry[Mapping[str, Any]] = Registry("history", [
    Format("table", ("txt",), _table, for_people=True),
    Format("markdown", ("md", "markdown"), _markdown, for_people=True),
    Format("json", ("json",), _json),
])
