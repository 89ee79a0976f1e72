"""Vue and Svelte single-file components read as the markup they render.

A Vue file's page is its top-level ``<template>`` (inner ``<template v-if>``
groups are unwrapped); ``<script>``, ``<style>`` and custom blocks are code.
Its ``{{ expr }}`` tags are read as template tags are (``{{ $t('...') }}``
shows its text, other placeholders nothing). A Svelte file's page is
everything but its top-level ``<script>`` and ``<style>``; its blocks
(``{#if}``, ``{:else}``, ``{/if}``, ``{#each}`` ...) go, ``{@html "..."}`` shows
its markup, and ``{expr}`` shows what it holds (``{$_('...')}``, a string) in
text and nothing inside a tag. Everything removed leaves its newlines, so
lines match.
"""

from __future__ import annotations

import re

from notice_audit.model import Document, Page
from notice_audit.parse import html
from notice_audit.parse.base import InputFormat
from notice_audit.parse.decode import decode
from notice_audit.parse.templatetags import strip_template_tags
from notice_audit.parse.textutil import place_on_lines
from notice_audit.parse.translations import shown

_TOP_BLOCK = re.compile(r"<(template|script|style)\b[^>]*>", re.I)
_CODE_BLOCK = re.compile(r"<(script|style)\b[^>]*>", re.I)
_TEMPLATE_TAG = re.compile(r"<(/?)template\b[^>]*?(/?)>", re.I)
_TAG_EDGE = re.compile(r"<(?=[A-Za-z/!])|>")


def _blank(text: str) -> str:
    """Only the newlines of ``text``."""
    return "\n" * text.count("\n")


def _block_end(text: str, name: str, start: int) -> tuple[int, int]:
    """The start of the closing tag of the block whose content begins at ``start``, and the end of that tag.

    Nested ``<template>`` elements (``v-if`` groups) are counted; an unclosed block runs to the end.
    """
    n = len(text)
    if name.lower() != "template":
        m = re.compile(rf"</{name}\s*>", re.I).search(text, start)
        return (m.start(), m.end()) if m else (n, n)
    depth = 1
    for m in _TEMPLATE_TAG.finditer(text, start):
        if m.group(2):  # <template/>: self-closed
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start(), m.end()
    return n, n


def vue_markup(text: str) -> str:
    """The top-level ``<template>``'s content, everything else blanked to its newlines."""
    out: list[str] = []
    pos = 0
    found_template = False
    while True:
        m = _TOP_BLOCK.search(text, pos)
        if m is None:
            break
        content_end, block_end = _block_end(text, m.group(1), m.end())
        if m.group(1).lower() == "template" and not found_template:
            found_template = True
            out.append(_blank(text[pos:m.end()]))
            # Inner <template v-if> elements group markup in Vue; in HTML their content would be inert.
            content = _TEMPLATE_TAG.sub(lambda t: _blank(t.group()) or " ", text[m.end():content_end])
            out.append(strip_template_tags(content))
            out.append(_blank(text[content_end:block_end]))
        else:
            out.append(_blank(text[pos:block_end]))
        pos = block_end
    out.append(_blank(text[pos:]))
    return "".join(out)


def brace_end(text: str, i: int) -> int:
    """Index after the ``}`` closing the ``{`` at ``i`` (quoted strings skipped); the end if unclosed."""
    n = len(text)
    depth = 0
    j = i
    while j < n:
        ch = text[j]
        if ch in "\"'`":
            close = text.find(ch, j + 1)
            while close != -1 and text[close - 1] == "\\":
                close = text.find(ch, close + 1)
            j = n if close == -1 else close + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def svelte_markup(text: str) -> str:
    """The markup of a Svelte component: top-level script and style blanked, braces replaced by what they show."""
    out: list[str] = []
    pos = 0
    in_tag = False
    n = len(text)
    block = _CODE_BLOCK.search(text)
    while pos < n:
        brace = text.find("{", pos)
        if block is not None and block.start() < pos:
            block = _CODE_BLOCK.search(text, pos)
        if block is not None and (brace == -1 or block.start() < brace):
            in_tag = _after(text, pos, block.start(), in_tag, out)
            _, end = _block_end(text, block.group(1), block.end())
            out.append(_blank(text[block.start():end]))
            pos = end
            continue
        if brace == -1:
            break
        in_tag = _after(text, pos, brace, in_tag, out)
        end = brace_end(text, brace)
        closed = text[end - 1:end] == "}"
        inner = text[brace + 1:end - 1]
        shows = ""
        if closed and not in_tag and inner[:1] not in ("#", ":", "/"):  # an unclosed brace shows nothing
            if inner.startswith("@html"):
                shows = shown(inner[5:], "js")
            elif not inner.startswith("@"):
                shows = shown(inner, "js")
                shows = f"<span>{shows}</span>" if shows and "<" not in shows else shows
        out.append(place_on_lines([(0, shows)], text.count("\n", brace, end)) if shows else _filler(text, brace, end))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _after(text: str, start: int, end: int, in_tag: bool, out: list[str]) -> bool:
    """Copy markup ``text[start:end]``; whether it leaves us inside a tag (where a brace is an attribute)."""
    out.append(text[start:end])
    for m in _TAG_EDGE.finditer(text, start, end):
        in_tag = m.group() == "<"
    return in_tag


def _filler(text: str, start: int, end: int) -> str:
    newlines = text.count("\n", start, end)
    return "\n" * newlines if newlines else " "


def parse(page: Page) -> Document:
    """Parse a ``.vue`` or ``.svelte`` component as the HTML it renders."""
    text = decode(page, html=True)
    svelte = page.media_type.split(";", 1)[0].strip().lower() == "text/x-svelte"
    return html.parse_text(svelte_markup(text) if svelte else vue_markup(text), page)


VUE = InputFormat("vue", ("text/x-vue",), parse, (".vue",))
SVELTE = InputFormat("svelte", ("text/x-svelte",), parse, (".svelte",))
