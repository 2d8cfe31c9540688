"""When a series meets: its dates in the network's time zone, turned into instants.

- weekly: every ``weekday``;
- fortnightly: every other ``weekday``, counted from the series' first meeting (the first
  ``weekday`` on or after the day it was created);
- monthly: the n-th ``weekday`` of each month, n being that of the first meeting (capped at
  the 4th, which every month has).

The time of day is the series' ``start_time`` on the wall clock of the network's zone, so a
12:30 meeting stays at 12:30 across daylight saving changes (its UTC instant moves).
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tenant_apps.pro.models import RcpSeries


def first_day(series: RcpSeries, zone: ZoneInfo) -> date:
    created = (series.created or datetime.now(tz=zone)).astimezone(zone).date()
    return created + timedelta(days=(series.weekday - created.weekday()) % 7)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def days(series: RcpSeries, zone: ZoneInfo, start: date, end: date) -> Iterator[date]:
    """The series' meeting days from ``start`` to ``end`` (both included)."""
    anchor = first_day(series, zone)
    start = max(start, anchor)
    if series.recurrence == RcpSeries.Recurrence.MONTHLY:
        n = min((anchor.day - 1) // 7 + 1, 4)
        year, month = start.year, start.month
        while True:
            day = _nth_weekday(year, month, series.weekday, n)
            if day > end:
                return
            if day >= start:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = 14 if series.recurrence == RcpSeries.Recurrence.FORTNIGHTLY else 7
    offset = (start - anchor).days
    day = anchor + timedelta(days=-(-offset // step) * step)
    while day <= end:
        yield day
        day += timedelta(days=step)


def instants(series: RcpSeries, zone: ZoneInfo, start: date, end: date):
    """(starts_at, ends_at) of each meeting day, aware, on the zone's wall clock."""
    for day in days(series, zone, start, end):
        starts_at = datetime.combine(day, series.start_time, tzinfo=zone)
        yield starts_at, starts_at + timedelta(minutes=series.duration_minutes)
