"""The one working-day engine (SYS-3): every deadline in Sunlight is computed here, in h, CD, WD or months.

Rules (DOMAIN-RULES.md, Counting):

* A working day is Monday-Friday plus official make-up workdays (调休), minus official holidays. The
  official schedule comes from the `chinese-calendar` package; an administrator can add or correct days
  through `CalendarOverride` rows (nationwide or per region, e.g. minority-nationality holidays) and confirm
  a year the package does not know yet through a `CalendarYear` row.
* A year with no official schedule (neither known to the package nor confirmed) counts Monday-Friday as
  working days, plus overrides, and is reported in `WorkCalendar.unscheduled_years` so that callers can show
  `unscheduled_warning()`.
* The start day of a period is never counted; a calendar-day or month period whose last day is a rest day
  ends on the next working day; day periods end at 24:00 Asia/Shanghai time of their last day.

Implementation: each consulted year is turned once into a table of working-day flags and their prefix sums,
so `add_workdays` and `workdays_between` cost one binary search per year crossed, whatever the period.
"""

from __future__ import annotations

import bisect
import calendar as std_calendar
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chinese_calendar import constants as cc_constants
from django.utils.translation import gettext

from .choices import DayKind, Level, Unit
from .ids import is_valid_region_code, region_code_ancestors

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)

# The official schedule shipped with chinese-calendar, grouped by year once at import time.
_CC_HOLIDAYS: dict[int, list[date]] = {}
for _d in cc_constants.holidays:
    _CC_HOLIDAYS.setdefault(_d.year, []).append(_d)
_CC_WORKDAYS: dict[int, list[date]] = {}
for _d in cc_constants.workdays:
    _CC_WORKDAYS.setdefault(_d.year, []).append(_d)
# chinese-calendar supports exactly the years between its first and last listed holiday (it raises otherwise).
CC_FIRST_YEAR = min(_CC_HOLIDAYS)
CC_LAST_YEAR = max(_CC_HOLIDAYS)

# A year without a single working day is possible (overrides), a run of them is a data error.
_MAX_YEARS_WITHOUT_WORKDAY = 20


@dataclass(frozen=True)
class Period:
    """A statutory period: a non-negative amount in one unit (SYS-3)."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("Period.amount must be an int")
        if self.amount < 0:
            raise ValueError("Period.amount must be >= 0")
        object.__setattr__(self, "unit", Unit(self.unit))


class _YearTable:
    """One year's working-day flags and prefix sums (prefix[i] = working days among its first i days)."""

    __slots__ = ("first_ordinal", "flags", "prefix", "total", "year")

    def __init__(self, year: int, flags: bytearray) -> None:
        self.year = year
        self.first_ordinal = date(year, 1, 1).toordinal()
        self.flags = bytes(flags)
        self.prefix = [0, *itertools.accumulate(self.flags)]
        self.total = self.prefix[-1]


