"""Markdown notices (service repositories, static sites) to a ``Document``.

markdown-it-py tokens give the structure directly: headings, paragraphs, list
items, table cells and block quotes, each with its source lines (``token.map``).
Inline markup is reduced to plain text; links keep their text, and email or
phone targets stay visible. Front matter and template tags are skipped with
line numbers kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from notice_audit.model import BlockKind, Document, Page
from notice_audit.parse import html
from notice_audit.parse.base import InputFormat
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.decode import decode

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
from notice_audit.parse.templatetags import strip_template_tags
from notice_audit.parse.textutil import clean, link_suffix

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$", re.M)
_FRONT_MATTER_TITLE = re.compile(r"""^title:\s*["']?(.*?)["']?\s*$""", re.M)


def parse(page: Page) -> Document:
    """Parse a Markdown page."""
    return parse_text(decode(page), page)


def _split_front_matter(text: str) -> tuple[str, str]:
    """Blank out a leading ``---`` YAML block (keeping its lines); return its title, if any."""
    if not text.startswith("---"):
        return text, ""
    first_newline = text.find("\n")
    if first_newline == -1 or text[:first_newline].strip() != "---":
        return text, ""
    end = _FRONT_MATTER_END.search(text, first_newline + 1)
    if end is None:
        return text, ""
    front = text[: end.end()]
    match = _FRONT_MATTER_TITLE.search(front)
    return "\n" * front.count("\n") + text[end.end() :], (match.group(1) if match else "")


def render_inline(token: Token) -> str:
    """Plain text of an inline token: links keep their text; mailto/tel targets stay visible."""
    parts: list[str] = []
    links: list[tuple[str, int]] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(parts)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            parts.append(link_suffix("".join(parts[start:]), href))
        elif kind == "image":
            continue
    return clean("".join(parts))


def link_words(token: Token) -> int:
    """Words of an inline token's link texts (links nested in links counted once)."""
    words = depth = 0
    for child in token.children or []:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth = max(0, depth - 1)
        elif depth and child.type in ("text", "code_inline"):
            words += len(child.content.split())
    return words


@dataclass
class _Item:
    """A list item being collected: its own paragraphs, not those of nested lists."""

    parts: list[str] = field(default_factory=list)
    line: int | None = None
    end_line: int | None = None
    emitted: bool = False
    links: int = 0


@cache
def _parser() -> MarkdownIt:
    """The one CommonMark parser (with tables) of the process.

    Building it (presets, rule chains) costs as much as parsing a short notice, and a parser holds
    no state between ``parse`` calls (each has its own state and ``env``), so it is built once.
    """
    from markdown_it import MarkdownIt  # deferred: imported when Markdown is read, not by every run

    return MarkdownIt("commonmark").enable("table")


def parse_text(text: str, page: Page) -> Document:
    text, front_title = _split_front_matter(text)
    text = strip_template_tags(text)
    tokens = _parser().parse(text)
    builder = DocumentBuilder(page.source)
    items: list[_Item] = []
    table_line: int | None = None
    first_h1 = ""

    def flush_item(item: _Item) -> None:
        if item.parts and not item.emitted:
            builder.block("list_item", " ".join(item.parts), links=item.links, line=item.line, end_line=item.end_line)
        item.emitted = True

    pending_heading: tuple[int, int | None] | None = None
    cell_open = False
    for token in tokens:
        kind = token.type
        lines = (token.map[0] + 1, token.map[1]) if token.map else (None, None)
        if kind == "heading_open":
            pending_heading = (int(token.tag[1]), lines[0])
        elif kind == "list_item_open":
            items.append(_Item())
        elif kind == "list_item_close" and items:
            flush_item(items.pop())
        elif kind in ("bullet_list_open", "ordered_list_open") and items:
            flush_item(items[-1])  # the parent item comes before its nested list
        elif kind == "tr_open":
            table_line = lines[0]
        elif kind in ("th_open", "td_open"):
            cell_open = True
        elif kind in ("th_close", "td_close"):
            cell_open = False
        elif kind == "inline":
            content = render_inline(token)
            if pending_heading is not None:
                level, line = pending_heading
                builder.heading(content, level, line=line)
                if level == 1 and not first_h1:
                    first_h1 = content
                pending_heading = None
            elif cell_open:
                builder.block("table_cell", content, links=link_words(token), cleaned=True, line=table_line)
            elif items and not items[-1].emitted:
                item = items[-1]
                item.parts.append(content)
                item.links += link_words(token)
                item.line = item.line or lines[0]
                item.end_line = lines[1]
            else:
                block_kind: BlockKind = "list_item" if items else "paragraph"
                builder.block(block_kind, content, links=link_words(token), cleaned=True, line=lines[0],
                              end_line=lines[1])
        elif kind in ("fence", "code_block"):
            builder.block("paragraph", token.content, line=lines[0], end_line=lines[1])
        elif kind == "html_block":
            html.parse_fragment_into(token.content, builder, line_offset=(lines[0] or 1) - 1)
    return builder.document(page, first_h1 or front_title)


FORMAT = InputFormat(
    "markdown", ("text/markdown", "text/x-markdown"), parse, (".md", ".markdown"),
    served_as=(("text/markdown", 0.9), ("text/x-markdown", None)),
)
