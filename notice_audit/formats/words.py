"""Counted nouns: "1 notice", "2 notices".

It imports nothing, so every stage can word its counts the same way (the rule engine's messages as
much as the reports), as ``formats.output`` serves every stage that writes a file.
"""

from __future__ import annotations


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, made plural (``noun + 's'`` unless ``plural`` is given) unless it is one."""
    return f"{count} {agree(count, noun, plural)}"


def agree(count: int, noun: str, plural: str | None = None) -> str:
    """The noun alone, agreeing with ``count``: for a count shown apart (``**3** notices``, a column)."""
    return noun if count == 1 else (plural or noun + "s")
