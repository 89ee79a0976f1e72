"""The prefilter's derived literals, kept in the user's cache between runs.

Deriving the literal sets of the lexicons' 700-odd patterns (``literals.read``, then
``prefilter._sets_of``) took a quarter of a second of every start-up, for a result that depends only
on the pattern strings and the deriver's code. So the derivations of a run are kept in
``$XDG_CACHE_HOME/notice-audit/lexicons.json`` (as the checklists are), under a hash of the lexicon
files, the deriver's source and the Python version: a warm start reads them back. Entries are looked
up by the pattern itself, so a pattern met nowhere in the cache (written in code, or new) is derived
as before. A cache that cannot be read or written is passed over; it never fails a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from notice_audit.cache import cache_dir, read_entry, write_entry

#: Required literal sets (most selective first) and the number of capturing groups of one pattern.
Derivation = tuple[list[frozenset[str]], int]

#: Bumped when what the cache holds changes shape.
_CACHE_VERSION = "1"
#: The modules whose code decides a derivation.
_DERIVERS = ("literals.py", "prefilter.py")


def cache_file() -> Path:
    """``lexicons.json`` in the user's cache folder (the checklists' folder)."""
    return cache_dir() / "lexicons.json"


def cache_key(version: str = _CACHE_VERSION, code: tuple[str, ...] = _DERIVERS) -> str:
    """What something derived from the lexicons is valid for: every lexicon file, the code that derives it
    (modules of ``notice_audit.extract``), the Python, and the shape ``version`` of what is kept."""
    digest = hashlib.sha256(f"{version}\0{sys.version_info[:2]}\0".encode())
    here = Path(__file__).parent
    lexicons = resources.files("notice_audit.extract").joinpath("lexicons")
    files = [here / name for name in code]
    files += sorted((Path(str(p)) for p in lexicons.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    for path in files:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class Derivations:
    """The derivations of one process: read from the cache when first asked, written back when new ones were made."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], Derivation] | None = None
        self._key = ""
        self._added = False

    def _loaded(self) -> dict[tuple[str, int], Derivation]:
        if self._entries is None:
            self._entries = {}
            with contextlib.suppress(OSError):  # no lexicon folder to hash: nothing is kept
                self._key = cache_key()
                self._entries = _read(cache_file(), self._key)
        return self._entries

    def get(self, pattern: str, flags: int) -> Derivation | None:
        """The derivation of ``pattern`` kept so far, or None."""
        return self._loaded().get((pattern, flags))

    def put(self, pattern: str, flags: int, derivation: Derivation) -> None:
        """Keep a new derivation (written by ``save``)."""
        self._loaded()[(pattern, flags)] = derivation
        self._added = True

    def save(self) -> None:
        """Write the derivations to the cache, atomically, if some are new; nothing when it cannot be written."""
        if not self._added or not self._key or self._entries is None:
            return
        rows = [[p, f, groups, [sorted(s) for s in sets]] for (p, f), (sets, groups) in self._entries.items()]
        write_entry(cache_file(), self._key, "patterns", rows)
        self._added = False


def _read(path: Path, key: str) -> dict[tuple[str, int], Derivation]:
    """The derivations kept under ``key``; none when missing, stale, unreadable or corrupt."""
    rows = read_entry(path, key, "patterns")
    if not isinstance(rows, list):
        return {}
    out: dict[tuple[str, int], Derivation] = {}
    for row in rows:
        if not _well_formed(row):
            return {}
        pattern, flags, groups, sets = row
        out[(pattern, flags)] = ([frozenset(s) for s in sets], groups)
    return out


def _well_formed(row: Any) -> bool:
    return (isinstance(row, list) and len(row) == 4 and isinstance(row[0], str)
            and all(type(x) is int for x in row[1:3]) and isinstance(row[3], list)
            and all(isinstance(s, list) and all(isinstance(x, str) for x in s) for s in row[3]))


#: This process's derivations.
DERIVED = Derivations()
