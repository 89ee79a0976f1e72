"""HTML pages (and template files, once their tags are gone) to a ``Document``.

The content root is ``<main>``, else ``[role=main]``, else the ``<article>``
with most text, else ``<body>``. Site furniture is marked first (by tag,
landmark role, class/id tokens from ``furniture.yaml``) and skipped; the rest
is walked in document order: headings open sections, paragraphs, list items,
table cells and loose text in containers become blocks, each with a CSS
selector from the root, the nearest useful ``#fragment`` and, for local
files, the source line.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import PreformattedString
from lxml import etree

from notice_audit.model import BlockKind, Document, Page
from notice_audit.parse import ParseError
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.decode import decode
from notice_audit.parse.furniture import furniture
from notice_audit.parse.template import looks_templated, strip_template_tags
from notice_audit.parse.textutil import clean, is_title_like, is_url, link_suffix

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "noscript", "ol", "p",
        "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        *HEADINGS,
    }
)  # fmt: skip
# Leaf blocks unless they hold other blocks (then they are walked as containers).
LEAFISH = frozenset({"address", "blockquote", "caption", "dd", "dt", "figcaption", "legend", "summary"})
# Inside a list item these are walked on their own, not folded into the item's text.
NESTED = frozenset({"ul", "ol", "dl", "table", "menu", *HEADINGS})
SECTIONING = frozenset({"main", "article", "section"})
PSEUDO_HEADING_TAGS = frozenset({"strong", "b"})
_MAX_DEPTH = 10_000


def parse(page: Page) -> Document:
    """Parse an HTML page; template tags, if any, are removed first."""
    text = decode(page, html=True)
    if looks_templated(text):
        text = strip_template_tags(text)
    return parse_text(text, page)


def parse_text(text: str, page: Page) -> Document:
    """Parse decoded HTML text for ``page``."""
    soup = _soup(text)
    lines = {} if is_url(page.source) else _source_lines(text, soup)
    builder = DocumentBuilder(page.source)
    walker = _Walker(builder, lines)
    root = _content_root(soup)
    walker.run(soup, root)
    title = ""
    if soup.title is not None:
        title = clean(soup.title.get_text(" "))
    if not title:
        first_h1 = root.find("h1") or soup.find("h1")
        title = clean(first_h1.get_text(" ")) if isinstance(first_h1, Tag) else ""
    return builder.document(page, title)


def parse_fragment_into(text: str, builder: DocumentBuilder, *, line_offset: int = 0) -> None:
    """Walk an HTML fragment (e.g. raw HTML inside Markdown) into an existing builder."""
    soup = _soup(text)
    lines = {k: v + line_offset for k, v in _source_lines(text, soup).items()}
    walker = _Walker(builder, lines, record_outside=False)
    walker.run(soup, soup.body or soup)


def _soup(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "lxml")


def _source_lines(text: str, soup: BeautifulSoup) -> dict[int, int]:
    """Source line of each tag, by a parallel lxml parse (bs4 does not keep lxml's lines)."""
    parser = etree.HTMLParser()
    try:
        parser.feed(text)
        root = parser.close()
    except (etree.LxmlError, ValueError):
        return {}
    if root is None:
        return {}
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    tags = soup.find_all(True)
    if len(elements) != len(tags) or any(e.tag != t.name for e, t in zip(elements, tags, strict=True)):
        return {}
    return {id(t): e.sourceline for e, t in zip(elements, tags, strict=True) if e.sourceline}


def _max_depth(soup: BeautifulSoup) -> int:
    """How deeply elements nest, found without recursion."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        el, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in el.children if isinstance(c, Tag))
    return deepest


def _text_length(tag: Tag) -> int:
    return len(clean(tag.get_text(" ")))


def _content_root(soup: BeautifulSoup) -> Tag:
    """``<main>``, else ``[role=main]``, else the fullest top-level ``<article>``, else ``<body>``."""
    body = soup.body if soup.body is not None else soup
    for candidates in (
        soup.find_all("main"),
        soup.find_all(attrs={"role": "main"}),
        [a for a in soup.find_all("article") if a.find_parent("article") is None],
    ):
        scored = [(_text_length(c), c) for c in candidates]
        scored = [s for s in scored if s[0]]
        if scored:
            return max(scored, key=lambda s: s[0])[1]
    return body


def _root_label(root: Tag) -> str:
    if root.name in ("[document]", None):
        return ":root"
    if root.get("id"):
        return f"{root.name}#{root['id']}"
    if root.name not in ("main", "body") and root.get("role") == "main":
        return f'{root.name}[role="main"]'
    return root.name


def _tokens(tag: Tag) -> list[str]:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id")
    return [*classes, ident] if isinstance(ident, str) and ident else list(classes)


class _Walker:
    """One pass to mark furniture, one pass to emit headings and blocks."""

    def __init__(self, builder: DocumentBuilder, lines: dict[int, int], *, record_outside: bool = True):
        self.builder = builder
        self.lines = lines
        self.record_outside = record_outside
        self.lex = furniture()
        self.skip: set[int] = set()
        self._has_block: dict[int, bool] = {}
        self._ids: list[tuple[str, int]] = []  # ids of open ancestors with the step they were entered
        self._heading_frags: list[tuple[int, str | None]] = []
        self._seq = 0
        self._heading_seq = -1
        self._pending_anchor: str | None = None
        self._last_level = 0
        self._root_length = 0

    # --- furniture ---------------------------------------------------------------------------------

    def run(self, soup: BeautifulSoup, root: Tag) -> None:
        tags = soup.find_all(True)
        depth = _max_depth(soup)
        if depth > _MAX_DEPTH:
            raise ParseError(f"{self.builder.source}: the HTML is nested {depth} levels deep; too deep to read")
        for tag in reversed(tags):  # children before parents: one linear pass
            self._has_block[id(tag)] = any(
                isinstance(c, Tag) and (c.name in BLOCK_TAGS or self._has_block.get(id(c), False)) for c in tag.children
            )
        protected = {id(root)} | {id(p) for p in root.parents}
        self._root_length = _text_length(root)
        self._mark(soup, protected, root)
        if self.record_outside:
            self._record_outside(root)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * depth + 1000))  # the walk recurses once per element level
        try:
            self._walk(root, _root_label(root))
        finally:
            sys.setrecursionlimit(limit)

    def _mark(self, soup: BeautifulSoup, protected: set[int], root: Tag) -> None:
        """Mark the outermost furniture elements, in document order (iteratively: pages nest deeply)."""
        stack: list[tuple[Tag, bool, bool]] = [(soup, False, False)]
        while stack:
            el, inside, in_section = stack.pop()
            pending: list[tuple[Tag, bool, bool]] = []
            for child in el.children:
                if not isinstance(child, Tag):
                    continue
                if id(child) not in protected:
                    reason = self._furniture(child, inside=inside, in_section=in_section)
                    if reason:
                        self.skip.add(id(child))
                        if reason != "hidden":
                            self.builder.drop(child.get_text(" "))
                        continue
                sectioning = child.name in SECTIONING or child.get("role") == "main"
                pending.append((child, inside or child is root, in_section or sectioning))
            stack.extend(reversed(pending))

    def _furniture(self, tag: Tag, *, inside: bool, in_section: bool) -> str | None:
        """Why a tag is site furniture, or None."""
        name = tag.name
        lex = self.lex
        if name in lex.tags:
            return "hidden" if name != "noscript" else "noscript"
        if name in lex.control_tags:
            if name in ("button", "label") and tag.find_parent([*HEADINGS, "summary"]) is not None:
                return None
            return "control"
        roles = str(tag.get("role") or "").lower().split()
        if any(r in lex.roles for r in roles):
            return "role"
        if str(tag.get("aria-hidden") or "").lower() == "true" and tag.find(["p", *HEADINGS]) is None:
            return "aria-hidden"
        if name == "nav":
            return "nav"
        if name in ("header", "footer") and not in_section:
            return name
        if name == "aside" and (not in_section or self._link_density(tag) >= 0.5):
            return "aside"
        if name == "form" and tag.find("input", attrs={"type": "search"}) is not None:
            return "search"
        if any(lex.is_furniture_name(t) for t in _tokens(tag)):
            # A "furniture" wrapper holding most of the notice is a false positive.
            if inside and self._root_length > 500 and _text_length(tag) > self._root_length / 2:
                return None
            return "class"
        return None

    @staticmethod
    def _link_density(tag: Tag) -> float:
        total = _text_length(tag)
        if not total:
            return 1.0
        linked = sum(_text_length(a) for a in tag.find_all("a"))
        return linked / total

    def _record_outside(self, root: Tag) -> None:
        """Record text outside the content root, so a reader can see what was left out."""
        node: Tag = root
        while node.parent is not None and node.name not in ("body", "html", "[document]"):
            for sibling in node.parent.children:
                if (
                    isinstance(sibling, Tag)
                    and sibling is not node
                    and id(sibling) not in self.skip
                    and sibling.name not in self.lex.tags
                ):
                    self.builder.drop(sibling.get_text(" "))
            node = node.parent

    # --- text --------------------------------------------------------------------------------------

    def _contains_block(self, tag: Tag) -> bool:
        return self._has_block.get(id(tag), False)

    def text(self, tag: Tag, exclude: frozenset[str] = frozenset()) -> str:
        parts: list[str] = []
        for child in tag.children:
            self._node(child, parts, exclude)
        return clean("".join(parts))

    def _node(self, node: object, parts: list[str], exclude: frozenset[str]) -> None:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctypes, CDATA
                parts.append(str(node))
            return
        if not isinstance(node, Tag) or id(node) in self.skip or node.name in exclude:
            return
        name = node.name
        if name in ("br", "hr"):
            parts.append(" ")
            return
        block = name in BLOCK_TAGS
        if block:
            parts.append(" ")
        start = len(parts)
        for child in node.children:
            self._node(child, parts, exclude)
        if name == "a":
            href = node.get("href")
            if isinstance(href, str):
                parts.append(link_suffix("".join(parts[start:]), href))
        if block:
            parts.append(" ")

    # --- walking -----------------------------------------------------------------------------------

    def _line(self, tag: Tag | None) -> int | None:
        return self.lines.get(id(tag)) if tag is not None else None

    def _fragment(self, own: str | None = None) -> str | None:
        """Own id; else an ancestor id inside this section; else the heading's; else any ancestor's."""
        if own:
            return own
        if self._ids and self._ids[-1][1] > self._heading_seq:
            return self._ids[-1][0]
        for _, frag in reversed(self._heading_frags):
            if frag:
                return frag
        return self._ids[-1][0] if self._ids else None

    def _children(self, el: Tag, path: str) -> Iterator[tuple[object, str]]:
        """Children with their CSS paths (``tag:nth-of-type(k)`` where a tag repeats)."""
        counts = Counter(c.name for c in el.children if isinstance(c, Tag))
        seen: Counter[str] = Counter()
        for child in el.children:
            if isinstance(child, Tag):
                seen[child.name] += 1
                step = child.name if counts[child.name] == 1 else f"{child.name}:nth-of-type({seen[child.name]})"
                if child.name == "tr" and el.name == "table":
                    step = "tbody > " + step  # browsers add the <tbody> that lxml leaves out
                yield child, f"{path} > {step}"
            else:
                yield child, path

    def _walk(self, el: Tag, path: str) -> None:
        """Walk a container: block children are visited, inline runs become loose-text blocks."""
        run: list[str] = []
        run_line: list[int | None] = [None]
        kind: BlockKind = "table_cell" if el.name in ("td", "th") else "paragraph"

        def flush() -> None:
            if run:
                self._emit(kind, clean("".join(run)), path, None, run_line[0] or self._line(el))
                run.clear()
                run_line[0] = None

        for child, child_path in self._children(el, path):
            if isinstance(child, Tag):
                if id(child) in self.skip:
                    continue
                if child.name not in BLOCK_TAGS and not self._contains_block(child):
                    if child.name == "a" and not self.text(child):
                        anchor = child.get("id") or child.get("name")
                        self._pending_anchor = anchor if isinstance(anchor, str) else self._pending_anchor
                    self._node(child, run, frozenset())
                    if run_line[0] is None:
                        run_line[0] = self._line(child)
                    continue
                flush()
                self._visit(child, child_path)
            else:
                self._node(child, run, frozenset())
        flush()

    def _visit(self, tag: Tag, path: str) -> None:
        self._seq += 1
        ident = tag.get("id")
        pushed = isinstance(ident, str) and bool(ident)
        if pushed:
            self._ids.append((str(ident), self._seq))
        try:
            name = tag.name
            if name in HEADINGS:
                self._heading(tag, HEADINGS[name], path)
            elif name == "li":
                self._emit("list_item", self.text(tag, NESTED), path, tag)
                for nested, nested_path in self._nested(tag, path):
                    self._visit(nested, nested_path)
            elif name in ("td", "th") and not self._contains_block(tag):
                self._emit("table_cell", self.text(tag), path, tag)
            elif name in ("p", "pre") or (name in LEAFISH and not self._contains_block(tag)):
                if not self._pseudo_heading(tag, path):
                    self._emit("paragraph", self.text(tag), path, tag)
            else:
                self._walk(tag, path)
        finally:
            if pushed:
                self._ids.pop()

    def _nested(self, tag: Tag, path: str) -> Iterator[tuple[Tag, str]]:
        """Lists, tables and headings inside a list item, to be walked after the item itself."""
        for child, child_path in self._children(tag, path):
            if not isinstance(child, Tag) or id(child) in self.skip:
                continue
            if child.name in NESTED:
                yield child, child_path
            elif self._contains_block(child):
                yield from self._nested(child, child_path)

    def _emit(self, kind: BlockKind, text: str, path: str, tag: Tag | None, line: int | None = None) -> None:
        own = tag.get("id") if tag is not None else None
        fragment = self._fragment(own if isinstance(own, str) else None)
        added = self.builder.block(
            kind, text, selector=path, fragment=fragment, line=line if line is not None else self._line(tag)
        )
        if added:
            self._pending_anchor = None

    def _heading_fragment(self, tag: Tag) -> str | None:
        own = tag.get("id")
        if isinstance(own, str) and own:
            return own
        inner = tag.find(attrs={"id": True}) or tag.find("a", attrs={"name": True})
        if isinstance(inner, Tag):
            value = inner.get("id") or inner.get("name")
            if isinstance(value, str) and value:
                return value
        if self._pending_anchor:
            return self._pending_anchor
        parent = tag.parent
        if isinstance(parent, Tag) and parent.get("id") and parent.find(True) is tag:
            return str(parent["id"])
        return None

    def _heading(self, tag: Tag, level: int, path: str, *, pseudo: bool = False) -> bool:
        fragment = self._heading_fragment(tag)
        accepted = self.builder.heading(
            self.text(tag), level, selector=path, fragment=fragment or self._fragment(), line=self._line(tag)
        )
        self._pending_anchor = None
        if accepted:
            self._heading_seq = self._seq
            while self._heading_frags and self._heading_frags[-1][0] >= level:
                self._heading_frags.pop()
            self._heading_frags.append((level, fragment))
            if not pseudo:
                self._last_level = level
        return accepted

    def _pseudo_heading(self, tag: Tag, path: str) -> bool:
        """``<p><strong>Who we share it with</strong></p>``: a heading in all but name."""
        if tag.name not in ("p", "summary"):
            return False
        elements = [c for c in tag.children if isinstance(c, Tag) and c.name != "br"]
        loose = "".join(str(c) for c in tag.children if isinstance(c, NavigableString)).strip()
        if tag.name == "p" and (loose or len(elements) != 1 or elements[0].name not in PSEUDO_HEADING_TAGS):
            return False
        text = self.text(tag)
        if not is_title_like(text):
            return False
        level = min(6, (self._last_level or 1) + 1)
        self._heading(tag, level, path, pseudo=True)
        return True  # taken as a heading, or dropped as furniture: either way not a paragraph
