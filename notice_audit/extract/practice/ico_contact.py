"""The ICO's contact details given in the notice: website, helpline, postal address, email.

Telling people they may complain to the ICO helps most when the notice also
says how to reach it; a phone number or an address serves readers who are not
online. The ICO's details are its own wherever they appear, so the patterns in
``lexicons/ico_contact.yaml`` need no context. One finding per kind (value
``website``, ``helpline``, ``address`` or ``email``), quoting where it is first given.
"""

from __future__ import annotations

from functools import cache

from notice_audit.extract import prefilter
from notice_audit.extract.base import compile_all, finding, load_lexicon
from notice_audit.extract.practice.common import all_sentences
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Document, Finding


@cache
def patterns() -> dict[str, Matcher]:
    out: dict[str, Matcher] = {}
    for kind, pats in load_lexicon("ico_contact")["kinds"].items():
        pattern = compile_all(pats)
        if pattern is not None:
            out[kind] = pattern
    return out


def extract(doc: Document) -> list[Finding]:
    found: dict[str, Finding] = {}
    kinds = patterns()
    gate = prefilter.gate(*kinds.values())
    for s in all_sentences(doc):
        if len(found) == len(kinds):
            break
        if gate.rules_out(s.text):
            continue
        for kind, pattern in kinds.items():
            if kind in found:
                continue
            m = pattern.search(s.text)
            if m is not None:
                found[kind] = finding("ico_contact", s, value=kind, attributes={"text": m.group(0)},
                                      span=(s.start + m.start(), s.start + m.end()))
    return list(found.values())
