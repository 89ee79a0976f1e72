"""HTML report: one self-contained page a governance board can open, print or read on a phone.

Safety comes from three layers, so that a hostile notice cannot run code in
the report: every value goes through Jinja2 with autoescape on (no HTML is
ever built from page text in Python); only ``http(s)`` addresses from page
data become links (:func:`safe_href`; anything else is shown as text); and
a Content-Security-Policy meta forbids every script, every request and every
style except the report's own stylesheet, allowed by its hash. The page needs
no JavaScript and makes no requests: styles are inline, icons inline SVG.

Python only turns the ``AuditReport`` into plain view data (labels, links,
counts); the templates in ``templates/`` decide the markup.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from notice_audit.formats.base import Format
from notice_audit.formats.common import as_list, gate_note
from notice_audit.formats.people import page_heading
from notice_audit.formats.words import plural
from notice_audit.model import AuditReport, Evidence, ItemResult, NoticeReport

SHOWN_QUOTES = 3
"""Quotes shown per item; the rest sit in a disclosure below them."""

STATUS_LABELS: dict[str, str] = {
    "met": "Met",
    "partial": "Partial",
    "missing": "Missing",
    "failed": "Failed",
    "not_applicable": "Not applicable",
}
GAPS = ("failed", "missing", "partial")
_URL_SAFE = ":/?#[]@!$&()*+,;=%~-._"
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_PAGE = re.compile(r"page=(\d+)\Z")
_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?\Z")
_TEXT_WORDS = 12
"""Quotes longer than this many words link with ``textStart,textEnd`` instead of the whole quote."""
_EDGE_WORDS = 5


# --- links ---------------------------------------------------------------------------------------


def safe_href(url: object) -> str | None:
    """``url`` percent-encoded when it is an absolute http(s) URL; None for anything else.

    ``javascript:``, ``data:``, ``file:``, relative paths and URLs with
    control characters or spaces are refused: they are shown as text.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe=_URL_SAFE)


#: Where the report being rendered is to be written, if it is a file: local files it names link from there.
_WRITTEN_AT: ContextVar[Path | None] = ContextVar("html_written_at", default=None)
_LOCAL_SAFE = "/-._~!$&'()*+,;=@"


def page_href(source: str) -> str | None:
    """A link to a page or file the report names: an http(s) URL as :func:`safe_href` allows it; a local
    file that exists, relative to the folder the report is written in (none when it goes to standard
    output, or the file is not there: a dead link would mislead)."""
    href = safe_href(source)
    at = _WRITTEN_AT.get()
    if href is not None or at is None or not source or re.search(r"[\x00-\x1f\x7f]", source):
        return href
    if urlsplit(source).scheme or not Path(source).is_file():
        return None
    relative = os.path.relpath(Path(source).resolve(), at.parent.resolve())
    return quote(Path(relative).as_posix(), safe=_LOCAL_SAFE)


def text_directive(quote_text: str) -> str:
    """A ``:~:text=`` directive that finds ``quote_text`` (URL Fragment Text Directives).

    Each term is percent-encoded with ``-``, ``,`` and ``&`` encoded too, as
    the syntax requires; long quotes use ``textStart,textEnd``.
    """
    words = quote_text.split()
    if len(words) > _TEXT_WORDS:
        terms = [" ".join(words[:_EDGE_WORDS]), " ".join(words[-_EDGE_WORDS:])]
    else:
        terms = [" ".join(words)]
    return ":~:text=" + ",".join(quote(t, safe="").replace("-", "%2D") for t in terms)


def evidence_href(evidence: Evidence) -> str | None:
    """Where a quote can be checked: the source URL with the locator's fragment, else a text fragment.

    PDF locators carry ``page=N`` as their fragment, so they link to
    ``source#page=N`` (not ``Locator.address``, which appends ``:line``).
    Local files link relative to the report when it is written to a file (:func:`page_href`).
    """
    base = page_href(evidence.locator.source)
    if base is None:
        return None
    if evidence.locator.fragment:
        return base + "#" + quote(evidence.locator.fragment, safe=_URL_SAFE.replace("#", ""))
    if evidence.quote.strip():
        return base + "#" + text_directive(evidence.quote)
    return base


