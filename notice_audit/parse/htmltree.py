"""HTML text to an lxml element tree for ``parse/html.py``, with source lines where they hold.

The tree is the one libxml2's HTML parser builds, and its elements keep the
line they start on. libxml2 stops building a tree that nests deeper than 256
levels or holds a text node over 10 MB, while the parser's events go on to the
end of the page (Beautiful Soup, which read pages before, built from those
events). Such pages are read again with ``huge_tree`` (2048 levels, 1 GB), and
past that the tree is built from the events; neither gives line numbers (these
pages never had them: the two trees did not match).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from notice_audit.parse.base import ParseError

MAX_DEPTH = 10_000  # pages nested deeper are refused; past this the event tree is not built
_TREE_DEPTH_LIMIT = 256
_HUGE_TREE_DEPTH_LIMIT = 2048
_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The element holding the top-level nodes of an event-built tree: the HTML parser lower-cases
# all names, so no tag of a page is called this.
_WRAPPER = "NOTICE-AUDIT-DOCUMENT"

# An lxml element (lxml has no type stubs here), or the DocumentNode above the top-level ones.
Node = Any


class DocumentNode:
    """The parent of the top-level elements, which lxml does not expose as a node.

    It answers the few element methods asked of a parent, so that a page
    without ``<body>`` can be walked from the top like any container.
    """

    tag = "[document]"
    text = None
    tail = None
    sourceline = None

    def __init__(self, tops: list[Any]) -> None:
        self.tops = tops

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tops)

    def get(self, key: str, default: Any = None) -> Any:
        return default


class Tree:
    """A parsed page: its top-level elements (usually one ``<html>``) and what to trust about them.

    ``depth`` is how deeply elements nest, or a bound on it for a libxml2 tree;
    ``lines`` whether ``sourceline`` may be reported; ``wrapper`` the element
    above the top-level elements of an event-built tree; ``names`` maps the
    stand-in names of tags an lxml element cannot be called (``<span<>``, only
    in event-built trees) back to the page's own.
    """

    __slots__ = ("depth", "doc", "lines", "names", "tops", "wrapper")

    def __init__(
        self, tops: list[Any], *, depth: int, lines: bool, wrapper: Any = None, names: dict[str, str] | None = None
    ) -> None:
        self.tops = tops
        self.doc = DocumentNode(tops)
        self.depth = depth
        self.lines = lines
        self.wrapper = wrapper
        self.names = names or {}

    def parent(self, el: Any) -> Any:
        """An element's parent, the document node for a top-level element, None for the document."""
        if el is self.doc:
            return None
        parent = el.getparent()
        return self.doc if parent is None or parent is self.wrapper else parent

    def first(self, name: str) -> Any:
        """The first element called ``name`` in the document."""
        for top in self.tops:
            found = next(top.iter(name), None)
            if found is not None:
                return found
        return None

    def all(self, name: str) -> list[Any]:
        """Every element called ``name``, in document order."""
        return [el for top in self.tops for el in top.iter(name)]


def parse_html(text: str) -> Tree:
    """The tree of ``text``: libxml2's, with lines, unless it would stop short of the page's end."""
    if text[:1] == "\ufeff":
        text = text[1:]
    tree = _libxml2_tree(text, huge=False)
    if tree is None:
        tree = _libxml2_tree(text, huge=True)
    return tree if tree is not None else _event_tree(text)


def _libxml2_tree(text: str, *, huge: bool) -> Tree | None:
    """The tree as libxml2 builds it, or None when it stopped at a resource limit."""
    parser = etree.HTMLParser(huge_tree=huge)
    try:
        parser.feed(text)
        root = parser.close()
    except (etree.LxmlError, ValueError):
        return None
    if any(error.type == _RESOURCE_LIMIT for error in parser.feed_error_log):
        return None
    if root is None:
        return Tree([], depth=0, lines=not huge)
    tops = [root, *root.itersiblings(etree.Element)]
    # Markup after </html> opens a second <html>: lines were never reported for such pages.
    depth = _HUGE_TREE_DEPTH_LIMIT if huge else _TREE_DEPTH_LIMIT
    return Tree(tops, depth=depth, lines=not huge and len(tops) == 1)


