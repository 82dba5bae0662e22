"""Raw HTTP for the door's tests: any method, path, header bytes (duplicates too) and body,
as `requests` would not send them."""

from __future__ import annotations

import contextlib
import http.client
import urllib.parse
from collections.abc import Sequence

Header = tuple[str, str | bytes]


def send(
    url: str,
    body: bytes,
    headers: Sequence[Header],
    method: str = "POST",
    path: str = "/slack/events",
    timeout: float = 30,
) -> int:
    """The status the server answers; Content-Length is written as given, or from the body
    when no header names it. A server that closes without answering reads as 0."""
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        names = {name.lower() for name, _ in headers}
        for name, value in headers:
            connection.putheader(name, value)
        if "content-length" not in names and "transfer-encoding" not in names:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # refused early
            connection.send(body)
        try:
            answer = connection.getresponse()
            answer.read()
        except (TimeoutError, http.client.RemoteDisconnected, ConnectionResetError):
            return 0
        return answer.status
    finally:
        connection.close()
