"""Sources: where a run's pages come from (local files and folders, URLs, a crawl's discovery).

A layer above both ``fetch`` and ``parse``: reading a folder needs the parse registry's media
types, fetching a notice needs its served content types, and discovering notices on a site reads
each fetched page's HTML (``discover``, ``parts``). Keeping this here leaves ``fetch`` a plain,
format-blind HTTP stage that imports neither ``parse`` nor ``extract``.
"""

from __future__ import annotations

from notice_audit.sources.files import local_files, read_file, read_local
from notice_audit.sources.web import NoticeFetcher, PageFetcher, fetch_page, notice_types

__all__ = ["NoticeFetcher", "PageFetcher", "fetch_page", "local_files", "notice_types", "read_file", "read_local"]
