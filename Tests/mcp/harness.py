"""Helpers for the MCP tests: the built binary, a client session from the `mcp` package, and a scripted person.

The binary is $SMALLCHANGES_BIN, else .build/debug/smallchanges; every test gives it a data folder of its own.
"""
import json
import os
import subprocess
import uuid
from contextlib import asynccontextmanager

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("SMALLCHANGES_BIN", os.path.join(ROOT, ".build", "debug", "smallchanges"))

# What the person types, one line per question, as `smallchanges chat` reads it from a pipe. Lines starting
# with "/" are commands; every other line is an answer in the person's own words.
PLAN_ANSWERS = os.path.join(HERE, "plan.answers")


def read_answers(path=PLAN_ANSWERS):
    with open(path, encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file if line.strip()]


def server_parameters(data_dir, extra=(), capture=None):
    """How to start `smallchanges mcp --data-dir DATA_DIR`; with `capture`, its stdout is also copied there by
    tee, so a test sees every byte the server wrote, not only what the client made of it."""
    args = ["mcp", "--data-dir", str(data_dir), *extra]
    if capture is None:
        return StdioServerParameters(command=BIN, args=args, cwd=ROOT)
    return StdioServerParameters(
        command="sh", args=["-c", '"$0" "$@" | tee "$SMALLCHANGES_CAPTURE"', BIN, *args], cwd=ROOT,
        env={"SMALLCHANGES_CAPTURE": str(capture)})


def captured_messages(capture):
    """Every line the server wrote, each parsed as JSON (which fails the test if one is not)."""
    with open(capture, "rb") as file:
        lines = file.read().split(b"\n")
    assert lines[-1] == b"", "the last line is not finished"
    return [json.loads(line) for line in lines[:-1]]


@asynccontextmanager
async def connect(data_dir, elicitation=None, errlog=None, extra=(), capture=None):
    """An initialized client session with `smallchanges mcp --data-dir DATA_DIR`."""
    params = server_parameters(data_dir, extra, capture)
    kwargs = {"elicitation_callback": elicitation} if elicitation else {}
    stderr = errlog or open(os.devnull, "w")
    async with stdio_client(params, errlog=stderr) as (read, write):
        async with ClientSession(read, write, **kwargs) as session:
            await session.initialize()
            yield session


async def call(session, tool, **arguments):
    """Calls a tool that must succeed; returns its structured content, checked against the text block."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


async def play(session, session_id, lines):
    """Plays the lines as the person: a `/name` line through the command tool, any other through answer.

    `lines` is a list the elicitation callback may also take lines from (a question asked as a form).
    Returns the last result."""
    result = None
    while lines:
        line = lines.pop(0)
        if line.startswith("/"):
            name, _, argument = line[1:].partition(" ")
            arguments = {"session_id": session_id, "name": name}
            if argument:
                arguments["argument"] = argument
            result = await call(session, "command", **arguments)
        else:
            result = await call(session, "answer", session_id=session_id, text=line, client_msg_id=str(uuid.uuid4()))
    return result


async def exported_plan(session, session_id):
    exported = await call(session, "export_plan", session_id=session_id, format="json")
    return json.loads(exported["content"])


def run_cli(data_dir, *args, stdin=""):
    """Runs the binary (the REPL reads plain lines when stdin is a pipe) and returns its stdout."""
    done = subprocess.run(
        [BIN, *args, "--data-dir", data_dir], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "TERM": "dumb", "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli_plan(data_dir, session_id="latest"):
    """The plan `smallchanges export --format json` writes for a stored session."""
    return json.loads(run_cli(data_dir, "export", session_id, "--format", "json", "--output", "-"))
