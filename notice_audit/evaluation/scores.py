"""Counting agreement with the labels: per-class counts, per-system scores, one split's evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