def shift_months(d: date, n: int) -> date:
    """The date `n` months after `d` (before, when negative): the matching day or the month's last day."""
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    month = month0 + 1
    return date(year, month, min(d.day, std_calendar.monthrange(year, month)[1]))


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime."""
    _require_aware(moment, "moment")
    return moment.astimezone(LOCAL_TZ).date()


def start_of_local_day(d: date) -> datetime:
    """00:00 Asia/Shanghai time of `d`, as an aware UTC datetime."""
    return datetime.combine(d, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def end_of_local_day(d: date) -> datetime:
    """24:00 Asia/Shanghai time of `d` (= 00:00 of the next day), as an aware UTC datetime."""
    return start_of_local_day(d + ONE_DAY)


def last_local_day(due: datetime) -> date:
    """The last day of a day-based period that ends at `due` (24:00 of that day)."""
    local = due.astimezone(LOCAL_TZ)
    if local.time() == time(0):
        return local.date() - ONE_DAY
    return local.date()


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


class WorkCalendar:
    """Working days of one region (SYS-3): the official schedule, then nationwide and regional overrides.

    Build it with `WorkCalendar.load(region_code)` from the database, or directly (no database) with resolved
    overrides, `{date: True}` for a working day and `{date: False}` for a rest day, for tests and benchmarks.
    An instance caches the years it has consulted; create a new one after overrides change.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[date, bool] | None = None,
        confirmed_years: Iterable[int] = (),
        region_code: str = "",
    ) -> None:
        self.region_code = region_code
        self._confirmed_years = frozenset(int(y) for y in confirmed_years)
        self._overrides_by_year: dict[int, dict[date, bool]] = {}
        for d, is_work in (overrides or {}).items():
            self._overrides_by_year.setdefault(d.year, {})[d] = bool(is_work)
        self._years: dict[int, _YearTable] = {}
        self._unscheduled: set[int] = set()

    @classmethod
    def load(cls, region_code: str = "") -> WorkCalendar:
        """The calendar of a region ("" = nationwide) from the database, in two queries (SYS-3).

        Overrides of the region, of each region above it and nationwide apply; for one date the most
        specific region that says something wins, and within one region the newest row (created_at, id).
        A newest row of kind "official" means "no override here": the next less specific region decides, and
        after the nationwide level the official schedule.
        """
        from .models import CalendarOverride, CalendarYear

        if region_code and not is_valid_region_code(region_code):
            raise ValueError(f"not a region code: {region_code!r}")
        levels = [*region_code_ancestors(region_code), ""] if region_code else [""]
        rank = {code: i for i, code in enumerate(levels)}
        per_level: list[dict[date, str]] = [{} for _ in levels]
        rows = (
            CalendarOverride.objects.filter(region_code__in=levels)
            .order_by("created_at", "id")
            .values_list("region_code", "date", "kind")
        )
        for code, day, kind in rows:
            per_level[rank[code]][day] = kind  # ascending: a level's newest row overwrites older ones
        resolved: dict[date, bool] = {}
        for day in set().union(*per_level):
            for level in per_level:
                said = level.get(day)
                if said in (DayKind.WORKDAY, DayKind.RESTDAY):
                    resolved[day] = said == DayKind.WORKDAY
                    break
        years = CalendarYear.objects.values_list("year", flat=True)
        return cls(overrides=resolved, confirmed_years=years, region_code=region_code)

    # Year tables

    def _table(self, year: int) -> _YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._build(year)
            self._years[year] = table
        return table

    def _build(self, year: int) -> _YearTable:
        first = date(year, 1, 1)
        first_ordinal = first.toordinal()
        days = 366 if std_calendar.isleap(year) else 365
        weekday0 = first.weekday()
        flags = bytearray(1 if (weekday0 + i) % 7 < 5 else 0 for i in range(days))
        if CC_FIRST_YEAR <= year <= CC_LAST_YEAR:
            for d in _CC_HOLIDAYS.get(year, ()):
                flags[d.toordinal() - first_ordinal] = 0
            for d in _CC_WORKDAYS.get(year, ()):  # make-up workdays win over holidays, as in chinese-calendar
                flags[d.toordinal() - first_ordinal] = 1
        elif year not in self._confirmed_years:
            self._unscheduled.add(year)
        for d, is_work in self._overrides_by_year.get(year, {}).items():
            flags[d.toordinal() - first_ordinal] = 1 if is_work else 0
        return _YearTable(year, flags)

    def _locate(self, d: date) -> tuple[_YearTable, int]:
        table = self._table(d.year)
        return table, d.toordinal() - table.first_ordinal

    # Queries

    def is_scheduled_year(self, year: int) -> bool:
        """True when `year` has an official schedule (in chinese-calendar, or confirmed by CalendarYear)."""
        return CC_FIRST_YEAR <= year <= CC_LAST_YEAR or year in self._confirmed_years

    @property
    def unscheduled_years(self) -> frozenset[int]:
        """Years consulted so far that have no official schedule (counted as Monday-Friday plus overrides)."""
        return frozenset(self._unscheduled)

    def is_workday(self, d: date) -> bool:
        """True when `d` is a working day in this calendar."""
        table, i = self._locate(d)
        return bool(table.flags[i])

    def next_workday(self, d: date) -> date:
        """`d` itself when it is a working day, otherwise the first working day after it."""
        table, i = self._locate(d)
        target = table.prefix[i] + 1
        for _ in range(_MAX_YEARS_WITHOUT_WORKDAY):
            if target <= table.total:
                return date.fromordinal(table.first_ordinal + bisect.bisect_left(table.prefix, target) - 1)
            table = self._table(table.year + 1)
            target = 1
        raise ValueError(f"no working day within {_MAX_YEARS_WITHOUT_WORKDAY} years after {d.isoformat()}")

    def add_workdays(self, start: date, n: int) -> date:
        """The date `n` working days after `start` (SYS-3); the start day is never counted.

        n > 0: the n-th working day after `start` (always a working day). n = 0: `start` itself.
        n < 0: the |n|-th working day before `start`, so that
        `workdays_between(start, add_workdays(start, n)) == n` holds for every n.
        """
        if n == 0:
            return start
        table, i = self._locate(start)
        if n > 0:
            target = table.prefix[i + 1] + n  # working days from the year's start through the answer
            while target > table.total:
                target -= table.total
                table = self._table(table.year + 1)
            return date.fromordinal(table.first_ordinal + bisect.bisect_left(table.prefix, target) - 1)
        target = table.prefix[i] + n  # working days of the year strictly before the answer
        while target < 0:
            table = self._table(table.year - 1)
            target += table.total
        return date.fromordinal(table.first_ordinal + bisect.bisect_left(table.prefix, target + 1) - 1)

    def _count_after_through(self, a: date, b: date) -> int:
        """Working days d with a < d <= b, for a <= b."""
        ta, ia = self._locate(a)
        tb, ib = self._locate(b)
        if ta.year == tb.year:
            return tb.prefix[ib + 1] - ta.prefix[ia + 1]
        total = ta.total - ta.prefix[ia + 1]
        for year in range(ta.year + 1, tb.year):
            total += self._table(year).total
        return total + tb.prefix[ib + 1]

    def workdays_between(self, a: date, b: date) -> int:
        """Working days from `a` to `b`, `a` not counted (SYS-3).

        a <= b: the number of working days d with a < d <= b.
        b < a: minus the number of working days d with b <= d < a (the same count with time running
        backwards), so that `workdays_between(d, add_workdays(d, n)) == n` for every n.
        """
        if a <= b:
            return self._count_after_through(a, b)
        return -self._count_after_through(b - ONE_DAY, a - ONE_DAY)

    def add_calendar_days(self, start: date, n: int) -> date:
        """`start` + n calendar days, moved off a rest day to the next working day (DOMAIN-RULES)."""
        return self.next_workday(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> date:
        """The matching date n months after `start` (or that month's last day), moved off a rest day."""
        return self.next_workday(shift_months(start, n))


# Pauses

PauseSpan = tuple[datetime, datetime | None]


def _closed_pauses(pauses: Iterable[PauseSpan], now: datetime | None) -> list[tuple[datetime, datetime]]:
    """Pauses as closed (start, end) intervals, sorted and merged; an open pause ends at `now`."""
    spans: list[tuple[datetime, datetime]] = []
    for started, ended in pauses:
        _require_aware(started, "pause start")
        if ended is None:
            if now is None:
                raise ValueError("now is required when a pause is still open")
            _require_aware(now, "now")
            ended = max(now, started)
        else:
            _require_aware(ended, "pause end")
        if ended < started:
            raise ValueError("a pause cannot end before it starts")
        spans.append((started, ended))
    spans.sort()
    merged: list[tuple[datetime, datetime]] = []
    for started, ended in spans:
        if merged and started <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ended))
        else:
            merged.append((started, ended))
    return merged


