"""Names a subpackage exports without importing the modules that define them (PEP 562).

The subpackage's ``__init__`` lists where each name lives; the first time a name is asked for, its module is
imported and the name kept in the subpackage, so that a run that asks for ``fetch.is_url`` does not load the
HTTP client. ``fetch`` and ``sources`` export their names so. The top package has the same few lines of its own,
as importing ``notice_audit`` must import no other module (``tests/test_exported_members.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(namespace: dict[str, Any], where: Mapping[str, str]) -> tuple[
        Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the package whose ``globals()`` is ``namespace``: ``where`` maps
    each exported name to its module."""

    def __getattr__(name: str) -> Any:
        """A name, imported from its module the first time it is asked for, then kept in the package."""
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace["__all__"]})

    return __getattr__, __dir__
