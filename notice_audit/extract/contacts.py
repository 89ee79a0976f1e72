"""Contact details (emails, UK phones, postcodes, web addresses, ICO numbers) with roles.

The role (``dpo``, ``ico``, ``controller`` or ``service``) comes from the words
around the value: its sentence, then a short label line just before its block,
then its headings. ``dpo_contact`` is met from these roles, so a DPO named
without any contact route does not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from notice_audit.extract.base import finding, sentences
from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.contacts import (
    find_emails,
    find_ico_registrations,
    find_phones,
    find_postcodes,
    find_urls,
)
from notice_audit.model import Document, Finding

RECOGNISERS: dict[str, Callable[[str], list[ValueMatch]]] = {
    "email": find_emails,
    "phone": find_phones,
    "postcode": find_postcodes,
    "url": find_urls,
    "ico_registration": find_ico_registrations,
}
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dpo", re.compile(r"\bdata protection officer\b|\bDPO\b|\bdpo@", re.IGNORECASE)),
    ("ico", re.compile(r"\binformation commissioner|\bICO\b|\bico\.org\.uk\b", re.IGNORECASE)),
    ("controller", re.compile(r"\bdata controller\b|\bcontroller\b", re.IGNORECASE)),
)


def role_of(window: str, at: int, *contexts: str) -> str:
    """The role named nearest to position ``at`` of ``window``, else the first named in ``contexts``.

    Nearest wins because one sentence often names two roles ("if the DPO cannot
    help, contact the ICO on 0303 ...").
    """
    best: tuple[int, str] | None = None
    for role, pattern in _ROLES:
        for m in pattern.finditer(window):
            distance = at - m.end() if m.end() <= at else m.start() - at
            if best is None or abs(distance) < best[0]:
                best = (abs(distance), role)
    if best is not None:
        return best[1]
    for context in contexts:
        for role, pattern in _ROLES:
            if pattern.search(context):
                return role
    return "service"


def extract(doc: Document) -> list[Finding]:
    found: list[Finding] = []
    previous_text: dict[int, str] = {}
    for section in doc.sections:
        prev = ""
        for block in section.blocks:
            previous_text[id(block)] = prev
            prev = block.text if len(block.text) < 120 else ""
    for s in sentences(doc.sections):
        text = s.text
        label = previous_text.get(id(s.block), "")
        heading = s.section.heading
        for kind, recognise in RECOGNISERS.items():
            for m in recognise(text):
                if kind in ("email", "url") and "ico.org.uk" in (m.value or "").lower():
                    role = "ico"
                else:
                    lo = max(0, m.start - 160)
                    role = role_of(text[lo: m.end + 60], m.start - lo, label, heading)
                attributes = {"kind": kind, "role": role, "text": m.text, **dict(m.attributes)}
                found.append(finding("contact", s, value=m.value, attributes=attributes,
                                     span=(s.start + m.start, s.start + m.end)))
    return found


def values_by_kind(findings: list[Finding] | tuple[Finding, ...], kind: str) -> list[str]:
    return list(dict.fromkeys(f.value for f in findings if f.attributes.get("kind") == kind and f.value))


def dpo_findings(contacts: list[Finding], doc: Document) -> list[Finding]:
    """DPO contact: a contact whose role is the DPO, or a DPO pointer sentence."""
    out = [Finding("dpo_contact", f.evidence, f.value, "statement", {"via": f.attributes["kind"]})
           for f in contacts if f.attributes.get("role") == "dpo"]
    if out:
        return out
    for s in sentences(doc.sections):
        if _DPO_ROUTE.search(s.text):
            out.append(finding("dpo_contact", s))
        elif _DPO.search(s.text) and _POINTER.search(s.text):
            out.append(finding("dpo_contact", s, kind="pointer"))
    return out


_DPO = re.compile(r"\bdata protection officer\b|\bDPO\b", re.IGNORECASE)
_DPO_ROUTE = re.compile(
    r"\b(?:contact|write to|email|e-mail|call|phone|telephone|ring)\b[^.]{0,40}\b(?:data protection officer|DPO)\b"
    r"[^.]{0,60}\b(?:at|on|by|via|using|through|online|form|address|below|above)\b|"
    r"\b(?:data protection officer|DPO)\b[^.]{0,60}\b(?:can be contacted|contact details|is available)\b",
    re.IGNORECASE,
)
_POINTER = re.compile(r"\b(?:see|visit|read|found|available|details (?:are|can be))\b", re.IGNORECASE)
