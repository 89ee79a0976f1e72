"""Serve the bundled example site on 127.0.0.1 so the demo crawls it like a real site."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

#: The host written into the site's sitemap.xml and robots.txt, replaced by the real one when served.
PLACEHOLDER = b"http://127.0.0.1:8000/"


class _SiteHandler(SimpleHTTPRequestHandler):
    base: bytes = PLACEHOLDER
    requests: list[str] | None = None

    def send_head(self) -> BytesIO | BinaryIO | None:
        if self.requests is not None:
            self.requests.append(self.path)
        if self.path.split("?")[0] in ("/sitemap.xml", "/robots.txt"):
            path = Path(self.translate_path(self.path))
            body = path.read_bytes().replace(PLACEHOLDER, self.base)
            self.send_response(200)
            self.send_header("Content-Type", "application/xml" if path.suffix == ".xml" else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return BytesIO(body)
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_site(directory: Path, *, requests: list[str] | None = None, port: int = 0) -> Iterator[str]:
    """Serve ``directory`` on a loopback port (an ephemeral one unless ``port`` is given: reports quote
    URLs, so comparing two runs' reports needs the same one); yields the base URL ('http://127.0.0.1:N/').

    ``requests``, when given, receives the path of every request (tests check politeness with it).
    """
    handler: type[_SiteHandler] = type("Handler", (_SiteHandler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(directory)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    handler.base = base.encode()
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
