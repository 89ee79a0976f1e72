"""Multi-page and layered notices: which pages belong together, and which notice is the parent.

A notice split into parts must be audited as one notice, and a short
service notice that sends readers to "our corporate privacy notice" must
bring that notice along. Both are read from one fetched page; the crawler
calls these functions on every part it fetches and merges the answers, so a
part that cannot see every sibling still contributes what it can.

Public API: :func:`part_urls` and :func:`parent_links`. Pure functions over a
``Page`` (or an ``HtmlPage``, parsed once by the caller): no network I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from notice_audit.extract.base import split_sentences
from notice_audit.model import Page
from notice_audit.parse.htmltree import Node
from notice_audit.sources.discover import Link, anchors, cues, notice_score, same_site, text_key
from notice_audit.sources.htmlpage import HtmlPage, classes, normalise_url, read_html

__all__ = ["parent_links", "part_urls"]

#: A link text at least this strong on its own names a separate notice ("Council tax privacy
#: notice"), not a part of this one ("Who we share information with").
NOTICE_TITLE_SCORE = 8.0
#: At most this many parts: a guard against treating a long paginated listing as one notice.
MAX_PARTS = 50

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
}
_NUM = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
# "Part 2", "Part 2: Who we share", "Part 2 of 5", "part 1 of this notice", "Page 3"; not "Part 2 of Schedule 1".
_PART_LABEL = re.compile(rf"^(?:part|page)\s+{_NUM}(?P<rest>.*)$", re.I)
_PART_REST_OK = re.compile(
    rf"^(?:$|\s*[:.\-–—,)(/]|\s+of\s+{_NUM}\b|\s+of\s+(?:this|these|the (?:privacy |fair processing )?notice)\b"
    r"|\s+(?!of\b)[a-z])",
    re.I,
)
_PART_OF = re.compile(rf"\b(?:part|page)\s+{_NUM}\s+(?:of|/)\s+{_NUM}\b", re.I)
_THIS_PAGE = re.compile(r"\(?\b(?:this page|current page|you are here|current part|this part)\b\)?", re.I)
_STEP_TEXT = re.compile(r"^(?:next|previous|prev)\s+(?:page|part|section)\b", re.I)
_CONTENTS_LABEL = re.compile(
    r"^(?:contents|table of contents|(?:in|parts of|pages in|sections of|pages of) this "
    r"(?:privacy notice|notice|guide|document|section|policy|statement)|"
    r"(?:pages|parts|sections) in this (?:notice|guide|document|section|policy|statement)|"
    r"(?:notice|guide|document) (?:contents|parts|pages|sections))\b",
    re.I,
)
_PAGINATION_NAME = re.compile(r"pagination|pager|pages?-nav|part-nav|parts", re.I)
_INDEX_FILE = re.compile(r"^(?:index|default)\.[a-z0-9]+$", re.I)
_DIGITS_LEAF = re.compile(r"^(\d{1,3})(?:\.[a-z0-9]+)?$", re.I)
_SUFFIX_LEAF = re.compile(r"^(.+?)[-_](\d{1,3})(?:\.[a-z0-9]+)?$", re.I)
_PAGE_PARAMS = ("page", "part", "pg", "p")
_DOCUMENT_FILE = re.compile(r"\.(?:pdf|docx?|odt|rtf|txt)$", re.I)


def _number(token: str) -> int | None:
    token = token.lower()
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token)


def part_label(text: str) -> int | None:
    """The part number a link text names ("Part 2: Who we share ..." -> 2), or None."""
    m = _PART_LABEL.match(text_key(text))
    if not m or not _PART_REST_OK.match(m.group("rest")):
        return None
    return _number(m.group(1))


# --- URL shapes -----------------------------------------------------------------------------------


def _dir_path(path: str) -> str:
    """A path without its index file or trailing slash: /a/b/index.html and /a/b/ are both /a/b."""
    segments = [s for s in path.split("/") if s]
    if segments and _INDEX_FILE.match(segments[-1]):
        segments.pop()
    return "/" + "/".join(segments)


def numbered(url: str) -> tuple[str, int] | None:
    """(stem, n) for a numbered URL: /notice/2, /notice/2.html, /notice-2, /notice_2, /notice?page=2.

    The stem is the URL of the un-numbered base (/notice), so the base and
    its numbered siblings share it.
    """
    parts = urlsplit(url)
    site = f"{parts.scheme}://{parts.netloc}"
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in _PAGE_PARAMS and value.isdigit() and len(value) <= 3:
            rest = urlencode(query[:i] + query[i + 1 :])
            return site + _dir_path(parts.path) + ("?" + rest if rest else ""), int(value)
    if parts.query:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return None
    leaf = segments[-1]
    m = _DIGITS_LEAF.match(leaf)
    if m and len(segments) > 1:
        return site + "/" + "/".join(segments[:-1]), int(m.group(1))
    m = _SUFFIX_LEAF.match(leaf)
    if m and not m.group(1).isdigit():
        return site + "/" + "/".join([*segments[:-1], m.group(1)]), int(m.group(2))
    return None


def base_stem(url: str) -> str:
    """The stem this URL would have as the un-numbered base of a numbered series."""
    parts = urlsplit(url)
    stem = f"{parts.scheme}://{parts.netloc}{_dir_path(parts.path)}"
    return stem + ("?" + parts.query if parts.query else "")


def _parent(url: str) -> str:
    path = _dir_path(urlsplit(url).path)
    return path.rsplit("/", 1)[0]


def siblings(a: str, b: str) -> bool:
    """Whether two URLs look like pages of one document: same folder (not the site root),
    one inside the other (/notice and /notice/2), or one numbered series."""
    if base_stem(a) == base_stem(b):
        return True
    na, nb = numbered(a), numbered(b)
    stems_a = {base_stem(a)} | ({na[0]} if na else set())
    stems_b = {base_stem(b)} | ({nb[0]} if nb else set())
    if stems_a & stems_b:
        return True
    pa, pb = _dir_path(urlsplit(a).path), _dir_path(urlsplit(b).path)
    if pa.startswith(pb.rstrip("/") + "/") or pb.startswith(pa.rstrip("/") + "/"):
        return pa.count("/") - pb.count("/") in (-1, 1) and min(pa, pb, key=len) != "/"
    parent = _parent(a)
    return parent == _parent(b) and parent not in ("", "/")


# --- multi-page notices ---------------------------------------------------------------------------


@dataclass
class _Candidate:
    """What the page says about one possible part."""

    url: str
    first_seen: int
    label: int | None = None  # from "Part N" link text
    path_no: int | None = None  # from a numbered URL
    rel: int | None = None  # -1 prev, +1 next
    texts: list[str] = field(default_factory=list)


def _self_number(html: HtmlPage) -> int | None:
    """This part's number: "Part 2 of 3" in the content, or "Part 2: ... (this page)" in a contents list."""
    main = html.main
    text = html.text(main, " ", strip=True)
    m = _PART_OF.search(text)
    if m:
        return _number(m.group(1))
    for item in html.elements(main, "li"):
        if html.find(item, "a", attr="href") is None and _THIS_PAGE.search(html.text(item, " ")):
            return part_label(_THIS_PAGE.sub("", html.text(item, " ", strip=True)))
    return None


