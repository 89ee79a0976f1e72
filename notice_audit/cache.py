"""The user's cache: what notice-audit can compute again but keeps between runs (validated built-in
checklists, the prefilter's derived literals). One folder and one way of writing, shared by the stages
that keep something there; a cache that cannot be written is passed over and never fails a run."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/notice-audit``, else ``~/.cache/notice-audit`` (a relative XDG path is ignored, as
    the XDG specification asks)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "notice-audit"


def write_quietly(path: Path, text: str) -> bool:
    """Replace ``path`` atomically (a run reading it meanwhile sees the old file or the new one); False, and
    nothing left behind, when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True
