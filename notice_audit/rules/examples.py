"""Checklist items tested like code: each item's examples must meet it, or must not.

An item may carry ``examples: {meets: [...], fails: [...]}``: short texts, each
a string or ``{text, as_of, facts, note}``. Every example is parsed as plain
text, run through every extractor, and judged by the item's rule alone:

- the item's ``when`` condition is ignored: an example shows what the rule
  recognises, and a condition such as "applies when consent is a basis" would
  otherwise make most examples not applicable;
- facts are the checklist's, plus the example's own ``facts``;
- ``max_age`` rules measure from the example's ``as_of`` (default: today), so an
  example about a notice's age stays true as time passes.

A ``meets`` example passes when the item is ``met``; a ``fails`` example when it
is ``missing``, ``partial`` or ``failed`` (``not_applicable``, e.g. too little
text to measure, passes neither). ``notice-audit checklists test`` runs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from notice_audit.extract import extract
from notice_audit.model import Page, Status
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import Checklist, Item
from notice_audit.rules.engine import evaluate_item

Expectation = Literal["meets", "fails"]
#: Statuses that count as "does not meet the item" for a ``fails`` example.
NOT_MET: frozenset[Status] = frozenset({"missing", "partial", "failed"})


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    as_of: date | None = None
    facts: Mapping[str, Any] | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One example's verdict: what the item said about it and whether that was expected."""

    item: str
    expect: Expectation
    index: int  # 1-based, within its list
    example: Example
    status: Status
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "met" if self.expect == "meets" else self.status in NOT_MET

    @property
    def label(self) -> str:
        return f"{self.item} {self.expect}[{self.index}]"


def as_example(raw: str | Mapping[str, Any]) -> Example:
    if isinstance(raw, str):
        return Example(raw)
    as_of = raw.get("as_of")
    return Example(str(raw["text"]), date.fromisoformat(str(as_of)) if as_of else None, raw.get("facts"),
                   str(raw.get("note", "")))


def examples_of(item: Item) -> list[tuple[Expectation, int, Example]]:
    out: list[tuple[Expectation, int, Example]] = []
    for expect in ("meets", "fails"):
        for i, raw in enumerate((item.examples or {}).get(expect) or [], start=1):
            out.append((expect, i, as_example(raw)))
    return out


def run_example(item: Item, checklist: Checklist, expect: Expectation, index: int, example: Example) -> ExampleResult:
    page = Page(source=f"{item.id}.{expect}[{index}]", url="", content=example.text.encode("utf-8"),
                media_type="text/plain")
    findings = extract(parse_page(page))
    facts = {**checklist.facts, **(example.facts or {})}
    result = evaluate_item(item, findings, facts, as_of=example.as_of, ignore_when=True)
    return ExampleResult(item.id, expect, index, example, result.status, result.message)


def own_items(checklist: Checklist) -> list[Item]:
    """The items the checklist's file defines itself (inherited ones are tested with their own file)."""
    return [it for it in checklist.items if not checklist.source or not it.source or it.source == checklist.source]


def run_examples(checklist: Checklist, items: Iterable[Item] | None = None) -> list[ExampleResult]:
    """Every example of the given items (default: the checklist's own items), in order."""
    return [
        run_example(item, checklist, expect, index, example)
        for item in (own_items(checklist) if items is None else items)
        for expect, index, example in examples_of(item)
    ]
