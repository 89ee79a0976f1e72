"""GitHub Actions output: workflow-command annotations and a job summary.

Annotations put each gap on the line of the notice file it concerns, in the pull
request's diff: ``error`` for what failed the gate, ``warning`` for other gaps,
``notice`` for waived ones (partial items are left to the reports, as GitHub
shows only a few annotations of each kind per step). A target that does not read as a privacy
notice gets one ``warning`` saying why (an ``error`` when the run fails such targets) in place of
its items' annotations. Pages have no file in the
repository, so their annotations carry the URL instead. Everything that came
from a notice is escaped as GitHub's workflow-command parser requires, so a
quote cannot end the command or start another one.

The summary is short Markdown for ``$GITHUB_STEP_SUMMARY``: the full report
belongs in the Markdown or HTML formats.
"""

from __future__ import annotations

from notice_audit.fetch import is_url
from notice_audit.formats.base import Format
from notice_audit.formats.common import needs_looked_for
from notice_audit.formats.mdtext import code, link, score, text
from notice_audit.formats.words import agree, plural
from notice_audit.gate import normalise_target
from notice_audit.model import AuditReport, ItemResult, NoticeReport


def escape_data(value: object) -> str:
    """A workflow command's message: '%', CR and LF are encoded."""
    return str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: object) -> str:
    """A workflow command's property value: as data, and ':' and ',' too (they delimit properties)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    """One workflow command line: ``::level key=value,...::message`` (properties in the order given)."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def annotation_lines(report: AuditReport) -> list[str]:
    """Workflow commands for every gate failure, other gap and waived gap, then every target error."""
    out: list[str] = []
    for notice in report.notices:
        if not notice.is_notice:
            out.append(_not_a_notice_command(notice))
            continue
        gate_items = notice.gate_items()
        for item in notice.items:
            if annotated(item, gate_items):
                failing = item.id in gate_items or _expired(item)
                out.append(_item_command("error" if failing else "notice" if item.waiver else "warning", notice, item))
        out += _gate_commands(notice)
    for error in report.errors:
        if is_url(error.target):
            where, title = {}, f"notice-audit: could not audit {error.target}"
        else:
            where, title = {"file": normalise_target(error.target)}, "notice-audit: could not audit"
        out.append(command("error", f"{error.target}: {error.error}", **where, title=title))
    return out


def annotated(item: ItemResult, gate_items: frozenset[str]) -> bool:
    """Whether an item gets an annotation: a gap, a gate failure or an expired waiver. A streamed run keeps
    the evidence and message of these items only (``run._slim``)."""
    return item.is_gap or item.id in gate_items or _expired(item)


def _expired(item: ItemResult) -> bool:
    return bool(item.waiver and item.waiver.expired)


def _item_command(level: str, notice: NoticeReport, item: ItemResult) -> str:
    name = item.title or item.id
    lines = [f"{name} ({item.id}) is {item.status.replace('_', ' ')} ({item.severity}) in {notice.source}"
             + (f" ({notice.title})" if notice.title else "") + "."]
    if item.message:
        lines.append(item.message)
    if needs_looked_for(item):
        lines.append(f"Looked for: {item.looked_for}")
    lines += [f"Evidence: “{' '.join(e.quote.split())}” at {e.locator}" for e in item.evidence]
    waiver = item.waiver
    if waiver:
        state = "Waiver expired on" if waiver.expired else "Waived until"
        lines.append(f"{state} {waiver.expires} by {waiver.owner}: {waiver.reason}")
    if item.baseline:
        lines.append("Known: recorded in the baseline." if item.baseline == "known" else "New since the baseline.")
    if item.guidance:
        lines.append(f"Guidance: {item.guidance}")
    title = f"notice-audit: {name} {item.status.replace('_', ' ')}"
    if is_url(notice.source):
        return command(level, "\n".join(lines), title=f"{title} at {notice.source}")
    first = next((e.locator for e in item.evidence if e.locator.line is not None), None)
    path = first.source if first is not None and first.source and not is_url(first.source) else notice.source
    line = first.line if first is not None and first.line is not None else 1
    end = first.end_line if first is not None and first.end_line and first.end_line > line else None
    return command(level, "\n".join(lines), file=normalise_target(path), line=line, endLine=end, title=title)


def _not_a_notice_command(notice: NoticeReport) -> str:
    """Why a target is not a notice, at the start of its file (or naming its page)."""
    lines = [f"{notice.source}" + (f" ({notice.title})" if notice.title else "") + " is not a privacy notice, so "
             "its items were not judged.", *(f"Not a notice: {r}." for r in notice.status_reasons)]
    if not notice.passed:
        lines.append("The run fails targets that are not notices.")
    level = "warning" if notice.passed else "error"
    if is_url(notice.source):
        return command(level, "\n".join(lines), title=f"notice-audit: not a notice at {notice.source}")
    return command(level, "\n".join(lines), file=normalise_target(notice.source), line=1,
                   title="notice-audit: not a notice")


