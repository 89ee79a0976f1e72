"""Screening: whether an audited target reads as a privacy notice at all, and if not, why.

A page that explains data-protection law, a page of links to notices or a page with no text would
otherwise be scored as a notice that fails everything, with nothing to say that the audit was beside
the point. ``screen`` judges a document from what the earlier stages already found, its structure
(words, link words, the extractors' sentence roles) and its findings, with no phrasings of its own;
the rules and their thresholds are data (``screen.yaml``). A target judged not a notice keeps its
item results, gets status ``not_a_notice`` with its reasons in the report's warnings, and fails no
gate unless the run asks (``GatePolicy.fail_on_non_notice``).

The rules are conservative: each needs the page to state little or nothing of the organisation's own
processing, so a short sub-page of a layered notice, or a notice's opening 2,000 characters, passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from notice_audit import yamldata
from notice_audit.extract.index import index_of
from notice_audit.formats.words import plural
from notice_audit.model import NOT_A_NOTICE, Document, Findings, NoticeStatus
from notice_audit.rules.vocabulary import ELEMENTS

__all__ = ["Screening", "screen"]

#: Finding kinds that state something as the organisation's own (a pointer sends the reader elsewhere).
_OWN = ("statement", "negation")


@dataclass(frozen=True, slots=True)
class Screening:
    """The verdict: ``status``, and for a target that is not a notice the reasons, in words a person reads."""

    status: NoticeStatus
    reasons: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """The reasons as report warnings (``NoticeReport.warnings``)."""
        return tuple(NOT_A_NOTICE + r for r in self.reasons)


@dataclass(frozen=True, slots=True)
class _Rules:
    """``screen.yaml``, checked."""

    processing: tuple[str, ...]
    identity: tuple[str, ...]
    min_words: int
    explainer: dict[str, float]
    index: dict[str, float]


@cache
def rules() -> _Rules:
    raw: dict[str, Any] = yamldata.load(resources.files("notice_audit").joinpath("screen.yaml").read_text("utf-8"))
    processing, identity = tuple(raw["processing"]), tuple(raw["identity"])
    unknown = sorted(set(processing + identity) - ELEMENTS)
    if unknown:
        raise ValueError(f"screen.yaml: unknown element(s) {unknown}")
    return _Rules(processing, identity, int(raw["min_words"]), dict(raw["explainer"]), dict(raw["index"]))


def screen(doc: Document, findings: Findings) -> Screening:
    """Whether ``doc`` reads as a notice, judged on its structure and its ``findings`` (``extract(doc)``).

    In order, the first that holds is the reason: almost no text; a page of links; an explainer of the
    law; nothing stated of its own at all.
    """
    r = rules()
    words = len(doc.text.split())
    if words < r.min_words:
        return _not(f"it holds almost no text ({plural(words, 'word')})")
    own = {f.element for f in findings.items if f.kind in _OWN}
    processing = [e for e in r.processing if e in own]
    for check in (_index, _explainer):
        reason = check(doc, processing, r)
        if reason:
            return _not(reason)
    if not own & set(r.processing + r.identity) and not _calls_itself_a_notice(doc):
        return _not("it discloses nothing of its own processing of personal data: no controller, purpose, kind "
                    "of data, recipient, retention period or lawful basis of its own was found")
    return Screening("notice")


def _index(doc: Document, processing: list[str], r: _Rules) -> str | None:
    """A page of links: mostly link text, little prose of its own, little disclosed."""
    rule = r.index
    blocks = [b for _, b in doc.blocks()]
    words = sum(len(b.text.split()) for b in blocks)
    linked = sum(min(b.link_words, len(b.text.split())) for b in blocks)
    links = sum(1 for b in blocks if b.link_words and b.link_words >= rule["link_block_share"] * len(b.text.split()))
    own = words - linked
    if (links < rule["min_links"] or links < rule["link_blocks"] * len(blocks)
            or own >= max(rule["own_words"], rule["own_words_per_link"] * links)
            or len(processing) > rule["max_processing"]):
        return None
    return (f"it is a page of links: {links} of its {plural(len(blocks), 'paragraph or list item')} are links, "
            f"with {plural(own, 'word')} of its own outside them{_little(processing)}")


def _explainer(doc: Document, processing: list[str], r: _Rules) -> str | None:
    """An explainer: most sentences explain the law in general, little disclosed."""
    rule = r.explainer
    sentences = index_of(doc).sentences()
    law = sum(1 for u in sentences if "law" in u.roles)
    if (len(sentences) < rule["min_sentences"] or law < rule["law_share"] * len(sentences)
            or len(processing) > rule["max_processing"]):
        return None
    return (f"it explains data-protection law in general: {law} of its {len(sentences)} sentences say what the "
            f"law requires or gives people{_little(processing)}")


def _calls_itself_a_notice(doc: Document) -> bool:
    """A sentence in which the page presents itself as a notice ("This notice explains how we use ..."; the
    extractors' "self" role): a notice whose statements the extractors missed, not a page without any."""
    return any("self" in u.roles for u in index_of(doc).sentences())


def _little(processing: list[str]) -> str:
    if not processing:
        return ", and it says nothing of what the organisation itself does with personal data"
    return (", and it says little of what the organisation itself does with personal data (only "
            f"{', '.join(p.replace('_', ' ') for p in processing)})")


def _not(reason: str) -> Screening:
    return Screening("not_a_notice", (reason,))