def _paused_dates(spans: Sequence[tuple[datetime, datetime]]) -> list[tuple[date, date]]:
    """Paused local dates as (a, b) meaning a < d <= b, sorted and merged."""
    ranges: list[tuple[date, date]] = []
    for started, ended in spans:
        a, b = local_date(started), local_date(ended)
        if b <= a:
            continue
        if ranges and a <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], b))
        else:
            ranges.append((a, b))
    return ranges


def _nth_unpaused_day(start: date, n: int, paused: Sequence[tuple[date, date]]) -> date:
    cursor, remaining = start, n
    for a, b in paused:
        if b <= cursor:
            continue
        available = (max(a, cursor) - cursor).days
        if remaining <= available:
            break
        remaining -= available
        cursor = b
    return cursor + timedelta(days=remaining)


def _nth_unpaused_workday(cal: WorkCalendar, start: date, n: int, paused: Sequence[tuple[date, date]]) -> date:
    cursor, remaining = start, n
    for a, b in paused:
        if b <= cursor:
            continue
        available = cal.workdays_between(cursor, max(a, cursor))
        if remaining <= available:
            break
        remaining -= available
        cursor = b
    return cal.add_workdays(cursor, remaining)


def _next_unpaused_workday(cal: WorkCalendar, d: date, paused: Sequence[tuple[date, date]]) -> date:
    d = cal.next_workday(d)
    for a, b in paused:
        if a < d <= b:
            d = cal.next_workday(b + ONE_DAY)
    return d


