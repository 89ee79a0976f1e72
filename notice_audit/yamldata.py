"""The YAML data files bundled with the package (lexicons, furniture, discovery cues).

Read with libyaml's C loader when PyYAML was built with it: the pure-Python loader took
90 ms of a one-page audit's start-up, the C loader takes 6 ms. Checklists, which users write,
keep the pure-Python loader for its error messages.

Even so, importing PyYAML and building its Python objects took a tenth of a one-page audit's
start-up, for data that changes only with the package. So what a file reads as is kept in the
user's cache (``data.json``, beside the checklists), as JSON under a hash of the file's text: a
warm start decodes JSON (in C) and imports no YAML at all. Only data JSON gives back unchanged is
kept (no dates, no keys but strings); a cache that cannot be read or written is passed over, and
never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from notice_audit.cache import cache_dir, faithful_json, read_entry, write_entry

#: Bumped when what the cache holds changes shape.
_CACHE_VERSION = "1"
#: Entries kept beyond those a run read: older versions of the files are dropped past this many.
_MAX_ENTRIES = 64
#: What ``_Kept.get`` gives for data it does not hold (None is data: an empty file).
MISSING = object()


class _Kept:
    """The cached data of one process: read from ``data.json`` when first asked, written back on a miss."""

    def __init__(self) -> None:
        self._entries: dict[str, str] | None = None
        self._used: set[str] = set()

    def _loaded(self) -> dict[str, str]:
        if self._entries is None:
            self._entries = _read()
        return self._entries

    def get(self, key: str) -> Any:
        """The data kept under ``key`` (a fresh copy: callers may change it), or ``MISSING``."""
        kept = self._loaded().get(key)
        if kept is None:
            return MISSING
        try:
            data = json.loads(kept)
        except ValueError:  # not JSON after all: read the YAML again, and replace it
            return MISSING
        self._used.add(key)
        return data

    def put(self, key: str, data: Any) -> None:
        """Keep ``data`` if JSON gives it back unchanged, and write the cache (atomically, or not at all).
        YAML's own types (a date, a set) and keys that are not strings are read from the YAML every time."""
        encoded = faithful_json(data)
        if encoded is None:
            return
        entries = self._loaded()
        entries[key] = encoded
        self._used.add(key)
        if len(entries) > _MAX_ENTRIES:
            entries = self._entries = {k: v for k, v in entries.items() if k in self._used}
        write_entry(_cache_file(), _version(), "entries", entries)


def _cache_file() -> Path:
    """``data.json`` in the user's cache folder."""
    return cache_dir() / "data.json"


def _version() -> str:
    """What the cache was written by: its shape and the Python (whose YAML and JSON read it)."""
    return f"{_CACHE_VERSION}/{sys.version_info[0]}.{sys.version_info[1]}"


def _read() -> dict[str, str]:
    """The entries of the cache file; none when it is missing, unreadable, of another version or malformed."""
    entries = read_entry(_cache_file(), _version(), "entries")
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        return {}
    return entries


_KEPT = _Kept()


def load(text: str) -> Any:
    """Parse one bundled YAML file, as ``yaml.safe_load`` would (from the cache when it holds this text)."""
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    data = _KEPT.get(key)
    if data is MISSING:
        data = parse(text)
        _KEPT.put(key, data)
    return data


def parse(text: str) -> Any:
    """Read ``text`` with PyYAML's safe loader, libyaml's C one when PyYAML was built with it."""
    import yaml  # deferred: a warm start reads the bundled files' data from the cache

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
