"""A plan made, logged and reviewed through the built binary, for the export tests."""
import datetime
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("SMALLCHANGES_BIN", os.path.join(ROOT, ".build", "debug", "smallchanges"))
TRANSCRIPTS = os.path.join(ROOT, "Tests", "SmallchangesEndToEndTests", "Transcripts")

# Ten weekly figures, the last six below the first four.
FIGURES = ["9", "10", "9", "11", "4", "3", "4", "2", "3", "3"]


def run(data, *args, stdin="", today="2026-12-07"):
    env = dict(os.environ, SMALLCHANGES_TODAY=today)
    result = subprocess.run([BIN, *args, "--data-dir", data], input=stdin, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, f"{args}: {result.stderr}"
    return result.stdout


def reviewed_plan():
    """A data folder holding the nurse's plan, ten weekly figures, and a review that adapted it."""
    data = tempfile.mkdtemp(prefix="smallchanges-pdsa-")
    with open(os.path.join(TRANSCRIPTS, "nurse-plan.answers"), encoding="utf-8") as answers:
        run(data, "chat", "--flow", "plan", stdin=answers.read())
    first = datetime.date(2026, 9, 28)
    for week, figure in enumerate(FIGURES):
        run(data, "log", "latest", figure, "--date", (first + datetime.timedelta(weeks=week)).isoformat())
    with open(os.path.join(TRANSCRIPTS, "review-with-data.answers"), encoding="utf-8") as answers:
        run(data, "review", "latest", stdin=answers.read(), today="2026-12-21")
    return data


def export(data, fmt):
    return run(data, "export", "latest", "--format", fmt, "-o", "-")


def plan_json(data):
    return json.loads(export(data, "json"))
