"""Plain-text tables of an evaluation: one split, or several side by side within 120 columns."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from notice_audit.evaluation.scores import SECTIONS, VALUE_FIELDS, Counts, Evaluation, is_below
from notice_audit.evaluation.splits import MultiEvaluation, Split
from notice_audit.formats.words import agree

WIDTH = 120
EMPTY_NOTE = "* nothing to find and nothing found: F1 counted as 1.000, in the macro F1 too"
FALSE_ALARM_NOTE = "† nothing to find, yet something found (false alarms only): F1 0.000, in the macro F1 too"
WITHHELD_NOTE = ("{name}: disagreements are not shown by design (a validation split is for measuring only: "
                 "{count} in all)")


def _mark(c: Counts) -> str:
    """Marks the two rows with nothing to find (n is 0), whose F1 is a convention rather than a measure:
    ``*`` nothing found either (1.0), ``†`` false alarms only (0.0). The figure printed is the one the
    macro F1 averages; the mark and its footnote say why it is that figure."""
    return "*" if c.empty else "†" if c.support == 0 else " "


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
            lines.append(f"{item:36} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}{_mark(c)}{c.support:4d}   "
                         f"{fc.f1:8.3f}{_mark(fc)}".rstrip())
        lines.append(f"{'macro F1':36} {'':6} {'':6} {ev.tool.macro(which):6.3f}{'':5}   {ev.floor.macro(which):8.3f}")
    lines.append("")
    lines.append(f"{'VALUES':36} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}   {'floor F1':>8}")
    for fld in VALUE_FIELDS:
        c, fc = ev.tool.values[fld], ev.floor.values[fld]
        lines.append(f"{fld:36} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}{_mark(c)}{c.support:4d}   "
                     f"{fc.f1:8.3f}{_mark(fc)}".rstrip())
    lines += ["", EMPTY_NOTE, FALSE_ALARM_NOTE]
    lines += ["", *SCREENING_HEAD, screening_line("this split", ev)]
    return "\n".join(lines) + "\n"


# --- screening: "not a notice" against the labels' is_notice ----------------------------------------

SCREENING_HEAD = (
    "NOT A NOTICE: the screening against the labels' is_notice (positive class: not a notice)",
    f"  {'':34} {'P':>6} {'R':>6} {'F1':>6}  {'found':>5}  {'labelled':>8}  {'notices flagged':>15}",
)


def screening_line(name: str, ev: Evaluation) -> str:
    """One split's screening figures: precision, recall and F1 of "not a notice", the labelled not-notices
    found, how many there are, and how many notices were taken for not-notices."""
    c = ev.tool.screening
    return (f"  {name:34} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}{_mark(c)} {c.tp:5d}  {c.support:8d}  "
            f"{c.fp:15d}")


def screening_lines(multi: MultiEvaluation) -> list[str]:
    """The screening line of every split, in the splits' order."""
    return [*SCREENING_HEAD, *(screening_line(s.name, multi.evaluations[s.name]) for s in multi.splits)]


def _screening_disagreements(ev: Evaluation, of: str) -> str:
    if not ev.tool.screening_disagreements:
        return ""
    return f"not-a-notice disagreements{of} (file, label):\n" + "".join(
        f"  {f}  label={'not a notice' if g else 'notice'}\n" for f, g in ev.tool.screening_disagreements)


def render_disagreements(ev: Evaluation, split: Split | None = None) -> str:
    """The documents and items where the tool and the label differ; for a validation split, only a note."""
    if split is not None and split.is_validation:
        return WITHHELD_NOTE.format(name=split.name, count=len(ev.tool.disagreements)) + "\n"
    of = "" if split is None else f", {split.name}"
    head = f"disagreements{of} (file, item, label):"
    return head + "\n" + "".join(
        f"  {f}  {i}  label={'present' if g else 'missing'}\n" for f, i, g in ev.tool.disagreements
    ) + _screening_disagreements(ev, of)


# --- several splits --------------------------------------------------------------------------------

_NAME_W = 36  # "! " and the longest item id (33 characters), then a space
_FIG_W = 16  # " 0.850< 0.634* " : the tool's F1 and mark, the floor's F1 and mark
_N_W = 5


def _layout(multi: MultiEvaluation) -> tuple[bool, list[list[str]]]:
    """Whether the n columns fit, and the groups of splits printed together (the reference in each)."""
    others = multi.others

    def width(names: Sequence[str], with_n: bool) -> int:
        gaps = sum(1 + max(6, len(n)) for n in names)
        return _NAME_W + (len(names) + 1) * (_FIG_W + (_N_W if with_n else 0)) + (2 + gaps if names else 0)

    if width(others, True) <= WIDTH:
        return True, [[*[s.name for s in multi.splits]]]
    if width(others, False) <= WIDTH:
        return False, [[*[s.name for s in multi.splits]]]
    groups: list[list[str]] = []
    for name in others:
        if groups and width([*groups[-1], name], False) <= WIDTH:
            groups[-1].append(name)
        else:
            groups.append([name])
    order = [s.name for s in multi.splits]
    return False, [sorted([multi.reference, *g], key=order.index) for g in groups]


