"""The accuracy ratchet: figures reached on each split of ../shared, which tests hold and only ever raise.

    python -m tests.ratchet            current figures beside the ratchet and the targets
    python -m tests.ratchet --update   raise the ratchet to the current figures (never lowers one)

The file (``tests/data/accuracy_ratchet.yaml``) keeps, per split, each figure reached (rounded down
to 3 decimals) beside its target, and the rows (``present.ITEM``, ``missing.ITEM``, ``values.FIELD``)
where the tool is at or above the keyword floor on every split. ``--update`` takes the larger of
the recorded and the measured figure and adds rows, never removes one: a drop stays a failing test
until it is fixed, or lowered by hand with the reason in the commit message.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from notice_audit.evaluation import Evaluation, MultiEvaluation, evaluate_splits, standard_splits
from tests.conftest import SHARED

RATCHET = Path(__file__).resolve().parent / "data" / "accuracy_ratchet.yaml"
FIGURES = ("documents", "macro_f1_present", "macro_f1_missing", "lawful_bases", "rights")
#: Splits whose macro figures the ratchet holds at their targets, never raised: the development split
#: is an upper bound, and rules fitted to its texts are removed on purpose.
AT_TARGET = {"dev": ("macro_f1_present", "macro_f1_missing")}

HEADER = """\
# Accuracy ratchet: what `notice-audit evaluate` has reached on each split of ../shared, and the
# target beside it. tests/test_evaluation.py fails when a figure falls below `reached` (the message
# states the target), and when a row listed in floor_holds falls below the keyword floor on any
# split (the target: no row below the floor on any split).
#
# - reached: the figure measured, rounded DOWN to 3 decimals; documents: labelled files read (the
#   target is every one of them, the full-length notices in their template formats included).
# - floor_holds: rows (present.ITEM, missing.ITEM, values.FIELD) where the tool's F1 is at or
#   above the keyword floor's on every split. The list only grows.
#
# The development split is an upper bound: rules fitted to its texts are removed on purpose, so its
# ratchet holds the development targets (macro F1 >= 0.95 / 0.97) rather than the highest figure seen.
#
# After an improvement, raise the ratchet with:   python -m tests.ratchet --update
# It measures the three splits and writes the larger of each recorded and measured figure and the
# union of the rows: it NEVER lowers a figure nor drops a row. `python -m tests.ratchet` only
# prints current / reached / target. Targets are edited by hand; lower a `reached` figure by hand
# only with the reason in the commit message.
"""


def round_down(value: float) -> float:
    """Three decimals, never above the figure (0.9999 stays 0.999); float noise such as 0.95 - 1e-16 is not
    taken for a drop."""
    return math.floor(round(value * 1000, 6)) / 1000


def figures(ev: Evaluation) -> dict[str, float]:
    """The figures the ratchet holds, as measured (not rounded)."""
    return {
        "documents": ev.documents,
        "macro_f1_present": ev.tool.macro("present"),
        "macro_f1_missing": ev.tool.macro("missing"),
        "lawful_bases": ev.tool.values["lawful_bases"].f1,
        "rights": ev.tool.values["rights"].f1,
    }


def load(path: Path = RATCHET) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def raised(ratchet: Mapping[str, Any], measured: Mapping[str, Mapping[str, float]],
           holds: Sequence[str]) -> dict[str, Any]:
    """The ratchet with every figure raised to the measured one where that is higher, and ``holds`` added to
    floor_holds; nothing is lowered or removed, and targets are kept."""
    splits: dict[str, Any] = {}
    for name, entry in ratchet["splits"].items():
        splits[name] = {}
        for figure, fig in entry.items():
            now = measured.get(name, {}).get(figure)
            if now is not None:
                now = int(now) if figure == "documents" else round_down(now)
            held = figure in AT_TARGET.get(name, ())
            reached = fig["reached"] if now is None or held else max(fig["reached"], now)
            splits[name][figure] = {"reached": reached, "target": fig["target"]}
    kept = list(ratchet.get("floor_holds") or [])
    return {"splits": splits, "floor_holds": kept + [row for row in holds if row not in kept]}


def dump(ratchet: Mapping[str, Any]) -> str:
    """The file's text: the header, then one line per figure, ``reached`` beside ``target``."""
    lines = [HEADER.rstrip(), "splits:"]
    for name, entry in ratchet["splits"].items():
        lines.append(f"  {name}:")
        for figure, fig in entry.items():
            lines.append(f"    {figure}: {{reached: {_number(fig['reached'])}, target: {_number(fig['target'])}}}")
    lines.append("floor_holds:" if ratchet["floor_holds"] else "floor_holds: []")
    lines += [f"  - {row}" for row in ratchet["floor_holds"]]
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def measure(shared: Path = SHARED) -> MultiEvaluation:
    return evaluate_splits(standard_splits(shared), "dev")


def drops(ratchet: Mapping[str, Any], multi: MultiEvaluation) -> list[str]:
    """Every figure below its ratchet and every listed row now below the floor, as one line each."""
    out = []
    for name, entry in ratchet["splits"].items():
        now = figures(multi.evaluations[name])
        for figure, fig in entry.items():
            if now[figure] < fig["reached"]:
                out.append(f"{name} {figure}: {now[figure]:.4f} is below the ratchet {fig['reached']} "
                           f"(target {fig['target']})")
    below = multi.below_floor()
    out += [f"{row}: below the keyword floor on {', '.join(below[row])}" for row in ratchet.get("floor_holds") or []
            if row in below]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ratchet", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="raise the ratchet file to the current figures")
    parser.add_argument("--shared", type=Path, default=SHARED, help=f"the shared folder (default {SHARED})")
    parser.add_argument("--file", type=Path, default=RATCHET, help=f"the ratchet file (default {RATCHET})")
    args = parser.parse_args(argv)
    ratchet = load(args.file)
    multi = measure(args.shared)
    measured = {name: figures(ev) for name, ev in multi.evaluations.items()}
    for name, entry in ratchet["splits"].items():
        for figure, fig in entry.items():
            now = measured[name][figure]
            print(f"{name:11} {figure:17} now {now if figure == 'documents' else f'{now:.4f}':>8}   "
                  f"ratchet {_number(fig['reached']):>6}   target {_number(fig['target'])}")
    problems = drops(ratchet, multi)
    for line in problems:
        print(f"below the ratchet: {line}", file=sys.stderr)
    if args.update:
        new = raised(ratchet, measured, multi.rows_at_or_above_floor())
        if new != ratchet:
            from notice_audit.formats.output import write_text

            write_text(args.file, dump(new))
            print(f"{args.file}: raised")
        else:
            print(f"{args.file}: nothing to raise")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
