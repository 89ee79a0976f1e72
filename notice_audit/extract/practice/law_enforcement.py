"""Processing for law-enforcement purposes, which DPA 2018 Part 3 governs instead of the UK GDPR.

A police force, or a council prosecuting offences, processes personal data for
"the prevention, investigation, detection or prosecution of criminal offences
or the execution of criminal penalties" (DPA 2018 s.31) as a competent
authority. Its notice then owes the information in DPA 2018 s.44, which the
``dpa2018-part3`` checklist tests; the report suggests that checklist when
this finds anything. "Prevent and detect crime" alone (CCTV) is a purpose, not
this. Findings: ``law_enforcement``, and ``law_enforcement_basis`` where the notice gives the
legal basis for such processing (DPA 2018 s.35: consent, or a task carried out for a
law-enforcement purpose by a competent authority). Patterns live in
``lexicons/law_enforcement.yaml``.
"""

from __future__ import annotations

from functools import cache

from notice_audit.extract import prefilter
from notice_audit.extract.base import compile_all, finding, load_lexicon
from notice_audit.extract.practice.common import all_sentences
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Document, Finding

MAX_FINDINGS = 10


@cache
def patterns() -> tuple[Matcher, Matcher | None, Matcher]:
    data = load_lexicon("law_enforcement")
    statement, basis = compile_all(data["statement"]), compile_all(data["basis"])
    assert statement is not None and basis is not None
    return statement, compile_all(data.get("negation")), basis


def extract(doc: Document) -> list[Finding]:
    statement, negation, basis = patterns()
    found: dict[str, list[Finding]] = {"law_enforcement": [], "law_enforcement_basis": []}
    gate = prefilter.gate(statement, basis)
    for s in all_sentences(doc):
        if gate.rules_out(s.text):
            continue
        if negation is not None and negation.search(s.text):
            continue
        for element, pattern in (("law_enforcement", statement), ("law_enforcement_basis", basis)):
            m = pattern.search(s.text)
            if m is not None and len(found[element]) < MAX_FINDINGS:
                found[element].append(finding(element, s, value="part3" if element == "law_enforcement" else None,
                                              attributes={"text": m.group(0)},
                                              span=(s.start + m.start(), s.start + m.end())))
    return found["law_enforcement"] + found["law_enforcement_basis"]