def render_splits(multi: MultiEvaluation) -> str:
    """Every split's F1 beside its keyword floor, per item and value, with the reference's gap to each."""
    ref = multi.reference
    lines = [f"reference: {ref} (gap: {ref}'s F1 minus the split's; positive where {ref} overstates)"]
    name_w = max(len(s.name) for s in multi.splits)
    for s in multi.splits:
        ev = multi.evaluations[s.name]
        docs = f"{ev.documents:4d} {agree(ev.documents, 'document')}"
        docs += f", {len(ev.skipped)} skipped" if ev.skipped else ""
        lines.append(f"  {s.name:{name_w}}  {docs:26} labels {s.labels}  texts {s.corpus}")
    for s in multi.splits:
        for file, reason in multi.evaluations[s.name].skipped:
            lines += textwrap.wrap(f"{s.name}: skipped {file}: {reason}", WIDTH, initial_indent="  ",
                                   subsequent_indent="      ", break_on_hyphens=False)
    below = multi.below_floor()
    with_n, groups = _layout(multi)
    for group in groups:
        lines += ["", *_group_table(multi, group, with_n, below)]
    lines += [
        "",
        "F1 of the tool, then of the keyword floor (a naive keyword search); n: how often the label says so.",
        EMPTY_NOTE,
        FALSE_ALARM_NOTE,
        "< the tool is below the keyword floor on that split    ! on at least one split (target: no such row)",
    ]
    if below:
        listed = ", ".join(f"{row} ({', '.join(splits)})" for row, splits in below.items())
        lines += textwrap.wrap(f"below the floor: {listed}", WIDTH, subsequent_indent="  ", break_on_hyphens=False)
    lines += ["", *screening_lines(multi)]
    return "\n".join(lines) + "\n"


def _group_table(multi: MultiEvaluation, group: list[str], with_n: bool, below: dict[str, list[str]]) -> list[str]:
    ref = multi.reference
    others = [n for n in group if n != ref]
    gaps = multi.gaps()
    block = _FIG_W + (_N_W if with_n else 0)
    top = " " * _NAME_W + "".join(f" {(n + ' (ref)' if n == ref and len(n) + 6 < block else n):{block - 1}}"
                                   for n in group)
    sub = " " * _NAME_W + "".join(f" {'F1':>6}  {'floor':>6} " + (f"{'n':>{_N_W}}" if with_n else "") for _ in group)
    if others:
        top += f"  {'gap: ' + ref + ' minus':}"
        sub += "  " + "".join(f" {n:>{max(6, len(n))}}" for n in others)
    out = [top.rstrip(), sub.rstrip()]

    def gap_cells(values: list[float]) -> str:
        return ("  " + "".join(f" {v:>+{max(6, len(n))}.3f}" for n, v in zip(others, values, strict=True))
                if others else "")

    out.append("MACRO F1")
    for which in ("present", "missing"):
        cells = ""
        for name in group:
            ev = multi.evaluations[name]
            tool, floor = ev.tool.macro(which), ev.floor.macro(which)
            mark = "<" if is_below(tool, floor) else " "
            cells += f" {tool:6.3f}{mark} {floor:6.3f} " + (" " * _N_W if with_n else "")
        gap = gap_cells([gaps[n][f"macro_f1_{which}"] for n in others])
        out.append(f"  {which:{_NAME_W - 2}}{cells}{gap}".rstrip())
    for section in SECTIONS:
        out.append(section.upper())
        for row in multi.evaluations[ref].tool.table(section):
            key = f"{section}.{row}"
            cells = ""
            for name in group:
                ev = multi.evaluations[name]
                c, fc = ev.tool.table(section)[row], ev.floor.table(section)[row]
                mark = _mark(c).strip() or ("<" if name in below.get(key, ()) else " ")  # the row's "!" keeps "<"
                cells += f" {c.f1:6.3f}{mark} {fc.f1:6.3f}{_mark(fc)}" + (f"{c.support:{_N_W}d}" if with_n else "")
            flag = "!" if key in below else " "
            gap = gap_cells([gaps[n][section][row] for n in others])
            out.append(f"{flag} {row:{_NAME_W - 2}}{cells}{gap}".rstrip())
    return out
