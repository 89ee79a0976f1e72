"""``notice-audit checklists``: list, show, validate and test checklists. Imported by the command line only when
this verb runs."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from notice_audit.app.exits import EXIT_GATE, EXIT_OK
from notice_audit.formats.words import agree, plural
from notice_audit.rules.checklist import Checklist, builtin_dir, builtin_ids, load_checklist
from notice_audit.rules.examples import examples_of, own_items, run_examples


def cmd_checklists(args: argparse.Namespace) -> int:
    if args.action == "list":
        for ident in builtin_ids():
            checklist = load_checklist(ident)
            print(f"{checklist.id}\t{checklist.version}\t{plural(len(checklist.items), 'item')}\t{checklist.title}")
        return EXIT_OK
    if args.action == "test":
        return _test_checklists(args.checklists or builtin_ids(), verbose=args.verbose)
    checklist = load_checklist(args.checklist)
    if args.action == "validate":
        print(f"{args.checklist}: valid checklist '{checklist.id}' {checklist.version}, "
              f"{plural(len(checklist.items), 'item')}")
        return EXIT_OK
    sys.stdout.write(checklist_yaml(checklist) if args.format == "yaml" else checklist_summary(checklist))
    return EXIT_OK


class _Flow(dict[str, Any]):
    """A rule or condition, written on one line as the checklist files write it."""


class _ChecklistDumper(yaml.SafeDumper):
    pass


_ChecklistDumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


def checklist_yaml(checklist: Checklist) -> str:
    """``checklists show``: the checklist as YAML, inheritance resolved, so that it is a checklist file of
    its own (``checklists validate`` accepts it); comments say where its items come from."""
    data = checklist.to_data()
    for item in data["items"]:
        for key in ("rule", "when"):
            if key in item and len(_flow(item[key])) <= 80:  # a long one (a table of rights) reads better as a block
                item[key] = _Flow(item[key])
    counts = Counter(_checklist_name(item.source) for item in checklist.items)
    origin = ", ".join(f"{plural(n, 'item')} from {name}" for name, n in counts.items())
    resolved = "\n# (inheritance resolved: this is a checklist file of its own)" if len(counts) > 1 else ""
    text = yaml.dump(data, Dumper=_ChecklistDumper, sort_keys=False, allow_unicode=True, width=100)
    text = text.replace("\n- id: ", "\n\n- id: ").replace("\nitems:\n\n", "\nitems:\n", 1)  # a blank line between items
    return f"# {checklist.id} {checklist.version}: {checklist.title}\n# {origin}{resolved}\n{text}"


def _flow(value: Any) -> str:
    """``value`` as YAML on one line: ``{fact: public_authority}``, ``true``."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=float("inf"))
    return text.removesuffix("\n...\n").strip()  # a scalar's document ends with "..."


def _checklist_name(source: str) -> str:
    """A built-in checklist's file by its id, any other by its path."""
    path = Path(source)
    return f"built-in {path.stem}" if path.parent == builtin_dir() else source


def checklist_summary(checklist: Checklist) -> str:
    """``checklists show --format summary``: one line per item, conditions and facts as YAML writes them."""
    lines = [f"{checklist.id} {checklist.version}: {checklist.title}"]
    if checklist.facts:
        lines.append("facts: " + ", ".join(f"{k}={_flow(v)}" for k, v in checklist.facts.items()))
    for item, data in zip(checklist.items, checklist.to_data()["items"], strict=True):
        when = f"  [when {_flow(data['when'])}]" if "when" in data else ""
        lines.append(f"- {item.id} ({item.severity}, weight {item.weight:g}): {item.title} — {item.reference}{when}")
    return "\n".join(lines) + "\n"


def _test_checklists(refs: Sequence[str], *, verbose: bool) -> int:
    """``checklists test``: every example of each checklist's own items; exit 1 if one is misjudged."""
    checklists = [load_checklist(ref) for ref in refs]  # a broken one stops the run before any test (exit 2)
    failed = 0
    for ref, checklist in zip(refs, checklists, strict=True):
        items = own_items(checklist)
        results = run_examples(checklist, items)
        bad = [r for r in results if not r.passed]
        failed += len(bad)
        for r in results:
            if verbose or not r.passed:
                head = " ".join(r.example.text.split())
                head = head if len(head) <= 70 else head[:69] + "…"
                expected = "met" if r.expect == "meets" else "not met"
                print(f"  {'ok  ' if r.passed else 'FAIL'}  {r.label}: {r.status} (expected {expected}) — "
                      f"{r.message} — text: {head!r}")
        bare = [it.id for it in items if not examples_of(it)]
        if bare:
            print(f"  note  items without examples: {', '.join(bare)}")
        inherited = len(checklist.items) - len(items)
        also = (f" ({plural(inherited, 'inherited item')} {agree(inherited, 'is', 'are')} tested with their own "
                "checklist)" if inherited else "")
        print(f"{ref}: {plural(len(items), 'item')}, {plural(len(results), 'example')}, {len(bad)} failed{also}")
    return EXIT_GATE if failed else EXIT_OK
