"""Local files and folders as Pages: which files a folder holds notices in, and their media types.

Here rather than in ``fetch``: which files are notices, and what format each is, is the parse
registry's knowledge (``notice_audit.parse.media_type_for``, ``in_folder_walk``).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from notice_audit.fetch.local import FetchError
from notice_audit.model import Page
from notice_audit.parse import UNKNOWN_MEDIA_TYPE, in_folder_walk, media_type_for

__all__ = ["MAX_FILE_BYTES", "local_files", "read_file", "read_local"]

#: Largest local file read, in bytes: a notice is text, not a data dump.
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_local(target: str) -> list[Page]:
    """One Page for a file, or one per notice file in a folder (recursively, sorted)."""
    return [read_file(path) for path in local_files(target)]


def local_files(target: str) -> list[str]:
    """The notice files a file or folder target stands for, without reading them (sources as given).

    In a folder, files of unknown formats are skipped (folders hold images and
    scripts too), and so are string modules (``.ts``, ``.json`` ...) whose
    names do not suggest a notice; a file named explicitly is always read
    (one of unknown format as plain text, with a warning).
    """
    path = Path(target)
    if path.is_dir():
        found = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [str(Path(root) / name) for name in sorted(files)
                      if not name.startswith(".") and in_folder_walk(name)]
        if not found:
            raise FetchError("folder holds no notice files (HTML, text, Markdown, PDF, DOCX, templates or "
                             "notice string files)")
        return found
    if not path.exists():
        raise FetchError("no such file or folder")
    return [target]


def read_file(source: str) -> Page:
    """One local notice file as a Page; its source is the path as given."""
    return _read_file(Path(source), source=source)


def _read_file(path: Path, *, source: str) -> Page:
    media_type = media_type_for(path.name) or UNKNOWN_MEDIA_TYPE
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FetchError(f"file too large ({size} bytes; at most {MAX_FILE_BYTES})")
        data = path.read_bytes()
    except PermissionError as exc:
        raise FetchError("permission denied") from exc
    except IsADirectoryError as exc:
        raise FetchError("is a directory") from exc
    except OSError as exc:
        raise FetchError(exc.strerror or str(exc)) from exc
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    return Page(source=source, url=str(path), content=data, media_type=media_type, fetched_at=fetched)
