"""The built-in webhook receiver behind `/_sandbox/inbox/{name}`: it keeps what it is sent, within bounds.

At most `MAX_INBOXES` names (the least recently written is dropped), the last `MAX_MESSAGES` requests per name,
and the first `MAX_BODY` bytes of each body. Deliveries to an inbox URL are handed over in-process by the
dispatcher, so a test can point a subscription at the sandbox itself and read what was sent without a server.
"""
from __future__ import annotations

import base64
import itertools
import time
from collections import OrderedDict, deque
from collections.abc import Mapping
from typing import Any

from .clock import format_timestamp

MAX_INBOXES = 200
MAX_MESSAGES = 100
MAX_BODY = 256 * 1024


class Inbox:
    def __init__(self, max_inboxes: int = MAX_INBOXES, max_messages: int = MAX_MESSAGES,
                 max_body: int = MAX_BODY) -> None:
        self.max_inboxes = max_inboxes
        self.max_messages = max_messages
        self.max_body = max_body
        self._boxes: OrderedDict[str, deque[dict[str, Any]]] = OrderedDict()
        self._ids = itertools.count(1)

    def store(self, name: str, method: str, path: str, query: str, headers: Mapping[str, str],
              body: bytes) -> dict[str, Any]:
        """Keep one request; the body as text when it is UTF-8, else base64 (`bodyEncoding` says which)."""
        box = self._boxes.get(name)
        if box is None:
            box = self._boxes[name] = deque(maxlen=self.max_messages)
            while len(self._boxes) > self.max_inboxes:
                self._boxes.popitem(last=False)
        else:
            self._boxes.move_to_end(name)
        kept = body[: self.max_body]
        try:
            text, encoding = kept.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(kept).decode("ascii"), "base64"
        message = {"id": next(self._ids), "receivedAt": format_timestamp(time.time()), "method": method,
                   "path": path, "query": query, "headers": dict(headers), "body": text, "bodyEncoding": encoding,
                   "size": len(body), "truncated": len(body) > len(kept)}
        box.append(message)
        return message

    def read(self, name: str) -> list[dict[str, Any]]:
        return list(self._boxes.get(name, ()))

    def empty(self, name: str) -> int:
        box = self._boxes.pop(name, None)
        return len(box) if box else 0
