"""Recipients of this organisation's sharing, each with a category.

Two shapes carry them: lists under a sharing heading or after a sharing
introduction ("we may share your information with:"), and enumerations in a
sentence ("we share it with the police, HMRC and other councils"). Lists about
a third party's own onward sharing ("the law allows the Department to share
... with:") are left out: those are not this notice's recipients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice_audit.extract.base import (
    block_finding,
    compile_all,
    explains_law,
    finding,
    load_lexicon,
    sentences,
)
from notice_audit.model import Block, Document, Finding, Section

MAX_RECIPIENT_WORDS = 16
_SPLIT = re.compile(r"\s*(?:;|,|\band/or\b|\band\b|\bor\b|\bas well as\b)\s*", re.IGNORECASE)
_TRIM = re.compile(r"^[\s•·▪*\-–—]+|[\s,;:.]+$|^(?:and|or)\s+|\s+(?:and|or)$", re.IGNORECASE)
_ORGISH = re.compile(
    r"\b(?:organisations?|agenc(?:y|ies)|bod(?:y|ies)|authorit(?:y|ies)|services?|providers?|partners?|departments?|"
    r"teams?|groups?|councils?|companies|company|officers?|professionals|practitioners|staff|members|public|"
    r"commissioner|ombudsman|courts?|police|nhs|schools?|government)\b",
    re.IGNORECASE,
)
_INFO = re.compile(r"\b(?:information|data|details|records?|it|them)\b", re.IGNORECASE)
_OUR_SHARING = re.compile(
    r"\b(?:we|us|our|the council|the service|the school|the trust|the practice)\b[^.]{0,60}"
    r"\b(?:share|shares|sharing|disclose|pass|provide|give|send|make)\b|"
    r"\b(?:may|will|can|might|could|is|are) (?:also )?(?:be )?"
    r"(?:shared|disclosed|passed|provided|given|sent|made available)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RecipientLexicon:
    headings: re.Pattern[str]
    third_party: re.Pattern[str]
    share_verbs: re.Pattern[str]
    intro: re.Pattern[str]
    not_recipient: re.Pattern[str]
    categories: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def lexicon() -> RecipientLexicon:
    data = load_lexicon("recipients")
    compiled = {k: compile_all(data[k]) for k in ("headings", "third_party", "share_verbs", "intro", "not_recipient")}
    cats = tuple((name, p) for name, pats in data["categories"].items() if (p := compile_all(pats)) is not None)
    return RecipientLexicon(categories=cats, **compiled)  # type: ignore[arg-type]


def categorise(text: str) -> str:
    """The recipient category for a recipient's words ('other' when none fits)."""
    for name, pattern in lexicon().categories:
        if pattern.search(text):
            return name
    return "other"


def clean(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _TRIM.sub("", text)
    return text


def _is_third_party(text: str) -> bool:
    lex = lexicon()
    return bool(lex.third_party.search(text)) and not _OUR_SHARING.search(text)


def extract(doc: Document) -> list[Finding]:
    found = _from_lists(doc)
    seen = {f.attributes["text"].lower() for f in found}
    for f in _from_sentences(doc):
        key = f.attributes["text"].lower()
        if key not in seen:
            seen.add(key)
            found.append(f)
    return found


def _from_lists(doc: Document) -> list[Finding]:
    lex = lexicon()
    out: list[Finding] = []
    for section in doc.sections:
        heading = section.heading
        sharing_heading = bool(heading and lex.headings.search(heading) and not _is_third_party(heading))
        third_heading = bool(heading and lex.third_party.search(heading))
        intro: Block | None = None
        for block in section.blocks:
            if block.kind != "list_item":
                intro = block
                continue
            if third_heading or (intro is not None and _is_third_party(intro.text)):
                continue
            intro_ok = intro is not None and bool(lex.intro.search(intro.text)) and not explains_law(intro.text)
            if sharing_heading and intro is not None and not intro_ok and not _OUR_SHARING.search(intro.text):
                continue  # a list under a sharing heading that is about something else
            if sharing_heading or intro_ok:
                out.extend(_recipient_from_item(section, block))
    return out


def _recipient_from_item(section: Section, block: Block) -> list[Finding]:
    text = clean(block.text)
    if not text or len(text.split()) > MAX_RECIPIENT_WORDS * 2 or lexicon().not_recipient.fullmatch(text):
        return []
    return [block_finding("recipients", section, block, value=categorise(text),
                          attributes={"text": text, "category": categorise(text)})]


def _from_sentences(doc: Document) -> list[Finding]:
    lex = lexicon()
    out: list[Finding] = []
    for s in sentences(doc.sections):
        text = s.text
        if explains_law(text) or not _INFO.search(text) or _is_third_party(text):
            continue
        if not _OUR_SHARING.search(text):
            continue
        m = lex.share_verbs.search(text)
        if not m:
            continue
        tail = text[m.end():]
        stop = re.search(r"[.:(]|\b(?:for the purposes?|in order to|so that|to help|to enable|to allow|to comply|"
                         r"to prevent|to detect|to protect|to make sure|to ensure|where|when|if|unless|because|"
                         r"under|who)\b", tail)
        if stop:
            tail = tail[: stop.start()]
        tail = re.sub(r"^\s*(?:organisations|bodies|agencies|partners|others)\s+(?:such as|including|like)\s+",
                      "", tail, flags=re.IGNORECASE)
        offset = s.start + m.end()
        for part in _SPLIT.split(tail):
            name = clean(part)
            if not name or lex.not_recipient.fullmatch(name) or len(name.split()) > MAX_RECIPIENT_WORDS:
                continue
            category = categorise(name)
            if category == "other" and not _ORGISH.search(name):
                continue
            pos = text.find(name, m.end())
            span = (offset, offset + len(tail)) if pos < 0 else (s.start + pos, s.start + pos + len(name))
            out.append(finding("recipients", s, value=category, attributes={"text": name, "category": category},
                               span=span))
    return out
