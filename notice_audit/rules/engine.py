"""The rule engine: checklist items + findings -> one verdict per item.

Rules are data (see checklist.schema.json). Each rule kind returns a status,
the evidence behind it and a message; composite rules combine their parts.
Pointers ("see our corporate notice") make an item ``partial`` with the pointer
quoted, because the notice itself does not say it but tells the reader where.

Two kinds judge a value rather than a presence: ``max_age`` (a dated finding no
older than so many days before the ``as_of`` date, today unless given, so runs
can be reproduced) and ``metric`` (a number an extractor measured, such as
reading ease, within ``min``/``max``). Both quote the passage they judged.
``absent`` fails an item with the offending quotes; when nothing is found the
item is met with nothing to quote, and its message says what was looked for.

``rights_for_bases`` judges the rights a notice names against the lawful bases it relies on,
because which rights people have depends on the basis (the checklist holds the table and the
guidance it comes from, e.g. the ICO's: erasure does not apply under public task, objection
does). Expected are the table's ``always`` rights plus, for every lawful basis found, that
basis's rights; when no basis is found only the ``always`` rights are expected, since a basis
the notice does not state cannot be assumed. Met when all expected rights are named; partial when
some are, the message naming each missing right with the basis it applies under; missing when
no right of the table is named (partial when the notice points to where its rights are). A
right the notice only tells the reader to ask another body for (attribute ``other_body``, the
body's name or True, set by the rights extractor) is not one this notice gives: on its own it
makes the item partial.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from notice_audit.formats.words import plural
from notice_audit.model import Evidence, Finding, Findings, ItemResult, Status
from notice_audit.rules.checklist import Checklist, ChecklistError, FactValue, Item
from notice_audit.rules.vocabulary import FIELDS

#: How many quotes an item shows at most; the rest are in ``extracted``.
MAX_EVIDENCE = 5
_RANK: dict[Status, int] = {"failed": 0, "missing": 1, "partial": 2, "met": 3, "not_applicable": 4}


#: The start of the message of an item met because nothing was found (an ``absent`` rule): such an
#: item has no quote, and the report schema lets it go without one.
NONE_FOUND = "none found"


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    evidence: tuple[Evidence, ...]
    message: str


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What rules may need besides the findings: the date ages are measured to, and the facts
    (a ``max_age`` rule may take its limit from one)."""

    as_of: date = field(default_factory=date.today)
    facts: Mapping[str, FactValue] = field(default_factory=dict)


def evaluate(
    checklist: Checklist, findings: Findings, facts: Mapping[str, FactValue] | None = None,
    *, as_of: date | None = None,
) -> tuple[ItemResult, ...]:
    """Judge every item of the checklist against one document's findings.

    ``as_of`` is the date ``max_age`` rules measure from (default: today).
    """
    declared = {**checklist.facts, **(facts or {})}
    return tuple(evaluate_item(item, findings, declared, as_of=as_of) for item in checklist.items)


def evaluate_item(
    item: Item, findings: Findings, facts: Mapping[str, FactValue], *, as_of: date | None = None,
    ignore_when: bool = False,
) -> ItemResult:
    """One item's verdict; ``ignore_when`` applies the rule whatever the item's condition says
    (``checklists test`` does, so that an example shows what the rule recognises)."""
    ctx = RuleContext(as_of or date.today(), facts)
    if not ignore_when and item.when is not None and not condition_holds(item.when, findings, facts):
        outcome = Outcome("not_applicable", (), f"does not apply: {describe_condition(item.when)}")
    else:
        outcome = apply_rule(item.rule, findings, ctx)
        if outcome.status == "missing":
            outcome = Outcome("missing", (), f"not found: looked for {item.looked_for}")
        elif outcome.status == "met" and not outcome.evidence:
            outcome = replace(outcome, message=f"{NONE_FOUND}: looked for {item.looked_for}")
    return ItemResult(
        id=item.id,
        title=item.title,
        status=outcome.status,
        severity=item.severity,
        weight=item.weight,
        message=outcome.message,
        evidence=outcome.evidence,
        reference=item.reference,
        guidance=item.guidance,
        link=item.link,
        looked_for=item.looked_for,
    )


