"""Small helpers shared by the report formats."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def as_list(value: Any) -> list[Any]:
    """An extracted value as a list: reports saved by other versions may hold one value or none."""
    if value is None or value == "":
        return []
    if isinstance(value, str | Mapping):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]