def _event_tree(text: str) -> Tree:
    """The tree as the parser's events describe it, for pages too deep for a libxml2 tree."""
    target = _EventTarget()
    try:
        parser = etree.HTMLParser(target=target)  # type: ignore[arg-type]  # lxml passes str; its stubs say bytes too
        parser.feed(text)
        wrapper = parser.close()  # a target parser returns what its target's close() returns
    except (UnicodeDecodeError, LookupError, etree.ParserError):
        target = _EventTarget()
        parser = etree.HTMLParser(target=target, encoding="utf8")  # type: ignore[arg-type]  # as above
        try:
            parser.feed(text.encode("utf8"))
            wrapper = parser.close()
        except (UnicodeDecodeError, LookupError, etree.ParserError) as error:
            raise ParseError(f"the HTML parser rejected the markup: {error}") from error
    if wrapper is None:
        return Tree([], depth=target.deepest, lines=False)
    tops = list(wrapper.iterchildren(etree.Element))
    return Tree(tops, depth=target.deepest, lines=False, wrapper=wrapper, names=target.names)


class _EventTarget:
    """Builds a tree from parser events, counting how deeply it nests.

    The events need not balance (libxml2 leaves elements open at the end of some damaged
    pages): an end tag closes the latest open element of that name and any opened after it,
    one naming no open element is ignored, and what is still open is closed at the end.
    """

    def __init__(self) -> None:
        self.parser = etree.HTMLParser()  # its element names are HTML's, looser than XML's
        self.builder = etree.TreeBuilder(parser=self.parser)
        self.builder.start(_WRAPPER, {})
        self.open: list[str] = []
        self.open_count: dict[str, int] = {}
        self.deepest = 0
        self.names: dict[str, str] = {}  # stand-in -> tag name
        self._used: dict[str, str] = {}  # tag name -> name in the tree

    def _name(self, tag: str) -> str:
        used = self._used.get(tag)
        if used is None:
            try:
                self.parser.makeelement(tag)
                used = tag
            except ValueError:  # upper case: never a name from the HTML parser
                used = f"X-TAG-{len(self.names)}"
                self.names[used] = tag
            self._used[tag] = used
        return used

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.open.append(tag)
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        if len(self.open) > self.deepest:
            self.deepest = len(self.open)
        if self.deepest <= MAX_DEPTH:  # past that the page is refused: only the count matters
            name = self._name(tag)
            try:
                self.builder.start(name, attrib)  # type: ignore[arg-type]  # str keys and values, which it takes
            except ValueError:  # control characters in a value: the only attributes lxml refuses
                self.builder.start(name, {k: _XML_UNSAFE.sub("", v) for k, v in attrib.items()})

    def end(self, tag: str) -> None:
        if not self.open_count.get(tag):
            return
        while True:
            name = self.open.pop()
            self.open_count[name] -= 1
            if self.deepest <= MAX_DEPTH:
                self.builder.end(self._used[name])
            if name == tag:
                return

    def data(self, data: str) -> None:
        if self.deepest <= MAX_DEPTH:
            self.builder.data(data)

    def comment(self, text: str) -> None:
        if self.deepest <= MAX_DEPTH:
            try:
                self.builder.comment(text)
            except ValueError:  # "--" or control characters; only whether it is blank is ever read
                self.builder.comment("comment" if text.strip() else " ")

    def pi(self, target: str, data: str | None = None) -> None:
        if self.deepest <= MAX_DEPTH:
            self.builder.pi(target, data)

    def close(self) -> Any:
        if self.deepest > MAX_DEPTH:
            return None
        while self.open:
            self.builder.end(self._used[self.open.pop()])
        self.builder.end(_WRAPPER)
        return self.builder.close()
