"""The whole data model of notice-audit in one place.

Stages exchange these frozen dataclasses only, so the pipeline can be read
from this file: ``Page`` (fetch) -> ``Document`` (parse) -> ``Finding``
(extract) -> ``ItemResult`` (evaluate) -> ``NoticeReport`` / ``AuditReport``
(score and format).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

BlockKind = Literal["paragraph", "list_item", "table_cell"]
FindingKind = Literal["statement", "negation", "pointer"]
#: Whether an audited target reads as a privacy notice at all (``screen.py`` decides, with reasons).
NoticeStatus = Literal["notice", "not_a_notice"]
NOTICE_STATUSES: tuple[NoticeStatus, ...] = ("notice", "not_a_notice")
#: How a reason that a target is not a notice starts, in ``NoticeReport.warnings``.
NOT_A_NOTICE = "not a notice: "
Status = Literal["met", "partial", "missing", "failed", "not_applicable"]
STATUSES: tuple[Status, ...] = ("met", "partial", "missing", "failed", "not_applicable")


def content_hash(data: bytes) -> str:
    """The content hash used everywhere a page's bytes are identified."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a piece of text sits, precise enough for a person to find it again.

    ``source`` is the URL or path as given; ``heading_path`` the headings above
    the text; ``line``/``end_line`` (1-based) for text-like sources;
    ``selector`` a CSS path and ``fragment`` the nearest element id for HTML;
    ``block`` the text's place (1-based) among the blocks under its heading,
    so a person can count to it ("under 'Your rights', paragraph 2").
    """

    source: str
    heading_path: tuple[str, ...] = ()
    line: int | None = None
    end_line: int | None = None
    selector: str | None = None
    fragment: str | None = None
    block: int | None = None

    @property
    def address(self) -> str:
        """Source plus fragment or line: the part a browser or editor can open."""
        out = self.source
        if self.fragment:
            out += "#" + self.fragment
        if self.line is not None:
            out += f":{self.line}"
            if self.end_line is not None and self.end_line != self.line:
                out += f"-{self.end_line}"
        return out

    @classmethod
    def parse(cls, text: str) -> Locator:
        """Read back a locator's string form (``str(locator)``), as saved in a JSON report."""
        address, _, path = text.partition(" § ")
        selector = None
        if path.endswith("]") and " [" in path:
            path, _, selector = path[:-1].rpartition(" [")
        elif not path and address.endswith("]") and " [" in address:
            address, _, selector = address[:-1].rpartition(" [")
        block = None
        if m := re.search(r"(?:^| )¶(\d+)$", path):
            block, path = int(m.group(1)), path[: m.start()]
        elif m := re.search(r" ¶(\d+)$", address):
            block, address = int(m.group(1)), address[: m.start()]
        line = end_line = None
        m = re.search(r":(\d+)(?:-(\d+))?$", address)
        if m and not re.search(r"://[^/]*:\d+$", address):
            line = int(m.group(1))
            end_line = int(m.group(2)) if m.group(2) else None
            address = address[: m.start()]
        source, _, fragment = address.partition("#")
        heading_path = tuple(path.split(" > ")) if path else ()
        return cls(source, heading_path, line, end_line, selector, fragment or None, block)

    def __str__(self) -> str:
        out = self.address
        if self.heading_path:
            out += " § " + " > ".join(self.heading_path)
        if self.block is not None:
            out += f" ¶{self.block}"
        if self.selector and self.line is None:
            out += f" [{self.selector}]"
        return out


