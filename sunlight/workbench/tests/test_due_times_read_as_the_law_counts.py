"""SYS-3: a period that ends at 24:00 of its last day is shown as that day's 24:00, not the next day's 00:00."""

import datetime as dt

from sunlight.workbench.templatetags.sunlight import due

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_midnight_is_shown_as_24_00_of_the_last_day():
    assert due(dt.datetime(2026, 11, 18, 0, 0, tzinfo=SHANGHAI)) == "2026-11-17 24:00"


def test_other_times_are_shown_in_shanghai_time():
    assert due(dt.datetime(2026, 11, 18, 1, 30, tzinfo=dt.UTC)) == "2026-11-18 09:30"
    assert due(None) == ""
