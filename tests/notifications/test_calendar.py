"""iCalendar files: any text survives the round trip; invalid events are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtour.notifications.calendar import CalendarEvent, clean_text, ics_bytes

START = datetime(2030, 4, 2, 10, 30, tzinfo=ZoneInfo("Asia/Seoul"))


def _event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "job-1@medtour",
        "start": START,
        "end": START + timedelta(hours=1),
        "summary": "상담",
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(summary=st.text(), location=st.text(max_size=80), description=st.text(max_size=300))
def test_any_text_round_trips(summary: str, location: str, description: str) -> None:
    data = ics_bytes(
        [_event(summary=summary, location=location, description=description)], name=summary
    )
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event.get("summary", "")) == clean_text(summary)
    assert str(event.get("location", "")) == clean_text(location)
    assert str(event.get("description", "")) == clean_text(description)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]) == " ".join(clean_text(summary).split())


def test_times_are_written_in_utc_and_read_back_as_the_same_instant() -> None:
    data = ics_bytes([_event()], name="Medtour")
    assert b"DTSTART:20300402T013000Z" in data
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + timedelta(hours=1)
    assert event.decoded("dtstamp").tzinfo is not None


def test_a_feed_holds_many_events_and_a_cancellation_keeps_the_uid() -> None:
    events = [
        _event(
            uid=f"job-{n}@medtour",
            start=START + timedelta(days=n),
            end=START + timedelta(days=n, hours=1),
        )
        for n in range(30)
    ]
    events.append(_event(uid="job-0@medtour", status="CANCELLED", sequence=7))
    calendar = icalendar.Calendar.from_ical(ics_bytes(events, name="Jobs"))
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "Jobs"
    found = calendar.walk("VEVENT")
    assert len(found) == 31
    cancelled = found[-1]
    assert (str(cancelled["uid"]), str(cancelled["status"]), int(cancelled["sequence"])) == (
        "job-0@medtour",
        "CANCELLED",
        7,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"uid": " "},
        {"start": datetime(2030, 4, 2, 10, 30)},
        {"end": START},
        {"status": "MAYBE"},
    ],
)
def test_invalid_events_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        _event(**changes)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError):
        ics_bytes([_event()], name="x", method="SEND")


def test_utc_input_is_accepted() -> None:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    assert b"DTSTART:20300101T000000Z" in ics_bytes(
        [_event(start=start, end=start + timedelta(minutes=5))], name="x"
    )
