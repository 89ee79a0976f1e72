"""Counted nouns: "1 notice", "2 notices"."""

from __future__ import annotations


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, made plural (``noun + 's'`` unless ``plural`` is given) unless it is one."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"