def _gate_commands(notice: NoticeReport) -> list[str]:
    """The notice-wide gate failures: a score under the threshold, or a failure the report gives no reason for."""
    reasons = [f.reason for f in notice.failures if not f.item]
    if not reasons and not notice.passed and not notice.failures:
        reasons = ["failed its gate (this report was written before gates recorded why)"]
    where = {} if is_url(notice.source) else {"file": normalise_target(notice.source)}
    suffix = f" at {notice.source}" if is_url(notice.source) else ""
    return [command("error", f"{notice.source}: {reason}", **where, title=f"notice-audit: gate{suffix}")
            for reason in reasons]


def summary(report: AuditReport) -> str:
    """A concise Markdown summary: the verdict, one row per notice, waivers, baseline and target errors."""
    s = report.summary
    if not report.notices:
        headline = "⚠️ no notices audited"
    elif s["failed"]:
        headline = f"❌ {s['failed']} of {plural(s['notices'], 'notice')} failed the gate"
    else:
        every = "1 notice" if s["notices"] == 1 else f"all {s['notices']} notices"
        headline = f"✅ {every} passed the gate"
    not_notices = (f" · **{s['not_notices']}** {agree(s['not_notices'], 'not a notice', 'not notices')}"
                   if s.get("not_notices") else "")
    out = [
        f"## notice-audit: {headline}",
        "",
        f"**{s['notices']}** {agree(s['notices'], 'notice')}{not_notices} · **{s['passed']}** passed"
        f" · **{s['failed']}** failed"
        f" · mean score **{score(s['mean_score'])}** · **{s['errors']}** {agree(s['errors'], 'target error')}",
        "",
        _settings(report),
        "",
    ]
    if report.notices:
        out += ["| Notice | Score | Gate | Failures |", "|---|---:|:---:|---|"]
        for n in report.notices:
            out.append(f"| {link(n.source, n.source)} | {score(n.score)} | {_verdict(n)} | {_failures(n)} |")
        out.append("")
    gate = report.gate
    if gate is not None and gate.waivers:
        status = {"active": "✅ active", "expired": "⛔ expired", "unused": "➖ unused: remove it"}
        out += ["### Waivers", "", "| Item | Target | Expires | Status | Owner | Reason |", "|---|---|---|---|---|---|"]
        out += [f"| {code(w.item)} | {text(w.target)} | {text(w.expires)}"
                f" | {status.get(w.status, text(w.status))} | {text(w.owner)}"
                f" | {text(w.reason)} |" for w in gate.waivers]
        out.append("")
    baseline = gate.baseline if gate is not None else None
    if baseline:
        fixed = baseline.fixed
        out += ["### Baseline", "", f"{code(baseline.file)}: **{baseline.new}** {agree(baseline.new, 'new gap')}"
                f" · **{baseline.known}** known · **{len(fixed)}** fixed", ""]
        out += [f"- Fixed: {code(item)} in {link(target, target)}" for target, item in fixed]
        if fixed:
            out.append("")
    if report.errors:
        out += ["### Targets that could not be audited", "", "| Target | Error |", "|---|---|"]
        out += [f"| {text(e.target)} | {text(e.error)} |" for e in report.errors]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _settings(report: AuditReport) -> str:
    gate = report.gate
    parts = [f"Checklist {code(report.checklist_id)} {text(report.checklist_version)}"]
    if gate is not None:
        parts.append(f"fails on {', '.join(code(x) for x in gate.fail_on) or 'no severity'}")
    fail_under = gate.fail_under if gate is not None else report.fail_under
    if fail_under is not None:
        parts.append(f"score under {score(fail_under)} fails")
    return " · ".join(parts)


def _verdict(notice: NoticeReport) -> str:
    verdict = "✅ passed" if notice.passed else "❌ failed"
    return verdict if notice.is_notice else f"{verdict} (not a notice)"


def _failures(notice: NoticeReport) -> str:
    if not notice.is_notice and notice.passed:
        return text("not a notice: " + "; ".join(notice.status_reasons))
    if notice.failures:
        return "; ".join(f"{code(f.item) + ': ' if f.item else ''}{text(f.reason)}"
                         for f in notice.failures)
    return "—" if notice.passed else "not recorded"


#: The job summary as a format of its own, for a file a later step posts.
FORMAT = Format("summary", ("summary.md",), summary, for_people=True)