# --- labels --------------------------------------------------------------------------------------

LAWFUL_BASES: dict[str, str] = {
    "consent": "Consent — Art 6(1)(a)",
    "contract": "Contract — Art 6(1)(b)",
    "legal_obligation": "Legal obligation — Art 6(1)(c)",
    "vital_interests": "Vital interests — Art 6(1)(d)",
    "public_task": "Public task — Art 6(1)(e)",
    "legitimate_interests": "Legitimate interests — Art 6(1)(f)",
}
SPECIAL_CONDITIONS: dict[str, str] = {
    "explicit_consent": "Explicit consent — Art 9(2)(a)",
    "employment_social_security": "Employment, social security and social protection — Art 9(2)(b)",
    "vital_interests": "Vital interests — Art 9(2)(c)",
    "not_for_profit": "Not-for-profit bodies — Art 9(2)(d)",
    "made_public": "Made public by the data subject — Art 9(2)(e)",
    "legal_claims": "Legal claims and judicial acts — Art 9(2)(f)",
    "substantial_public_interest": "Substantial public interest — Art 9(2)(g)",
    "health_social_care": "Health and social care — Art 9(2)(h)",
    "public_health": "Public health — Art 9(2)(i)",
    "archiving_research_statistics": "Archiving, research and statistics — Art 9(2)(j)",
}
RIGHTS: dict[str, str] = {
    "informed": "To be informed",
    "access": "Access",
    "rectification": "Rectification",
    "erasure": "Erasure",
    "restriction": "Restriction of processing",
    "portability": "Data portability",
    "objection": "To object",
    "automated_decision_making": "About automated decisions",
    "withdraw_consent": "To withdraw consent",
    "complaint": "To complain to the ICO",
}
RECIPIENT_CATEGORIES: dict[str, str] = {
    "internal_services": "Other council services",
    "other_local_authorities": "Other local authorities",
    "central_government": "Central government",
    "hmrc": "HMRC",
    "benefits_agencies": "Benefits agencies",
    "nhs_health": "NHS and health",
    "police_law_enforcement": "Police and law enforcement",
    "courts_legal": "Courts and legal",
    "regulators_ombudsmen": "Regulators and ombudsmen",
    "auditors_fraud": "Auditors and fraud prevention",
    "schools_education": "Schools and education",
    "housing": "Housing",
    "care_providers": "Care providers",
    "voluntary_community": "Voluntary and community sector",
    "contractors_processors": "Contractors and processors",
    "elected_members": "Elected members",
    "family_carers": "Family and carers",
    "other": "Other",
}
CONTACT_ROLES: dict[str, str] = {
    "dpo": "Data Protection Officer",
    "controller": "Controller",
    "ico": "Information Commissioner's Office",
    "service": "The service",
}
CONTACT_KINDS: dict[str, str] = {
    "emails": "Email",
    "phones": "Phone",
    "postcodes": "Postcode",
    "urls": "Web",
    "ico_registrations": "ICO registration",
}
_KIND_OF: dict[str, str] = {
    "email": "emails", "phone": "phones", "postcode": "postcodes", "url": "urls",
    "ico_registration": "ico_registrations",
}


def humanise(key: object) -> str:
    """``snake_case`` as a sentence-case label."""
    s = str(key).replace("_", " ").strip()
    return s[:1].upper() + s[1:]


def label(table: Mapping[str, str], key: object) -> str:
    return table.get(str(key), humanise(key))


def score_text(value: float) -> str:
    """A score rounded to one decimal, without a trailing ``.0``."""
    return f"{round(float(value), 1):g}"


