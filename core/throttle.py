"""Per-member throttles: how many times a member may do something in a window of time.

A small counter in the cache per network, action, member and window (a fixed window: at
most twice the limit across a window's edge, which is enough against a script and never
felt by a person). The limits are settings: ``THROTTLE_RATES`` for the pages' actions
(``"forums.post"``, ``"messages.send"``), ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``
for the API: a member's reads and writes, a signed-out address's requests (``ApiThrottle``).
"""

import time

from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.permissions import SAFE_METHODS
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


def api_rate(scope: str) -> str | None:
    """The API's rate for a scope (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``); None: no
    limit, as in DRF."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    return None if rate is None else str(rate)


def api_address_hit(request: Request | HttpRequest) -> None:
    """Count one request to the API from a signed-out address (no session, no valid token);
    raise DRF's ``Throttled`` (429 with ``Retry-After``) past the ``anonymous`` rate.

    Counted once per request, wherever it is first refused or let through: the permission
    (before its 404), the token check (before its 401), or ``ApiThrottle``.
    """
    django_request = getattr(request, "_request", request)
    if getattr(django_request, "_api_address_counted", False):
        return
    django_request._api_address_counted = True
    rate = api_rate("anonymous")
    if rate is None:
        return
    wait = _count("api.anonymous", f"ip:{get_ip(django_request)}", rate)
    if wait is not None:
        raise Throttled(wait=wait)


class ApiThrottle(BaseThrottle):
    """The API's limits: a signed-in member's reads (``member_reads``) and writes
    (``member_writes``, anything but GET, HEAD and OPTIONS), counted per member of the
    network, and a signed-out visitor's requests (``anonymous``) per client address (the
    address allauth's own limits use, behind ``TRUSTED_PROXY_COUNT`` proxies)."""

    def allow_request(self, request: Request, view) -> bool:
        self.retry_after: int | None = None
        user = request.user
        if not user.is_authenticated:
            try:
                api_address_hit(request)
            except Throttled as throttled:
                self.retry_after = int(throttled.wait or 1)
                return False
            return True
        scope = "member_reads" if request.method in SAFE_METHODS else "member_writes"
        rate = api_rate(scope)
        if rate is None:
            return True
        self.retry_after = _count(f"api.{scope}", f"user:{user.pk}", rate)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after
