"""The gate: which notices fail a run, given thresholds, per-target overrides, waivers and a baseline.

An audit says what each notice contains; the gate says what a pipeline should do
about it. Kept apart from scoring so that the same report can be judged under
another policy (a baseline, a waiver) without re-auditing, and so that every
reason a notice failed is recorded in the report (``NoticeReport.failures``).

A target that is not a notice (``NoticeReport.status``, see ``screen.py``) is not judged as one: its
items gate nothing, so it ``passed`` (the run does not fail because of it) and the report says what it
is instead. With ``fail_on_non_notice`` (``--fail-on-non-notice``) it fails, with the screening's
reasons as its one failure: a pipeline that lists its notices can insist that each target is one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from notice_audit.errors import GateError as GateError  # re-exported: where it was always imported from
from notice_audit.fetch import is_url
from notice_audit.formats.output import write_text
from notice_audit.model import (
    NOT_A_NOTICE,
    AuditReport,
    BaselineState,
    BaselineUse,
    Failure,
    GateSummary,
    ItemResult,
    NoticeReport,
    WaiverState,
    WaiverUse,
)
from notice_audit.rules.checklist import Checklist, FactValue
from notice_audit.version import __version__

#: Severities from least to most serious; ``fail-on = "recommended"`` gates on it and everything above.
SEVERITIES: tuple[str, ...] = ("info", "recommended", "required")
BASELINE_FORMAT = 1
#: Severities whose missing or failed items fail the gate unless told otherwise.
DEFAULT_FAIL_ON: tuple[str, ...] = ("required",)


def fail_on_levels(value: str | Sequence[str], *, where: str = "fail-on") -> tuple[str, ...]:
    """Gating severities from a threshold ("recommended": it and above), a list, or "none"."""
    if isinstance(value, str):
        name = value.strip().lower()
        if name == "none":
            return ()
        if "," in name:
            return fail_on_levels([v for v in name.split(",") if v.strip()], where=where)
        if name not in SEVERITIES:
            raise GateError(f"{where}: unknown severity '{value}' (known: {', '.join(SEVERITIES)}, none)")
        return SEVERITIES[SEVERITIES.index(name):]
    levels = tuple(v.strip().lower() for v in value)
    for level in levels:
        if level not in SEVERITIES:
            raise GateError(f"{where}: unknown severity '{level}' (known: {', '.join(SEVERITIES)})")
    return tuple(s for s in SEVERITIES if s in levels)


def normalise_target(source: str) -> str:
    """A target as patterns and fingerprints see it: URLs as they are, paths in posix form without './'."""
    if is_url(source):
        return source
    return posixpath.normpath(source.replace(os.sep, "/"))


def target_matches(pattern: str, source: str) -> bool:
    """Glob match (``*`` crosses folders) against the target as given, normalised."""
    return fnmatchcase(normalise_target(source), pattern) or fnmatchcase(source, pattern)


@dataclass(frozen=True, slots=True)
class Waiver:
    """An accepted known gap: one item (or ``*``) for the targets a glob matches, until a date."""

    item: str
    target: str
    reason: str
    owner: str
    expires: date
    #: Where it was declared (file and index), for messages.
    origin: str = ""

    def matches(self, source: str, item_id: str) -> bool:
        return self.item in (item_id, "*") and target_matches(self.target, source)

    def expired(self, today: date) -> bool:
        """A waiver holds through its expiry date and lapses the day after."""
        return today > self.expires

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "target": self.target, "reason": self.reason, "owner": self.owner,
                "expires": self.expires.isoformat()}


@dataclass(frozen=True, slots=True)
class Override:
    """Settings for the targets a glob matches; later overrides win over earlier ones."""

    target: str
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    fail_under: float | None = None
    fail_on: tuple[str, ...] | None = None


def fingerprint(target: str, item: str, checklist_id: str, checklist_version: str) -> str:
    """What identifies a gap across runs: the target, the item and the checklist (id and version)."""
    key = "\n".join((normalise_target(target), item, checklist_id, checklist_version))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Baseline:
    """The gaps recorded on one day, so that a pipeline fails only on new ones."""

    file: str
    checklist_id: str
    checklist_version: str
    gaps: Mapping[str, Mapping[str, Any]]  # fingerprint -> {"target", "item", "status", "severity"}
    scores: Mapping[str, float]  # normalised target -> score

    def knows(self, source: str, item: str) -> bool:
        return fingerprint(source, item, self.checklist_id, self.checklist_version) in self.gaps


def baseline_json(report: AuditReport) -> dict[str, Any]:
    """Today's gaps (every severity, so that a later, stricter fail-on still finds them known). A target that
    is not a notice has no gaps to record: should it become one, its gaps are new."""
    gaps = [
        {"fingerprint": fingerprint(n.source, i.id, report.checklist_id, report.checklist_version),
         "target": normalise_target(n.source), "item": i.id, "status": i.status, "severity": i.severity}
        for n in report.notices if n.is_notice for i in n.items if i.is_gap
    ]
    return {
        "notice_audit_baseline": BASELINE_FORMAT,
        "tool_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "checklist": {"id": report.checklist_id, "version": report.checklist_version},
        "scores": {normalise_target(n.source): n.score for n in report.notices if n.is_notice},
        "gaps": gaps,
    }


def write_baseline(path: Path, report: AuditReport) -> None:
    write_text(path, json.dumps(baseline_json(report), indent=2, ensure_ascii=False) + "\n")


def load_baseline(path: Path, checklist: Checklist) -> Baseline:
    """Read a baseline; refuse one written for another checklist or checklist version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError(f"{path}: no such baseline (write one with --write-baseline {path})") from None
    except OSError as exc:
        raise GateError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GateError(f"{path}: not a notice-audit baseline (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("notice_audit_baseline") != BASELINE_FORMAT:
        raise GateError(f"{path}: not a notice-audit baseline (no 'notice_audit_baseline': {BASELINE_FORMAT})")
    try:
        cid, cversion = str(data["checklist"]["id"]), str(data["checklist"]["version"])
        gaps = {str(g["fingerprint"]): {k: g[k] for k in ("target", "item", "status", "severity")}
                for g in data["gaps"]}
        scores = {str(k): float(v) for k, v in data.get("scores", {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GateError(f"{path}: malformed baseline ({type(exc).__name__}: {exc})") from None
    if (cid, cversion) != (checklist.id, checklist.version):
        raise GateError(
            f"{path}: baseline was written for checklist {cid} {cversion}, this run uses {checklist.id} "
            f"{checklist.version}; write a new one with --write-baseline"
        )
    return Baseline(str(path), cid, cversion, gaps, scores)


@dataclass(frozen=True, slots=True)
class GatePolicy:
    """Everything that decides whether a notice fails, beyond its own results."""

    fail_under: float | None = None
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    overrides: tuple[Override, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    baseline: Baseline | None = None
    #: The day waivers are judged on (default today).
    today: date | None = None
    #: Whether a target that is not a notice fails (by default it is reported as such and fails nothing).
    fail_on_non_notice: bool = False

    def settings_for(self, source: str) -> tuple[float | None, tuple[str, ...]]:
        """The threshold and gating severities for one target, overrides applied in order."""
        fail_under, fail_on = self.fail_under, self.fail_on
        for override in self.overrides:
            if target_matches(override.target, source):
                fail_under = override.fail_under if override.fail_under is not None else fail_under
                fail_on = override.fail_on if override.fail_on is not None else fail_on
        return fail_under, fail_on


def override_facts(overrides: Sequence[Override], source: str, facts: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """A notice's facts: ``facts``, then those of every override whose pattern matches it, in order."""
    out = dict(facts)
    for override in overrides:
        if target_matches(override.target, source):
            out.update(override.facts)
    return out


class Judge:
    """Judges notices one at a time under a policy, keeping only what the run's gate summary needs,
    so that a streamed run of any size can be gated in constant memory."""

    def __init__(self, policy: GatePolicy) -> None:
        self.policy = policy
        self.today = policy.today or date.today()
        self.used: set[int] = set()
        self.counts = {"new": 0, "known": 0}
        self.gaps: dict[str, frozenset[str]] = {}  # normalised target -> ids of its gaps now

    def notice(self, notice: NoticeReport) -> NoticeReport:
        """The notice with its gaps marked (waived, known or new) and every reason it fails recorded."""
        if not notice.is_notice:
            return self._not_a_notice(notice)
        policy = self.policy
        fail_under, fail_on = policy.settings_for(notice.source)
        self.gaps[normalise_target(notice.source)] = frozenset(i.id for i in notice.items if i.is_gap)
        failures: list[Failure] = []
        items: list[ItemResult] = []
        for item in notice.items:
            if not item.is_gap:
                items.append(dataclasses.replace(item, waiver=None, baseline=None))
                continue
            known: BaselineState | None = None
            if policy.baseline is not None:
                known = "known" if policy.baseline.knows(notice.source, item.id) else "new"
                self.counts[known] += 1
            waived = None
            index = next((k for k, w in enumerate(policy.waivers) if w.matches(notice.source, item.id)), None)
            if index is not None:
                waiver = policy.waivers[index]
                self.used.add(index)
                waived = WaiverState(waiver.item, waiver.target, waiver.reason, waiver.owner,
                                     waiver.expires.isoformat(), waiver.expired(self.today))
                if waived.expired:
                    failures.append(Failure(item.id, f"{item.status} ({item.severity}); its waiver expired on "
                                                     f"{waiver.expires.isoformat()} (owner: {waiver.owner})"))
            elif item.severity in fail_on and known != "known":
                failures.append(Failure(item.id, f"{item.status} ({item.severity})"))
            items.append(dataclasses.replace(item, waiver=waived, baseline=known))
        if fail_under is not None and notice.score < fail_under:
            before = policy.baseline.scores.get(normalise_target(notice.source)) if policy.baseline else None
            if before is None or notice.score < before:
                was = f" (baseline {before:g})" if before is not None else ""
                failures.append(Failure(None, f"score {notice.score:g} is under {fail_under:g}{was}"))
        return dataclasses.replace(notice, items=tuple(items), failures=tuple(failures), passed=not failures)

    def _not_a_notice(self, notice: NoticeReport) -> NoticeReport:
        """A target that is not a notice: its items unmarked (no waiver, baseline or gap of it counts), and
        one failure, the reasons it is not a notice, when the policy fails such targets."""
        items = tuple(dataclasses.replace(i, waiver=None, baseline=None) for i in notice.items)
        failures: tuple[Failure, ...] = ()
        if self.policy.fail_on_non_notice:
            failures = (Failure(None, NOT_A_NOTICE + "; ".join(notice.status_reasons)),)
        return dataclasses.replace(notice, items=items, failures=failures, passed=not failures)

    def gate(self) -> GateSummary:
        """How the gate was set and what it found across the notices judged so far."""
        policy = self.policy
        waivers = []
        for index, waiver in enumerate(policy.waivers):
            status = "expired" if waiver.expired(self.today) else "active" if index in self.used else "unused"
            waivers.append(WaiverUse(waiver.item, waiver.target, waiver.reason, waiver.owner,
                                     waiver.expires.isoformat(), status))
        baseline = None
        if policy.baseline is not None:
            fixed = tuple((f["target"], f["item"]) for f in _fixed(policy.baseline, self.gaps))
            baseline = BaselineUse(policy.baseline.file, self.counts["new"], self.counts["known"], fixed)
        return GateSummary(policy.fail_under, tuple(policy.fail_on), tuple(waivers), baseline,
                           policy.fail_on_non_notice)


def judge(notice: NoticeReport, policy: GatePolicy) -> NoticeReport:
    """One notice judged alone under ``policy`` (a run judges all its notices with one ``Judge``)."""
    return Judge(policy).notice(notice)


def apply_gate(report: AuditReport, policy: GatePolicy) -> AuditReport:
    """Judge every notice under ``policy``: mark waived and baseline-known gaps, record each failure."""
    judge = Judge(policy)
    notices = tuple(judge.notice(n) for n in report.notices)
    return dataclasses.replace(report, notices=notices, gate=judge.gate(), fail_under=policy.fail_under)


def _fixed(baseline: Baseline, gaps: Mapping[str, frozenset[str]]) -> list[dict[str, str]]:
    """Baseline gaps of targets audited in this run that are gaps no longer."""
    fixed = [{"target": g["target"], "item": g["item"]} for g in baseline.gaps.values()
             if g["target"] in gaps and g["item"] not in gaps[g["target"]]]
    return sorted(fixed, key=lambda g: (g["target"], g["item"]))