def _list_label(html: HtmlPage, lst: Node) -> str:
    """What a list says it is: its aria-label, a heading just before it, or a labelled container."""
    for attr in ("aria-label", "title"):
        value = lst.get(attr)
        if value is not None and value.strip():
            return text_key(value)
    prev = html.previous_element(lst)
    if prev is not None and prev.tag in ("h2", "h3", "h4", "h5", "h6", "p", "strong"):
        return text_key(html.text(prev, " "))
    for node in html.ancestors(lst):
        if node is html.main:
            break
        value = node.get("aria-label")
        if value is not None and value.strip():
            return text_key(value)
    return ""


def _contents_list(html: HtmlPage, self_url: str) -> list[str]:
    """Parts in order from a contents list in the content that includes this page.

    The list must be labelled as contents ("Contents", "Parts of this
    notice", "Pages in this guide"), list this page (as plain text, as a
    link to itself or marked "this page"/aria-current), link only to pages
    beside this one, and not name separate notices in its link texts.
    """
    for lst in html.elements(html.main, "ul", "ol"):
        if any(node.tag in ("ul", "ol") for node in html.ancestors(lst)):
            continue  # nested lists are read through their outer list
        if not _CONTENTS_LABEL.match(_list_label(html, lst)):
            continue
        order: list[str] = []
        ok = True
        has_self = False
        for item in lst.iterchildren("li"):
            link = html.find(item, "a", "area", attr="href")
            current = item.get("aria-current") or (link is not None and link.get("aria-current"))
            if link is None or current or _THIS_PAGE.search(html.text(item, " ")):
                if not has_self:
                    order.append(self_url)
                has_self = True
                continue
            url = normalise_url(link.get("href"), html.base)
            if url is None:
                continue
            if url == self_url:
                if not has_self:
                    order.append(self_url)
                has_self = True
                continue
            if _DOCUMENT_FILE.search(urlsplit(url).path):
                continue  # "Download this notice (PDF)": the same notice in another format
            text = html.text(link, " ", strip=True)
            if (
                not same_site(url, self_url)
                or not siblings(url, self_url)
                or notice_score("", text) >= NOTICE_TITLE_SCORE
            ):
                ok = False
                break
            if url not in order:
                order.append(url)
        if ok and has_self and len(order) >= 2:
            return order
    return []


