"""Appointments as iCalendar (RFC 5545): one event attached to a mail, or a feed of many.

Times are written in UTC (`DTSTART:20261208T010000Z`), which every calendar shows in the
reader's own time zone; no VTIMEZONE block is needed. A cancelled appointment is the same UID
with STATUS:CANCELLED and a higher SEQUENCE, so calendars update the event they already have.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
from django.utils import timezone

STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
PRODID = "-//Medtour//Foreign patient services//EN"
_SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    status: str = "CONFIRMED"
    # None: seconds since 2025 (a 32-bit number until 2093), so each later message about the
    # same appointment supersedes the earlier ones in the patient's calendar.
    sequence: int | None = None
    url: str = ""

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ValueError("a calendar event needs a uid")
        if timezone.is_naive(self.start) or timezone.is_naive(self.end):
            raise ValueError("calendar event times must carry a time zone")
        if self.end <= self.start:
            raise ValueError("a calendar event must end after it starts")
        if self.status not in STATUSES:
            raise ValueError(f"calendar status must be one of {', '.join(STATUSES)}")


def clean_text(value: str) -> str:
    """VALUE without the control characters iCalendar cannot carry (line breaks kept)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in value
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Cn")
    )


def _event(item: CalendarEvent, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", clean_text(item.uid))
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start.astimezone(UTC))
    event.add("dtend", item.end.astimezone(UTC))
    event.add("summary", clean_text(item.summary))
    if item.location:
        event.add("location", clean_text(item.location))
    if item.description:
        event.add("description", clean_text(item.description))
    if item.url:
        event.add("url", item.url)
    event.add("status", item.status)
    event.add(
        "sequence",
        int((stamp - _SEQUENCE_EPOCH).total_seconds()) if item.sequence is None else item.sequence,
    )
    if item.status == "CANCELLED":
        event.add("transp", "TRANSPARENT")
    return event


def ics_calendar(
    events: list[CalendarEvent], *, name: str, method: str = "PUBLISH"
) -> icalendar.Calendar:
    if method not in METHODS:
        raise ValueError(f"calendar method must be one of {', '.join(METHODS)}")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", " ".join(clean_text(name).split()))
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for item in events:
        calendar.add_component(_event(item, stamp))
    return calendar


def ics_bytes(events: list[CalendarEvent], *, name: str, method: str = "PUBLISH") -> bytes:
    """EVENTS as one iCalendar file (UTF-8, CRLF line endings, lines folded at 75 octets)."""
    return ics_calendar(events, name=name, method=method).to_ical()
