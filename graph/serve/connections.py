"""Connections of ``kg serve``: deadlines on every request, caps on how many, logs that stay short.

uvicorn's HTTP/1.1 protocol (h11) is extended here, because what a slow client can hold is
decided before any route runs:

- **a header deadline for every request of a connection**: the headers of the first request,
  and of each later one on a kept-alive connection, must arrive within ``body_timeout``
  seconds of the connection opening or of the previous answer; otherwise the connection is
  closed. (uvicorn's own keep-alive timer stops at the first byte, so a client dripping a
  second request's headers one byte at a time held the connection for ever.) The body has its
  own deadline (:func:`graph.serve.http.read_body`), and its 408 closes the connection.
- **a cap on open connections**, ``max_connections``, lowered to leave an eighth of the
  process's file descriptors (at least 64) to the workers and the store, and
  ``max_client_connections`` per client address. A connection past a cap takes the place of
  the connection (of that client, for its own cap) that has waited longest for its headers;
  when every connection is busy with a request it gets 503 and is closed. A flood of idle
  connections therefore costs its sender its oldest ones, and never the descriptors the server
  needs to answer.
- **a send deadline**: an answer the client stops reading (a big CONSTRUCT result, a page)
  waits in the server's send buffer once the socket's own buffers are full; if the client has
  not read that buffer down within ``send_timeout`` seconds, the connection is closed and its
  buffer dropped, with one log line. A client that reads slowly but steadily is not affected:
  the deadline starts again each time the buffer drains.
- **one line for a client that goes away**: before or in the middle of its answer (uvicorn
  drops such an answer silently); a request h11 cannot read gets its 400 here, with ``nosniff``.
- **logs rate-limited** (:func:`quiet_logs`): a message repeated more than 5 times a minute is
  dropped, and the next one logged says how many were.

Examples
--------
>>> from graph.serve.app import Settings
>>> connection_limit(Settings(max_connections=5000), descriptors=1024)
896
>>> connection_limit(Settings(max_connections=100), descriptors=1024)
100
"""

from __future__ import annotations

import logging
import resource
import time
from collections import defaultdict

__all__ = ["connection_protocol", "connection_limit", "quiet_logs"]

_log = logging.getLogger("graph.serve.app")


