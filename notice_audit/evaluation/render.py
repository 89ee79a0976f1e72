"""Plain-text tables of an evaluation."""

from __future__ import annotations

from notice_audit.evaluation.scores import VALUE_FIELDS, Evaluation


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
