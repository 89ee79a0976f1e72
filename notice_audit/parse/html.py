"""HTML pages (and template files, once their tags are gone) to a ``Document``.

The content root is ``<main>``, else ``[role=main]``, else the ``<article>``
with most text, else ``<body>``. Site furniture is marked first (by tag,
landmark role, class/id tokens from ``furniture.yaml``) and skipped; the rest
is walked in document order: headings open sections, paragraphs, list items,
table cells and loose text in containers become blocks, each with a CSS
selector from the root, the nearest useful ``#fragment`` and, for local
files, the source line.

The tree is lxml's own (one parse, source lines included, cheap to walk).
The rules were first written against Beautiful Soup's tree of the same lxml
parse, and its text rules are kept where they differ from lxml's defaults:
text inside ``script``, ``style``, ``template``, ``rt`` and ``rp`` is not
"text" for lengths, titles and dropped furniture, and an all-whitespace
string outside ``pre`` counts as one space or newline.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import cast

from lxml import etree

from notice_audit.model import BlockKind, Document, Page
from notice_audit.parse.base import InputFormat, ParseError
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.decode import decode
from notice_audit.parse.furniture import furniture
from notice_audit.parse.htmltree import MAX_DEPTH, Node, Tree, parse_html
from notice_audit.parse.templatetags import looks_templated, strip_template_tags
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

# Text inside these is code, templates or ruby annotations: not counted as the text of an element.
_STRING_CONTAINERS = ("script", "style", "template", "rt", "rp")
# Whitespace is kept as written inside these.
_PRESERVE = frozenset({"pre", "textarea"})
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
_NO_EXCLUDE: frozenset[str] = frozenset()
_HEADINGS_AND_P = ("p", *HEADINGS)

# A character that survives ``clean``: text that is not all whitespace and invisible characters.
_VISIBLE = re.compile("[^\\s\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# What each XPath returns, which lxml's stubs cannot know from the expression (cast: no cost at run time).
_TEXT_NODES = cast(Callable[[Node], list[str]],  # texts and tails, in order
                   etree.XPath("descendant::text()", smart_strings=False))
_ROLE_MAIN = cast(Callable[[Node], list[Node]], etree.XPath("descendant-or-self::*[@role = 'main']"))
_TOP_ARTICLES = cast(Callable[[Node], list[Node]], etree.XPath("descendant-or-self::article[not(ancestor::article)]"))


def parse(page: Page) -> Document:
    """Parse an HTML page; template tags, if any, are removed first."""
    text = decode(page, html=True)
    # Every template tag starts with one of these; looking for them first skips a slow search.
    if ("<%" in text or "{%" in text or "{{" in text or "[%" in text) and looks_templated(text):
        text = strip_template_tags(text)
    return parse_text(text, page)


def parse_text(text: str, page: Page) -> Document:
    """Parse decoded HTML text for ``page``."""
    tree = parse_html(text)
    builder = DocumentBuilder(page.source)
    walker = _Walker(builder, tree, lines=not is_url(page.source))
    root = walker.content_root()
    walker.run(root)
    title = ""
    title_tag = tree.first("title")
    if title_tag is not None:
        title = walker.get_text(title_tag)
    if not title:
        first_h1 = next(root.iterdescendants("h1"), None) if root is not tree.doc else None
        if first_h1 is None:
            first_h1 = tree.first("h1")
        title = walker.get_text(first_h1) if first_h1 is not None else ""
    return builder.document(page, title)


def parse_fragment_into(text: str, builder: DocumentBuilder, *, line_offset: int = 0) -> None:
    """Walk an HTML fragment (e.g. raw HTML inside Markdown) into an existing builder."""
    tree = parse_html(text)
    walker = _Walker(builder, tree, line_offset=line_offset, record_outside=False)
    body = tree.first("body")
    walker.run(body if body is not None else tree.doc)


# --- walking ----------------------------------------------------------------------------------------


class _Walker:
    """One pass to mark furniture, one pass to emit headings and blocks.

    Elements are remembered in sets and dicts by identity: lxml returns the same
    Python object for an element while one is alive, and those sets keep it alive.
    """

    def __init__(
        self,
        builder: DocumentBuilder,
        tree: Tree,
        *,
        lines: bool = True,
        line_offset: int = 0,
        record_outside: bool = True,
    ) -> None:
        self.builder = builder
        self.tree = tree
        self.doc = tree.doc
        self.names = tree.names
        self.lines = lines and tree.lines
        self.line_offset = line_offset
        self.record_outside = record_outside
        self.lex = furniture()
        self.skip: set[Node] = set()
        self._has_block: set[Node] | None = None
        self._pre: set[Node] | None = None
        self._in_container: set[Node] | None = None
        self._above_container: set[Node] | None = None
        self._token_cache: dict[str, bool] = {}
        self._text_cache: dict[Node, str] = {}
        self._ids: list[tuple[str, int]] = []  # ids of open ancestors with the step they were entered
        self._heading_frags: list[tuple[int, str | None]] = []
        self._seq = 0
        self._heading_seq = -1
        self._pending_anchor: str | None = None
        self._last_level = 0
        self._root: Node = None
        self._root_length: int | None = None

    # --- lookups --------------------------------------------------------------------------------------

    def _line(self, el: Node) -> int | None:
        if not self.lines:
            return None
        line = el.sourceline
        return line + self.line_offset if line else None

    @property
    def has_block(self) -> set[Node]:
        """Elements with a block element somewhere inside (found once, upwards from each block)."""
        if self._has_block is None:
            found: set[Node] = set()
            for top in self.tree.tops:
                for block in top.iter(*BLOCK_TAGS):
                    _add_ancestors(block, found)
            self._has_block = found
        return self._has_block

    @property
    def pre(self) -> set[Node]:
        """Elements in which whitespace is kept as written (``pre``, ``textarea`` and their insides)."""
        if self._pre is None:
            self._pre = {el for top in self.tree.tops for p in top.iter(*_PRESERVE) for el in p.iter()}
        return self._pre

    @property
    def in_container(self) -> set[Node]:
        """Elements inside ``script``, ``style``, ``template``, ``rt`` or ``rp``."""
        if self._in_container is None:
            self._in_container, self._above_container = self._find_containers()
        return self._in_container

    @property
    def above_container(self) -> set[Node]:
        """Elements with a ``script``, ``style``, ``template``, ``rt`` or ``rp`` inside."""
        if self._above_container is None:
            self._in_container, self._above_container = self._find_containers()
        return self._above_container

    def _find_containers(self) -> tuple[set[Node], set[Node]]:
        """Elements inside string containers, and those above one (upwards from each container)."""
        inside: set[Node] = set()
        above: set[Node] = set()
        for top in self.tree.tops:
            for container in top.iter(*_STRING_CONTAINERS):
                inside.update(container.iterdescendants())
                _add_ancestors(container, above)
        return inside, above

    # --- text as a reader sees it --------------------------------------------------------------------------

    def get_text(self, el: Node) -> str:
        """All text of an element, cleaned; text of code, templates and ruby annotations left out."""
        cached = self._text_cache.get(el)
        if cached is not None:
            return cached
        tops = self.tree.tops
        strings = [s for top in tops for s in self._strings(top)] if el is self.doc else self._strings(el)
        text = clean(" ".join(strings))
        self._text_cache[el] = text
        return text

    def _strings(self, el: Node) -> list[str]:
        name = el.tag
        out: list[str] = []
        if name in _STRING_CONTAINERS:
            self._container_strings(el, out)
            return out
        if el in self.in_container:
            return out  # all of it belongs to the script, template or annotation around it
        if el not in self.above_container:
            strings: list[str] = _TEXT_NODES(el)
            return strings
        self._plain_strings(el, out)
        return out

    def _plain_strings(self, el: Node, out: list[str]) -> None:
        """Strings below ``el`` outside string containers (stepping down only towards containers)."""
        above = self.above_container
        if el.text:
            out.append(el.text)
        stack = [(el, iter(el))]  # iterative: pages can nest thousands of levels deep
        while stack:
            parent, children = stack[-1]
            for child in children:
                tag = child.tag
                if tag.__class__ is str and tag not in _STRING_CONTAINERS:
                    if child in above:
                        if child.text:
                            out.append(child.text)
                        stack.append((child, iter(child)))
                        break  # its tail follows once its children are done
                    out.extend(_TEXT_NODES(child))
                if child.tail:
                    out.append(child.tail)
            else:
                stack.pop()
                if stack and parent.tail:
                    out.append(parent.tail)

    def _container_strings(self, el: Node, out: list[str]) -> None:
        """Strings below the string container ``el`` whose nearest string container has its name."""
        want = el.tag
        if el.text:
            out.append(el.text)
        stack = [(el, want, iter(el))]  # (element, name of the container its strings are in, children)
        while stack:
            parent, inner, children = stack[-1]
            for child in children:
                tag = child.tag
                if tag.__class__ is str:
                    child_inner = tag if tag in _STRING_CONTAINERS else inner
                    if child.text and child_inner == want:
                        out.append(child.text)
                    stack.append((child, child_inner, iter(child)))
                    break
                if child.tail and inner == want:
                    out.append(child.tail)
            else:
                stack.pop()
                if stack and parent.tail and stack[-1][1] == want:
                    out.append(parent.tail)

    def _text_length(self, el: Node) -> int:
        return len(self.get_text(el))

    def text(self, el: Node, exclude: frozenset[str] = _NO_EXCLUDE) -> str:
        """The text of a block as emitted: furniture left out, links with contact targets kept."""
        if not len(el):
            return clean(el.text) if el.text else ""
        parts: list[str] = []
        self._collect(el, parts, exclude, el in self.pre)
        return clean("".join(parts))

    def _collect(self, el: Node, parts: list[str], exclude: frozenset[str], pre: bool) -> None:
        """The text, children and tails inside ``el`` (``pre``: whitespace is kept as written)."""
        text = el.text
        if text:
            parts.append(text if pre or text.strip(_ASCII_SPACES) else ("\n" if "\n" in text else " "))
        for child in el:
            if child.tag.__class__ is str:
                self._node(child, parts, exclude, pre)
            tail = child.tail
            if tail:
                parts.append(tail if pre or tail.strip(_ASCII_SPACES) else ("\n" if "\n" in tail else " "))

    def _node(self, el: Node, parts: list[str], exclude: frozenset[str], pre: bool) -> None:
        """One element's contribution to a text (its tail is its parent's)."""
        name = el.tag
        if el in self.skip or name in exclude:
            return
        if name == "br" or name == "hr":
            parts.append(" ")
            return
        block = name in BLOCK_TAGS
        if block:
            parts.append(" ")
        start = len(parts)
        self._collect(el, parts, exclude, pre or name in _PRESERVE)
        if name == "a":
            href = el.get("href")
            if href is not None:
                parts.append(link_suffix("".join(parts[start:]), href))
        if block:
            parts.append(" ")

    # --- content root and furniture ----------------------------------------------------------------

    def content_root(self) -> Node:
        """``<main>``, else ``[role=main]``, else the fullest top-level ``<article>``, else ``<body>``."""
        self._check_depth()
        tops = self.tree.tops
        finds: tuple[Callable[[], list[Node]], ...] = (
            lambda: self.tree.all("main"),
            lambda: [el for top in tops for el in _ROLE_MAIN(top)],
            lambda: [el for top in tops for el in _TOP_ARTICLES(top)],
        )
        for find in finds:
            candidates = find()
            if len(candidates) == 1:  # no rival: whether it holds any text at all is enough
                if any(_VISIBLE.search(s) for s in self._strings(candidates[0])):
                    return candidates[0]
                continue
            best: Node = None
            best_length = 0
            for candidate in candidates:
                length = self._text_length(candidate)
                if length > best_length:
                    best, best_length = candidate, length
            if best is not None:
                return best
        body = self.tree.first("body")
        return body if body is not None else self.doc

    def _check_depth(self) -> None:
        depth = self.tree.depth
        if depth > MAX_DEPTH:
            raise ParseError(f"{self.builder.source}: the HTML is nested {depth} levels deep; too deep to read")

    def run(self, root: Node) -> None:
        self._check_depth()
        self._root = root
        protected = {root, *root.iterancestors()} if root is not self.doc else set()
        self._mark(protected)
        if self.record_outside:
            self._record_outside(root)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * self.tree.depth + 1000))  # the walk recurses once per level
        try:
            self._walk(root, _root_label(root, self.names))
        finally:
            sys.setrecursionlimit(limit)

    def _mark(self, protected: set[Node]) -> None:
        """Mark the outermost furniture elements.

        An element's children are checked when it is reached in document order, so furniture
        is recorded sibling by sibling (a page's footer before its main's breadcrumbs).
        """
        skip = self.skip
        drop = self.builder.drop
        check = self._furniture
        lex = self.lex
        special = lex.tags | lex.control_tags | {"nav", "header", "footer", "aside", "form"}
        stack: list[Node] = [self.doc]
        while stack:
            kept = []
            for child in stack.pop():
                name = child.tag
                if name.__class__ is not str:
                    continue
                # Only a few tags, and elements with attributes, can be furniture.
                if (name in special or child.keys()) and child not in protected:
                    reason = check(child)
                    if reason:
                        skip.add(child)
                        if reason != "hidden":
                            drop(self.get_text(child))
                        continue
                if len(child):
                    kept.append(child)
            kept.reverse()
            stack += kept

    def _furniture(self, el: Node) -> str | None:
        """Why an element is site furniture, or None."""
        name = el.tag
        lex = self.lex
        if name in lex.tags:
            return "hidden" if name != "noscript" else "noscript"
        if name in lex.control_tags:
            if name in ("button", "label") and any(a.tag in HEADINGS or a.tag == "summary" for a in el.iterancestors()):
                return None
            return "control"
        role = el.get("role")
        if role and any(r in lex.roles for r in role.lower().split()):
            return "role"
        hidden = el.get("aria-hidden")
        if hidden and hidden.lower() == "true" and next(el.iterdescendants(*_HEADINGS_AND_P), None) is None:
            return "aria-hidden"
        if name == "nav":
            return "nav"
        if name in ("header", "footer") and not self._in_section(el):
            return name
        if name == "aside" and (not self._in_section(el) or self._link_density(el) >= 0.5):
            return "aside"
        if name == "form" and any(i.get("type") == "search" for i in el.iterdescendants("input")):
            return "search"
        classes = el.get("class")
        ident = el.get("id")
        if classes is None and not ident:
            return None
        tokens = classes.split() if classes else []
        if ident:
            tokens.append(ident)
        if any(self._furniture_token(t) for t in tokens):
            # A "furniture" wrapper holding most of the notice is a false positive.
            if self._inside(el) and self.root_length > 500 and self._text_length(el) > self.root_length / 2:
                return None
            return "class"
        return None

    def _furniture_token(self, token: str) -> bool:
        known = self._token_cache.get(token)
        if known is None:
            known = self._token_cache[token] = self.lex.is_furniture_name(token)
        return known

    @property
    def root_length(self) -> int:
        if self._root_length is None:
            self._root_length = self._text_length(self._root)
        return self._root_length

    def _inside(self, el: Node) -> bool:
        """Whether the content root is above ``el``."""
        root = self._root
        return any(a is root for a in el.iterancestors())

    @staticmethod
    def _in_section(el: Node) -> bool:
        return any(a.tag in SECTIONING or a.get("role") == "main" for a in el.iterancestors())

    def _link_density(self, el: Node) -> float:
        total = self._text_length(el)
        if not total:
            return 1.0
        linked = sum(self._text_length(a) for a in el.iterdescendants("a"))
        return linked / total

    def _record_outside(self, root: Node) -> None:
        """Record text outside the content root, so a reader can see what was left out."""
        node = root
        parent = self.tree.parent(node)
        while parent is not None and node.tag not in ("body", "html", "[document]"):
            for sibling in parent:
                if (
                    sibling.tag.__class__ is str
                    and sibling is not node
                    and sibling not in self.skip
                    and sibling.tag not in self.lex.tags
                ):
                    self.builder.drop(self.get_text(sibling))
            node = parent
            parent = self.tree.parent(node)

    # --- emitting -----------------------------------------------------------------------------------

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

    def _walk(self, el: Node, path: str) -> None:
        """Walk a container: block children are visited, inline runs become loose-text blocks."""
        run: list[str] = []
        run_line: int | None = None
        run_links = 0
        kind: BlockKind = "table_cell" if el.tag in ("td", "th") else "paragraph"
        children = list(el)
        counts: dict[str, int] = {}
        for child in children:
            tag = child.tag
            if tag.__class__ is str:
                counts[tag] = counts.get(tag, 0) + 1
        seen: dict[str, int] = {}
        skip = self.skip
        has_block = self.has_block
        names = self.names
        pre = el in self.pre
        if el.text:
            run.append(el.text)
        for child in children:
            tag = child.tag
            if tag.__class__ is str:
                nth = seen[tag] = seen.get(tag, 0) + 1
                if child not in skip:
                    if tag not in BLOCK_TAGS and child not in has_block:
                        if tag == "a" and not self.text(child):
                            anchor = child.get("id") or child.get("name")
                            if anchor is not None:
                                self._pending_anchor = anchor
                        self._node(child, run, _NO_EXCLUDE, pre)
                        run_links += self._link_words(child)
                        if run_line is None:
                            run_line = self._line(child)
                    else:
                        if run:
                            self._emit(kind, clean("".join(run)), path, None, run_line or self._line(el), run_links)
                            run.clear()
                            run_line = None
                            run_links = 0
                        self._visit(child, _step(path, el.tag, names.get(tag, tag), nth, counts[tag]))
            tail = child.tail
            if tail:
                run.append(tail)
        if run:
            self._emit(kind, clean("".join(run)), path, None, run_line or self._line(el), run_links)

    def _visit(self, el: Node, path: str) -> None:
        """A block child: a heading, a list item, a cell or paragraph, or a container to walk."""
        self._seq += 1
        ident = el.get("id")
        if ident:
            self._ids.append((ident, self._seq))
        try:
            name = el.tag
            if name in HEADINGS:
                self._heading(el, HEADINGS[name], path)
            elif name == "li":
                self._emit("list_item", self.text(el, NESTED), path, ident, self._line(el),
                           self._link_words(el, NESTED))
                if el in self.has_block:
                    for nested, nested_path in self._nested(el, path):
                        self._visit(nested, nested_path)
            elif name in ("td", "th") and el not in self.has_block:
                self._emit("table_cell", self.text(el), path, ident, self._line(el), self._link_words(el))
            elif name in ("p", "pre") or (name in LEAFISH and el not in self.has_block):
                if not self._pseudo_heading(el, path):
                    self._emit("paragraph", self.text(el), path, ident, self._line(el), self._link_words(el))
            else:
                self._walk(el, path)
        finally:
            if ident:
                self._ids.pop()

    def _nested(self, el: Node, path: str) -> Iterator[tuple[Node, str]]:
        """Lists, tables and headings inside a list item, to be walked after the item itself."""
        children = [c for c in el if c.tag.__class__ is str]
        counts: dict[str, int] = {}
        for child in children:
            counts[child.tag] = counts.get(child.tag, 0) + 1
        seen: dict[str, int] = {}
        for child in children:
            tag = child.tag
            nth = seen[tag] = seen.get(tag, 0) + 1
            if child in self.skip:
                continue
            if tag in NESTED:
                yield child, _step(path, el.tag, self.names.get(tag, tag), nth, counts[tag])
            elif child in self.has_block:
                yield from self._nested(child, _step(path, el.tag, self.names.get(tag, tag), nth, counts[tag]))

    def _emit(self, kind: BlockKind, text: str, path: str, own: str | None, line: int | None, links: int = 0) -> None:
        """Add a block (``text`` already ``clean``); ``own`` is the id of the element that is the block, if any;
        ``links`` its link words."""
        if self.builder.block(kind, text, links=links, cleaned=True, selector=path, fragment=self._fragment(own),
                              line=line):
            self._pending_anchor = None

    def _link_words(self, el: Node, exclude: frozenset[str] = _NO_EXCLUDE) -> int:
        """Words of the link texts (``<a href>``) inside ``el`` as its text shows them: links under left-out
        elements (furniture, ``exclude``) are not counted."""
        if el.tag == "a":
            links = [el]
        elif not len(el):
            return 0
        else:
            links = list(el.iterdescendants("a"))
        words = 0
        for a in links:
            if a.get("href") is None or self._left_out(a, el, exclude):
                continue
            words += len(self.get_text(a).split())
        return words

    def _left_out(self, node: Node, top: Node, exclude: frozenset[str]) -> bool:
        """Whether ``node`` or an element between it and ``top`` is left out of ``top``'s text."""
        while node is not None and node is not top:
            if node in self.skip or node.tag in exclude:
                return True
            node = node.getparent()
        return False

    def _heading_fragment(self, el: Node) -> str | None:
        own = el.get("id")
        if own:
            return own
        inner = next((d for d in el.iterdescendants(etree.Element) if d.get("id") is not None), None)
        if inner is None:
            inner = next((a for a in el.iterdescendants("a") if a.get("name") is not None), None)
        if inner is not None:
            value = inner.get("id") or inner.get("name")
            if value:
                return value
        if self._pending_anchor:
            return self._pending_anchor
        parent = self.tree.parent(el)
        if parent is not None and parent.get("id") and next(_elements(parent), None) is el:
            return parent.get("id")
        return None

    def _heading(self, el: Node, level: int, path: str, *, pseudo: bool = False) -> bool:
        fragment = self._heading_fragment(el)
        accepted = self.builder.heading(
            self.text(el), level, selector=path, fragment=fragment or self._fragment(), line=self._line(el)
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

    def _pseudo_heading(self, el: Node, path: str) -> bool:
        """``<p><strong>Who we share it with</strong></p>``: a heading in all but name."""
        if el.tag not in ("p", "summary"):
            return False
        if el.tag == "p":
            if not len(el):
                return False
            elements = [c for c in el if c.tag.__class__ is str and c.tag != "br"]
            if len(elements) != 1 or elements[0].tag not in PSEUDO_HEADING_TAGS or _loose_text(el):
                return False
        text = self.text(el)
        if not is_title_like(text):
            return False
        level = min(6, (self._last_level or 1) + 1)
        self._heading(el, level, path, pseudo=True)
        return True  # taken as a heading, or dropped as furniture: either way not a paragraph


def _add_ancestors(el: Node, found: set[Node]) -> None:
    """Add ``el``'s ancestors to ``found``, stopping at one already there (so are all above it)."""
    parent = el.getparent()
    while parent is not None and parent not in found:
        found.add(parent)
        parent = parent.getparent()


def _elements(el: Node) -> Iterator[Node]:
    return (c for c in el if c.tag.__class__ is str)


def _loose_text(el: Node) -> str:
    """Text directly inside ``el``, comments included (as Beautiful Soup counted its strings)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag is etree.Comment:
            parts.append(child.text or "")
        elif child.tag is etree.ProcessingInstruction:
            parts.append(f"{child.target} {child.text or ''}")
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _step(path: str, parent: str, tag: str, nth: int, count: int) -> str:
    """The CSS path of a child: ``tag:nth-of-type(k)`` where a tag repeats among its siblings."""
    step = tag if count == 1 else f"{tag}:nth-of-type({nth})"
    if tag == "tr" and parent == "table":
        step = "tbody > " + step  # browsers add the <tbody> that lxml leaves out
    return f"{path} > {step}"


def _root_label(root: Node, names: dict[str, str]) -> str:
    name = names.get(root.tag, root.tag)
    if name == "[document]":
        return ":root"
    ident = root.get("id")
    if ident:
        return f"{name}#{ident}"
    if name not in ("main", "body") and root.get("role") == "main":
        return f'{name}[role="main"]'
    return name


FORMAT = InputFormat(
    "html", ("text/html", "application/xhtml+xml"), parse, (".html", ".htm", ".xhtml"),
    served_as=(("text/html", 1.0), ("application/xhtml+xml", 1.0)),
)
