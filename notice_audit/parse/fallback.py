"""Files of no known format, named on the command line: read as plain text, with a warning.

A notice is sometimes kept in a format nobody foresaw (``.cs``, ``.txt.orig``,
``.rst``); refusing it would hide the notice from the audit, so its text is read
as plain text and the report says so. A binary file (an image, an archive) is
refused with "not a text file": its bytes are not a notice in any encoding.
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath

from notice_audit.model import Document, Page
from notice_audit.parse import text
from notice_audit.parse.base import UNKNOWN_MEDIA_TYPE, InputFormat, ParseError
from notice_audit.parse.decode import binary_reason


def parse(page: Page) -> Document:
    """Parse a file of unknown format as plain text and add a warning naming its format."""
    reason = binary_reason(page.content)
    if reason is not None:
        raise ParseError(f"{page.source}: not a text file ({reason})")
    doc = text.parse(dataclasses.replace(page, media_type="text/plain"))
    name = PurePosixPath(page.source.replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix or name
    warning = f"unknown format '{suffix}': read as plain text, so headings and lists are guessed"
    return dataclasses.replace(doc, warnings=(*doc.warnings, warning))


#: Files of no known format: no extensions (a name that matches none gets this media type) and never fetched.
FORMAT = InputFormat("unknown", (UNKNOWN_MEDIA_TYPE,), parse)
