"""Bytes to text: BOM, declared charset, <meta charset>, UTF-8, then cp1252 (never crashes)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from notice_audit.model import Page
from notice_audit.parse.base import ParseError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]{1,40})", re.I)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


#: How much of a file is looked at to decide whether it is text.
_SNIFF_BYTES = 65536


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (NUL bytes, or mostly bytes no text encoding explains), or ``None``.

    A UTF-16/32 byte-order mark makes NUL bytes normal, so such files count as text. Invalid UTF-8
    alone is not enough (a cp1252 file has a few such bytes); most of the sample must be undecodable
    or control characters, as in images, archives and executables.
    """
    sample = data[:_SNIFF_BYTES]
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in sample:
        return "it holds NUL bytes"
    return _undecodable(sample)


def _undecodable(sample: bytes) -> str | None:
    """Why ``sample`` is not text when most of it is bytes no text encoding explains, or ``None``."""
    text = sample.decode("utf-8", errors="replace")
    odd = sum(1 for c in text if c == "\ufffd" or (c < " " and c not in "\t\n\r\f\v\x1b"))
    if text and odd / len(text) > 0.3:
        return "most of its bytes are not text in any encoding"
    return None


#: More replaced byte sequences than this in one file earn a warning in the report.
WARN_REPLACED = 10

_WARNINGS: ContextVar[list[str] | None] = ContextVar("decode_warnings", default=None)


@contextmanager
def collecting_warnings() -> Iterator[list[str]]:
    """What ``decode`` had to say about the files decoded inside the block (``parse_page`` puts it
    in ``Document.warnings``)."""
    found: list[str] = []
    token = _WARNINGS.set(found)
    try:
        yield found
    finally:
        _WARNINGS.reset(token)


def _warn(message: str) -> None:
    found = _WARNINGS.get()
    if found is not None:
        found.append(message)


def _utf8_with_faults(data: bytes) -> tuple[str, int] | None:
    """``data`` read as UTF-8 with its bad bytes replaced, and how many sequences were replaced,
    when it is UTF-8 with a few faults rather than another encoding.

    A stray byte in a UTF-8 page must not turn the whole page into mojibake ("Weâ€™ll"). The page
    is UTF-8 when it holds at least as many bytes of valid multi-byte characters as bad sequences;
    a cp1252 page has no valid multi-byte characters, only bad bytes (each "é" is one).
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")  # a literal U+FFFD is not a fault
    extra = len(text.encode("utf-8")) - len(text) - 2 * text.count("\ufffd")  # continuation bytes of good characters
    if bad <= 0 or extra < bad:
        return None
    return text, bad


def decode(page: Page, *, html: bool = False) -> str:
    """Bytes to text: BOM, declared encoding, ``<meta charset>``, UTF-8, then cp1252.

    A byte-order mark wins over a declared encoding (it cannot be wrong, a
    header can). UTF-8 (declared or not) with a few bad bytes stays UTF-8, each
    bad sequence replaced by U+FFFD, with a warning past ``WARN_REPLACED`` of them.
    Never crashes on bad bytes (cp1252 with replacement is the last resort);
    raises ``ParseError`` for empty or binary content.
    """
    data = page.content
    if not data or not data.strip():
        raise ParseError(f"{page.source}: the content is empty")
    candidates: list[str | None] = [_codec(page.encoding)]
    if page.encoding is None:
        header = next((v for k, v in page.headers.items() if k.lower() == "content-type"), "")
        match = _HEADER_CHARSET.search(header)
        candidates.append(_codec(match.group(1)) if match else None)
    for bom, name in _BOMS:
        if data.startswith(bom):
            candidates.insert(0, name)  # a BOM is stronger evidence than a header
            break
    if html:
        meta_match = _META_CHARSET.search(data[:4096])
        meta = _codec(meta_match.group(1).decode("ascii")) if meta_match else None
        # A <meta> readable as ASCII cannot be telling the truth about UTF-16 (as browsers reason).
        candidates.append("utf-8" if meta and meta.startswith(("utf-16", "utf-32")) else meta)
    candidates.append("utf-8")
    text: str | None = None
    for codec in candidates:
        if codec is None:
            continue
        try:
            text = data.decode(codec)
            break
        except (UnicodeDecodeError, LookupError):
            if codec in ("utf-8", "utf-8-sig") and (faulty := _utf8_with_faults(data)) is not None:
                text, replaced = faulty
                if replaced > WARN_REPLACED:
                    _warn(f"{replaced} byte sequences are not valid UTF-8 and were replaced by U+FFFD")
                break
            continue
    if text is None:
        # No encoding reads it. A cp1252 page gets here with a few bad bytes; bytes that are mostly not
        # text (an image, a PDF or an archive named or served as a page) are not read as mojibake.
        reason = _undecodable(data[:_SNIFF_BYTES])
        if reason is not None:
            raise ParseError(f"{page.source}: not a text file ({reason}; named or served as {page.media_type})")
        text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if text.count("\x00") > max(8, len(text) // 100):
        raise ParseError(f"{page.source}: not a text file (the content looks binary, not {page.media_type})")
    if not text.strip():
        raise ParseError(f"{page.source}: the content is empty")
    return text.replace("\x00", "")