def duration_text(period: object) -> str:
    """An ISO 8601 period (``P6Y``, ``P18M``) in words; anything else as given."""
    m = _DURATION.match(str(period or ""))
    if not m or not any(m.groups()):
        return str(period or "")
    units = ("year", "month", "week", "day")
    return ", ".join(f"{int(n)} {u}{'' if int(n) == 1 else 's'}" for n, u in zip(m.groups(), units, strict=True) if n)


def when_text(stamp: str) -> str:
    """An ISO 8601 time as '1 May 2024, 12:00 UTC'; the stamp itself if it does not parse."""
    try:
        t = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    zone = "" if t.tzinfo is None else (" UTC" if not t.utcoffset() else t.strftime(" UTC%z"))
    return f"{t.day} {t:%B %Y, %H:%M}{zone}"


# --- view data -----------------------------------------------------------------------------------


@dataclass
class Quote:
    """A quote ready to show: its text, a link only when one is safe, and where it is in words."""

    text: str
    href: str | None
    where: str
    address: str
    detail: str


@dataclass
class ItemView:
    """One item's result with what its detail block needs (anchor, guidance link, quotes)."""

    item: ItemResult
    anchor: str
    guidance_href: str | None
    guidance_label: str
    quotes: list[Quote]
    covered_by_parent: bool = False

    @property
    def finding(self) -> str:
        """The message, unless it only repeats what was looked for (shown on its own line)."""
        message, looked_for = self.item.message, self.item.looked_for
        return "" if looked_for and self.item.status == "missing" and looked_for in message else message

    @property
    def has_detail(self) -> bool:
        """Met items show their evidence and gaps their fix; other statuses have no block to link to."""
        return self.item.status == "met" or self.item.status in GAPS

    @property
    def shown(self) -> list[Quote]:
        return self.quotes[:SHOWN_QUOTES]

    @property
    def more(self) -> list[Quote]:
        return self.quotes[SHOWN_QUOTES:]


@dataclass
class Value:
    """One extracted value; ``href`` only for http(s) URLs, ``tag`` a short label such as a period."""

    text: str
    href: str | None = None
    note: str = ""
    tag: str = ""
    prefix: str = ""


@dataclass
class Group:
    """Values under one heading (a recipient category, a contact role)."""

    label: str
    values: list[Value]


@dataclass
class Extracted:
    """One entry of a notice's extracted values: a flat list or groups of lists."""

    label: str
    values: list[Value] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    empty: str = "None found"
    note: str = ""


@dataclass
class NoticeView:
    """Everything the notice template shows, computed once so the template only lays it out."""

    notice: NoticeReport
    number: int
    anchor: str
    heading: str
    source_href: str | None
    counts: dict[str, int]
    items: list[ItemView]
    parts: list[Value]
    parent: dict[str, Any] | None
    extracted: list[Extracted]

    @property
    def gaps(self) -> list[ItemView]:
        return [i for i in self.items if i.item.status in GAPS]

    @property
    def evidenced(self) -> list[ItemView]:
        return [i for i in self.items if i.item.status == "met"]


def _quote(ev: Evidence, notice: NoticeReport, top: str | None) -> Quote:
    """A quote with where it is: heading path (without the page title every quote shares), page, line, part."""
    loc = ev.locator
    path = loc.heading_path
    if top and len(path) > 1 and path[0] == top:
        path = path[1:]
    details: list[str] = []
    parts = notice.parts
    if len(parts) > 1 and loc.source in parts:
        details.append(f"part {parts.index(loc.source) + 1} of {len(parts)}")
    page = _PAGE.match(loc.fragment or "")
    if page:
        details.append(f"page {page.group(1)}")
    if loc.line is not None:
        end = loc.end_line if loc.end_line not in (None, loc.line) else None
        details.append(f"lines {loc.line}–{end}" if end else f"line {loc.line}")
    shown = loc.source not in (notice.source, *parts)
    return Quote(
        text=" ".join(ev.quote.split()),
        href=evidence_href(ev),
        where=" › ".join(path),
        address=loc.source if shown or not path else "",
        detail=" · ".join(details),
    )


