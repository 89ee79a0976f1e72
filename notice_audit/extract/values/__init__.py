"""Pure-text recognisers for values (contacts, statutes, retention periods).

Each recogniser is a function ``str -> list[ValueMatch]`` with no dependency on
the document model, so extractors can run it over any block and quote the exact
span as evidence. Every pattern is written to run in linear time: matches start
only at token boundaries (look-behinds) and all repetition is bounded or
possessive, so hostile input cannot trigger catastrophic backtracking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["ValueMatch"]


@dataclass(frozen=True)
class ValueMatch:
    """One recognised value: where it is, what was written, and its normalised form.

    ``start``/``end`` index the input string so callers can quote evidence;
    ``text`` is ``input[start:end]``; ``value`` is the normalised value (``None``
    when the match has no canonical form, e.g. an event-based retention rule);
    ``attributes`` holds family-specific details and is read-only.
    """

    start: int
    end: int
    text: str
    value: str | None
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Freeze the attributes too, so a match can be shared between stages safely.
        if not isinstance(self.attributes, MappingProxyType):
            object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))
