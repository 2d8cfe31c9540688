"""Per-member throttles: how many times a member may do something in a window of time.

A small counter in the cache per network, action, member and window (a fixed window: at
most twice the limit across a window's edge, which is enough against a script and never
felt by a person). The limits are settings: ``THROTTLE_RATES`` for the pages' actions
(``"forums.post"``, ``"messages.send"``), ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``
for the API's writes.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

UNITS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}  # fmt: skip


class RateLimited(Throttled):
    """Refused: the member did this too often. The API answers 429 with ``Retry-After``
    (DRF's handling of ``Throttled``); a page re-renders its form with ``detail``."""

    def __init__(self, retry_after: int) -> None:
        message = ngettext(
            "You are writing faster than this network allows. Wait %(seconds)d second, "
            "then send it again: your text is kept.",
            "You are writing faster than this network allows. Wait %(seconds)d seconds, "
            "then send it again: your text is kept.",
            retry_after,
        ) % {"seconds": retry_after}
        # Without ``wait``: DRF would add its own sentence about the wait to ours.
        super().__init__(detail=message)
        self.wait = self.retry_after = retry_after


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/min"`` → (10, 60): how many, per how many seconds. Also ``"100/hour"``,
    ``"5/30s"`` (a number before the unit multiplies it)."""
    count, _slash, period = rate.partition("/")
    digits = "".join(c for c in period if c.isdigit())
    unit = period[len(digits) :].strip().lower()
    if unit.endswith("s") and unit not in UNITS:
        unit = unit[:-1]
    if not count.strip().isdigit() or unit not in UNITS:
        raise ValueError(f"not a rate: {rate!r} (write e.g. 10/min, 100/hour)")
    return int(count), int(digits or 1) * UNITS[unit]


def throttle_key(action: str, who: str | int, window_start: int) -> str:
    """The counter's key: the network's schema first (the cache's key function adds it
    again, but a limit must never be shared between two networks' member 1)."""
    return f"throttle:{connection.schema_name}:{action}:{who}:{window_start}"


def _now() -> int:
    return int(time.time())


def _count(action: str, who: str | int, rate: str) -> int | None:
    """Count one more attempt; None when it is allowed, else the seconds to wait."""
    limit, window = parse_rate(rate)
    now = _now()
    start = now - now % window
    key = throttle_key(action, who, start)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    return max(start + window - now, 1)


def throttle_hit(*, action: str, member_id: int) -> None:
    """Count an attempt of ``action`` (a key of ``settings.THROTTLE_RATES``) by a member of
    the current network; raise ``RateLimited`` past the limit."""
    wait = _count(action, member_id, settings.THROTTLE_RATES[action])
    if wait is not None:
        raise RateLimited(wait)


def throttle_address_hit(*, action: str, address: str) -> None:
    """Count an attempt of ``action`` from a network address (a signed-out visitor, e.g. a
    proposal to the platform's directory); raise ``RateLimited`` past the limit."""
    wait = _count(action, f"ip:{address}", settings.THROTTLE_RATES[action])
    if wait is not None:
        raise RateLimited(wait)


class MemberWriteThrottle(BaseThrottle):
    """The API's writes (anything but GET, HEAD and OPTIONS) per member of the network,
    at ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["member_writes"]``; reads are free."""

    scope = "member_writes"

    def allow_request(self, request: Request, view) -> bool:
        self.retry_after: int | None = None
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        user = request.user
        who = f"user:{user.pk}" if user.is_authenticated else f"ip:{self.get_ident(request)}"
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:  # as in DRF: no rate, no limit
            return True
        self.retry_after = _count(f"api.{self.scope}", who, str(rate))
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after
