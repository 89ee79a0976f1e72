"""One parse of a fetched HTML page, shared by discovery, part assembly and the link checks.

The crawler asks several questions of each page (is it a notice, which links
lead to notices, which pages are its parts, which notice is its parent, which
links to check); an :class:`HtmlPage` answers them all from one tree: the lxml
tree the parse stage builds (``parse.htmltree``), not a second HTML stack.

These readers were first written against Beautiful Soup's tree of the same
lxml parse, and its text rules are kept (the cues, the 300-character sentence
windows and the part labels were tuned on them): text inside ``script``,
``style``, ``template``, ``rt`` and ``rp`` is not an element's text; an
all-whitespace string outside ``pre`` and ``textarea`` counts as one newline
(if it has one) or one space; a processing instruction reads as its target
and data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any, NamedTuple, cast
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from lxml import etree

from notice_audit.model import Page
from notice_audit.parse import ParseError
from notice_audit.parse.decode import decode
from notice_audit.parse.htmltree import DocumentNode, Node, Tree, parse_html

__all__ = ["HTML_TYPES", "NAV_RELS", "Anchor", "HtmlPage", "classes", "normalise_url", "read_html", "rels"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: <link rel=...> values that make a <link> an anchor: navigation between pages of one document.
NAV_RELS = frozenset({"next", "prev", "previous", "first", "last", "start", "contents", "toc", "up"})

# Strings inside these are code, templates or ruby annotations: not the text of other elements.
_STRING_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})
# Whitespace-only strings are kept as written inside these.
_PRESERVE = frozenset({"pre", "textarea"})
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
_ROLE_MAIN = etree.XPath("descendant-or-self::*[@role = 'main']")
_TEXT_NODES = etree.XPath("descendant::text()", smart_strings=False)  # texts and tails, in order
_ANCHOR_TAGS = ("a", "area", "link")
# What a string is: text (of no container, or of the named container), or a comment.
_COMMENT = "#comment"
_SPACE = re.compile(r"\s+")
#: Elements that are site furniture wherever they sit (their links are menus, not content).
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary"})


class Anchor(NamedTuple):
    """An http(s) link element: the element, its absolute URL, its text and its rel values."""

    el: Node
    url: str
    text: str
    rel: tuple[str, ...]


def normalise_url(href: str, base: str) -> str | None:
    """``href`` made absolute against ``base``, fragment removed; None unless http(s)."""
    href = re.sub(r"[\t\n\r]", "", href).strip()
    if not href:
        return None
    try:
        absolute, _ = urldefrag(urljoin(base, href))
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def read_html(page: Page | HtmlPage) -> HtmlPage | None:
    """The page parsed (an ``HtmlPage`` is returned as it is); None for other formats or unreadable bytes."""
    if isinstance(page, HtmlPage):
        return page
    if page.media_type not in HTML_TYPES:
        return None
    try:
        return HtmlPage(page, parse_html(decode(page, html=True)))
    except ParseError:
        return None


def _collapse(text: str, pre: bool) -> str:
    """A string as Beautiful Soup kept it: all-whitespace (or empty) outside ``pre`` becomes "\\n" or " "."""
    if pre or text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


class HtmlPage:
    """A fetched HTML page and its tree, with what every reader needs worked out once.

    ``parts`` holds ``parts.part_urls``'s answer once it has been worked out: the
    crawler and ``parent_links`` both ask for it. Readers must not modify the tree.
    """

    def __init__(self, page: Page, tree: Tree) -> None:
        self.page = page
        self.tree = tree
        #: the node above the top-level elements (Beautiful Soup's document)
        self.doc: DocumentNode = tree.doc
        self.parts: tuple[str, ...] | None = None

    # --- the document --------------------------------------------------------------------------

    @cached_property
    def main(self) -> Node:
        """The element holding the page's own content: <main>, role=main, a lone <article>, else <body>."""
        found = self.tree.first("main")
        if found is None:
            found = next((el for top in self.tree.tops for el in _xpath(_ROLE_MAIN, top)), None)
        if found is not None:
            return found
        articles = self.tree.all("article")
        if len(articles) == 1:
            return articles[0]
        body = self.tree.first("body")
        return body if body is not None else self.doc

    @cached_property
    def base(self) -> str:
        """What relative links resolve against: <base href> (itself resolved against the page URL) or the URL."""
        base = next(self.elements(self.doc, "base", attr="href"), None)
        if base is not None:
            href: str = base.get("href")
            if href.strip():
                try:
                    return urljoin(self.page.url, href.strip())
                except ValueError:
                    return self.page.url
        return self.page.url

    @cached_property
    def anchors(self) -> tuple[Anchor, ...]:
        """Every http(s) link element in document order (see ``discover.anchors``)."""
        out: list[Anchor] = []
        base = self.base
        for el in self.elements(self.doc, *_ANCHOR_TAGS, attr="href"):
            rel = rels(el)
            link = el.tag == "link"
            if link and not (set(rel) & NAV_RELS):
                continue
            url = normalise_url(el.get("href"), base)
            if url is not None:
                out.append(Anchor(el, url, "" if link else self.link_text(el), rel))
        return tuple(out)

    # --- walking ---------------------------------------------------------------------------------

    def parent(self, el: Node) -> Node | None:
        """An element's parent: the document for a top-level element, None for the document."""
        if el is self.doc:
            return None
        parent = el.getparent()
        return self.doc if parent is None or parent is self.tree.wrapper else parent

    def ancestors(self, el: Node) -> Iterator[Node]:
        """The elements above ``el``, nearest first, ending with the document."""
        node = self.parent(el)
        while node is not None:
            yield node
            node = self.parent(node)

    def is_inside(self, el: Node, root: Node) -> bool:
        """Whether ``el`` is below ``root`` (every element is below the document)."""
        return root is self.doc or any(node is root for node in self.ancestors(el))

    def elements(self, root: Node, *names: str, attr: str | None = None) -> Iterator[Node]:
        """Elements below ``root`` called one of ``names`` (at least one), in document order; with ``attr``,
        only those having it."""
        if root is self.doc:
            found: Iterator[Node] = (el for top in self.tree.tops for el in top.iter(*names))
        else:
            found = root.iterdescendants(*names)
        if attr is None:
            return found
        return (el for el in found if el.get(attr) is not None)

    def find(self, root: Node, *names: str, attr: str | None = None) -> Node | None:
        """The first element below ``root`` called one of ``names`` (with ``attr``), or None."""
        return next(self.elements(root, *names, attr=attr), None)

    def previous_element(self, el: Node) -> Node | None:
        """The element just before ``el`` among its siblings (comments and text skipped), or None."""
        siblings = self.tree.tops if self.parent(el) is self.doc else None
        if siblings is not None:
            at = next(i for i, top in enumerate(siblings) if top is el)
            return siblings[at - 1] if at else None
        return next((s for s in el.itersiblings(preceding=True) if isinstance(s.tag, str)), None)

    # --- text ------------------------------------------------------------------------------------

    @cached_property
    def _special(self) -> tuple[dict[Node, str], set[Node], set[Node]]:
        """Where the text rules differ from plain text, found once: the elements in a string
        container (with the nearest one's name), those in ``pre`` or ``textarea``, and those with
        either kind below them."""
        container: dict[Node, str] = {}
        preserved: set[Node] = set()
        above: set[Node] = set()
        for top in self.tree.tops:
            for el in top.iter(*_STRING_CONTAINERS, *_PRESERVE):  # document order: inner ones come later
                name = el.tag
                if name in _PRESERVE:
                    preserved.update(el.iter())
                else:
                    container.update((inner, name) for inner in el.iter())
                above.update(self.ancestors(el))
        return container, preserved, above

    def _context(self, el: Node) -> tuple[bool, str | None]:
        """Whether whitespace is kept at ``el``, and the string container ``el`` is in (itself included)."""
        container, preserved, _above = self._special
        return el in preserved, container.get(el)

    def nodes(self, root: Node) -> Iterator[tuple[Node | None, str, str | None]]:
        """Everything below ``root`` in document order: ``(element, "", None)`` as an element starts,
        ``(None, string, kind)`` for each string (kind: the string container it is in, "#comment"
        for a comment or processing instruction, None for plain text)."""
        pre, container = self._context(root)
        if root is self.doc:
            children: Iterator[Node] = iter(self.tree.tops)
        else:
            children = iter(root)
            if root.text is not None:
                yield None, _collapse(root.text, pre), container
        # (element, its children, whitespace kept inside, string container inside); iterative, as
        # pages can nest thousands of levels deep
        stack: list[tuple[Node, Iterator[Node], bool, str | None]] = [(root, children, pre, container)]
        while stack:
            _el, children, pre, container = stack[-1]
            child = next(children, None)
            if child is None:
                done = stack.pop()[0]
                if stack and done.tail is not None:
                    yield None, _collapse(done.tail, stack[-1][2]), stack[-1][3]
                continue
            tag = child.tag
            if not isinstance(tag, str):
                yield None, _collapse(_special_text(child), pre), _COMMENT
                if child.tail is not None:
                    yield None, _collapse(child.tail, pre), container
                continue
            yield child, "", None
            inner_pre = pre or tag in _PRESERVE
            inner = tag if tag in _STRING_CONTAINERS else container
            if child.text is not None:
                yield None, _collapse(child.text, inner_pre), inner
            stack.append((child, iter(child), inner_pre, inner))

    def strings(self, el: Node) -> list[str]:
        """The strings Beautiful Soup's ``get_text`` reads: text outside string containers (for a
        container, the text directly in containers of its name), no comments."""
        want = el.tag if el is not self.doc and el.tag in _STRING_CONTAINERS else None
        pre, container = self._context(el)
        if want is None and container is not None:
            return []  # inside a script, template or annotation: none of it is plain text
        if want is None and not pre and el is not self.doc and el not in self._special[2]:
            return [_collapse(text, False) for text in _xpath(_TEXT_NODES, el)]  # plain text all the way down
        return [text for node, text, kind in self.nodes(el) if node is None and kind == want]

    def text(self, el: Node, sep: str = "", *, strip: bool = False) -> str:
        """``get_text(sep, strip=strip)`` as Beautiful Soup gave it."""
        strings = self.strings(el)
        if strip:
            strings = [s.strip() for s in strings]
            strings = [s for s in strings if s]
        return sep.join(strings)

    def link_text(self, el: Node) -> str:
        """Visible link text; for an image link, its aria-label, title or alt text."""
        text = _SPACE.sub(" ", self.text(el, " ", strip=True)).strip()
        if text:
            return text
        for attr in ("aria-label", "title"):
            value = el.get(attr)
            if value is not None and value.strip():
                return _SPACE.sub(" ", value).strip()
        img = self.find(el, "img", attr="alt")
        if img is not None:
            return _SPACE.sub(" ", img.get("alt")).strip()
        return ""

    def is_furniture(self, el: Node, root: Node | None = None) -> bool:
        """Whether ``el`` sits in a menu, header, footer, sidebar or form (below ``root``)."""
        node: Node | None = el
        while node is not None and node is not root:
            if node.tag in _FURNITURE_TAGS:
                return True
            role = node.get("role")
            if role is not None and role.lower() in _FURNITURE_ROLES:
                return True
            node = self.parent(node)
        return False



def rels(el: Node) -> tuple[str, ...]:
    """An element's rel values, lower case, each once."""
    value = el.get("rel")
    if value is None:
        return ()
    return tuple(dict.fromkeys(r.lower() for r in value.split()))


def classes(el: Node) -> list[str]:
    """An element's class names."""
    value = el.get("class")
    return value.split() if value else []


def _special_text(node: Node) -> str:
    """A comment's text, or a processing instruction's target and data (as Beautiful Soup joins them)."""
    text: str = node.text or ""
    if isinstance(node, etree._ProcessingInstruction):
        target = cast(str, node.target)  # never bytes: the tree was parsed from text
        return f"{target} {text}"
    return text


def _xpath(path: etree.XPath, el: Node) -> list[Any]:
    """The nodes (or, for text(), the strings) a node-set XPath selects below ``el``."""
    return cast("list[Any]", path(el))
