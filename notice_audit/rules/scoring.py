"""Scoring and the pass/fail gate for one notice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from notice_audit.model import ItemResult

#: Credit each status earns towards the score; not_applicable items are left out.
CREDIT = {"met": 1.0, "partial": 0.5, "missing": 0.0, "failed": 0.0}
#: Severities whose missing or failed items fail the gate unless told otherwise.
DEFAULT_FAIL_ON: tuple[str, ...] = ("required",)


def score(items: Iterable[ItemResult]) -> float:
    """Weighted share of applicable items met (partial counts half), 0-100, one decimal.

    A notice to which nothing applies scores 100: nothing was asked of it.
    """
    total = earned = 0.0
    for item in items:
        if item.status == "not_applicable":
            continue
        total += item.weight
        earned += item.weight * CREDIT[item.status]
    return 100.0 if total == 0 else round(100.0 * earned / total, 1)


def gate_failures(
    items: Iterable[ItemResult], *, fail_on: Sequence[str] = DEFAULT_FAIL_ON
) -> list[ItemResult]:
    """Items that fail the gate on their own: missing or failed with a gating severity."""
    return [i for i in items if i.status in ("missing", "failed") and i.severity in fail_on]


def passes(
    items: Sequence[ItemResult], notice_score: float, *, fail_under: float | None = None,
    fail_on: Sequence[str] = DEFAULT_FAIL_ON,
) -> bool:
    if fail_under is not None and notice_score < fail_under:
        return False
    return not gate_failures(items, fail_on=fail_on)
