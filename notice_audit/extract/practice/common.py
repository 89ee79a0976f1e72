"""Helpers shared by the good-practice extractors."""

from __future__ import annotations

from notice_audit.extract.base import Sentence, split_sentences
from notice_audit.model import Document, Section

#: The last few documents split, so the practice extractors share one split.
_CACHE: dict[int, tuple[tuple[Section, ...], tuple[Sentence, ...]]] = {}
_CACHE_SIZE = 4


def all_sentences(doc: Document) -> tuple[Sentence, ...]:
    """Every sentence of every block, those that explain the law included.

    Outdated references and plain language concern everything a reader sees,
    not only what discloses processing, so these extractors do not filter.
    """
    key = id(doc.sections)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is doc.sections:
        return hit[1]
    out = tuple(
        Sentence(section, block, start, end)
        for section, block in doc.blocks()
        for start, end in split_sentences(block.text)
    )
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (doc.sections, out)
    return out