def _in_pagination(html: HtmlPage, el: Node) -> bool:
    for node in html.ancestors(el):
        names = " ".join([*classes(node), node.get("id") or "", node.get("aria-label") or ""])
        if _PAGINATION_NAME.search(names):
            return True
        if node is html.main:
            break
    return False


def part_urls(page: Page | HtmlPage) -> list[str]:
    """Ordered URLs of ALL parts of a multi-page notice, including this page; [] for a single page.

    Evidence read from the page (same site only):

    - ``rel="next"``/``rel="prev"`` on ``<a>`` and ``<link>``, or links
      labelled "Next page"/"Previous part", to a page beside this one (same
      folder, or one numbered series; never two unrelated pages at the site
      root, as blog posts' rel=prev/next are);
    - links labelled "Part N ..." (with "Part N of M" or a "(this page)" item
      giving this page's number);
    - numbered sub-paths beside this one (.../notice/2, .../notice-2,
      ?page=2, and the un-numbered .../notice as part 1), accepted when the
      numbers run on from this page's (n-1 or n+1 linked) and fill at least
      half their range, and the links do not name separate notices;
    - a contents list labelled as such that includes this page.

    Order: by part number where every part has one (labels first, then URL
    numbers), else by the contents list, else prev links, this page, next
    links. Other notices linked from an ordinary notice are never parts: they
    are neither labelled parts, nor numbered, nor in a contents list with it.
    Worked out once per ``HtmlPage``.
    """
    html = read_html(page)
    if html is None:
        return []
    if html.parts is None:
        html.parts = tuple(_part_urls(html))
    return list(html.parts)


