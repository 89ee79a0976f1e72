"""Several folders of labels measured in one run, each beside a reference split.

A figure on the texts the rules were written from (development) is an upper bound; the
validation and full-length splits say whether a rule generalises. Measuring them together
shows the gap: the reference's F1 minus each other split's, i.e. how much the reference
overstates. A validation split is for measuring only, so its individual disagreements are
never listed or written out, only counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notice_audit.errors import UsageError
from notice_audit.evaluation.corpus import evaluate_corpus
from notice_audit.evaluation.scores import SECTIONS, Evaluation, is_below

# (name, labels folder, corpus folder) under the shared folder; validation and full-length
# first, as the design notes ask, with development last and the reference.
STANDARD_SPLITS = (
    ("validation", "corpus/labels-validation", "corpus"),
    ("full", "corpus-full/labels", "corpus-full"),
    ("dev", "corpus/labels", "corpus"),
)
STANDARD_REFERENCE = "dev"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,14}\Z")  # at most 15 characters: a column heading


class SplitError(UsageError, ValueError):
    """A split that cannot be measured: the message says which and why."""


@dataclass(frozen=True)
class Split:
    name: str
    labels: Path
    corpus: Path

    @property
    def is_validation(self) -> bool:
        """Named so, or labelled from a folder named so: its disagreements are withheld."""
        folder = self.labels.resolve().name
        return "validation" in self.name.lower() or "validation" in folder.lower()

    def check(self) -> None:
        for what, folder in (("labels", self.labels), ("corpus", self.corpus)):
            if not folder.is_dir():
                raise SplitError(f"split {self.name}: {what} folder {folder}: no such folder")


def parse_split(spec: str) -> Split:
    """``NAME=LABELS_DIR[:CORPUS_DIR]``; the corpus defaults to the labels folder's parent (where the
    shared corpora keep their labels)."""
    name, eq, paths = spec.partition("=")
    if not eq or not name or not paths:
        raise SplitError(f"--split {spec}: expected NAME=LABELS_DIR[:CORPUS_DIR]")
    if not _NAME.match(name):
        raise SplitError(f"--split {spec}: a split name is 1-15 letters, digits, '.', '_' or '-'")
    labels, _, corpus = paths.partition(":")
    if not labels:
        raise SplitError(f"--split {spec}: no labels folder")
    labels_dir = Path(labels)
    if corpus:
        return Split(name, labels_dir, Path(corpus))
    parent = labels_dir.parent if labels_dir.name not in ("", "..") else labels_dir.resolve().parent
    return Split(name, labels_dir, parent)


def standard_splits(shared: Path) -> list[Split]:
    """The three labelled splits of the shared folder, or a SplitError naming what is missing."""
    how = "give LABELS_DIR CORPUS_DIR, --split NAME=LABELS_DIR[:CORPUS_DIR] or --shared DIR"
    if not shared.is_dir():
        raise SplitError(f"{shared}: no such folder, so no standard splits to evaluate; {how}")
    splits = [Split(name, shared / labels, shared / corpus) for name, labels, corpus in STANDARD_SPLITS]
    absent = list(dict.fromkeys(str(folder) for s in splits for folder in (s.labels, s.corpus) if not folder.is_dir()))
    if absent:
        raise SplitError(f"{shared} does not hold the standard splits (absent: {', '.join(absent)}); {how}")
    return splits


def check_splits(splits: Sequence[Split], reference: str | None) -> str:
    """Every split measurable and named once; returns the reference's name (the first by default)."""
    if not splits:
        raise SplitError("no split to evaluate")
    names = [s.name for s in splits]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise SplitError(f"split name given twice: {', '.join(twice)}")
    if reference is not None and reference not in names:
        raise SplitError(f"--reference {reference}: no such split (splits: {', '.join(names)})")
    for split in splits:
        split.check()
    return reference or names[0]


@dataclass
class MultiEvaluation:
    """One Evaluation per split, in the order given, and the split the others are compared with."""

    splits: tuple[Split, ...]
    evaluations: dict[str, Evaluation]
    reference: str

    @property
    def others(self) -> list[str]:
        return [s.name for s in self.splits if s.name != self.reference]

    def gaps(self) -> dict[str, dict[str, Any]]:
        """Per non-reference split: the reference's F1 minus the split's, for the macro figures and every row."""
        ref = self.evaluations[self.reference]
        out: dict[str, dict[str, Any]] = {}
        for name in self.others:
            ev = self.evaluations[name]
            gap: dict[str, Any] = {
                f"macro_f1_{which}": ref.tool.macro(which) - ev.tool.macro(which) for which in ("present", "missing")
            }
            for section in SECTIONS:
                theirs = ev.tool.table(section)
                gap[section] = {k: c.f1 - theirs[k].f1 for k, c in ref.tool.table(section).items()}
            out[name] = gap
        return out

    def below_floor(self) -> dict[str, list[str]]:
        """``section.name`` of every row where the tool's F1 is below the keyword floor's, with those splits."""
        out: dict[str, list[str]] = {}
        for split in self.splits:
            for section, name, tool, floor in self.evaluations[split.name].rows():
                if is_below(tool.f1, floor.f1):
                    out.setdefault(f"{section}.{name}", []).append(split.name)
        return out

    def rows_at_or_above_floor(self) -> list[str]:
        """Rows never below the floor on any split: the ones the ratchet can hold to that."""
        below = self.below_floor()
        first = self.evaluations[self.splits[0].name]
        return [f"{s}.{n}" for s, n, _, _ in first.rows() if f"{s}.{n}" not in below]

    def to_json(self) -> dict[str, Any]:
        """Each split's single-split object (validation disagreements withheld), the gaps and the floor misses."""

        def rounded(value: Any) -> Any:
            return {k: rounded(v) for k, v in value.items()} if isinstance(value, dict) else round(value, 4)

        return {
            "reference": self.reference,
            "splits": {
                s.name: {"labels": str(s.labels), "corpus": str(s.corpus), "validation": s.is_validation,
                         **self.evaluations[s.name].to_json(disagreements=not s.is_validation)}
                for s in self.splits
            },
            "gaps": rounded(self.gaps()),
            "below_floor": self.below_floor(),
        }


def evaluate_splits(splits: Sequence[Split], reference: str | None = None, *,
                    measure: Callable[[Path, Path], Evaluation] = evaluate_corpus) -> MultiEvaluation:
    """Measure every split (each checked first, so a bad folder stops the run before any work)."""
    ref = check_splits(splits, reference)
    evaluations: dict[str, Evaluation] = {}
    for split in splits:
        ev = measure(split.labels, split.corpus)
        if ev.documents == 0:
            raise SplitError(f"split {split.name}: no labelled document of {split.labels} was found in {split.corpus}")
        evaluations[split.name] = ev
    return MultiEvaluation(tuple(splits), evaluations, ref)