@dataclass(frozen=True, slots=True)
class Page:
    """Raw bytes of one target as read from disk or the network."""

    source: str
    url: str
    content: bytes
    media_type: str
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: str = ""
    encoding: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, list item or table cell of notice text.

    ``link_words``: how many of its words are the text of links (formats with links only), so that a
    page made of links can be told from one with prose of its own.
    """

    kind: BlockKind
    text: str
    locator: Locator
    link_words: int = 0


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks under it (before the next heading of any level).

    ``level`` is 0 for text before the first heading; ``path`` holds the
    heading texts from the top of the document down to this heading.
    """

    heading: str
    level: int
    path: tuple[str, ...]
    blocks: tuple[Block, ...]
    locator: Locator


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed notice: sections in reading order, furniture already removed.

    ``removed`` keeps the furniture texts that were dropped, so that a reader
    can check nothing of the notice itself was lost. ``warnings`` say what a
    reader of the report should doubt (e.g. a file of unknown format read as
    plain text).
    """

    source: str
    title: str
    media_type: str
    sections: tuple[Section, ...]
    content_hash: str = ""
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        """Every block with its section, in reading order."""
        for section in self.sections:
            for block in section.blocks:
                yield section, block

    @property
    def text(self) -> str:
        """Headings and blocks as plain text, one per line."""
        lines: list[str] = []
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            lines.extend(block.text for block in section.blocks)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A verbatim quote and where it came from: what makes a verdict checkable."""

    quote: str
    locator: Locator

    def to_json(self) -> dict[str, str]:
        return {"quote": self.quote, "locator": str(self.locator)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing an extractor found, with the evidence for it.

    ``element`` names what was found (``recipients``, ``lawful_basis``,
    ``contact`` ...); ``value`` is its normalised value where the element has
    a vocabulary; ``kind`` says whether the text states it, states its absence
    ("we do not transfer ...") or points elsewhere ("see our corporate
    notice"); ``attributes`` carry element-specific details (a recipient's
    category, a statute's year, a contact's role).
    """

    element: str
    evidence: Evidence
    value: str | None = None
    kind: FindingKind = "statement"
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Findings:
    """All findings for one document, looked up by element."""

    items: tuple[Finding, ...] = ()

    def of(self, element: str, *, kinds: tuple[FindingKind, ...] | None = None) -> tuple[Finding, ...]:
        return tuple(
            f for f in self.items if f.element == element and (kinds is None or f.kind in kinds)
        )

    def values(self, element: str) -> list[str]:
        """Distinct normalised values of an element, in order of first appearance."""
        seen: dict[str, None] = {}
        for f in self.items:
            if f.element == element and f.value is not None and f.kind != "pointer":
                seen.setdefault(f.value, None)
        return list(seen)


#: A gap's state against the run's baseline.
BaselineState = Literal["known", "new"]


@dataclass(frozen=True, slots=True)
class WaiverState:
    """The waiver that accepted a gap, as the gate applied it on the day it judged (``expired`` after
    ``expires``, an ISO date)."""

    item: str
    target: str
    reason: str
    owner: str
    expires: str
    expired: bool

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "target": self.target, "reason": self.reason, "owner": self.owner,
                "expires": self.expires, "expired": self.expired}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WaiverState:
        return cls(data["item"], data["target"], data["reason"], data["owner"], data["expires"], data["expired"])


@dataclass(frozen=True, slots=True)
class Failure:
    """One reason a notice failed its gate: an item (a gap of a gating severity, an expired waiver), or
    ``item`` None for the notice as a whole (a score under the threshold)."""

    item: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Failure:
        return cls(data.get("item"), data["reason"])


@dataclass(frozen=True, slots=True)
class ParentCoverage:
    """A layered notice's parent notice: its source, its score, and the items it meets that the layered
    notice misses or only points to."""

    source: str
    score: float
    covers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "score": self.score, "covers": list(self.covers)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ParentCoverage:
        return cls(data["source"], data["score"], tuple(data.get("covers", ())))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Another checklist the notice should be audited against, why, and quotes (with their locators as
    text) that show it."""

    checklist: str
    reason: str
    evidence: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"checklist": self.checklist, "reason": self.reason,
                "evidence": [{"quote": quote, "locator": locator} for quote, locator in self.evidence]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Suggestion:
        evidence = tuple((e["quote"], e["locator"]) for e in data.get("evidence", ()))
        return cls(data["checklist"], data["reason"], evidence)


@dataclass(frozen=True, slots=True)
class WaiverUse:
    """A waiver of the run's policy and what became of it: ``active`` (it accepted a gap), ``expired``
    or ``unused`` (nothing matched it: remove it)."""

    item: str
    target: str
    reason: str
    owner: str
    expires: str
    status: str

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "target": self.target, "reason": self.reason, "owner": self.owner,
                "expires": self.expires, "status": self.status}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WaiverUse:
        return cls(data["item"], data["target"], data["reason"], data["owner"], data["expires"], data["status"])