def _guidance(item: ItemResult) -> tuple[str | None, str]:
    href = safe_href(item.link)
    if href is None:
        return None, ""
    host = (urlsplit(href).hostname or "").lower()
    who = "ICO guidance" if host == "ico.org.uk" or host.endswith(".ico.org.uk") else "Guidance"
    return href, f"{who}: {item.title or item.id}"


def _item(item: ItemResult, anchor: str, notice: NoticeReport, covers: set[str], top: str | None) -> ItemView:
    href, guidance_label = _guidance(item)
    return ItemView(
        item=item,
        anchor=anchor,
        guidance_href=href,
        guidance_label=guidance_label,
        quotes=[_quote(ev, notice, top) for ev in item.evidence],
        covered_by_parent=item.id in covers and item.status != "met",
    )


def _counts(notice: NoticeReport) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for item in notice.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts



def _plain(value: Any) -> str:
    """Any extracted value as one line of text (escaped later by the template)."""
    if isinstance(value, Mapping):
        return "; ".join(f"{humanise(k)}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [], ()))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_plain(v) for v in value)
    return " ".join(str(value).split())


def _statute(s: Any) -> Value:
    if not isinstance(s, Mapping):
        return Value(_plain(s))
    name = " ".join(str(s[k]) for k in ("title", "year") if s.get(k) not in (None, ""))
    out = name or _plain(s.get("text") or "Statute")
    if s.get("section") not in (None, ""):
        out += ", " + _provision(str(s.get("title") or ""), str(s["section"]))
    return Value(out)


def _provision(title: str, section: str) -> str:
    """'s. 83' of an Act, 'Art. 6' of the GDPR, 'reg. 4' of Regulations; 'Part 2 of Schedule 1' as it is."""
    if not section[:1].isdigit():
        return section
    if "GDPR" in title or title.rstrip().endswith("Regulation"):
        return f"Art. {section}"
    if title.rstrip().endswith("Regulations"):
        return f"reg. {section}"
    return f"s. {section}"


def _recipients(value: Any) -> Extracted:
    groups: dict[str, list[Value]] = {}
    for r in as_list(value):
        if isinstance(r, Mapping):
            groups.setdefault(str(r.get("category") or "other"), []).append(Value(_plain(r.get("text", ""))))
        else:
            groups.setdefault("other", []).append(Value(_plain(r)))
    order = [c for c in RECIPIENT_CATEGORIES if c in groups] + sorted(set(groups) - set(RECIPIENT_CATEGORIES))
    return Extracted("Recipients, by category",
                     groups=[Group(label(RECIPIENT_CATEGORIES, c), groups[c]) for c in order])


def _contact_value(kind: str, value: Any) -> Value:
    text = _plain(value)
    return Value(text, safe_href(text) if kind == "urls" else None, prefix=CONTACT_KINDS.get(kind, humanise(kind)))


def _contacts(value: Any) -> Extracted:
    out = Extracted("Contacts, by role")
    if not isinstance(value, Mapping):
        out.values = [Value(_plain(v)) for v in as_list(value)]
        return out
    groups: dict[str, list[Value]] = {}
    placed: set[tuple[str, str]] = set()
    for r in as_list(value.get("roles")):
        if not isinstance(r, Mapping):
            continue
        kind = _KIND_OF.get(str(r.get("kind")), str(r.get("kind")))
        groups.setdefault(str(r.get("role") or "other"), []).append(_contact_value(kind, r.get("value")))
        placed.add((kind, str(r.get("value"))))
    for kind, values in value.items():
        if kind == "roles":
            continue
        for v in as_list(values):
            if (kind, str(v)) not in placed:
                groups.setdefault("unassigned", []).append(_contact_value(kind, v))
    order = [r for r in CONTACT_ROLES if r in groups] + sorted(set(groups) - set(CONTACT_ROLES) - {"unassigned"})
    out.groups = [Group(label(CONTACT_ROLES, r), groups[r]) for r in order]
    if "unassigned" in groups:
        out.groups.append(Group("Role not identified", groups["unassigned"]))
    return out


def _retention(value: Any) -> Extracted:
    values = []
    for r in as_list(value):
        if not isinstance(r, Mapping):
            values.append(Value(_plain(r)))
            continue
        notes = [f"refers to the {_plain(s)}" for s in as_list(r.get("schedules"))]
        if r.get("event"):
            notes.append(f"counted from {_plain(r['event'])}")
        tag = duration_text(r["period"]) if r.get("period") else ""
        values.append(Value(_plain(r.get("text", "")), note="; ".join(notes), tag=tag))
    return Extracted("Retention", values=values)


def _extracted(extracted: Mapping[str, Any] | None) -> list[Extracted]:
    ex = dict(extracted or {})
    out: list[Extracted] = []
    if "controller" in ex:
        out.append(Extracted("Controller", [Value(_plain(v)) for v in as_list(ex.pop("controller"))]))
    if "lawful_bases" in ex:
        out.append(Extracted("Lawful bases (Article 6)",
                             [Value(label(LAWFUL_BASES, v)) for v in as_list(ex.pop("lawful_bases"))]))
    if "special_category_conditions" in ex:
        out.append(Extracted("Special category conditions (Article 9)",
                             [Value(label(SPECIAL_CONDITIONS, v))
                              for v in as_list(ex.pop("special_category_conditions"))]))
    if "criminal_offence_data" in ex:
        flag = ex.pop("criminal_offence_data")
        text = "Mentioned" if flag is True else "Not mentioned" if flag is False else _plain(flag)
        out.append(Extracted("Criminal offence data (Article 10)", [Value(text)]))
    if "statutes" in ex:
        out.append(Extracted("Statutes cited", [_statute(s) for s in as_list(ex.pop("statutes"))]))
    if "rights" in ex:
        found = [str(v) for v in as_list(ex.pop("rights"))]
        absent = [RIGHTS[r] for r in RIGHTS if r not in found]
        out.append(Extracted("Rights named", [Value(label(RIGHTS, v)) for v in found],
                             note=("Not named: " + ", ".join(absent)) if absent else ""))
    if "recipients" in ex:
        out.append(_recipients(ex.pop("recipients")))
    if "contacts" in ex:
        out.append(_contacts(ex.pop("contacts")))
    if "retention" in ex:
        out.append(_retention(ex.pop("retention")))
    for key in sorted(ex):
        out.append(Extracted(humanise(key), [Value(_plain(v)) for v in as_list(ex[key])]))
    return out


def _parent(notice: NoticeReport, anchors: Mapping[str, str], titles: Mapping[str, str]) -> dict[str, Any] | None:
    parent = notice.parent
    if parent is None:
        return None
    return {
        "source": parent.source,
        "href": page_href(parent.source),
        "anchor": anchors.get(parent.source),
        "score": score_text(parent.score),
        "covers": [titles.get(c, humanise(c)) for c in parent.covers],
    }


def _notice(number: int, notice: NoticeReport, anchors: Mapping[str, str]) -> NoticeView:
    anchor = f"n{number}"
    covers = set(notice.parent.covers) if notice.parent is not None else set()
    top = page_heading(notice)
    items = [_item(i, f"{anchor}-i{j}", notice, covers, top) for j, i in enumerate(notice.items, 1)]
    titles = {i.id: i.title or i.id for i in notice.items}
    return NoticeView(
        notice=notice,
        number=number,
        anchor=anchor,
        heading=" ".join(notice.title.split()) or " ".join(notice.source.split()) or f"Notice {number}",
        source_href=page_href(notice.source),
        counts=_counts(notice),
        items=items,
        parts=[Value(p, page_href(p)) for p in notice.parts],
        parent=_parent(notice, anchors, titles),
        extracted=_extracted(notice.extracted),
    )


def _common_gaps(report: AuditReport) -> list[dict[str, Any]]:
    """Items that notices most often fail to meet: a board's first question across many notices."""
    rows: dict[str, dict[str, Any]] = {}
    for notice in report.notices:
        for item in notice.items:
            row = rows.setdefault(item.id, {"id": item.id, "title": item.title or item.id,
                                           **dict.fromkeys(STATUS_LABELS, 0)})
            row[item.status] = row.get(item.status, 0) + 1
    out = [r for r in rows.values() if r["missing"] + r["failed"] + r["partial"]]
    return sorted(out, key=lambda r: (-(r["missing"] + r["failed"]), -r["partial"]))


# --- rendering -----------------------------------------------------------------------------------


@cache
def environment() -> Environment:
    """The Jinja2 environment of every HTML page (audit and comparison): autoescape always on,
    undefined names are errors, one set of filters so that both pages word things the same way."""
    env = Environment(
        loader=PackageLoader("notice_audit.formats", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["score"] = score_text
    env.filters["gate_note"] = gate_note
    env.filters["plural"] = plural
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(s) or humanise(s)
    env.filters["status_key"] = lambda s: s if s in STATUS_LABELS else "not_applicable"
    return env


@cache
def asset(name: str) -> str:
    """A static file of ``templates/`` (CSS, the comparison's script) with its newlines normalised, so
    that its hash, and so the page's policy, does not depend on how the package was checked out."""
    loader = environment().loader
    assert loader is not None  # the environment is built with a package loader
    source, _, _ = loader.get_source(environment(), name)
    return source.replace("\r\n", "\n").replace("\r", "\n")


def csp_source(text: str) -> str:
    """The CSP source (``'sha256-...'``) that allows exactly this inline style or script."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


@cache
def stylesheet(*extra: str) -> tuple[Markup, str]:
    """The CSS of a page and the CSP source that allows exactly it (``'sha256-...'``).

    ``report.css`` is the design every HTML page shares (type, header band, cards, tables, status
    badges, print); a page that needs more names its own sheets in ``extra``, which build on it.
    """
    css = "".join(asset(name) for name in ("report.css", *extra))
    return Markup(css), csp_source(css)


def content_security_policy(style: str | None = None, script: str | None = None) -> str:
    """No requests, no frames or forms; only the page's own stylesheet (``style``, by default the
    report's), data: images, and a script only when its hash is given."""
    style = style or stylesheet()[1]
    scripts = f"script-src {script}; " if script else ""
    return (
        f"default-src 'none'; style-src {style}; {scripts}img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def render(report: AuditReport) -> str:
    """The whole report as one self-contained HTML page."""
    anchors = {n.source: f"n{k}" for k, n in enumerate(report.notices, 1)}
    notices = [_notice(k, n, anchors) for k, n in enumerate(report.notices, 1)]
    css, _ = stylesheet()
    return environment().get_template("report.html.j2").render(
        report=report,
        summary=report.summary,
        notices=notices,
        common_gaps=_common_gaps(report) if len(report.notices) > 1 else [],
        generated=when_text(report.generated_at),
        fail_under=score_text(report.fail_under) if report.fail_under is not None else None,
        error_hrefs=[safe_href(e.target) for e in report.errors],
        css=css,
        csp=content_security_policy(),
    )


def render_to(report: AuditReport, path: Path) -> str:
    """The report as written to ``path``: local files it names are linked relative to that folder."""
    token = _WRITTEN_AT.set(path)
    try:
        return render(report)
    finally:
        _WRITTEN_AT.reset(token)


FORMAT = Format("html", ("html", "htm"), render, render_to=render_to)
