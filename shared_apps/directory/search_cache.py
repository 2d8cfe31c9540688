"""The directory's search answers (facet counts, ranked pages) kept per directory version.

A real directory is asked the same few searches many times between two writes: the answer
to one is kept in the cache (``django.core.cache``, shared by every process in production)
under a key made of the question and the directory's **version**, and reused until the
version changes.

The version is the tuple of the values in ``directory_searchversion`` (migration 0005). A
trigger on every table a search reads writes a new value there, from a sequence, in the
same transaction as each INSERT, UPDATE, DELETE or TRUNCATE, whoever writes: services, sync
jobs, the CSV import, the admin, raw SQL. So:

- a committed write is seen by the next search: its version differs from every version an
  older answer is kept under (the sequence never gives a value twice, even to a transaction
  that was rolled back);
- the version is read before the answer's rows, each a statement of its own: an answer is
  never older than the version it is kept under (at worst newer, which is harmless).

Time changes a search too: an event is listed until it ends (``selectors.published``). A kept
answer carries the end of the next published event as found before it was computed; past
that moment it is computed again. Nothing else in a search depends on the clock.

A hit costs one query (the version, eight small rows) and the cache's own read. Within one
GET or HEAD request (which writes nothing in the directory), or inside ``one_version()``,
the version is read once: the page's facet counts and its ranked page come from the same
version, and the second costs no query at all.
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection
from django.utils import timezone

T = TypeVar("T")

# How long an answer may stay in the cache (it is right as long as its version and its
# events' ends allow; this bounds what rarely asked questions occupy).
TIMEOUT = 6 * 3600
PREFIX = "directory:answer"


def version() -> str:
    """The directory's current version, as a short text (every slot's value)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(version ORDER BY slot) FROM directory_searchversion")
        values = cursor.fetchone()[0]
    return ".".join(str(value) for value in values)


# The version read once for the current request (or ``one_version`` block), per thread.
_read_once = Local()


@contextmanager
def one_version() -> Iterator[None]:
    """Read the version once for the answers asked inside (what a page's request does)."""
    outer = getattr(_read_once, "scope", None)
    _read_once.scope = {}
    try:
        yield
    finally:
        _read_once.scope = outer


def _request_started(sender: Any, environ: dict | None = None, **kwargs: Any) -> None:
    method = (environ or {}).get("REQUEST_METHOD") or (kwargs.get("scope") or {}).get("method")
    # A safe request writes nothing in the directory: its answers may share one version.
    _read_once.scope = {} if method in ("GET", "HEAD") else None


def _request_finished(sender: Any, **kwargs: Any) -> None:
    _read_once.scope = None


request_started.connect(_request_started, dispatch_uid="directory.search_cache.started")
request_finished.connect(_request_finished, dispatch_uid="directory.search_cache.finished")


def _current_version() -> Any:
    scope = getattr(_read_once, "scope", None)
    if scope is None:
        return version()
    if "version" not in scope:
        scope["version"] = version()
    return scope["version"]


def _next_change(next_change: Callable[[datetime], datetime | None], now: datetime) -> Any:
    """``next_change(now)``, asked once per scope: found earlier in the page, it is at most
    as late as it would be now (an answer computed later only expires sooner)."""
    scope = getattr(_read_once, "scope", None)
    if scope is None:
        return next_change(now)
    if next_change not in scope:
        scope[next_change] = next_change(now)
    return scope[next_change]


def key(name: str, question: tuple[Any, ...], at: str) -> str:
    """The cache key of one question (a name and its arguments' ``repr``) at one version."""
    digest = hashlib.sha256(repr((name, question)).encode()).hexdigest()
    return f"{PREFIX}:{name}:{at}:{digest}"


def remembered(
    name: str,
    question: tuple[Any, ...],
    compute: Callable[[], T],
    *,
    next_change: Callable[[datetime], datetime | None],
) -> T:
    """``compute()``'s answer to ``question``, from the cache when it was computed at this
    version and no event has ended since, else computed and kept.

    ``next_change(now)``: the first moment after ``now`` at which the answer may change with
    no write (the end of the next published event), asked before computing it."""
    kept_key = key(name, question, _current_version())
    now = timezone.now()
    kept = cache.get(kept_key)
    if kept is not None:
        until, answer = kept
        if until is None or now <= until:
            return answer
    until = _next_change(next_change, now)
    answer = compute()
    cache.set(kept_key, (until, answer), TIMEOUT)
    return answer
