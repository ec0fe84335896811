"""The feed's iCalendar text, written directly: the same bytes as the icalendar library's
`Calendar.to_ical()` for the calendar and events the feed makes (its property order, TEXT escaping,
dates, UTC time stamps and 75-octet folding), at a fraction of the cost of building its component
objects. tests/coordination/test_calendar_ical.py compares the two on every kind of value the feed holds.
Anything beyond the feed's few properties belongs to the library."""

import datetime


def escape_text(text):
    """A TEXT value escaped as RFC 5545 (3.3.11) asks, in the library's order."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line, limit=75):
    """A content line folded so that no physical line reaches `limit` octets (the library's rule: an
    escape's backslash is never left at the end of a line)."""
    if len(line) * 4 < limit or len(line.encode()) < limit:
        return line
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(day):
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _stamp(moment):
    moment = moment.astimezone(datetime.UTC)
    return f"{_date(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def calendar_ical(*, prodid, name, events, now):
    """The feed's calendar as bytes: VERSION, PRODID, CALSCALE and X-WR-CALNAME, then one all-day VEVENT
    per event (`CalendarEvent`: uid, summary, first and last day, optional description and location,
    time stamp or `now`)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        fold(f"PRODID:{escape_text(prodid)}"),
        "CALSCALE:GREGORIAN",
        # An X- property has no type for the library: written as given, not escaped.
        fold(f"X-WR-CALNAME:{name}"),
    ]
    one_day = datetime.timedelta(days=1)
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            fold(f"SUMMARY:{escape_text(event.summary)}"),
            f"DTSTART;VALUE=DATE:{_date(event.start)}",
            # All-day events end on the day after the last one (RFC 5545).
            f"DTEND;VALUE=DATE:{_date(event.end + one_day)}",
            f"DTSTAMP:{_stamp(event.stamp or now)}",
            fold(f"UID:{escape_text(event.uid)}"),
        ]
        if event.description:
            lines.append(fold(f"DESCRIPTION:{escape_text(event.description)}"))
        if event.location:
            lines.append(fold(f"LOCATION:{escape_text(event.location)}"))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    lines.append("")
    return "\r\n".join(lines).encode()
