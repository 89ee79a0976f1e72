"""Helpers shared by the good-practice extractors."""

from __future__ import annotations

from notice_audit.extract.base import Sentence
from notice_audit.extract.index import every_sentence
from notice_audit.model import Document


def all_sentences(doc: Document) -> tuple[Sentence, ...]:
    """Every sentence of every block, those that explain the law included.

    Outdated references and plain language concern everything a reader sees,
    not only what discloses processing, so these extractors do not filter.
    The split is the one ``base.sentences`` makes: each block is split once.
    """
    return tuple(every_sentence(doc))