def connection_limit(settings, *, descriptors: int | None = None) -> int:
    """The most connections to hold open: ``max_connections``, within the descriptors left.

    ``descriptors`` is the process's limit on open files (its soft ``RLIMIT_NOFILE`` by default);
    an eighth of it, at least 64, stays for the workers' pipes, the store and the log.
    """
    if descriptors is None:
        descriptors = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        descriptors = 1 << 20 if descriptors == resource.RLIM_INFINITY else descriptors
    return max(1, min(settings.max_connections, descriptors - max(64, descriptors // 8)))


def connection_protocol(settings):
    """uvicorn's h11 protocol class with the deadlines and caps of this module's docstring.

    Pass it as ``uvicorn.Config(http=...)``. Each call makes a class with its own count of
    connections (one server).
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    limit = connection_limit(settings)
    per_client = max(1, min(settings.max_client_connections, limit))
    deadline = settings.body_timeout
    send_deadline = settings.send_timeout
    open_ones: dict[str, dict] = defaultdict(dict)  # client address -> {protocol: None}, oldest first
    total = [0]

    def waiting(protocol) -> bool:
        # between requests, or before the first one's headers are in
        return protocol._waiting_since is not None and not protocol.transport.is_closing()

    def oldest_waiting(candidates):
        return min((p for p in candidates if waiting(p)), key=lambda p: p._waiting_since, default=None)

    class Protocol(H11Protocol):
        _waiting_since: float | None = None
        _timer = None
        _send_timer = None
        _counted = False
        _closed_here = False  # closed by this module (a deadline, a cap), which logs its own reason
        _unsent = False  # the send buffer is full: part of an answer has not reached the client

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            address = self.client[0] if self.client else ""
            mine = open_ones[address]
            if len(mine) >= per_client and not _evict(oldest_waiting(mine)):
                return self._refuse(f"more than {per_client} connections from {address}")
            if total[0] >= limit and not _evict(oldest_waiting(p for ps in open_ones.values() for p in ps)):
                return self._refuse(f"more than {limit} connections")
            mine[self] = None
            total[0] += 1
            self._counted = True
            self._await_headers()

        def connection_lost(self, exc) -> None:
            self._stop_timer()
            self._stop_send_timer()
            self._say_if_gone()
            if self._counted:
                self._counted = False
                total[0] -= 1
                address = self.client[0] if self.client else ""
                open_ones[address].pop(self, None)
                if not open_ones[address]:
                    del open_ones[address]
            super().connection_lost(exc)

        def handle_events(self) -> None:
            before = self.cycle
            super().handle_events()
            if self.cycle is not before:  # a request's headers are in: its route's deadlines take over
                self._stop_timer()
                self._waiting_since = None

        def on_response_complete(self) -> None:
            if not self.transport.is_closing():
                self._await_headers()  # before the pipelined next request is read, if any
            super().on_response_complete()

        def pause_writing(self) -> None:
            # the send buffer is full: the client must read it down within the send deadline
            super().pause_writing()
            self._unsent = True
            self._stop_send_timer()
            self._send_timer = self.loop.call_later(send_deadline, self._not_reading)

        def resume_writing(self) -> None:
            self._unsent = False
            self._stop_send_timer()
            super().resume_writing()

        def send_400_response(self, msg: str) -> None:
            # a request h11 cannot read (a broken request line, a bad header) gets its 400 here,
            # before any route or the Guard: it carries nosniff like every other answer
            body = f"Error 400: {msg}\n".encode("ascii", "replace")
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"x-content-type-options", b"nosniff"),
                       (b"connection", b"close")]
            for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                          h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()

        # ---------------------------------------------------------------------------------

        def _say_if_gone(self) -> None:
            # uvicorn drops an answer whose client has gone without a word: one line says so
            # (a body that stops coming is said by the route that reads it; a connection this
            # module closes has said why already)
            cycle = self.cycle
            if self._closed_here or cycle is None:
                return
            from graph.serve.http import request_line

            # an answer handed over whole still waits in the send buffer while writing is paused
            if cycle.response_started and (self._unsent or not cycle.response_complete):
                _log.warning("%s: the client went away mid-answer", request_line(cycle.scope))
            elif not cycle.response_started and not cycle.more_body:
                _log.warning("%s: the client went away before its answer", request_line(cycle.scope))

        def _stop_send_timer(self) -> None:
            if self._send_timer is not None:
                self._send_timer.cancel()
                self._send_timer = None

        def _not_reading(self) -> None:
            self._send_timer = None
            address = self.client[0] if self.client else "a client"
            _log.warning("closed a connection from %s: its client read none of its answer for %g s",
                         address, send_deadline)
            self._closed_here = True
            self.transport.abort()  # close() would wait for the buffer to be sent, for ever

        def _await_headers(self) -> None:
            self._stop_timer()
            self._waiting_since = time.monotonic()
            self._timer = self.loop.call_later(deadline, self._too_slow)

        def _stop_timer(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _too_slow(self) -> None:
            self._timer = None
            if self._waiting_since is not None and not self.transport.is_closing():
                self._closed_here = True
                self.transport.close()

        def _refuse(self, why: str) -> None:
            _log.warning("connection refused: %s", why)
            body = f"Error 503: {why} at once; try again later\n".encode()
            self.transport.write(b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
                                 b"x-content-type-options: nosniff\r\nconnection: close\r\n"
                                 b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.conn = h11.Connection(h11.SERVER)  # nothing more is read from it
            self._closed_here = True
            self.transport.close()

    def _evict(protocol) -> bool:
        if protocol is None:
            return False
        protocol._waiting_since = None
        protocol._closed_here = True
        protocol.transport.close()
        # counted out now, not when the loop gets to connection_lost: the newcomer needs the place
        protocol._counted = False
        total[0] -= 1
        address = protocol.client[0] if protocol.client else ""
        open_ones[address].pop(protocol, None)
        return True

    return Protocol


class _RateLimit(logging.Filter):
    """At most ``burst`` records of one message per ``window`` seconds; the next says how many were dropped."""

    def __init__(self, burst: int = 5, window: float = 60.0) -> None:
        super().__init__()
        self.burst, self.window = burst, window
        self.seen: dict[tuple, list] = {}  # (logger, message template) -> [window start, count, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg)[:200])
        now = time.monotonic()
        entry = self.seen.get(key)
        if entry is None or now - entry[0] > self.window:
            dropped = entry[2] if entry else 0
            if len(self.seen) > 1000:  # many different messages: forget the old windows
                self.seen.clear()
            self.seen[key] = [now, 1, 0]
            if dropped:
                record.msg = f"{record.msg} ({dropped} more like it in the last {self.window:g} s not logged)"
            return True
        entry[1] += 1
        if entry[1] > self.burst:
            entry[2] += 1
            return False
        return True


def quiet_logs(burst: int = 5, window: float = 60.0) -> None:
    """Rate-limit the server's loggers (uvicorn's, asyncio's and the endpoint's own).

    A flood of failing connections (descriptors exhausted, clients vanishing) then writes a few
    lines a minute, not one per event.
    """
    limit = _RateLimit(burst, window)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "asyncio", "graph.serve.app"):
        logger = logging.getLogger(name)
        logger.filters = [f for f in logger.filters if not isinstance(f, _RateLimit)]
        logger.addFilter(limit)
    logging.getLogger("graph.serve.app").setLevel(logging.WARNING)
    if not logging.getLogger("graph.serve.app").handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:  %(message)s"))
        logging.getLogger("graph.serve.app").addHandler(handler)