# --- conditions -------------------------------------------------------------------------------


def condition_holds(cond: Mapping[str, Any], findings: Findings, facts: Mapping[str, FactValue]) -> bool:
    if "fact" in cond:
        return bool(facts.get(cond["fact"]) == cond.get("equals", True))
    if "present" in cond:
        return bool(findings.of(cond["present"], kinds=("statement", "negation")))
    if "field" in cond:
        return cond["contains"] in field_values(findings, cond["field"])
    if "all" in cond:
        return all(condition_holds(c, findings, facts) for c in cond["all"])
    if "any" in cond:
        return any(condition_holds(c, findings, facts) for c in cond["any"])
    if "not" in cond:
        return not condition_holds(cond["not"], findings, facts)
    raise ValueError(f"unknown condition {dict(cond)!r}")  # the schema rules this out


def describe_condition(cond: Mapping[str, Any]) -> str:
    """Say in words when an item applies, for the not-applicable message."""
    if "fact" in cond:
        return f"applies when {cond['fact']} is {cond.get('equals', True)}".replace("True", "true").replace(
            "False", "false"
        )
    if "present" in cond:
        return f"applies when {cond['present'].replace('_', ' ')} is stated"
    if "field" in cond:
        return f"applies when {cond['field'].replace('_', ' ')} include {cond['contains']}"
    if "all" in cond or "any" in cond:
        parts = [describe_condition(c) for c in cond.get("all", cond.get("any", []))]
        joined = (" and " if "all" in cond else " or ").join(
            p.removeprefix("applies when ") if n else p for n, p in enumerate(parts))
        return joined
    return "applies when not (" + describe_condition(cond["not"]) + ")"


# --- values --------------------------------------------------------------------------------------


def field_findings(findings: Findings, field: str) -> list[tuple[str, Finding]]:
    """(value, finding) pairs for a value field, skipping pointers."""
    element, attribute = FIELDS[field]
    out: list[tuple[str, Finding]] = []
    for f in findings.of(element, kinds=("statement", "negation")):
        value = f.value if attribute is None else f.attributes.get(attribute)
        if value is not None:
            out.append((str(value), f))
    return out


def field_values(findings: Findings, field: str) -> list[str]:
    return list(dict.fromkeys(v for v, _ in field_findings(findings, field)))


def _evidence(found: Iterable[Finding]) -> tuple[Evidence, ...]:
    out: dict[tuple[str, str], Evidence] = {}
    for f in found:
        key = (f.evidence.quote, str(f.evidence.locator))
        out.setdefault(key, f.evidence)
        if len(out) >= MAX_EVIDENCE:
            break
    return tuple(out.values())


def _pointer_outcome(findings: Findings, element: str) -> Outcome | None:
    pointers = findings.of(element, kinds=("pointer",))
    if not pointers:
        return None
    return Outcome("partial", _evidence(pointers), "not stated here; the notice points to where it is given")


# --- rules ---------------------------------------------------------------------------------------


def apply_rule(rule: Mapping[str, Any], findings: Findings, ctx: RuleContext | None = None) -> Outcome:
    kind, arg = next(iter(rule.items()))
    return _RULES[kind](arg, findings, ctx or RuleContext())


def _present(element: str, findings: Findings, ctx: RuleContext) -> Outcome:
    stated = findings.of(element, kinds=("statement", "negation"))
    if stated:
        negations = [f for f in stated if f.kind == "negation"]
        if len(negations) == len(stated):
            return Outcome("met", _evidence(stated), "addressed: the notice says this does not happen")
        places = len({(f.evidence.quote, str(f.evidence.locator)) for f in stated})
        evidence = _evidence(stated)
        return Outcome("met", evidence, _found(places, len(evidence)))
    return _pointer_outcome(findings, element) or Outcome("missing", (), "")