def _part_urls(html: HtmlPage) -> list[str]:
    """``part_urls`` of a parsed page."""
    self_url = normalise_url(html.page.url, html.page.url)
    if self_url is None:
        return []
    main = html.main
    cands: dict[str, _Candidate] = {self_url: _Candidate(self_url, -1)}
    self_no = _self_number(html)
    if self_no is not None:
        cands[self_url].label = self_no

    def cand(url: str, order: int) -> _Candidate:
        return cands.setdefault(url, _Candidate(url, order))

    labelled: set[str] = set()
    used: dict[int, str] = {self_no: self_url} if self_no is not None else {}
    stepped: dict[str, int] = {}
    series: dict[str, int] = {}
    for order, (el, url, text, rel) in enumerate(anchors(html)):
        if not same_site(url, self_url):
            continue
        in_main = el.tag == "link" or (html.is_inside(el, main) and not _outside_content(html, el))
        step = -1 if {"prev", "previous"} & set(rel) else 1 if "next" in rel else 0
        if not step and in_main and _STEP_TEXT.match(text_key(text)):
            step = 1 if text_key(text).startswith("next") else -1
        n = part_label(text) if in_main else None
        if n is None and in_main and text.strip().isdigit() and _in_pagination(html, el):
            n = int(text.strip())
        if url == self_url:
            if n is not None and cands[self_url].label is None and n not in used:
                cands[self_url].label = n  # a contents list linking to this page as "Part 2"
                used[n] = self_url
            continue
        if step and (n is not None or notice_score("", text) < NOTICE_TITLE_SCORE):
            stepped.setdefault(url, step)  # "Next: Parking privacy notice" is another notice, not a part
        if (
            n is not None
            and n not in used
            and (self_no is not None or siblings(url, self_url))
            and cands.get(url, _Candidate(url, 0)).label is None
        ):
            cand(url, order).label = n  # the first link claiming a number keeps it
            used[n] = url
            labelled.add(url)
        num = numbered(url)
        if num is not None or base_stem(url) in _self_stems(self_url):
            series.setdefault(url, order)
        if url in cands:
            cands[url].texts.append(text)
        elif url in stepped or url in series:
            cand(url, order).texts.append(text)

    # "Part N" labels (one URL per number), then numbered sub-paths beside this page.
    accepted = set(labelled)
    accepted |= _numbered_series(self_url, cands, series)
    # rel/next-prev steps: beside this page, or already known as a part.
    for url, step in stepped.items():
        if url in accepted or siblings(url, self_url):
            cand(url, 0).rel = step
            accepted.add(url)
    contents = _contents_list(html, self_url)
    for url in contents:
        if url != self_url:
            cand(url, len(cands))
            accepted.add(url)
    if not accepted:
        return []
    parts = [self_url, *sorted(accepted - {self_url}, key=lambda u: cands[u].first_seen)]
    return _order(parts[:MAX_PARTS], cands, contents)


def _outside_content(html: HtmlPage, el: Node) -> bool:
    """Inside <main> but in a header, footer or sidebar of its own (not a parts navigation)."""
    for node in html.ancestors(el):
        if node is html.main:
            break
        if node.tag in ("header", "footer", "aside", "form"):
            return True
    return False


def _self_stems(self_url: str) -> set[str]:
    num = numbered(self_url)
    return {base_stem(self_url)} | ({num[0]} if num else set())


def _numbered_series(self_url: str, cands: dict[str, _Candidate], series: dict[str, int]) -> set[str]:
    """Numbered siblings of this page that run on from it (see ``part_urls``)."""
    stems = _self_stems(self_url)
    members: dict[str, int | None] = {}
    own = numbered(self_url)
    members[self_url] = own[1] if own and own[0] in stems else None
    for url in series:
        num = numbered(url)
        if num is not None and num[0] in stems:
            members[url] = num[1]
        elif base_stem(url) in stems and base_stem(url) != base_stem(self_url):
            members[url] = None  # the un-numbered base of this page's series
    numbers = [n for n in members.values() if n is not None]
    if not numbers:
        return set()
    explicit_one = 1 in numbers
    nos = {u: (n if n is not None else (0 if explicit_one else 1)) for u, n in members.items()}
    self_n = nos[self_url]
    values = set(nos.values())
    if not ({self_n - 1, self_n + 1} & values):
        return set()
    if len(values) < 0.5 * (max(values) - min(values) + 1):
        return set()
    others = [u for u, n in members.items() if u != self_url and n is not None]
    titled = sum(1 for u in others if any(notice_score("", t) >= NOTICE_TITLE_SCORE for t in cands[u].texts))
    if others and titled * 2 > len(others):
        return set()
    for url, n in nos.items():
        c = cands.get(url)
        if c is not None:
            c.path_no = n
    return set(members) - {self_url}


def _order(parts: list[str], cands: dict[str, _Candidate], contents: list[str]) -> list[str]:
    """Parts by number when every part has one, else by contents list, else prev, self, next."""
    for attr in ("label", "path_no"):
        nos = [getattr(cands[u], attr) for u in parts]
        if all(n is not None for n in nos) and len(set(nos)) == len(nos):
            return [u for _n, u in sorted(zip(nos, parts, strict=True))]
    if contents and set(parts) <= set(contents):
        return [u for u in contents if u in parts]
    self_url = parts[0]
    labels = {u: cands[u].label for u in parts if cands[u].label is not None}
    if len(labels) >= 2:
        # Fill in missing numbers from the prev/next relation to this page.
        me = labels.get(self_url)
        for u in parts:
            rel = cands[u].rel
            if u not in labels and me is not None and rel is not None:
                labels[u] = me + rel
    steps = {u: (cands[u].rel or 0) for u in parts}
    return sorted(
        parts,
        key=lambda u: (
            labels.get(u, float("inf")) if labels else 0,
            steps[u] if u != self_url else 0,
            cands[u].first_seen,
        ),
    )