@dataclass(frozen=True, slots=True)
class BaselineUse:
    """The baseline a run was gated against: its file, the run's new and known gaps, and the gaps it
    recorded that are gaps no longer (``fixed``: (target, item) pairs)."""

    file: str
    new: int
    known: int
    fixed: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "new": self.new, "known": self.known,
                "fixed": [{"target": target, "item": item} for target, item in self.fixed]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BaselineUse:
        fixed = tuple((f["target"], f["item"]) for f in data.get("fixed", ()))
        return cls(data["file"], data.get("new", 0), data.get("known", 0), fixed)


@dataclass(frozen=True, slots=True)
class GateSummary:
    """How a run's gate was set and what it found beyond single notices."""

    fail_under: float | None
    fail_on: tuple[str, ...]
    waivers: tuple[WaiverUse, ...] = ()
    baseline: BaselineUse | None = None
    #: Whether a target that is not a notice fails the gate (``--fail-on-non-notice``).
    fail_on_non_notice: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fail_under": self.fail_under, "fail_on": list(self.fail_on)}
        if self.fail_on_non_notice:
            out["fail_on_non_notice"] = True
        if self.waivers:
            out["waivers"] = [w.to_json() for w in self.waivers]
        if self.baseline is not None:
            out["baseline"] = self.baseline.to_json()
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GateSummary:
        baseline = data.get("baseline")
        return cls(data.get("fail_under"), tuple(data.get("fail_on", ())),
                   tuple(WaiverUse.from_json(w) for w in data.get("waivers", ())),
                   BaselineUse.from_json(baseline) if baseline else None,
                   bool(data.get("fail_on_non_notice", False)))


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The verdict on one checklist item for one notice."""

    id: str
    title: str
    status: Status
    severity: str
    weight: float
    message: str
    evidence: tuple[Evidence, ...] = ()
    reference: str = ""
    guidance: str = ""
    link: str = ""
    looked_for: str = ""
    #: The waiver that accepts this gap. A waived item keeps its status and is shown as waived; it fails
    #: no gate unless the waiver has expired.
    waiver: WaiverState | None = None
    #: With a baseline: "known" (the same gap was recorded in it) or "new".
    baseline: BaselineState | None = None

    @property
    def is_gap(self) -> bool:
        """Missing or failed: what a gate, a waiver or a baseline is about."""
        return self.status in ("missing", "failed")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "severity": self.severity,
            "weight": self.weight,
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
            "reference": self.reference,
            "guidance": self.guidance,
            "link": self.link,
            "looked_for": self.looked_for,
        }
        if self.waiver is not None:
            out["waiver"] = self.waiver.to_json()
        if self.baseline is not None:
            out["baseline"] = self.baseline
        return out


@dataclass(frozen=True, slots=True)
class NoticeReport:
    """One audited notice: its score, gate verdict, item results and values."""

    source: str
    title: str
    score: float
    passed: bool
    items: tuple[ItemResult, ...]
    extracted: Mapping[str, Any]
    content_hash: str = ""
    media_type: str = ""
    #: The URLs of a multi-page notice's parts, in order (empty for a single page).
    parts: tuple[str, ...] = ()
    #: A layered notice's parent, and which items it covers.
    parent: ParentCoverage | None = None
    #: Other checklists this notice should be audited against (e.g. dpa2018-part3 for a notice that
    #: describes law-enforcement processing).
    suggestions: tuple[Suggestion, ...] = ()
    #: Why the notice failed its gate, one entry per reason. Empty when passed.
    failures: tuple[Failure, ...] = ()
    #: What the parse stage could not be sure of (from ``Document.warnings``), e.g. an unknown format read as text,
    #: and, for a target that is not a notice, why (each starting ``NOT_A_NOTICE``).
    warnings: tuple[str, ...] = ()
    #: "not_a_notice" when the target does not read as a privacy notice at all (an explainer of the law, a page
    #: of links, no text): its items are listed but it fails no gate unless the run asks (``--fail-on-non-notice``).
    status: NoticeStatus = "notice"

    def gate_items(self) -> frozenset[str]:
        """Ids of the items that failed this notice's gate."""
        return frozenset(f.item for f in self.failures if f.item)

    @property
    def is_notice(self) -> bool:
        return self.status == "notice"

    @property
    def status_reasons(self) -> tuple[str, ...]:
        """Why the target is not a notice, each without the ``NOT_A_NOTICE`` lead (empty for a notice; a
        general reason when a saved report gives none)."""
        if self.is_notice:
            return ()
        reasons = tuple(w[len(NOT_A_NOTICE):] for w in self.warnings if w.startswith(NOT_A_NOTICE))
        return reasons or ("it does not read as a privacy notice",)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "title": self.title,
            "status": self.status,
            "score": self.score,
            "passed": self.passed,
            "content_hash": self.content_hash,
            "media_type": self.media_type,
            "items": [i.to_json() for i in self.items],
            "extracted": dict(self.extracted),
        }
        if self.parts:
            out["parts"] = list(self.parts)
        if self.parent is not None:
            out["parent"] = self.parent.to_json()
        if self.suggestions:
            out["suggestions"] = [x.to_json() for x in self.suggestions]
        if self.failures:
            out["failures"] = [x.to_json() for x in self.failures]
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass(frozen=True, slots=True)
class TargetError:
    """A target that could not be read, fetched or parsed, and why."""

    target: str
    error: str

    def to_json(self) -> dict[str, str]:
        return {"target": self.target, "error": self.error}