def _found(count: int, quoted: int) -> str:
    """"found 6 statements, 5 quoted": the message says when the evidence holds fewer quotes (at most
    ``MAX_EVIDENCE``) than statements were found (``count``: distinct passages, each counted once however
    many findings it gave)."""
    said = f"found {plural(count, 'statement')}"
    return f"{said}, {quoted} quoted" if quoted < count else said


def _absent(element: str, findings: Findings, ctx: RuleContext) -> Outcome:
    """Failed when the element is found; the words found (attribute ``text``) and what to say
    instead (attribute ``current``, e.g. for an outdated reference) go into the message."""
    found = findings.of(element, kinds=("statement",))
    if found:
        message = f"the notice contains {plural(len(found), 'such statement')}"
        fixes = dict.fromkeys(
            f"'{f.attributes['text']}' → {f.attributes['current']}" if f.attributes.get("current")
            else f"'{f.attributes['text']}'"
            for f in found if f.attributes.get("text")
        )
        if fixes:
            label = "use instead" if any(f.attributes.get("current") for f in found) else "found"
            message += f"; {label}: " + "; ".join(list(fixes)[:MAX_EVIDENCE])
        return Outcome("failed", _evidence(found), message)
    return Outcome("met", (), f"no {element.replace('_', ' ')} found in the notice")


def _values_rule(arg: Mapping[str, Any], findings: Findings, *, need_all: bool) -> Outcome:
    wanted = list(arg["values"])
    pairs = [(v, f) for v, f in field_findings(findings, arg["field"]) if v in wanted]
    found = list(dict.fromkeys(v for v, _ in pairs))
    evidence = _evidence(f for _, f in pairs)
    if need_all and found and len(found) < len(wanted):
        lacking = [v for v in wanted if v not in found]
        return Outcome("partial", evidence, f"found {', '.join(found)}; not found: {', '.join(lacking)}")
    if found:
        return Outcome("met", evidence, f"found {', '.join(found)}")
    element = FIELDS[arg["field"]][0]
    return _pointer_outcome(findings, element) or Outcome("missing", (), "")


def _any_of(arg: Mapping[str, Any], findings: Findings, ctx: RuleContext) -> Outcome:
    return _values_rule(arg, findings, need_all=False)


def _all_of(arg: Mapping[str, Any], findings: Findings, ctx: RuleContext) -> Outcome:
    return _values_rule(arg, findings, need_all=True)


def _min_count(arg: Mapping[str, Any], findings: Findings, ctx: RuleContext) -> Outcome:
    found = findings.of(arg["element"], kinds=("statement",))
    distinct = list(dict.fromkeys(f.evidence.quote if f.value is None else f.value for f in found))
    if len(distinct) >= arg["count"]:
        return Outcome("met", _evidence(found), f"found {len(distinct)} (at least {arg['count']} wanted)")
    if distinct:
        return Outcome("partial", _evidence(found), f"found {len(distinct)} of at least {arg['count']} wanted")
    return _pointer_outcome(findings, arg["element"]) or Outcome("missing", (), "")


def _combine(parts: list[Outcome], *, best: bool) -> Outcome:
    pick = max if best else min
    status = pick((p.status for p in parts), key=_RANK.__getitem__)
    chosen = [p for p in parts if p.status == status]
    evidence = _evidence_join(p.evidence for p in (chosen if best else parts))
    return Outcome(status, evidence, "; ".join(p.message for p in chosen if p.message))


def _evidence_join(groups: Iterable[tuple[Evidence, ...]]) -> tuple[Evidence, ...]:
    out: dict[tuple[str, str], Evidence] = {}
    for group in groups:
        for e in group:
            out.setdefault((e.quote, str(e.locator)), e)
    return tuple(out.values())[:MAX_EVIDENCE]


def _all(arg: list[Mapping[str, Any]], findings: Findings, ctx: RuleContext) -> Outcome:
    return _combine([apply_rule(r, findings, ctx) for r in arg], best=False)


