"""The conversation set (Tests/Conversations) played through the server over stdio by scripts/conversation-eval.py.

Targets live in the script's report (README, 'Measured'); this test holds the floor that must never give way:
nothing a person says as a control answer is stored, every correction is honoured, and placement does not fall
below the level this build reached.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
BINARY = os.environ.get("SMALLCHANGES_BIN", os.path.join(ROOT, ".build", "debug", "smallchanges"))


def test_the_conversation_set_lands_where_people_meant_it():
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "conversation-eval.py"), BINARY, "--json"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conversations"] >= 12
    assert report["stored_from_control"] == 0
    assert report["corrections"] == 100.0
    assert report["control"] >= 97.0
    assert report["placement"] >= 85.0
