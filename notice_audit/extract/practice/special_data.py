"""Special category and criminal offence data, and the conditions a notice should name for them.

Holding special category data (health, ethnicity, religion ...) needs an
Art 9 condition as well as an Art 6 basis; criminal offence data needs Art 10
authority (a DPA 2018 Schedule 1 condition, s.10(5), or official authority);
and most Schedule 1 conditions need an appropriate policy document (DPA 2018
Sch 1 paras 1(1)(b) and 5, Part 4). These findings let a checklist ask for the
condition wherever the data is mentioned.

Findings: ``special_category_data`` (the notice holds such data),
``criminal_offence_condition``, ``schedule_1_condition`` (a Schedule 1
condition is relied on: cited, or implied by an Art 9(2)(b) employment or
9(2)(g) substantial public interest condition; see ``derived``) and
``appropriate_policy_document``. The Art 9 conditions themselves and
criminal offence data are found by ``extract/lawful_basis.py``. Patterns live
in ``lexicons/special_data.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice_audit.extract import prefilter
from notice_audit.extract.base import Sentence, compile_all, finding, load_lexicon
from notice_audit.extract.index import sentences
from notice_audit.extract.practice.common import all_sentences
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Document, Evidence, Finding, Findings

#: Most findings kept per element: a long notice lists its data many times over.
MAX_PER_ELEMENT = 20
#: Art 9(2) conditions that rest on a Schedule 1 condition needing an appropriate policy document.
NEEDS_SCHEDULE_1 = ("employment_social_security", "substantial_public_interest")


@dataclass(frozen=True, slots=True)
class SpecialLexicon:
    special: Matcher
    special_not: Matcher | None
    criminal_strong: Matcher
    criminal: Matcher
    criminal_context: Matcher
    schedule_1: Matcher
    schedule_1_context: Matcher
    apd: Matcher


def _required(patterns: list[str] | None) -> Matcher:
    pattern = compile_all(patterns)
    assert pattern is not None
    return pattern


@cache
def lexicon() -> SpecialLexicon:
    data = load_lexicon("special_data")
    return SpecialLexicon(
        special=_required(data["special_category_data"]),
        special_not=compile_all(data.get("special_not")),
        criminal_strong=_required(data["criminal_condition_strong"]),
        criminal=_required(data["criminal_condition"]),
        criminal_context=_required(data["criminal_context"]),
        schedule_1=_required(data["schedule_1"]),
        schedule_1_context=re.compile(data["schedule_1_context"], re.IGNORECASE),
        apd=_required(data["appropriate_policy_document"]),
    )


def extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    out: dict[str, list[Finding]] = {k: [] for k in (
        "special_category_data", "criminal_offence_condition", "schedule_1_condition",
        "appropriate_policy_document")}

    def add(element: str, s: Sentence, m: re.Match[str]) -> None:
        if len(out[element]) < MAX_PER_ELEMENT:
            out[element].append(finding(element, s, attributes={"text": m.group(0)},
                                        span=(s.start + m.start(), s.start + m.end())))

    gate = prefilter.gate(lex.special, lex.criminal_strong, lex.criminal, lex.schedule_1)
    for s in sentences(doc):  # what the notice discloses, not what it explains
        text = s.text
        if gate.rules_out(text):
            continue
        m = lex.special.search(text)
        if m is not None and (lex.special_not is None or not lex.special_not.search(text)):
            add("special_category_data", s, m)
        m = lex.criminal_strong.search(text)
        if m is None and (lex.criminal_context.search(text) or lex.criminal_context.search(" ".join(s.section.path))):
            m = lex.criminal.search(text)
        if m is not None:
            add("criminal_offence_condition", s, m)
        m = lex.schedule_1.search(text)
        if m is not None and lex.schedule_1_context.search(text):
            add("schedule_1_condition", s, m)
    apd_gate = prefilter.gate(lex.apd)  # one set test rules out most of every sentence of the notice
    for s in all_sentences(doc):
        if apd_gate.rules_out(s.text):
            continue
        m = lex.apd.search(s.text)
        if m is not None:
            add("appropriate_policy_document", s, m)
    return [f for found in out.values() for f in found]


def derived(doc: Document, findings: Findings) -> list[Finding]:
    """Schedule 1 reliance implied by an Art 9(2)(b) or (g) condition, quoting it."""
    del doc  # the conditions already carry their quotes
    return [
        Finding("schedule_1_condition", Evidence(f.evidence.quote, f.evidence.locator), None, "statement",
                {"condition": f.value})
        for f in findings.of("special_category_condition", kinds=("statement",))
        if f.value in NEEDS_SCHEDULE_1
    ][:MAX_PER_ELEMENT]
