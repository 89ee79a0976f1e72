"""The extract stage: one extractor per element, all run over one Document.

Each extractor is ``Document -> list[Finding]``; ``extract`` runs them all and
``extracted_values`` shapes the findings as the JSON report's ``extracted``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from notice_audit.extract import (
    concepts,
    contacts,
    controller,
    derived,
    elements,
    index,
    lawful_basis,
    practice,
    prefilter,
    recipients,
    retention,
    rights,
)
from notice_audit.extract.base import new_document
from notice_audit.extract.practice import (
    audience,
    ico_contact,
    law_enforcement,
    outdated_law,
    plain_language,
    review_date,
    special_data,
    vagueness,
)
from notice_audit.model import Document, Finding, Findings

Extractor = Callable[[Document], list[Finding]]

#: Elements recognised by their frames alone (``lexicons/<name>.yaml``, read by ``elements``).
CUE_ELEMENTS: tuple[str, ...] = (
    "representative",
    "purposes",
    "legitimate_interests",
    "data_categories",
    "international_transfers",
    "withdraw_consent",
    "complaint_to_ico",
    "data_source",
    "statutory_contractual_requirement",
    "automated_decision_making",
    "consent",
)

EXTRACTORS: dict[str, Extractor] = {
    "controller_identity": controller.extract,
    "lawful_basis": lawful_basis.extract,
    "recipients": recipients.extract,
    "retention": retention.extract,
    "rights": rights.extract,
    **{name: partial(elements.extract, name=name) for name in CUE_ELEMENTS},
    # good practice beyond the legal minimum (extract/practice/)
    **practice.EXTRACTORS,
}


#: Every lexicon's loader (each compiled once per process, ``functools.cache``).
LEXICONS: tuple[Callable[[], object], ...] = (
    concepts.lexicon, index.role_lexicon, controller.lexicon, lawful_basis.lexicon, recipients.lexicon,
    rights.lexicon, contacts.lexicon, *(partial(elements.rules, name) for name in (*CUE_ELEMENTS, "retention")),
    audience.lexicon, ico_contact.patterns, law_enforcement.patterns, outdated_law.lexicon,
    plain_language.jargon_lexicon, review_date.lexicon, special_data.lexicon, vagueness.lexicon,
)
_loaded: list[bool] = []


def load_lexicons() -> None:
    """Compile every lexicon, then build the prefilter's automaton of all their literals, once, and keep
    the literals derived in the user's cache (``derived``).

    Loaded one by one as each extractor first ran, each new lexicon's literals made the first
    document's next scan rebuild the automaton and scan its sentences again (12 builds).
    """
    if _loaded:
        return
    for load in LEXICONS:
        load()
    prefilter.LITERALS.automaton()
    derived.DERIVED.save()  # what a later run need not derive again
    _loaded.append(True)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The garbage collector paused for one document's extraction.

    A long notice's index is hundreds of thousands of small objects, none of them garbage until
    the document is done; each pass of the cycle collector walks them all again, which made
    extraction grow faster than the document (a 1 MB page took 20% longer than eight 128 KB
    pages). Cycles made meanwhile are collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def reading(doc: Document) -> Iterator[None]:
    """One document read by every stage that asks for its index (extraction, then screening), with
    the cycle collector paused throughout and the index let go at the end (``index.release``).

    Kept in the index cache, a whole notice's index was still alive when the collector next ran,
    which then walked every one of its objects: a tenth of a whole notice's audit. Released with
    its links cut, it is freed as soon as the last reference goes, and the collector finds little.
    """
    with _without_cycle_collection():
        try:
            yield
        finally:
            index.release(doc)


def extract(doc: Document) -> Findings:
    """Run every extractor; the DPO contact is derived from the contacts found, and a
    controller named only weakly yields when the notice shares data with that body."""
    with _without_cycle_collection():
        return _extract(doc)


def _extract(doc: Document) -> Findings:
    load_lexicons()
    new_document()
    by_element = {name: run(doc) for name, run in EXTRACTORS.items()}
    named = by_element["controller_identity"]
    by_element["controller_identity"] = controller.without_recipients(named, by_element["recipients"])
    found: list[Finding] = [f for findings in by_element.values() for f in findings]
    contact_findings = contacts.extract(doc, named)
    found.extend(contact_findings)
    found.extend(contacts.dpo_findings(contact_findings, doc))
    so_far = Findings(tuple(found))
    for derive in practice.DERIVED.values():  # read what the others found (vague recipients ...)
        found.extend(derive(doc, so_far))
    return Findings(tuple(found))


def extracted_values(findings: Findings) -> dict[str, Any]:
    """The report's ``extracted`` object (contract shape, plus a few extra keys)."""
    contact = findings.of("contact")
    return {
        "controller": list(dict.fromkeys(f.value for f in findings.of("controller_identity") if f.value)),
        "lawful_bases": findings.values("lawful_basis"),
        "special_category_conditions": findings.values("special_category_condition"),
        "criminal_offence_data": bool(findings.of("criminal_offence_data")),
        "statutes": _statutes(findings),
        "rights": findings.values("rights"),
        "recipients": _unique(
            {"text": f.attributes["text"], "category": f.attributes["category"]}
            for f in findings.of("recipients", kinds=("statement", "negation"))
        ),
        "contacts": {
            "emails": contacts.values_by_kind(contact, "email"),
            "phones": contacts.values_by_kind(contact, "phone"),
            "postcodes": contacts.values_by_kind(contact, "postcode"),
            "urls": contacts.values_by_kind(contact, "url"),
            "ico_registrations": contacts.values_by_kind(contact, "ico_registration"),
            "roles": _unique({"value": f.value, "kind": f.attributes["kind"], "role": f.attributes["role"]}
                             for f in contact if f.value),
        },
        "retention": _unique(
            {"text": f.evidence.quote, "period": f.attributes.get("period"),
             **{k: f.attributes[k] for k in ("event", "schedules") if f.attributes.get(k)}}
            for f in findings.of("retention", kinds=("statement",))
        ),
        "practice": _practice(findings),
    }


def _practice(findings: Findings) -> dict[str, Any]:
    """Good-practice values: readability, audience, the notice's date, outdated references."""
    latest = review_date.latest(list(findings.of("review_date")))
    return {
        "readability": plain_language.readability(list(findings.of("plain_language"))),
        "audience": findings.values("audience"),
        "review_date": None if latest is None else {
            "date": latest.attributes["date"], "precision": latest.attributes["precision"],
            "label": latest.attributes["label"], "text": latest.evidence.quote,
        },
        "outdated_references": _unique(
            {"reference": f.value, "text": f.attributes["text"], "current": f.attributes["current"]}
            for f in findings.of("outdated_law")
        ),
        "ico_contact": findings.values("ico_contact"),
        "law_enforcement": bool(findings.of("law_enforcement")),
        "broken_links": _unique(
            {k: f.attributes.get(k) for k in ("url", "status", "text")} for f in findings.of("broken_link")
        ),
    }


def _statutes(findings: Findings) -> list[dict[str, Any]]:
    return _unique(
        {k: f.attributes.get(k) for k in ("title", "year", "section", "text")} for f in findings.of("statute")
    )


def _unique(rows: Any) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(repr(sorted(row.items())), row)
    return list(seen.values())
