"""Sources: where a run's pages come from (local files and folders, URLs, a crawl's discovery).

A layer above both ``fetch`` and ``parse``: reading a folder needs the parse registry's media
types, fetching a notice needs its served content types, and discovering notices on a site reads
each fetched page's HTML (``discover``, ``parts``). Keeping this here leaves ``fetch`` a plain,
format-blind HTTP stage that imports neither ``parse`` nor ``extract``.

Importing the package imports none of its modules: each name comes from its module when first
asked for (PEP 562), so that a run of local files does not load the HTTP client ``web`` needs.
"""

from __future__ import annotations

import typing as _typing

from notice_audit.lazy import lazy_exports as _lazy_exports

if _typing.TYPE_CHECKING:  # what type checkers see; at run time ``__getattr__`` imports each on first use
    from notice_audit.sources.files import local_files, read_file, read_local
    from notice_audit.sources.web import NoticeFetcher, PageFetcher, fetch_page, notice_types

__all__ = ["NoticeFetcher", "PageFetcher", "fetch_page", "local_files", "notice_types", "read_file", "read_local"]

#: Where each name is defined, read by ``__getattr__``.
_WHERE = {
    "local_files": "notice_audit.sources.files", "read_file": "notice_audit.sources.files",
    "read_local": "notice_audit.sources.files", "NoticeFetcher": "notice_audit.sources.web",
    "PageFetcher": "notice_audit.sources.web", "fetch_page": "notice_audit.sources.web",
    "notice_types": "notice_audit.sources.web",
}

__getattr__, __dir__ = _lazy_exports(globals(), _WHERE)
