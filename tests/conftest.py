"""Shared test helpers: where ../shared is, and small hand-made documents."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from notice_audit.model import Block, Document, Locator, Section

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_876061297daffbf5.txt"


def mangle_outcomes(good: bytes, parse: Callable[[bytes], object], *, rounds: int, seed: int, max_flips: int,
                    cut_chance: float) -> set[str]:
    """Parse ``rounds`` randomly damaged copies of ``good``: each must give a document or a ParseError."""
    from notice_audit.parse import ParseError

    rng = random.Random(seed)
    outcomes: set[str] = set()
    for _ in range(rounds):
        data = bytearray(good)
        for _ in range(rng.randint(1, max_flips)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < cut_chance:
            del data[rng.randrange(len(data)) :]
        try:
            parse(bytes(data))
            outcomes.add("document")
        except ParseError:
            outcomes.add("error")
    return outcomes


def need(path: Path) -> Path:
    """Skip (with the reason) when the shared folder beside the repository is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the real notices live in ../shared beside the repository")
    return path


def make_doc(*sections: tuple[str, list[str] | list[tuple[str, str]]], source: str = "test.txt") -> Document:
    """A Document from (heading, blocks) pairs; a block is text or (kind, text)."""
    out = []
    line = 1
    for heading, blocks in sections:
        path = (heading,) if heading else ()
        built = []
        for b in blocks:
            kind, text = b if isinstance(b, tuple) else ("paragraph", b)
            line += 2
            built.append(Block(kind, text, Locator(source, path, line=line)))  # type: ignore[arg-type]
        sections_loc = Locator(source, path, line=max(1, line - 2 * len(blocks) - 1))
        out.append(Section(heading, 2 if heading else 0, path, tuple(built), sections_loc))
    return Document(source=source, title=sections[0][0] if sections else "", media_type="text/plain",
                    sections=tuple(out))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests see no NOTICE_AUDIT_* or GitHub Actions variables of the machine running them, a run's
    history goes to a temporary folder, never into the repository, and the checklist cache to one shared by
    the session's tests (a test of the cache itself sets its own), never into the user's ~/.cache."""
    import os

    for name in list(os.environ):
        if name.startswith("NOTICE_AUDIT_") or name.startswith("GITHUB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NOTICE_AUDIT_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(autouse=True, scope="session")
def _prompt_server_shutdown() -> Iterator[None]:
    """The tests' HTTP servers on 127.0.0.1 (their own and the demo's ``serve_site``) stop within 20 ms, not
    up to the half second ``serve_forever`` polls at by default: its poll only bounds how late ``shutdown()``
    is noticed, and some forty tests paid it in their teardown."""
    import socketserver

    serve_forever = socketserver.BaseServer.serve_forever

    def prompt(self: socketserver.BaseServer, poll_interval: float = 0.02) -> None:
        serve_forever(self, min(poll_interval, 0.02))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socketserver.BaseServer, "serve_forever", prompt)
        yield


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fetch still retries a refused connection as often as configured, with the same jittered back-off, but
    each sleep lasts a hundredth as long (1.75 s on average otherwise): tests asking what a run says of an
    unreachable host are about the error after the retries; test_fetch_client checks the retries themselves."""
    from notice_audit.fetch.client import Fetcher

    backoff = Fetcher._backoff
    monkeypatch.setattr(Fetcher, "_backoff", lambda self, attempt: backoff(self, attempt) / 100)


def pytest_configure(config: pytest.Config) -> None:
    """Keep compiled bytecode even where PYTHONDONTWRITEBYTECODE is set (as on the development machine): without
    it each xdist worker rewrote and compiled every test module again (3 s of its 5 s collection), and each of the
    suite's ~50 command-line subprocesses compiled the package from source (0.4 s each). The files go to the
    git-ignored __pycache__ folders, where Python reads them back, checked against the sources."""
    sys.dont_write_bytecode = False
