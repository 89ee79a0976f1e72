"""Words for people: how the terminal and Markdown reports say where a quote is, why a notice failed
and what its parent notice covers, in the checklist's words rather than ids and CSS selectors.

The JSON keeps the machine forms (ids, ``str(Locator)``); these helpers only phrase them, so every
format for people says the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from notice_audit.formats.words import plural
from notice_audit.model import Failure, ItemResult, Locator, NoticeReport

STATUS_WORDS: dict[str, str] = {
    "met": "met",
    "partial": "partly met",
    "missing": "missing",
    "failed": "failed",
    "not_applicable": "does not apply",
}


def sentence(text: str) -> str:
    """``text`` with its first letter a capital, to stand as a sentence (``str.capitalize`` would lower the
    rest)."""
    return text[:1].upper() + text[1:]


def condition_words(item: ItemResult) -> str:
    """An item's message, a condition's names (``controller_outside_uk``) said as words where it does not
    apply."""
    return item.message.replace("_", " ") if item.status == "not_applicable" else item.message


def _quoted(heading: str) -> str:
    return f"‘{heading}’"


def page_heading(notice: NoticeReport) -> str | None:
    """The top heading every quote of the notice sits under (usually the page title), if they share one:
    saying it under every quote tells a reader nothing."""
    own = {notice.source, *notice.parts}
    paths = [e.locator.heading_path for i in notice.items for e in i.evidence
             if e.locator.heading_path and e.locator.source in own]
    tops = {p[0] for p in paths}
    # a title only when some quote sits deeper under it: one heading over every quote may be a section's
    return tops.pop() if len(tops) == 1 and any(len(p) > 1 for p in paths) else None


def short_source(source: str) -> str:
    """A page or file named briefly: a URL's last path segment, or a path's file name."""
    parts = urlsplit(source)
    path = parts.path if parts.scheme else source
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return name or parts.hostname or source


def where(loc: Locator, notice: NoticeReport | None = None, *, top: str | None = None,
          limit: int | None = None) -> str:
    """Where a quote is, as a person finds it: "under ‘Your rights’, paragraph 2", "line 12", "page 3",
    with the page named when it is another part of the notice than its first. Past ``limit`` characters
    the heading is shortened, not the paragraph, line or page that follows it."""
    text = _where(loc, notice, top, heading_limit=None)
    if limit is None or len(text) <= limit:
        return text
    heading = next((h for h in reversed(loc.heading_path)), "")
    room = max(limit - (len(text) - len(heading)), 8)
    return _where(loc, notice, top, heading_limit=room)[:limit]


def _shorten(value: str, limit: int | None) -> str:
    if limit is None or len(value) <= limit:
        return value
    return value[: max(limit - 1, 1)].rstrip() + "…"


def _where(loc: Locator, notice: NoticeReport | None, top: str | None, *, heading_limit: int | None) -> str:
    out: list[str] = []
    own = (notice.source,) if notice is not None else ()
    parts = notice.parts if notice is not None else ()
    if parts and len(parts) > 1 and loc.source in parts:
        index = parts.index(loc.source)
        if index:
            out.append(f"part {index + 1} ({short_source(loc.source)})")
    elif loc.source and notice is not None and loc.source not in own:
        out.append(short_source(loc.source))
    path = loc.heading_path
    if top and len(path) > 1 and path[0] == top:
        path = path[1:]
    if top and loc.heading_path == (top,):
        out.append("in the introduction")
    elif path:
        out.append("under " + _quoted(_shorten(path[-1], heading_limit)))
    if loc.fragment and loc.fragment.startswith("page="):
        out.append("page " + loc.fragment.removeprefix("page="))
    if loc.line is not None:
        end = loc.end_line if loc.end_line not in (None, loc.line) else None
        out.append(f"lines {loc.line}–{end}" if end else f"line {loc.line}")
    elif loc.block is not None and loc.heading_path:
        out.append(f"paragraph {loc.block}")
    return ", ".join(out) or short_source(loc.source)


def titles(items: Iterable[ItemResult]) -> dict[str, str]:
    """Item id → title (the id itself when a saved report has no title)."""
    return {i.id: i.title or i.id for i in items}


def failure_words(failure: Failure, names: Mapping[str, str]) -> str:
    """One reason a notice failed its gate, in words: "‘Retention periods’ is missing (required)"."""
    if failure.item is None:
        return failure.reason
    status, _, rest = failure.reason.partition(" ")
    word = STATUS_WORDS.get(status)
    title = _quoted(names.get(failure.item, failure.item))
    return f"{title} is {word} {rest}".rstrip() if word else f"{title}: {failure.reason}"


def verdict_line(notice: NoticeReport) -> str:
    """Why the notice passed or failed, in one sentence."""
    if notice.passed:
        return "passes its gate"
    names = titles(notice.items)
    reasons = [failure_words(f, names) for f in notice.failures]
    return "fails: " + "; ".join(reasons) if reasons else "fails its gate"


def status_counts(notice: NoticeReport) -> str:
    """"9 met, 2 partly met, 3 missing, 2 do not apply": what the item statuses add up to."""
    counts: dict[str, int] = {}
    for item in notice.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    words = {"not_applicable": "do not apply", "partial": "partly met"}
    return ", ".join(f"{counts[s]} {words.get(s, s)}" for s in STATUS_WORDS if counts.get(s))


def covered_by_parent(item: ItemResult, notice: NoticeReport) -> bool:
    """Whether the notice's parent gives what this item lacks (missing or partly met here)."""
    return notice.parent is not None and item.status in ("missing", "partial") and item.id in notice.parent.covers


def parent_line(notice: NoticeReport) -> str | None:
    """What the layered notice's parent covers of this notice's gaps, or None without a parent."""
    parent = notice.parent
    if parent is None:
        return None
    names = titles(notice.items)
    gaps = [i.id for i in notice.items if covered_by_parent(i, notice)]
    head = f"Its parent notice {short_source(parent.source)} (score {parent.score:g})"
    if not gaps:
        return f"{head} covers none of what this notice misses or only points to."
    listed = ", ".join(names.get(g, g) for g in gaps)
    return f"{head} covers {plural(len(gaps), 'item')} this notice misses or only points to: {listed}."


def since_last_line(data: Mapping[str, Any] | None, source: str, names: Mapping[str, str]) -> str | None:
    """What changed for ``source`` since the last recorded run (``--since-last``), in one sentence, items
    named by their titles (``names``)."""
    if data is None:
        return None
    for n in data.get("notices") or ():
        if n.get("source") != source:
            continue
        facts = []
        s = n["score"]
        if s["previous"] != s["current"]:
            facts.append(f"score {s['previous']:g} → {s['current']:g}")
        worse = [names.get(i["item"], i["item"]) for i in n.get("regressions", ())]
        better = [names.get(i["item"], i["item"]) for i in n.get("improvements", ())]
        if worse:
            facts.append("worse: " + ", ".join(worse))
        if better:
            facts.append("better: " + ", ".join(better))
        if n.get("content_changed"):
            facts.append("the text changed")
        run = n.get("previous_run") or {}
        when = f" (run {run['id']}, {run['at']})" if run.get("id") is not None else ""
        return f"Since the last run{when}: " + ("; ".join(facts) if facts else "no change") + "."
    if source in (data.get("new_targets") or ()):
        return "Since the last run: not audited before."
    return None