def _any(arg: list[Mapping[str, Any]], findings: Findings, ctx: RuleContext) -> Outcome:
    return _combine([apply_rule(r, findings, ctx) for r in arg], best=True)


def _max_age(arg: Mapping[str, Any], findings: Findings, ctx: RuleContext) -> Outcome:
    """The newest dated finding (attribute ``date``, ISO) is at most ``days`` old on ``ctx.as_of``."""
    dated: list[tuple[date, Finding]] = []
    for f in findings.of(arg["element"], kinds=("statement",)):
        try:
            dated.append((date.fromisoformat(str(f.attributes["date"])), f))
        except (KeyError, ValueError):
            continue
    if not dated:
        return _pointer_outcome(findings, arg["element"]) or Outcome("missing", (), "")
    newest, chosen = max(dated, key=lambda pair: pair[0])
    age = (ctx.as_of - newest).days
    limit = _days(arg, ctx.facts)
    if age < 0:
        return Outcome("met", (chosen.evidence,), f"dated {newest}, after the as-of date {ctx.as_of}")
    about = f" (about {age / 365.25:.1f} years)" if age >= 365 else ""
    message = f"dated {newest}: {plural(age, 'day')}{about} before {ctx.as_of}; at most {plural(limit, 'day')} wanted"
    return Outcome("failed" if age > limit else "met", (chosen.evidence,), message)


def _days(arg: Mapping[str, Any], facts: Mapping[str, FactValue]) -> int:
    """The age limit: the fact named by ``days_fact`` when declared (``--fact review_max_days=730``),
    else ``days``. A fact that is not a whole number of days is a usage error."""
    name = arg.get("days_fact")
    if name and name in facts:
        value = facts[name]
        try:
            days = int(str(value))
        except ValueError:
            days = 0
        if days < 1 or isinstance(value, bool):
            raise ChecklistError(f"fact {name}", f"{value!r} is not a positive whole number of days")
        return days
    return int(arg["days"])


def _metric(arg: Mapping[str, Any], findings: Findings, ctx: RuleContext) -> Outcome:
    """A measured number (attribute ``name`` of the element's findings) within ``min``/``max``.

    The finding whose value is the metric's name is preferred: it quotes the passage that shows
    that metric best (the hardest sentence, the longest one ...). No finding means nothing was
    measured (too little text): the item does not apply.
    """
    name = str(arg["name"])
    label = name.replace("_", " ")
    measured = [f for f in findings.of(arg["element"]) if isinstance(f.attributes.get(name), int | float)]
    if not measured:
        return Outcome("not_applicable", (), f"not measured: too little text to measure {label}")
    chosen = next((f for f in measured if f.value == name), measured[0])
    value = float(chosen.attributes[name])
    low, high = arg.get("min"), arg.get("max")
    unit = "%" if name.startswith("sentences_over_") else ""
    wanted = " and ".join(
        part for part in (f"at least {low:g}{unit}" if low is not None else "",
                          f"at most {high:g}{unit}" if high is not None else "") if part
    )
    ok = (low is None or value >= low) and (high is None or value <= high)
    message = f"{label} {value:g}{unit} ({wanted} wanted)"
    if chosen.attributes.get("passage"):
        message += f"; quoted: {chosen.attributes['passage']}"
    if not ok and chosen.attributes.get("advice"):
        message += f"; plain alternatives: {chosen.attributes['advice']}"
    return Outcome("met" if ok else "failed", (chosen.evidence,), message)


