"""What an output format is, and the registries that hold them.

A :class:`Format` carries everything the rest of the program needs to know about a format (the
extensions that name it, whether people read it where it is printed, whether it can be written notice
by notice, how it goes to a terminal), so that no other module keeps a list of format names or
special-cases one. A :class:`Registry` holds the formats of one kind of document: the audit report
(``formats.registry``), a comparison, a diff, a history trend. Every registry shares one table of
extensions: registering a format that would make ``.md`` mean anything but Markdown somewhere, or
Markdown be named by other extensions, is refused, so an extension means the same format for every verb.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Protocol, TextIO, TypeVar

from notice_audit.formats.output import OutputError
from notice_audit.model import AuditReport, NoticeReport, TargetError

D = TypeVar("D")


class ReportStream(Protocol):
    """A report written as the run goes (JSON Lines): its head, each notice or error as soon as it is
    audited, then the rest. Leaving the ``with`` block after an exception removes what was written."""

    def head(self, report: AuditReport) -> None: ...
    def notice(self, notice: NoticeReport) -> None: ...
    def error(self, error: TargetError) -> None: ...
    def tail(self, report: AuditReport) -> None: ...
    def __enter__(self) -> ReportStream: ...
    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


@dataclass(frozen=True)
class Format(Generic[D]):
    """One way of writing a document of type ``D`` (an audit report, a comparison, a diff, a trend)."""

    #: what ``--format`` and the config file call it
    name: str
    #: the file extensions that name it, without the dot; the first is the one ``demo`` writes
    extensions: tuple[str, ...]
    #: the whole document as text
    render: Callable[[D], str]
    #: read by people where it is printed (a terminal, a CI log), so GitHub annotations may follow it on
    #: standard output; False for what a program or a browser reads (JSON, SARIF, HTML, ...)
    for_people: bool = False
    #: how it goes to standard output when that is not its text as rendered (the table fits a terminal)
    printer: Callable[[D, TextIO], None] | None = None
    #: a writer for a report written notice by notice (``None`` or ``'-'``: standard output), for formats
    #: that can be written before the run ends
    stream: Callable[[str | None], ReportStream] | None = None
    #: the document as written to a file at this path, where that differs from ``render`` (the HTML report
    #: links the local files it names relative to the folder it is written in)
    render_to: Callable[[D, Path], str] | None = None

    @property
    def streams(self) -> bool:
        """Whether a run can write it notice by notice instead of keeping every notice until the end."""
        return self.stream is not None

    @property
    def extension(self) -> str:
        """The extension of the files this format is written to by default (``demo``'s ``report.<ext>``)."""
        return self.extensions[0]

    def render_at(self, document: D, path: Path) -> str:
        """The document as text to be written to ``path``."""
        return self.render(document) if self.render_to is None else self.render_to(document, path)

    def show(self, document: D, out: TextIO) -> None:
        """Write ``document`` to a stream such as standard output."""
        if self.printer is not None:
            self.printer(document, out)
        else:
            out.write(self.render(document))


@dataclass(frozen=True)
class Deferred:
    """A format a registry names by its module, imported the first time the format is used: ``--format`` choices
    and extension guesses read the name and extensions without importing every format (and jinja2, rich) in each
    run. The module's ``FORMAT`` must have this name and these extensions; that is checked when it is imported."""

    name: str
    extensions: tuple[str, ...]
    #: the module that defines the format as ``FORMAT``
    module: str


#: Every registry alive, so that one registry's new format is checked against all the others' extensions.
_REGISTRIES: list[weakref.ref[Registry[Any]]] = []


class Registry(Mapping[str, Format[D]]):
    """The formats of one kind of document by name, in the order given (that of ``known:`` in errors)."""

    def __init__(self, document: str, formats: Iterable[Format[D] | Deferred] = ()) -> None:
        #: what the formats write, for error messages ("unknown comparison format"); "" for the report
        self.document = document
        self._formats: dict[str, Format[D] | Deferred] = {}
        _REGISTRIES.append(weakref.ref(self))
        for fmt in formats:
            self.register(fmt)

    def register(self, fmt: Format[D] | Deferred) -> Format[D] | Deferred:
        """Add ``fmt``; refused when its name is taken here or its extensions contradict any registry's."""
        if fmt.name in self._formats:
            raise ValueError(f"a {self.document or 'report'} format named '{fmt.name}' is already registered")
        if not fmt.extensions:
            raise ValueError(f"format '{fmt.name}' needs at least one extension")
        _check_extensions(fmt)
        self._formats[fmt.name] = fmt
        return fmt

    def unregister(self, name: str) -> None:
        """Remove the format named ``name`` (for tests that register a format of their own)."""
        del self._formats[name]

    def get_format(self, name: str) -> Format[D]:
        """The format named ``name``; a ValueError listing the known ones otherwise."""
        if name not in self._formats:
            kind = f"{self.document} format" if self.document else "format"
            raise ValueError(f"unknown {kind} '{name}' (known: {', '.join(self._formats)})")
        return self[name]

    def extensions(self) -> dict[str, str]:
        """Every extension (with its dot) that names one of these formats, and the format it names."""
        return {f".{ext}": fmt.name for fmt in self._formats.values() for ext in fmt.extensions}

    def guess(self, path: str, default: str) -> str:
        """The format ``path``'s extension names (the longest that matches: ``.junit.xml`` before ``.xml``),
        or ``default`` for a name without an extension. An extension that names none of these formats is
        refused: writing JSON into ``report.pdf`` helps nobody."""
        return format_from_extension(path, self.extensions(), default)

    def __getitem__(self, name: str) -> Format[D]:
        entry = self._formats[name]
        if isinstance(entry, Deferred):
            entry = self._formats[name] = _imported(entry)
        return entry

    def __contains__(self, name: object) -> bool:
        return name in self._formats  # without importing a deferred format

    def __iter__(self) -> Iterator[str]:
        return iter(self._formats)

    def __len__(self) -> int:
        return len(self._formats)


def extension_table() -> dict[str, str]:
    """The one table of what a file's extension names, over every registry (``.md`` is markdown everywhere)."""
    return {ext: name for registry in _registries() for ext, name in registry.extensions().items()}


def _imported(entry: Deferred) -> Format[Any]:
    """The format ``entry`` names, from its module; an error if the module's format is not the one named."""
    fmt = getattr(importlib.import_module(entry.module), "FORMAT", None)
    if not isinstance(fmt, Format) or (fmt.name, fmt.extensions) != (entry.name, entry.extensions):
        raise TypeError(f"{entry.module}.FORMAT is not the format '{entry.name}' ({_dotted(entry.extensions)}) "
                        "its registry names")
    return fmt


def _check_extensions(new: Format[D] | Deferred) -> None:
    """Refuse a format whose extensions would make the shared table say two things."""
    for registry in _registries():
        for fmt in registry._formats.values():
            if fmt.name == new.name and fmt.extensions != new.extensions:
                raise ValueError(f"format '{new.name}' is named by {_dotted(fmt.extensions)} elsewhere, "
                                 f"not {_dotted(new.extensions)}")
            taken = set(fmt.extensions) & set(new.extensions)
            if fmt.name != new.name and taken:
                raise ValueError(f"{_dotted(sorted(taken))} already names format '{fmt.name}', "
                                 f"not '{new.name}'")


def _registries() -> list[Registry[Any]]:
    """The registries still in use (a test's own registry is forgotten with it)."""
    _REGISTRIES[:] = [ref for ref in _REGISTRIES if ref() is not None]
    return [registry for ref in _REGISTRIES if (registry := ref()) is not None]


def _dotted(extensions: Iterable[str]) -> str:
    return ", ".join(f".{ext}" for ext in extensions)


def format_from_extension(path: str, extensions: Mapping[str, str], default: str) -> str:
    """The format ``path``'s extension names in ``extensions`` (see :meth:`Registry.guess`)."""
    name = Path(path).name.lower()
    for ext in sorted(extensions, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return extensions[ext]
    suffix = Path(path).suffix
    if not suffix:
        return default
    known = ", ".join(sorted(extensions))
    raise OutputError(f"{path}: '{suffix}' names no report format; give --format, or use one of: {known}")
