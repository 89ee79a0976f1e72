"""Counting agreement with the labels: per-class counts, per-system scores, one split's evaluation."""

from __future__ import annotations

from collections.abc import Iterator
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
        if self.empty:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    @property
    def empty(self) -> bool:
        """Nothing to find and nothing found: the F1 of 1.0 is a convention, and tables mark it."""
        return self.tp + self.fp + self.fn == 0

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
    #: Screening (``screen.py``) against the labels' ``is_notice``: the positive class is "not a notice".
    screening: Counts = field(default_factory=Counts)
    #: (file, labelled not a notice) where the screening and the label differ.
    screening_disagreements: list[tuple[str, bool]] = field(default_factory=list)

    def macro(self, which: str) -> float:
        table = self.present if which == "present" else self.missing
        return sum(c.f1 for c in table.values()) / len(table) if table else 0.0

    def table(self, section: str) -> dict[str, Counts]:
        """The counts of one section: ``present``, ``missing`` or ``values``."""
        return {"present": self.present, "missing": self.missing, "values": self.values}[section]


SECTIONS = ("present", "missing", "values")


def is_below(tool: float, floor: float) -> bool:
    """The tool's F1 below the keyword floor's; a tie is not (two F1s of one fraction may differ in the last bits)."""
    return tool < floor - 1e-9


@dataclass
class Evaluation:
    """One folder of labels measured: the tool and the keyword floor counted on the same documents."""

    documents: int
    skipped: list[tuple[str, str]]
    tool: Scores
    floor: Scores
    items: tuple[str, ...]

    def rows(self) -> Iterator[tuple[str, str, Counts, Counts]]:
        """(section, item or value field, tool counts, floor counts) for every figure with a floor beside it."""
        for section in SECTIONS:
            for name, counts in self.tool.table(section).items():
                yield section, name, counts, self.floor.table(section)[name]

    def to_json(self, *, disagreements: bool = True) -> dict[str, Any]:
        """The figures as data; ``disagreements=False`` (a validation split) lists none and says how many."""
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

        data: dict[str, Any] = {
            "documents": self.documents,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "tool": system(self.tool),
            "keyword_floor": system(self.floor),
            "disagreements": [
                {"file": f, "item": i, "label": g} for f, i, g in self.tool.disagreements
            ] if disagreements else [],
            "not_a_notice": {**counts(self.tool.screening), "labelled": self.tool.screening.support},
            "not_a_notice_disagreements": [
                {"file": f, "label": "not_a_notice" if g else "notice"} for f, g in self.tool.screening_disagreements
            ] if disagreements else [],
        }
        if not disagreements:
            data["disagreements_withheld"] = len(self.tool.disagreements)
            data["not_a_notice_disagreements_withheld"] = len(self.tool.screening_disagreements)
        return data
