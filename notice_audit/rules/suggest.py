"""Other checklists a notice should be audited against, suggested from what it says.

A notice that describes processing for law-enforcement purposes falls under
DPA 2018 Part 3 (s.44 lists what it must tell people), not only the UK GDPR:
the report suggests the ``dpa2018-part3`` checklist, quoting why. A
suggestion is made only when the checklist used is a different one.
"""

from __future__ import annotations

from pathlib import Path

from notice_audit.model import Findings, Suggestion
from notice_audit.rules.checklist import Checklist

#: element found -> (checklist to suggest, why).
SUGGESTIONS: dict[str, tuple[str, str]] = {
    "law_enforcement": (
        "dpa2018-part3",
        "the notice describes processing for law-enforcement purposes (DPA 2018 Part 3): audit it against "
        "the information DPA 2018 s.44 requires too",
    ),
}
#: Quotes kept per suggestion.
MAX_QUOTES = 3


def suggestions(findings: Findings, checklist: Checklist) -> tuple[Suggestion, ...]:
    used = {checklist.id, Path(checklist.source).stem} if checklist.source else {checklist.id}
    out: list[Suggestion] = []
    for element, (target, reason) in SUGGESTIONS.items():
        found = findings.of(element, kinds=("statement",))
        if found and target not in used:
            evidence = list(dict.fromkeys((f.evidence.quote, str(f.evidence.locator)) for f in found))[:MAX_QUOTES]
            out.append(Suggestion(target, reason, tuple(evidence)))
    return tuple(out)
