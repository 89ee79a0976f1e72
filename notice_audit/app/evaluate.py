"""``notice-audit evaluate``: the audit measured against labelled notices. Imported by the command line only
when this verb runs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from notice_audit.app.exits import EXIT_OK
from notice_audit.app.run import check_output
from notice_audit.app.views import write
from notice_audit.errors import UsageError
from notice_audit.evaluation import (
    STANDARD_REFERENCE,
    Split,
    SplitError,
    evaluate_corpus,
    evaluate_splits,
    parse_split,
    render_disagreements,
    render_splits,
    render_table,
    standard_splits,
)


def cmd_evaluate(args: argparse.Namespace, *, default_shared: str) -> int:
    """``default_shared``: where the standard splits are when neither a folder nor --split is given."""
    check_output(args)
    try:
        text = _evaluate_one(args) if args.labels_dir is not None else _evaluate_splits(args, default_shared)
    except SplitError as exc:
        raise UsageError(str(exc)) from None
    write(text, args.output)
    return EXIT_OK


def _evaluate_one(args: argparse.Namespace) -> str:
    """LABELS_DIR CORPUS_DIR: one split, the table and JSON of earlier versions."""
    if args.corpus_dir is None:
        raise UsageError("LABELS_DIR needs CORPUS_DIR after it (or give --split NAME=LABELS_DIR[:CORPUS_DIR])")
    extra = [opt for opt, value in (("--split", args.split), ("--reference", args.reference),
                                    ("--shared", args.shared)) if value]
    if extra:
        raise UsageError(f"LABELS_DIR CORPUS_DIR measure one split: {', '.join(extra)} cannot go with them")
    labels, corpus = Path(args.labels_dir), Path(args.corpus_dir)
    for folder in (labels, corpus):
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
    split = Split(labels.resolve().name, labels, corpus)
    ev = evaluate_corpus(labels, corpus)
    if ev.documents == 0:
        raise UsageError(f"no labelled document of {labels} was found in {corpus}")
    if args.format == "json":
        _note_withheld(args, [split])
        return json.dumps(ev.to_json(disagreements=not split.is_validation), indent=2) + "\n"
    text = render_table(ev)
    if args.show_disagreements:
        text += "\n" + render_disagreements(ev, split if split.is_validation else None)
    return text


def _evaluate_splits(args: argparse.Namespace, default_shared: str) -> str:
    """--split NAME=... (or the standard splits of ../shared): every split side by side, gaps to the reference."""
    if args.split:
        if args.shared is not None:
            raise UsageError("--shared says where the standard splits are: it cannot go with --split")
        splits, reference = [parse_split(spec) for spec in args.split], args.reference
    else:
        splits = standard_splits(Path(args.shared if args.shared is not None else default_shared))
        reference = args.reference or STANDARD_REFERENCE
    multi = evaluate_splits(splits, reference)
    if args.format == "json":
        _note_withheld(args, splits)
        return json.dumps(multi.to_json(), indent=2) + "\n"
    text = render_splits(multi)
    if args.show_disagreements:
        for split in splits:
            text += "\n" + render_disagreements(multi.evaluations[split.name], split)
    return text


def _note_withheld(args: argparse.Namespace, splits: Sequence[Split]) -> None:
    """--show-disagreements with JSON: say on stderr why a validation split's list is empty."""
    names = [s.name for s in splits if s.is_validation]
    if args.show_disagreements and names:
        print(f"notice-audit: note: disagreements of {', '.join(names)} are not shown by design "
              "(a validation split is for measuring only)", file=sys.stderr)
