"""A vendor's answer, sent in one write.

aiohttp sends a `Response` through `prepare` -> `_start` -> `_prepare_headers` -> the prepare signal ->
`_write_headers` -> its writer's header buffer -> `write_eof` -> the writer's payload path: about 10 µs of CPU a
request, more than most operations cost the sandbox itself (bench/NOTES.md, round 4). A vendor's answer is plain:
a JSON body already in bytes, over HTTP/1.1 on a keep-alive connection, with no cookies, compression or streaming.
`JsonAnswer.prepare` sends such an answer as one `transport.write` of the bytes aiohttp would have sent: the same
status line, the same headers in the same order (Content-Length, then Date and Server last, as aiohttp adds them),
through aiohttp's own header serializer, which refuses a CR or LF in a name or value.

Anything else goes aiohttp's usual way: HTTP/1.0, a request that asked to close, a HEAD, a status that has no body,
a header aiohttp manages (Content-Length, Date, Server, Connection, Transfer-Encoding) set by the answer, cookies,
compression or chunking, and a request aiohttp's router resolved (its applications may listen to
`on_response_prepare`; the route table's requests are never resolved, so no signal was ever sent for them).
tests/core/test_answer.py compares the bytes both ways put on the wire.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import hdrs, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.compression_utils import MAX_SYNC_CHUNK_SIZE
from aiohttp.helpers import rfc822_formatted_time
from aiohttp.http import SERVER_SOFTWARE, HttpVersion11
from aiohttp.web_response import REASON_PHRASES
from multidict import CIMultiDict

try:  # the serializer aiohttp's writer uses (C when built); private, so kept behind a fallback
    from aiohttp.http_writer import _serialize_headers
except ImportError:  # pragma: no cover - an aiohttp without it takes the usual way for every answer
    _serialize_headers = None  # type: ignore[assignment]  # None: `_plain` refuses every answer

_NO_BODY_STATUSES = frozenset((204, 304, *range(100, 200)))
_MANAGED = (hdrs.CONTENT_LENGTH, hdrs.DATE, hdrs.SERVER, hdrs.CONNECTION, hdrs.TRANSFER_ENCODING)  # `_plain`'s
_CONTENT_TYPE_TWICE = ("passing both Content-Type header and content_type or charset params is forbidden")  # aiohttp's


class JsonAnswer(web.Response):
    """A `web.Response` (the same constructor and attributes) that sends itself in one write when it can."""

    @classmethod
    def json(cls, status: int, body: bytes, headers: Mapping[str, str],
             content_type: str = "application/json") -> JsonAnswer:
        """`JsonAnswer(body=body, status=status, headers=headers, content_type=content_type)`, the same object, made
        without the general constructor's branches for text, charsets and payload bodies: about 0.6 µs of the 1.1
        it takes. tests/core/test_answer.py checks that both make the same attributes."""
        real = CIMultiDict(headers)
        if hdrs.CONTENT_TYPE in real:
            raise ValueError(_CONTENT_TYPE_TWICE)
        real[hdrs.CONTENT_TYPE] = content_type
        answer = cls.__new__(cls)
        answer._state = {}
        answer._headers = real
        answer._status = int(status)
        answer._reason = REASON_PHRASES.get(answer._status, "")
        answer._body = body
        answer._compressed_body = None
        answer._zlib_executor_size = MAX_SYNC_CHUNK_SIZE
        answer._zlib_executor = None
        return answer

    def _plain(self, request: web.BaseRequest) -> bool:
        """Whether this answer and its request need nothing of aiohttp's general path (the module docstring)."""
        if (self._eof_sent or self._payload_writer is not None or self._cookies or self._chunked
                or self._compression or self._status in _NO_BODY_STATUSES or _serialize_headers is None):
            return False
        if (getattr(request, "_match_info", None) is not None  # resolved by the router: see the module docstring
                or request.method == hdrs.METH_HEAD
                or request.version != HttpVersion11 or not request.keep_alive):
            return False
        headers = self._headers
        # `_MANAGED`, spelled out: a generator over the tuple cost 0.2 µs more (a test checks each name is here).
        return not (hdrs.CONTENT_LENGTH in headers or hdrs.DATE in headers or hdrs.SERVER in headers
                    or hdrs.CONNECTION in headers or hdrs.TRANSFER_ENCODING in headers)

    def framed(self, request: web.BaseRequest) -> bytes | None:
        """The bytes of a plain answer, which the caller must write at once or in turn (this answer counts as
        sent); None for any other (`prepare` goes aiohttp's way)."""
        if not self._plain(request):
            return None
        transport = request.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Cannot write to closing transport")  # as aiohttp's writer does
        body: Any = self._body
        headers = self._headers
        headers[hdrs.CONTENT_LENGTH] = str(len(body))
        headers[hdrs.DATE] = rfc822_formatted_time()
        headers[hdrs.SERVER] = SERVER_SOFTWARE
        data: bytes = _serialize_headers(f"HTTP/1.1 {self._status} {self._reason}", headers) + body
        request.writer.output_size += len(data)  # as aiohttp's writer counts it: its error handler reads it
        self._keep_alive = True
        self._eof_sent = True
        self._body_length = len(data)
        return data

    def send_at_once(self, request: web.BaseRequest) -> bool:
        """Send a plain answer now, in one write, and say so; False for any other (`prepare` goes aiohttp's way).

        What is left then is only to wait while the socket is full (`request.protocol.writing_paused`), as
        `prepare` does."""
        data = self.framed(request)
        if data is None:
            return False
        request.transport.write(data)  # type: ignore[union-attr]  # `framed` checked it is open
        return True

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        if not self.send_at_once(request):
            return await super().prepare(request)
        if request.protocol.writing_paused:  # a large answer the client has not read yet: wait, as aiohttp does
            await request.writer.drain()
        return None
