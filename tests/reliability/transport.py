"""Raw HTTP for the door's tests: any method, path, header bytes (duplicates too) and body,
chunked or cut short, as `requests` would not send them."""

from __future__ import annotations

import contextlib
import http.client
import socket
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

Header = tuple[str, str | bytes]


@dataclass(frozen=True)
class Raw:
    """A request as bytes go on the wire. `chunked`: the body in chunks of this size (with
    Transfer-Encoding: chunked); `hang_up`: the client closes its side once the body is sent
    (a body shorter than its Content-Length is then cut short, not merely slow);
    `malformed`: no HTTP a parser takes (its 400 may be lost in the reset of the connection)."""

    body: bytes
    headers: Sequence[Header]
    method: str = "POST"
    path: str = "/slack/events"
    chunked: int | None = None
    hang_up: bool = False
    malformed: bool = False


def _encoded(value: str | bytes) -> str | bytes:
    """Header bytes as an attacker writes them: UTF-8 where Latin-1 cannot say it."""
    if isinstance(value, bytes):
        return value
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()
    return value


def _chunks(body: bytes, size: int) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def send(url: str, request: Raw, timeout: float = 30) -> int:
    """The status the server answers; Content-Length is written as given, or from the body
    when no header names it. A server that closes without answering reads as 0."""
    address = urllib.parse.urlsplit(url)
    assert address.hostname is not None, url
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        connection.putrequest(request.method, request.path, skip_accept_encoding=True)
        names = {name.lower() for name, _ in request.headers}
        for name, value in request.headers:
            connection.putheader(name, _encoded(value))
        if request.chunked is not None:
            connection.putheader("Transfer-Encoding", "chunked")
        elif "content-length" not in names and "transfer-encoding" not in names:
            connection.putheader("Content-Length", str(len(request.body)))
        connection.endheaders()
        body = request.body if request.chunked is None else _chunks(request.body, request.chunked)
        with contextlib.suppress(OSError):  # refused, or the connection closed, early
            connection.send(body)
            if request.hang_up and connection.sock is not None:
                connection.sock.shutdown(socket.SHUT_WR)
        try:
            answer = connection.getresponse()
            answer.read()
        except (TimeoutError, http.client.RemoteDisconnected, ConnectionResetError):
            return 0
        return answer.status
    finally:
        connection.close()
