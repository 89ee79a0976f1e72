"""Retention: how long data is kept, by period, event or schedule.

Statements come from the cue lexicon ``lexicons/retention.yaml``; each is then
read for periods ("6 years" -> P6Y) and event rules ("until the child's 25th
birthday") so reports can show normalised values.
"""

from __future__ import annotations

from notice_audit.extract.cues import extract_cues
from notice_audit.extract.values.periods import find_periods
from notice_audit.model import Document, Finding


def extract(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    for f in extract_cues(doc, "retention"):
        periods = find_periods(f.evidence.quote)
        first = periods[0] if periods else None
        attrs = dict(f.attributes)
        attrs["period"] = first.value if first else None
        if first is not None and first.attributes.get("event"):
            attrs["event"] = first.attributes["event"]
        attrs["periods"] = [p.value for p in periods if p.value]
        out.append(Finding(f.element, f.evidence, attrs["period"], f.kind, attrs))
    return out
