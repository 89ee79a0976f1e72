"""``notice-audit evaluate``: accuracy against hand-made labels, beside a keyword floor.

For every labelled document the audit's verdict on each item is compared with
the label: "present" (met or partial, i.e. the text states it or points to
it) against "missing" (what an auditor would flag). Each class gets its own
precision, recall and F1 per item, then macro averages. Values (lawful bases,
rights, emails, phones, postcodes) are compared as (document, value) pairs.

Where a class never occurs in the labels and is never predicted (no label has
an Art 27 representative, and none is found), its F1 counts as 1.0: there was
nothing to find and nothing was wrongly found. Such rows are marked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from notice_audit.extract import extract, extracted_values
from notice_audit.fetch import FetchError, read_local
from notice_audit.model import Document
from notice_audit.parse import ParseError, parse_page
from notice_audit.rules.checklist import Checklist, load_checklist
from notice_audit.rules.engine import apply_rule

VALUE_FIELDS = ("lawful_bases", "rights", "emails", "phones", "postcodes")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return 1.0 if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        return 1.0 if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1


@dataclass
class Scores:
    """Per-item and per-value counts for one system (the tool, or the keyword floor)."""

    present: dict[str, Counts] = field(default_factory=dict)
    missing: dict[str, Counts] = field(default_factory=dict)
    values: dict[str, Counts] = field(default_factory=dict)
    disagreements: list[tuple[str, str, bool]] = field(default_factory=list)

    def macro(self, which: str) -> float:
        table = self.present if which == "present" else self.missing
        return sum(c.f1 for c in table.values()) / len(table) if table else 0.0


@dataclass
class Evaluation:
    documents: int
    skipped: list[tuple[str, str]]
    tool: Scores
    floor: Scores
    items: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        def counts(c: Counts) -> dict[str, Any]:
            return {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                    "tp": c.tp, "fp": c.fp, "fn": c.fn}

        def system(s: Scores) -> dict[str, Any]:
            return {
                "macro_f1_present": round(s.macro("present"), 4),
                "macro_f1_missing": round(s.macro("missing"), 4),
                "present": {k: counts(v) for k, v in s.present.items()},
                "missing": {k: counts(v) for k, v in s.missing.items()},
                "values": {k: counts(v) for k, v in s.values.items()},
            }

        return {
            "documents": self.documents,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "tool": system(self.tool),
            "keyword_floor": system(self.floor),
            "disagreements": [
                {"file": f, "item": i, "label": g} for f, i, g in self.tool.disagreements
            ],
        }


def find_document(corpus_dir: Path, name: str) -> Path | None:
    """The labelled file in CORPUS_DIR, or in its ``notices/`` folder."""
    for candidate in (corpus_dir / name, corpus_dir / "notices" / name):
        if candidate.is_file():
            return candidate
    return None


def evaluate_corpus(labels_dir: Path, corpus_dir: Path, *, checklist: Checklist | None = None) -> Evaluation:
    checklist = checklist or load_checklist("uk-gdpr")
    items = tuple(i.id for i in checklist.items)
    tool, floor = Scores(), Scores()
    for s in (tool, floor):
        s.present = {i: Counts() for i in items}
        s.missing = {i: Counts() for i in items}
        s.values = {v: Counts() for v in VALUE_FIELDS}
    skipped: list[tuple[str, str]] = []
    documents = 0
    for label_path in sorted(labels_dir.glob("*.yaml")):
        label = yaml.safe_load(label_path.read_text(encoding="utf-8"))
        name = str(label.get("file", ""))
        path = find_document(corpus_dir, name)
        if path is None:
            skipped.append((name or label_path.name, "document not found"))
            continue
        try:
            doc = parse_page(read_local(str(path))[0])
        except (FetchError, ParseError) as exc:
            skipped.append((name, str(exc)))
            continue
        documents += 1
        gold_items: Mapping[str, bool] = label.get("items") or {}
        predicted, values = predict(doc, checklist)
        keyword_items, keyword_values = keyword_predict(doc.text, items)
        for item in items:
            gold = bool(gold_items.get(item, False))
            tool.present[item].add(gold, predicted[item])
            tool.missing[item].add(not gold, not predicted[item])
            floor.present[item].add(gold, keyword_items[item])
            floor.missing[item].add(not gold, not keyword_items[item])
            if gold != predicted[item]:
                tool.disagreements.append((name, item, gold))
        for fld in VALUE_FIELDS:
            gold_values = {normalise_value(fld, v) for v in label.get(fld) or []}
            _add_values(tool.values[fld], gold_values, set(values[fld]))
            _add_values(floor.values[fld], gold_values, set(keyword_values[fld]))
    return Evaluation(documents, skipped, tool, floor, items)


def _add_values(counts: Counts, gold: set[str], predicted: set[str]) -> None:
    counts.tp += len(gold & predicted)
    counts.fp += len(predicted - gold)
    counts.fn += len(gold - predicted)


def normalise_value(fld: str, value: Any) -> str:
    text = str(value).strip()
    if fld == "emails":
        return text.lower()
    if fld == "phones":
        return re.sub(r"\D", "", text)
    if fld == "postcodes":
        compact = re.sub(r"\s", "", text).upper()
        return compact[:-3] + " " + compact[-3:]
    return text


def predict(doc: Document, checklist: Checklist) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """Item presence (rule met or partial, conditions ignored) and extracted values."""
    findings = extract(doc)
    present = {item.id: apply_rule(item.rule, findings).status in ("met", "partial") for item in checklist.items}
    ex = extracted_values(findings)
    values = {
        "lawful_bases": ex["lawful_bases"],
        "rights": ex["rights"],
        "emails": ex["contacts"]["emails"],
        "phones": ex["contacts"]["phones"],
        "postcodes": ex["contacts"]["postcodes"],
    }
    return present, values


# --- the keyword floor ---------------------------------------------------------------------------


@cache
def _keywords() -> dict[str, Any]:
    text = resources.files("notice_audit.evaluation").joinpath("keywords.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def keyword_predict(text: str, items: Iterable[str]) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """What a naive keyword search would say: an item is present when any of its words occurs."""
    data = _keywords()
    lower = text.lower()
    present = {item: any(k in lower for k in data["items"].get(item, [])) for item in items}
    values: dict[str, list[str]] = {}
    for fld in ("lawful_bases", "rights"):
        values[fld] = [v for v, words in data[fld].items() if any(w in lower for w in words)]
    finders: dict[str, Callable[[str], list[str]]] = {
        "emails": lambda t: [m.lower().rstrip(".") for m in re.findall(data["patterns"]["email"], t)],
        "phones": lambda t: [re.sub(r"\D", "", m) for m in re.findall(data["patterns"]["phone"], t)],
        "postcodes": lambda t: [normalise_value("postcodes", m) for m in re.findall(data["patterns"]["postcode"], t)],
    }
    for fld, finder in finders.items():
        values[fld] = finder(text)
    return present, values


# --- output --------------------------------------------------------------------------------------


def render_table(ev: Evaluation) -> str:
    """Plain-text figures: per item, the tool and the keyword floor side by side."""
    lines = [f"documents evaluated: {ev.documents}" + (f" (skipped {len(ev.skipped)})" if ev.skipped else "")]
    for name, reason in ev.skipped:
        lines.append(f"  skipped {name}: {reason}")
    for which in ("present", "missing"):
        lines.append("")
        lines.append(f"{which.upper():36} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}   {'floor F1':>8}")
        tool_table = ev.tool.present if which == "present" else ev.tool.missing
        floor_table = ev.floor.present if which == "present" else ev.floor.missing
        for item in ev.items:
            c, fc = tool_table[item], floor_table[item]
            mark = "*" if c.tp + c.fp + c.fn == 0 else " "
            lines.append(f"{item:36} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}{mark}{c.support:4d}   {fc.f1:8.3f}")
        lines.append(f"{'macro F1':36} {'':6} {'':6} {ev.tool.macro(which):6.3f}{'':5}   {ev.floor.macro(which):8.3f}")
    lines.append("")
    lines.append(f"{'VALUES':36} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}   {'floor F1':>8}")
    for fld in VALUE_FIELDS:
        c, fc = ev.tool.values[fld], ev.floor.values[fld]
        lines.append(f"{fld:36} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.support:4d}   {fc.f1:8.3f}")
    lines.append("")
    lines.append("* nothing to find and nothing found: counted as F1 1.0")
    return "\n".join(lines) + "\n"