@dataclass(frozen=True, slots=True)
class SkippedTarget:
    """A page not fetched because the site asks not to be (robots.txt), and why: honoured, so not an error."""

    target: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"target": self.target, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class AuditReport:
    """A whole run: every notice audited and every target that failed."""

    tool_version: str
    checklist_id: str
    checklist_version: str
    generated_at: str
    notices: tuple[NoticeReport, ...]
    errors: tuple[TargetError, ...] = ()
    fail_under: float | None = None
    #: How the gate was set and what it found beyond single notices. None for reports written before
    #: gates existed.
    gate: GateSummary | None = None
    #: Changes since the previous recorded run of each target (``audit --since-last``).
    since_last: Mapping[str, Any] | None = None
    #: Pages a crawl did not fetch because robots.txt disallows them: not errors, they fail no gate.
    skipped: tuple[SkippedTarget, ...] = ()

    @property
    def summary(self) -> dict[str, Any]:
        """Counts over every target audited: ``notices`` counts them all and ``passed``/``failed`` are their
        gate verdicts; ``not_notices`` (present only when there are any) says how many of them are not
        notices, and ``mean_score`` is the mean over the others, since a page that is not a notice has no
        meaningful score."""
        not_notices = sum(1 for n in self.notices if not n.is_notice)
        scores = [n.score for n in self.notices if n.is_notice]
        return {
            "notices": len(self.notices),
            **({"not_notices": not_notices} if not_notices else {}),
            "passed": sum(1 for n in self.notices if n.passed),
            "failed": sum(1 for n in self.notices if not n.passed),
            "errors": len(self.errors),
            **({"skipped": len(self.skipped)} if self.skipped else {}),
            "mean_score": round(sum(scores) / len(scores), 1) if scores else 0,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": {"name": "notice-audit", "version": self.tool_version},
            "checklist": {"id": self.checklist_id, "version": self.checklist_version},
            "generated_at": self.generated_at,
            "fail_under": self.fail_under,
            "notices": [n.to_json() for n in self.notices],
            "errors": [e.to_json() for e in self.errors],
            **({"skipped": [s.to_json() for s in self.skipped]} if self.skipped else {}),
            "summary": self.summary,
            **({"gate": self.gate.to_json()} if self.gate is not None else {}),
            **({"since_last": dict(self.since_last)} if self.since_last is not None else {}),
        }


def report_time() -> str:
    """Now, or the time ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention)
    fixes, so that a run can be repeated byte for byte. A value that is not a whole number is a ValueError."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).isoformat(timespec="seconds")
    if not epoch.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970")
    return datetime.fromtimestamp(int(epoch), UTC).isoformat(timespec="seconds")