def due_at(
    calendar: WorkCalendar,
    *,
    start: datetime,
    period: Period,
    pauses: Iterable[PauseSpan] = (),
    extensions: int = 0,
    now: datetime | None = None,
) -> datetime:
    """When a period that started at `start` ends, as an aware UTC datetime (SYS-3, SYS-8).

    * Extensions add to the amount, in the period's unit.
    * Hours (h): start + amount hours, plus the part of every pause that falls inside the running clock
      (a pause that begins at or after the moment the clock would have run out changes nothing).
    * Days (WD, CD, M) end at 24:00 Asia/Shanghai time of the last day. The start day is not counted.
      WD: the last day is the amount-th working day after the start day. CD: start day + amount days;
      M: the matching date amount months later (or that month's last day); for CD and M, a last day that is
      a rest day moves to the next working day.
    * Pauses for day units: a pause from local date P to local date R removes the dates P < d <= R from the
      count (they are not elapsed days): the day a pause begins still counts, the day the clock resumes does
      not (like a start day), and a pause that begins and ends on the same day changes nothing. For CD and M
      a pause removes calendar days (the period's length in days is kept, the removed days are skipped); for
      WD it removes the working days among them. A pause beginning after the last day changes nothing.
    * An open pause (end None) is treated as ending at `now`, which is then required.
    """
    _require_aware(start, "start")
    if isinstance(extensions, bool) or not isinstance(extensions, int) or extensions < 0:
        raise ValueError("extensions must be a non-negative int")
    amount = period.amount + extensions
    spans = _closed_pauses(pauses, now)
    if period.unit == Unit.HOURS:
        cursor, remaining = start, timedelta(hours=amount)
        for started, ended in spans:
            if ended <= cursor:
                continue
            available = max(started, cursor) - cursor
            if remaining <= available:
                break
            remaining -= available
            cursor = ended
        return (cursor + remaining).astimezone(UTC)
    first = local_date(start)
    paused = _paused_dates(spans)
    if period.unit == Unit.WORKING_DAYS:
        last = _nth_unpaused_workday(calendar, first, amount, paused)
    else:
        length = amount if period.unit == Unit.CALENDAR_DAYS else (shift_months(first, amount) - first).days
        last = _next_unpaused_workday(calendar, _nth_unpaused_day(first, length, paused), paused)
    return end_of_local_day(last)


def yellow_at(
    calendar: WorkCalendar,
    *,
    due: datetime,
    period_amount: int,
    unit: Unit,
    yellow_percent: int = 20,
    yellow_min: int = 1,
    start: datetime | None = None,
) -> datetime:
    """When a deadline due at `due` turns yellow (SYS-8), as an aware UTC datetime.

    The rule is "yellow_min units or yellow_percent % of the period left, whichever comes first", i.e. the
    larger remaining threshold; percentages round up:

    * WD: t = max(yellow_min, ceil(amount * pct / 100)) working days; yellow from 00:00 of the t-th working
      day counted back from the last day (the last day is the 1st), so that from that day on t working days,
      that day and the last day included, remain. One working day left = yellow on the last day.
    * CD: t = max(yellow_min, ceil(amount * pct / 100)) calendar days before `due` (24:00 of the last day).
    * M: the percentage applies to the period's actual length in calendar days (from the local start date to
      the last day when `start` is given, otherwise the last day minus `period_amount` months); `yellow_min`
      is in working days (as DeadlineRule.yellow_min says) and counts like WD; the earlier moment wins.
    * h: max(yellow_min hours, pct % of the period) before `due`.
    """
    _require_aware(due, "due")
    unit = Unit(unit)
    if not 0 <= yellow_percent <= 100:
        raise ValueError("yellow_percent must be between 0 and 100")
    if yellow_min < 0 or period_amount < 0:
        raise ValueError("yellow_min and period_amount must be >= 0")
    pct_part = math.ceil(period_amount * yellow_percent / 100)
    if unit == Unit.HOURS:
        seconds = max(yellow_min * 3600, math.ceil(period_amount * 3600 * yellow_percent / 100))
        return (due - timedelta(seconds=seconds)).astimezone(UTC)
    last = last_local_day(due)
    if unit == Unit.CALENDAR_DAYS:
        return start_of_local_day(last + ONE_DAY - timedelta(days=max(yellow_min, pct_part)))
    if unit == Unit.WORKING_DAYS:
        return start_of_local_day(calendar.add_workdays(last + ONE_DAY, -max(yellow_min, pct_part)))
    first = local_date(start) if start is not None else shift_months(last, -period_amount)
    length = max((last - first).days, 0)
    by_percent = start_of_local_day(last + ONE_DAY - timedelta(days=math.ceil(length * yellow_percent / 100)))
    by_minimum = start_of_local_day(calendar.add_workdays(last + ONE_DAY, -yellow_min))
    return min(by_percent, by_minimum)


def level_at(*, now: datetime, yellow: datetime, due: datetime) -> Level:
    """The warning level at `now` (SYS-8): red from `due` on, yellow from `yellow` on, green before."""
    if now >= due:
        return Level.RED
    if now >= yellow:
        return Level.YELLOW
    return Level.GREEN


def unscheduled_warning(years: Iterable[int]) -> str | None:
    """The warning for computations that used years without an official schedule (SYS-3); None if none."""
    listed = sorted(set(years))
    if not listed:
        return None
    return gettext("%(years)s年的官方放假安排尚未导入，已按周末计算工作日，请系统管理员录入。") % {
        "years": "、".join(str(y) for y in listed)
    }
