"""Helpers every extractor uses: sentences, quotes, findings, topic headings.

Extractors read blocks sentence by sentence so that each finding can quote
the one sentence that supports it; ``index`` reads every sentence of a document
once and decides its role (what a notice *discloses*, what it merely *explains
about the law* ...).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, ParamSpec, TypeVar

from notice_audit import yamldata
from notice_audit.extract import prefilter
from notice_audit.extract.prefilter import Alternation
from notice_audit.model import Block, Evidence, Finding, FindingKind, Locator, Section

T = TypeVar("T")
P = ParamSpec("P")

#: Longest quote kept as evidence; longer sentences are cut around the match.
MAX_QUOTE = 320

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|eg|ie|no|nos|st|mr|mrs|ms|dr|ref|reg|regs|art|arts|s|ss|para|paras|sch|vs|v|"
    r"approx|incl|inc|ltd|co|tel|ext|fig|al|cf|op|pt|vol|dept)\.$)|(?:\b[A-Z]\.$)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9•])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a block, with its offsets in the block text."""

    section: Section
    block: Block
    start: int
    end: int
    #: Cut once: every extractor reads it, many times over.
    text: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.block.text[self.start : self.end])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in ``text``; abbreviations such as "e.g." and "s." do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[max(start, m.start() - 12) : m.start() + 1]
        if _ABBREVIATIONS.search(head):
            continue
        end = m.end()
        piece = text[start:end].strip()
        if piece:
            s = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            spans.append((s, s + len(piece)))
        start = end
    rest = text[start:].strip()
    if rest:
        s = start + (len(text[start:]) - len(text[start:].lstrip()))
        spans.append((s, s + len(rest)))
    return spans


def quote(text: str, start: int = 0, end: int | None = None, *, limit: int = MAX_QUOTE) -> str:
    """The quoted text, cut with ellipses around [start, end) when longer than ``limit``."""
    end = len(text) if end is None else end
    if len(text) <= limit:
        return text
    if end - start >= limit:
        return text[start : start + limit - 1].rstrip() + "…"
    pad = (limit - (end - start)) // 2
    lo = max(0, start - pad)
    hi = min(len(text), lo + limit)
    lo = max(0, hi - limit)
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def locator_for(section: Section, block: Block) -> Locator:
    """The block's own locator: the parser already gives it the heading path."""
    return block.locator if block.locator.heading_path else _with_path(block.locator, section.path)


def _with_path(loc: Locator, path: tuple[str, ...]) -> Locator:
    return dataclasses.replace(loc, heading_path=path)


def finding(
    element: str,
    sentence: Sentence,
    *,
    value: str | None = None,
    kind: FindingKind = "statement",
    attributes: Mapping[str, Any] | None = None,
    span: tuple[int, int] | None = None,
) -> Finding:
    """A finding quoting ``sentence`` (cut around ``span``, block offsets, when too long)."""
    text = sentence.text
    q = quote(text) if span is None else quote(text, span[0] - sentence.start, span[1] - sentence.start)
    return Finding(
        element=element,
        evidence=Evidence(q, locator_for(sentence.section, sentence.block)),
        value=value,
        kind=kind,
        attributes=dict(attributes or {}),
    )


def block_finding(
    element: str, section: Section, block: Block, *, value: str | None = None,
    kind: FindingKind = "statement", attributes: Mapping[str, Any] | None = None,
) -> Finding:
    """A finding quoting a whole block (a list item, a table cell)."""
    return Finding(
        element=element,
        evidence=Evidence(quote(block.text), locator_for(section, block)),
        value=value,
        kind=kind,
        attributes=dict(attributes or {}),
    )


@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """A YAML lexicon from ``notice_audit/extract/lexicons``, read once."""
    text = resources.files("notice_audit.extract").joinpath("lexicons", f"{name}.yaml").read_text("utf-8")
    data = yamldata.load(text)
    if not isinstance(data, dict):
        raise ValueError(f"lexicon {name}.yaml must be a mapping")
    return data


def compile_all(patterns: list[str] | None) -> Alternation | None:
    """One case-insensitive alternation for a list of patterns (None for an empty list).

    It searches only the alternatives whose literals occur in the text (``prefilter``).
    """
    if not patterns:
        return None
    return Alternation(patterns)


_PER_DOCUMENT: list[Any] = []


def per_document(func: Callable[P, T]) -> Callable[P, T]:
    """Remember a pure function's answers until the next document: extractors ask the same of
    the same sentences, headings and phrases many times over."""
    remembered = cache(func)
    _PER_DOCUMENT.append(remembered)
    return remembered  # type: ignore[return-value]  # cache() keeps the signature, its stub does not say so


def new_document() -> None:
    """Forget what was remembered of the last document's texts (kept per document only)."""
    for remembered in _PER_DOCUMENT:
        remembered.cache_clear()
    prefilter.LITERALS.forget()
