"""Pointers of layered notices: where a notice sends the reader elsewhere for an element.

"For your rights, see our corporate privacy notice" does not state the rights
but tells the reader where they are: the engine reports such items as
``partial`` with the pointer quoted. Shared by the extractors whose elements
are often layered (rights, retention).
"""

from __future__ import annotations

import re

from notice_audit.extract.base import Sentence, explains_law, finding, locator_for, quote, sentences
from notice_audit.extract.cues import pointer_pattern
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Block, Document, Evidence, Finding, Section

#: The regulator's website explains the law for everyone: sending readers there is not pointing
#: to where this body sets out its own practice.
_REGULATOR_SITE = re.compile(
    r"\bico\.org\.uk\b|\b(?:information commissioner(?:'s|’s)?(?: office)?|ico|regulator)(?:'s|’s)? "
    r"(?:web ?site|web ?pages?|site|guidance)\b|\bwebsite of the (?:national )?regulator\b",
    re.IGNORECASE,
)
_OWN_NOTICE = re.compile(r"\bprivacy (?:notice|policy|statement)\b", re.IGNORECASE)


def is_pointer(text: str, extra: Matcher | None = None) -> bool:
    """The text sends the reader elsewhere (shared pointer phrases, or the element's own)."""
    if explains_law(text):
        return False
    if _REGULATOR_SITE.search(text) and not _OWN_NOTICE.search(text):
        return False
    return bool(pointer_pattern().search(text) or (extra is not None and extra.search(text)))


def layered_pointers(
    doc: Document, element: str, topic: Matcher, extra: Matcher | None = None,
    claimed: set[tuple[int, int]] | None = None,
) -> list[Finding]:
    """Pointers for ``element``: a sentence naming the topic that points elsewhere, or is followed
    by a sentence that does ("You have rights over your data. More on this in our privacy notice."),
    or a list item naming the topic whose lead-in or closing paragraph points elsewhere
    ("Our general privacy notice tells you about:" / "- your rights").

    ``claimed`` holds sentences (block id, start) the caller already has a finding for."""
    claimed = claimed or set()
    out: list[Finding] = []
    by_section: dict[int, list[Sentence]] = {}
    for s in sentences(doc.sections):
        by_section.setdefault(id(s.section), []).append(s)
    for section in doc.sections:
        spans = by_section.get(id(section), [])
        nexts = {id(a): b for a, b in zip(section.blocks, section.blocks[1:], strict=False)}
        for i, s in enumerate(spans):
            if (id(s.block), s.start) in claimed or not topic.search(s.text):
                continue
            if is_pointer(s.text, extra):
                out.append(finding(element, s, kind="pointer"))
            elif i + 1 < len(spans) and _follows(s, spans[i + 1], nexts) and is_pointer(spans[i + 1].text, extra):
                out.append(_joined(element, section, s.block, s.text + " " + spans[i + 1].text))
        pointing: dict[int, bool] = {}
        for block, lead, tail in list_context(section):
            if not topic.search(block.text):
                continue
            for b in (x for x in (lead, tail) if x is not None):
                if pointing.setdefault(id(b), is_pointer(b.text, extra)):
                    out.append(_joined(element, section, block, b.text + " … " + block.text))
                    break
    return out


def _follows(first: Sentence, second: Sentence, nexts: dict[int, Block]) -> bool:
    """The second sentence comes straight after the first: same block, or the next paragraph."""
    if first.block is second.block:
        return True
    return first.block.kind == "paragraph" and nexts.get(id(first.block)) is second.block


def list_context(section: Section) -> list[tuple[Block, Block | None, Block | None]]:
    """Each list item with the paragraph that introduces its list and the one after the list.

    One pass each way, so long lists stay linear.
    """
    blocks = section.blocks
    leads: list[Block | None] = []
    lead: Block | None = None
    for b in blocks:
        leads.append(lead)
        if b.kind != "list_item":
            lead = b
    tails: list[Block | None] = [None] * len(blocks)
    tail: Block | None = None
    for i in range(len(blocks) - 1, -1, -1):
        tails[i] = tail
        if blocks[i].kind != "list_item":
            tail = blocks[i]
    return [(b, leads[i], tails[i]) for i, b in enumerate(blocks) if b.kind == "list_item"]


def _joined(element: str, section: Section, block: Block, text: str) -> Finding:
    return Finding(element, Evidence(quote(text), locator_for(section, block)), None, "pointer", {"by": "layered"})
