"""Retention: how long data is kept, by period, event or schedule.

Statements come from the frames of ``lexicons/retention.yaml``; each is then
read for periods ("6 years" -> P6Y), event rules ("until the child's 25th
birthday") and retention schedules it names, so reports can show normalised
values. Two things that look like retention statements are not: the
storage-limitation principle recited as law (a list of "the principles"), and a
heading whose only text is cut off mid-sentence at the end of a truncated page.
"""

from __future__ import annotations

import re

from notice_audit.extract import elements
from notice_audit.extract.base import split_sentences
from notice_audit.extract.elements import unit_finding
from notice_audit.extract.index import index_of
from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.periods import find_periods, find_schedule_references
from notice_audit.model import Block, Document, Finding

#: A list introduced like this recites the law's principles, not the body's own practice.
_PRINCIPLES_LEAD = re.compile(
    r"\bprinciples?\b|^(?:[^.]{0,40}\b)?(?:personal )?(?:data|information) (?:shall|must|should)(?: be)?\W*$",
    re.IGNORECASE,
)
_PRINCIPLES_HEADING = re.compile(r"\bprinciples?\b", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?:;)\"'”’]\s*$")


def extract(doc: Document) -> list[Finding]:
    lex = elements.rules("retention")
    index = index_of(doc)
    principles = principle_items(doc)
    found: list[Finding] = []
    claimed: set[int] = set()
    for unit in index.sentences():
        if id(unit.block) in principles:
            continue
        result = lex.classify(unit)
        if result is None:
            continue
        kind, span = result
        if kind == "pointer" and _gives_period(unit.text):
            kind = "statement"  # "kept for 6 years, as set out in our retention schedule"
        found.append(unit_finding("retention", unit, kind, span))
        claimed.add(unit.position)
    last = _last_block(doc)
    for f in elements.heading_findings(index, lex):
        if last is not None and f.evidence.quote == last.text and _cut_off(last.text):
            continue  # the text stops mid-sentence right after the heading
        found.append(f)
    found.extend(elements.pointer_findings(index, lex, claimed))
    return [with_values(f) for f in found]


def principle_items(doc: Document) -> set[int]:
    """Ids of list items under a heading or lead-in about the data-protection principles.

    The items of one list share their heading and lead-in, so each is searched once.
    """
    out: set[int] = set()
    headings: dict[str, bool] = {}
    leads: dict[str, bool] = {}
    for unit in index_of(doc).sentences():
        if unit.kind != "list_item":
            continue
        path = unit.section.path
        if path:
            under = headings.get(path[-1])
            if under is None:
                under = headings[path[-1]] = _PRINCIPLES_HEADING.search(path[-1]) is not None
            if under:
                out.add(id(unit.block))
                continue
        if unit.lead is not None:
            lead = unit.lead.text
            led = leads.get(lead)
            if led is None:
                led = leads[lead] = _PRINCIPLES_LEAD.search(lead) is not None
            if led:
                out.add(id(unit.block))
    return out


def with_values(f: Finding) -> Finding:
    """The finding with its periods, event rule and schedule references as attributes."""
    periods = _restated_dropped(f.evidence.quote, find_periods(f.evidence.quote))
    durations = [p for p in periods if p.value]
    # A deadline ("within one month") is not how long data is kept.
    kept = [p for p in durations if p.attributes.get("qualifier") != "within"] or durations
    events = [p for p in periods if p.attributes.get("event")]
    attrs = dict(f.attributes)
    attrs["period"] = kept[0].value if kept else None
    attrs["periods"] = [p.value for p in kept]
    if events:
        attrs["event"] = events[0].attributes["event"]
    schedules = find_schedule_references(f.evidence.quote)
    if schedules:
        attrs["schedules"] = list(dict.fromkeys(m.value for m in schedules))
    return Finding(f.element, f.evidence, attrs["period"], f.kind, attrs)


def _restated_dropped(text: str, periods: list[ValueMatch]) -> list[ValueMatch]:
    """Periods without the ones restated in brackets ("six weeks (42 days)" is one period)."""
    out: list[ValueMatch] = []
    for p in periods:
        if out and out[-1].value and re.fullmatch(r"\s*\(\s*", text[out[-1].end : p.start]):
            continue
        out.append(p)
    return out


def _cut_off(text: str) -> bool:
    """One unfinished sentence: all that is left of a section on a truncated page."""
    return len(split_sentences(text)) < 2 and not _ENDS_SENTENCE.search(text)


def _gives_period(text: str) -> bool:
    return any(p.value or p.attributes.get("event") for p in find_periods(text))


def _last_block(doc: Document) -> Block | None:
    last = None
    for _, block in doc.blocks():
        last = block
    return last
