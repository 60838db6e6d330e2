"""The calendar export, read by the icalendar package (PyPI): every check-in and review date, stable UIDs."""
import datetime
import shutil

import icalendar
import pytest

from plans import export, plan_json, reviewed_plan, run


@pytest.fixture(scope="module")
def data():
    folder = reviewed_plan()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def events(text):
    calendar = icalendar.Calendar.from_ical(text)
    return [component for component in calendar.walk() if component.name == "VEVENT"]


def test_the_calendar_holds_every_check_in_and_review_date(data):
    plan = plan_json(data)
    found = events(export(data, "ics"))
    starts = {(str(event["UID"]), event.decoded("DTSTART")) for event in found}
    dated = [entry for entry in plan["checkIns"] if "date" in entry]
    assert len(found) == len(dated) >= 4
    for entry in dated:
        day = datetime.date.fromisoformat(entry["date"])
        kind = "review" if entry.get("asked") == "review-date" else "check-in"
        assert any(uid.split("@")[0].rsplit("-", 1)[0].endswith(kind) and start == day for uid, start in starts), entry
    weekly = [event for event in found if "RRULE" in event]
    assert weekly and weekly[0]["RRULE"]["FREQ"] == ["WEEKLY"]
    for event in found:
        assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(days=1)
        assert "DTSTAMP" in event


def test_each_event_keeps_its_uid_so_a_newer_export_updates_it(data):
    before = [str(event["UID"]) for event in events(export(data, "ics"))]
    run(data, "log", "latest", "2", "--date", "2026-12-07", today="2026-12-22")
    after = [str(event["UID"]) for event in events(export(data, "ics"))]
    assert before == after
    assert len(set(after)) == len(after)