def _rights_for_bases(arg: Mapping[str, Any], findings: Findings, ctx: RuleContext) -> Outcome:
    """Every right that applies under the lawful bases found is named (see the module docstring)."""
    by_basis: Mapping[str, list[str]] = arg["by_basis"]
    always: list[str] = list(arg["always"])
    by_any = [r for rights in by_basis.values() for r in rights]
    table = list(dict.fromkeys([*always, *by_any, *arg.get("optional", [])]))
    found_bases = set(field_values(findings, "lawful_bases"))
    bases = [b for b in by_basis if b in found_bases]
    expected: dict[str, list[str]] = {r: [] for r in always}  # right -> the bases it applies under ([] = any)
    for basis in bases:
        for right in by_basis[basis]:
            if right not in always:
                expected.setdefault(right, []).append(basis)
    named = [(v, f) for v, f in field_findings(findings, "rights") if v in table]
    own = [(v, f) for v, f in named if not f.attributes.get("other_body")]
    elsewhere = [(v, f) for v, f in named if f.attributes.get("other_body")]
    said = [r for r in table if r in {v for v, _ in own}]
    lacking = [r for r in table if r in expected and r not in said]
    pointers = findings.of("rights", kinds=("pointer",))
    if said and not lacking:
        wanted = [r for r in table if r in expected]
        extra = [r for r in said if r not in expected]
        message = f"names {_words(wanted, 'and')}: every right that applies {_under(bases)}"
        if extra:
            message += f"; also names {_words(extra, 'and')}"
        return Outcome("met", _one_per_value(own, table), message)
    if not said and not elsewhere:
        return _pointer_outcome(findings, "rights") or Outcome("missing", (), "")
    asked = [r for r in table if r in {v for v, _ in elsewhere} and r not in said]
    parts = [f"names {_words(said, 'and')}"] if said else []
    if asked:
        bodies = list(dict.fromkeys(f.attributes["other_body"] for v, f in elsewhere if v in asked))
        bodies = [b for b in bodies if isinstance(b, str)]  # True: another body, its name not at hand
        named_bodies = f" ({'; '.join(bodies)})" if bodies else ""
        parts.append(f"names {_words(asked, 'and')} only as {'a right' if len(asked) == 1 else 'rights'} to ask "
                     f"another body{named_bodies}, not as {'one' if len(asked) == 1 else 'rights'} this "
                     "notice gives")
    unnamed = [r for r in lacking if r not in asked]
    if unnamed:  # first: what to add is what a reader acts on, and a line cut short keeps it
        parts.insert(0, f"does not name {_missing_words(unnamed, expected)} ({arg['reference']['title']})")
    if not bases:
        parts.append("no lawful basis found: only the rights that apply whatever the basis are expected")
    if pointers:
        parts.append("the notice points to where its rights are set out")
    evidence = _evidence_join([_one_per_value(own, table), _one_per_value(elsewhere, table), _evidence(pointers)])
    return Outcome("partial", evidence, "; ".join(parts))


def _one_per_value(pairs: list[tuple[str, Finding]], order: list[str]) -> tuple[Evidence, ...]:
    """Quotes for (value, finding) pairs, one per value first (in ``order``), then the others."""
    first = {v: f for v, f in reversed(pairs)}
    ranked = [first[v] for v in order if v in first] + [f for _, f in pairs]
    return _evidence(ranked)


def _plain(name: str) -> str:
    return name.replace("_", " ")


def _words(names: Iterable[str], conjunction: str) -> str:
    """``a, b and c`` in plain words."""
    words = [_plain(n) for n in names]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _under(bases: list[str]) -> str:
    return f"under {_words(bases, 'and')}" if bases else "whatever the lawful basis"


def _missing_words(lacking: list[str], expected: Mapping[str, list[str]]) -> str:
    """Missing rights grouped by why they apply: ``restriction, which applies whatever the lawful
    basis, or erasure and objection, which apply under legitimate interests``."""
    groups: dict[str, list[str]] = {}
    for right in lacking:
        groups.setdefault(_under(expected[right]), []).append(right)
    return ", or ".join(
        f"{_words(rights, 'and')}, which appl{'y' if len(rights) > 1 else 'ies'} {why}"
        for why, rights in groups.items()
    )


_RULES: dict[str, Callable[[Any, Findings, RuleContext], Outcome]] = {
    "present": _present,
    "absent": _absent,
    "any_of": _any_of,
    "all_of": _all_of,
    "min_count": _min_count,
    "all": _all,
    "any": _any,
    "max_age": _max_age,
    "metric": _metric,
    "rights_for_bases": _rights_for_bases,
}
