"""Forwarding to a catalog's OpenLineage HTTP endpoint (DataHub, OpenMetadata, Marquez, another lineage service):
one POST per event as openlineage-python's HTTP transport sends them, or one JSON array per page to a batch route.
A 4xx other than 408 / 429 is the receiver refusing that event for good; a 5xx, 408, 429 or no answer is retried."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec

from app.sinks import Unreachable

RETRIED = {408, 425, 429}


def _refused(response: httpx.Response) -> bool:
    return 400 <= response.status_code < 500 and response.status_code not in RETRIED


def _reason(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}: {response.text[:1000]}"


class HttpSink:
    name = "forward"

    def __init__(self, url: str, token: str | None = None, *, batch: bool = False, timeout_s: float = 10.0) -> None:
        self.url = url
        self.batch = batch
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(headers=headers, timeout=timeout_s, follow_redirects=False)

    def send(self, events: list[msgspec.Raw]) -> dict[int, str]:
        if self.batch and len(events) > 1:
            refused = self._send_batch(events)
            if refused is not None:
                return refused
        return self._send_each(events)

    def _send_batch(self, events: list[msgspec.Raw]) -> dict[int, str] | None:
        """One request; None when the receiver refused the batch as a whole (then each event alone finds which)."""
        response = self._post(b"[" + b",".join(events) + b"]", done=0)
        if _refused(response):
            return None
        self._check(response, done=0)
        refused: dict[int, str] = {}
        for i, status, problem in _items(response):
            if status >= 500 or status in RETRIED:
                raise Unreachable(f"HTTP forwarding: the receiver answered {status} for an event", done=i)
            refused[i] = f"HTTP {status}: {problem}"
        return refused

    def _send_each(self, events: list[msgspec.Raw]) -> dict[int, str]:
        refused: dict[int, str] = {}
        for i, event in enumerate(events):
            response = self._post(bytes(event), done=i)
            if _refused(response):
                refused[i] = _reason(response)
                continue
            self._check(response, done=i)
        return refused

    def _post(self, body: bytes, *, done: int) -> httpx.Response:
        """POST JSON as stored in the outbox (the client's headers say it is JSON)."""
        try:
            return self.client.post(self.url, content=body)
        except httpx.HTTPError as exc:
            raise Unreachable(f"HTTP forwarding: could not reach the receiver ({type(exc).__name__})", done) from exc

    @staticmethod
    def _check(response: httpx.Response, *, done: int) -> None:
        if not response.is_success:
            raise Unreachable(f"HTTP forwarding: the receiver answered {response.status_code}", done)

    def close(self) -> None:
        self.client.close()


def _items(response: httpx.Response) -> list[tuple[int, int, Any]]:
    """A batch answer's failed items (index, status, problem), when the receiver says which (this service's own
    batch route does), in order."""
    try:
        body = response.json()
    except ValueError:
        return []
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("index"), int):
            continue
        if isinstance(item.get("status"), int) and item["status"] >= 400:
            out.append((item["index"], item["status"], item.get("problem")))
    return sorted(out, key=lambda x: x[0])
