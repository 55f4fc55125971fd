"""Fault injection: answer chosen REST requests with 429s or errors instead of handling them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .records import Fault, RecordedRequest, match_path


class FaultsMixin:
    """Injected 429s and errors, taken by the recording middleware before any handler."""

    def inject_429(
        self,
        method: str | None,
        path: str | Callable[[RecordedRequest], bool] | None,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        via: bool = True,
        is_global: bool = False,
    ) -> Fault:
        """Answer the next ``times`` matching requests with 429 (with Via, discord.py retries)."""
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        headers = {
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        if via:
            headers["Via"] = "1.1 google"
        return self.inject_error(method, path, status=429, times=times, body=body, headers=headers)

    def inject_error(
        self,
        method: str | None,
        path: str | Callable[[RecordedRequest], bool] | None,
        *,
        status: int = 500,
        times: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """Answer the next ``times`` matching requests with ``status`` (default a 500)."""
        if body is None:
            body = {"message": f"{status}: Internal Server Error", "code": 0}
        fault = Fault(method.upper() if method else None, path, status, times, body, headers or {})
        self.faults.append(fault)
        return fault

    def _take_fault(self, rec: RecordedRequest) -> Fault | None:
        for fault in self.faults:
            if (
                fault.remaining > 0
                and (fault.method in (None, rec.method))
                and match_path(rec.path, fault.matcher, rec)
            ):
                fault.remaining -= 1
                fault.hits.append(rec.index)
                return fault
        return None
