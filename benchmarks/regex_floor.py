"""The audit's own floor: the regular-expression searches an audit runs, timed alone.

The throughput target asks the whole audit to cost at most twice the bare bs4 parse. This shows how
much of that budget two things take that no tuning of the Python around them removes: our own parse
of the page and the searches of the lexicons' patterns. It records, during one audit of the pages,
every search the literal prefilter lets through (the pattern it chose, the text, the arguments), then
replays those calls alone. It is an estimate, and on the low side: searches with plain compiled
patterns outside the lexicons are not recorded. It is on the high side only where an extractor
stops reading a ``finditer`` early, which the replay reads to the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

#: The ``re.Pattern`` methods an ``Alternation`` narrows, each recorded the same way.
METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


Call = tuple[Any, str, tuple[Any, ...], dict[str, Any]]  # pattern, method, arguments


def _recording(method: str, calls: list[Call]) -> Callable[..., Any]:
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        text = args[1] if method in ("sub", "subn") else args[0]
        pattern = self.for_text(text)  # the pattern the method itself would search with
        if pattern is None:
            return getattr(type(self), "_recorded_" + method)(self, *args, **kwargs)
        calls.append((pattern, method, args, kwargs))
        return getattr(pattern, method)(*args, **kwargs)
    return run


def record(docs: Sequence[Any], checklist: Any) -> tuple[list[Call], list[Any]]:
    """Audit ``docs`` once, recording every search that reaches the regex engine; the calls and the notices."""
    from notice_audit.audit import audit_document
    from notice_audit.extract.prefilter import Alternation

    calls: list[Call] = []
    notices = []
    for method in METHODS:
        setattr(Alternation, "_recorded_" + method, getattr(Alternation, method))
        setattr(Alternation, method, _recording(method, calls))
    try:
        for doc in docs:
            notices.append(audit_document(doc, checklist))
    finally:
        for method in METHODS:
            setattr(Alternation, method, getattr(Alternation, "_recorded_" + method))
            delattr(Alternation, "_recorded_" + method)
    return calls, notices


def replay(calls: list[Call], rounds: int = 3) -> float:
    """Seconds the recorded searches take on their own (the fastest of ``rounds``)."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for pattern, method, args, kwargs in calls:
            result = getattr(pattern, method)(*args, **kwargs)
            if method == "finditer":
                for _match in result:
                    pass
        best = min(best, time.perf_counter() - t0)
    return best
