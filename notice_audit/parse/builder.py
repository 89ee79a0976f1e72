"""``DocumentBuilder``: the one place headings and blocks become sections."""

from __future__ import annotations

import dataclasses
from typing import Any

from notice_audit.model import Block, BlockKind, Document, Locator, Page, Section
from notice_audit.parse.base import ParseError
from notice_audit.parse.furniture import furniture
from notice_audit.parse.textutil import HAS_LETTER, clean, shorten


class DocumentBuilder:
    """Collects headings and blocks in reading order and turns them into sections.

    Every format module feeds one of these, so heading paths, furniture
    checks and the empty-document error behave the same for all formats.
    """

    def __init__(self, source: str, *, banners: bool = True) -> None:
        self.source = source
        self.banners = banners
        self.removed: list[str] = []
        self._stack: list[tuple[int, str]] = []
        self._path: tuple[str, ...] = ()  # the stack's texts, kept as it changes (read per block)
        self._sections: list[Section] = []
        self._open: tuple[str, int, tuple[str, ...], Locator] = ("", 0, (), Locator(source))
        self._blocks: list[Block] = []
        self._lexicon = furniture()

    @property
    def path(self) -> tuple[str, ...]:
        """The heading path of the section now open."""
        return self._path

    def drop(self, text: str) -> None:
        """Record furniture that was left out."""
        text = clean(text)
        if text:
            self.removed.append(shorten(text))

    def is_furniture(self, text: str) -> bool:
        """Whether a cleaned text is furniture by its text alone."""
        return self._lexicon.is_furniture_text(text, banners=self.banners, cleaned=True)

    def heading(self, text: str, level: int, **where: Any) -> bool:
        """Open a section; returns False when the heading was empty or furniture, or read as a paragraph.

        A "heading" that reads as a paragraph (``reads_as_paragraph``: a policy set in heading tags for their
        look) is added as a paragraph of the open section, so that its text is read as text.
        """
        text = clean(text)
        if not text or (not HAS_LETTER.search(text) and not any(c.isdigit() for c in text)):
            return False
        if self.is_furniture(text):
            self.drop(text)
            return False
        if reads_as_paragraph(text):
            self.block("paragraph", text, **where)
            return False
        level = max(1, min(level, 6))
        # A title repeated as loose text just before the first heading (template title blocks).
        if not self._stack and self._blocks and self._blocks[-1].text == text:
            self.drop(self._blocks.pop().text)
        self._close()
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))
        self._path = tuple(t for _, t in self._stack)
        self._open = (text, level, self.path, Locator(self.source, self.path, **where))
        return True

    def block(self, kind: BlockKind, text: str, *, links: int = 0, cleaned: bool = False, **where: Any) -> bool:
        """Add a block to the open section (``links``: how many of its words are link text); returns False
        when empty or furniture. ``cleaned``: the text is already ``clean`` (a walker's block text), so is
        not cleaned a second time for every block."""
        if not cleaned:
            text = clean(text)
        if not text or not (HAS_LETTER.search(text) or any(c.isdigit() for c in text)):
            return False
        if self.is_furniture(text):
            self.drop(text)
            return False
        where.setdefault("block", len(self._blocks) + 1)
        self._blocks.append(Block(kind, text, Locator(self.source, self.path, **where), links))
        return True

    def _title(self, sections: tuple[Section, ...]) -> str:
        """The first level-1 heading, else the first heading, that is not site furniture: a printed page's
        cookie banner ("Cookies on ...") is not its title."""
        headed = [s for s in sections if s.level and not self._lexicon.is_banner_heading(s.heading)
                  and not self._lexicon.is_furniture_text(s.heading, cleaned=True)]
        first = next((s for s in headed if s.level == 1), None) or next(iter(headed), None)
        return first.heading if first else ""

    def _close(self) -> None:
        heading, level, path, locator = self._open
        if level or self._blocks:
            if not level and self._blocks:
                first = self._blocks[0].locator
                locator = Locator(self.source, (), first.line, None, first.selector, first.fragment)
            self._sections.append(Section(heading, level, path, tuple(self._blocks), locator))
        self._blocks = []

    def document(self, page: Page, title: str = "") -> Document:
        """The finished ``Document``; raises ``ParseError`` if no text was found.

        Headings and no text under any of them: the text was set in heading tags, so every heading after the
        first is read as a paragraph under it (``_headings_as_text``).
        """
        self._close()
        self._open = ("", 0, (), Locator(self.source))
        sections = _headings_as_text(tuple(self._sections))
        if not sections:
            reason = "only site furniture was found" if self.removed else "no text was found"
            raise ParseError(f"{page.source}: {reason} in this {page.media_type} content")
        if not title:
            title = self._title(sections)
        return Document(
            source=page.source,
            title=clean(title),
            media_type=page.media_type,
            sections=sections,
            content_hash=page.content_hash,
            removed=tuple(self.removed),
        )


#: More words than any heading has: a "heading" this long is a paragraph in heading tags.
HEADING_MAX_WORDS = 25
#: A "heading" of at least this many words that ends as a sentence ends is a sentence, not a heading.
SENTENCE_MIN_WORDS = 8


def reads_as_paragraph(heading: str) -> bool:
    """Whether a heading's text is a paragraph set in heading tags: far longer than a heading, or a whole
    sentence (several words ending with a full stop or semicolon, which headings do not)."""
    words = len(heading.split())
    return words > HEADING_MAX_WORDS or (words >= SENTENCE_MIN_WORDS and heading.endswith((".", ";")))


def _headings_as_text(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Sections with headings and not one block: the first heading stays, the others become its paragraphs
    (each with its own locator), since a document of headings alone is text set in heading tags."""
    if len(sections) < 2 or any(s.blocks for s in sections):
        return sections
    first = sections[0]
    blocks = tuple(Block("paragraph", s.heading, dataclasses.replace(s.locator, heading_path=first.path, block=n))
                   for n, s in enumerate(sections[1:], 1))
    return (dataclasses.replace(first, blocks=blocks),)
