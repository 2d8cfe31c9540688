"""Meeting days of a series (tenant_apps/pro/rcp/schedule.py): the wall clock of the network's
zone across daylight saving time, every other week, the n-th weekday of the month."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from tenant_apps.pro.models import RcpSeries
from tenant_apps.pro.rcp import schedule

PARIS = ZoneInfo("Europe/Paris")


def _series(recurrence, created: date, weekday: int = 1) -> RcpSeries:
    return RcpSeries(
        name="RCP", slug="rcp", organ="Thorax", weekday=weekday, start_time=time(12, 30),
        recurrence=recurrence, duration_minutes=90,
        created=datetime.combine(created, time(9), tzinfo=PARIS),
    )  # fmt: skip


def test_weekly_meetings_stay_at_half_past_twelve_across_the_clock_change():
    series = _series(RcpSeries.Recurrence.WEEKLY, date(2026, 1, 1))
    found = list(schedule.instants(series, PARIS, date(2026, 3, 20), date(2026, 4, 5)))
    # Tuesdays 24 and 31 March: summer time begins on Sunday 29 March 2026.
    assert [s.astimezone(UTC) for s, _ in found] == [
        datetime(2026, 3, 24, 11, 30, tzinfo=UTC),
        datetime(2026, 3, 31, 10, 30, tzinfo=UTC),
    ]
    assert all(s.astimezone(PARIS).time() == time(12, 30) for s, _ in found)
    assert all((e - s).total_seconds() == 90 * 60 for s, e in found)
    autumn = list(schedule.instants(series, PARIS, date(2026, 10, 20), date(2026, 10, 28)))
    assert [s.astimezone(UTC).hour for s, _ in autumn] == [10, 11]  # 20 then 27 October


def test_fortnightly_meetings_count_from_the_first_one():
    # Created on Wednesday 7 January 2026: the first Tuesday is the 13th.
    series = _series(RcpSeries.Recurrence.FORTNIGHTLY, date(2026, 1, 7))
    days = list(schedule.days(series, PARIS, date(2026, 1, 1), date(2026, 2, 28)))
    assert days == [date(2026, 1, 13), date(2026, 1, 27), date(2026, 2, 10), date(2026, 2, 24)]
    # Asked from a day in between, the same rhythm.
    later = list(schedule.days(series, PARIS, date(2026, 1, 14), date(2026, 2, 11)))
    assert later == [date(2026, 1, 27), date(2026, 2, 10)]


def test_monthly_meetings_are_the_same_nth_weekday():
    # First Thursday on or after 9 January 2026 is the 15th: the third Thursday.
    series = _series(RcpSeries.Recurrence.MONTHLY, date(2026, 1, 9), weekday=3)
    days = list(schedule.days(series, PARIS, date(2026, 1, 1), date(2026, 4, 30)))
    assert days == [date(2026, 1, 15), date(2026, 2, 19), date(2026, 3, 19), date(2026, 4, 16)]
