"""Scoring one notice (whether it passes is the gate's: ``notice_audit.gate``)."""

from __future__ import annotations

from collections.abc import Iterable

from notice_audit.model import ItemResult

#: Credit each status earns towards the score; not_applicable items are left out.
CREDIT = {"met": 1.0, "partial": 0.5, "missing": 0.0, "failed": 0.0}


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