# --- layered notices ------------------------------------------------------------------------------


def _block_of(html: HtmlPage, el: Node) -> Node:
    for node in html.ancestors(el):
        if node is html.main:
            break
        if node.tag in ("p", "li", "td", "th", "dd", "dt", "blockquote", "div", "section"):
            return node
    return html.main


#: Characters of a sentence kept either side of a link: cues sit next to the link they are about.
CONTEXT_CHARS = 300


class _Sentences:
    """Each block's text, sentence spans and link offsets, computed once per block.

    One pass per block keeps parent_links linear even when a page puts
    thousands of links in one block.
    """

    def __init__(self, html: HtmlPage) -> None:
        self.html = html
        # by element: lxml hands out one Python object per element while it is referenced, as here
        self._blocks: dict[Node, tuple[str, list[tuple[int, int]], dict[Node, int]]] = {}

    def _index(self, block: Node) -> tuple[str, list[tuple[int, int]], dict[Node, int]]:
        hit = self._blocks.get(block)
        if hit is None:
            pieces: list[str] = []
            offsets: dict[Node, int] = {}
            length = 0
            for node, string, _kind in self.html.nodes(block):
                if node is None:
                    pieces.append(string)  # every string: comments and scripts too, as they always were
                    length += len(string)
                elif node.tag in ("a", "area"):
                    offsets.setdefault(node, length)
            text = "".join(pieces)
            hit = (text, split_sentences(text), offsets)
            self._blocks[block] = hit
        return hit

    def around(self, el: Node, block: Node) -> str:
        """The sentence holding link ``el``, cut to CONTEXT_CHARS either side of the link."""
        text, spans, offsets = self._index(block)
        start = offsets.get(el, 0)
        end = start + len(self.html.text(el))
        lo, hi = 0, len(text)
        for s, e in spans:
            if s <= start < e:
                lo, hi = s, e
                break
        return text[max(lo, start - CONTEXT_CHARS) : min(hi, end + CONTEXT_CHARS)]


def parent_links(page: Page | HtmlPage) -> list[Link]:
    """Links to the fuller notice this one builds on ("see our corporate privacy notice").

    A link counts when it leads to a privacy notice (``notice_score`` > 0) and
    its text, or its sentence, says the target is the main, corporate, full
    or general notice, or that this notice adds to it (cues in
    ``discover.yaml``: ``parent_cues``). The sentence speaks for a link only
    when the link's own text does not name another notice ("... and the
    <a>schools privacy notice</a> covers pupils" is not a parent). Only links
    in the page's own content count (not menus, breadcrumbs or footers),
    never the page itself or its own parts. One Link per URL, in document
    order; its text is that of a link whose own text carries the cue when
    there is one ("corporate privacy notice" rather than "your rights").
    """
    html = read_html(page)
    if html is None:
        return []
    self_url = normalise_url(html.page.url, html.page.url)
    main = html.main
    own_parts = set(part_urls(html))
    pats = cues().parent_cues
    found: dict[str, Link] = {}
    named: set[str] = set()  # URLs already found through their own link text
    sentences = _Sentences(html)
    for el, url, text, rel in anchors(html):
        if el.tag == "link" or url == self_url or url in own_parts or url in named:
            continue
        if not html.is_inside(el, main) or html.is_furniture(el, main):
            continue
        score = notice_score(url, text)
        if score <= 0:
            continue
        key = text_key(text)
        if any(p.search(key) for p in pats):
            found[url] = Link(url, text, score, rel)
            named.add(url)
            continue
        if url in found or notice_score("", text) >= NOTICE_TITLE_SCORE:
            continue  # a link named as another notice: the sentence's cue is about a different link
        context = text_key(sentences.around(el, _block_of(html, el)))
        if any(p.search(context) for p in pats):
            found[url] = Link(url, text, score, rel)
    return list(found.values())
