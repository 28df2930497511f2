"""An offline HTTP proxy for the CITE suites' JVM.

The suites, and our own responses, point at schemas on schemas.opengis.net
and www.w3.org (xsi:schemaLocation, the WMS 1.1.1 DOCTYPE) and at
java.sun.com's properties DTD. The machines running the conformance suites
reach no such host, so the JVM is given this proxy
(-Dhttp.proxyHost/-Dhttp.proxyPort): it answers from the repository's
schemas/ tree, an empty DTD for java.sun.com, and 404 for anything else (each
miss is recorded, so that a suite failing on an unavailable document is
visible in the run's log rather than a mystery).

Run as `python3 schema_proxy.py PORT SCHEMAS_DIR MISS_LOG`, or start() from
run.py.
"""
from __future__ import annotations

import http.server
import os
import sys
import threading
import urllib.parse

# host -> [(URL path prefix, directory or file under the schemas tree)]
MAP = {
    "schemas.opengis.net": [("/", "ogc/")],
    "www.w3.org": [
        ("/1999/xlink.xsd", "w3c/1999/xlink.xsd"),
        ("/2001/xml.xsd", "w3c/2001/xml.xsd"),
        ("/2009/01/xml.xsd", "w3c/2001/xml.xsd"),
        ("/1999/", "w3c/1999/"),
        ("/2001/", "w3c/2001/"),
    ],
}
# A non-validating parse of java.util.Properties XML only needs the DTD to exist.
EMPTY_DTD_HOSTS = {"java.sun.com"}


def make_handler(root: str, misses: list[str]):
    root = os.path.realpath(root)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            u = urllib.parse.urlsplit(self.path)
            host = (u.hostname or "").lower()
            if host in EMPTY_DTD_HOSTS and u.path.endswith(".dtd"):
                return self.reply(200, b"", "application/xml-dtd")
            for prefix, local in MAP.get(host, []):
                if u.path.startswith(prefix):
                    f = os.path.realpath(os.path.join(root, local + u.path[len(prefix):]))
                    if f.startswith(root + os.sep) and os.path.isfile(f):
                        with open(f, "rb") as fh:
                            return self.reply(200, fh.read(), "application/xml")
            misses.append(self.path)
            self.reply(404, b"not available offline\n", "text/plain")

        def reply(self, code: int, body: bytes, ctype: str):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def start(root: str) -> tuple[http.server.ThreadingHTTPServer, list[str]]:
    """Starts the proxy on a free loopback port, in a daemon thread."""
    misses: list[str] = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(root, misses))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, misses


if __name__ == "__main__":
    port, root = int(sys.argv[1]), sys.argv[2]
    miss: list[str] = []
    http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(root, miss)).serve_forever()
