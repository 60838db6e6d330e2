"""End-to-end tests of `smallchanges mcp` with the MCP client from PyPI (`mcp`: stdio_client, ClientSession).

Run: python3 -m pytest -q Tests/mcp   (needs: pip install -r Tests/mcp/requirements.txt, and the binary at
$SMALLCHANGES_BIN or .build/debug/smallchanges). Every test keeps its sessions in a temporary data folder.
"""
import functools
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import uuid

import anyio
import pytest
from mcp.shared.exceptions import MCPError

from harness import BIN, ROOT, call, captured_messages, cli_plan, connect, exported_plan, play, read_answers, run_cli

pytestmark = pytest.mark.skipif(not os.access(BIN, os.X_OK), reason=f"no smallchanges binary at {BIN}")


@pytest.fixture(scope="module")
def repl_plan():
    """The plan the REPL makes from plan.answers, typed one line per question."""
    with tempfile.TemporaryDirectory() as data_dir:
        run_cli(data_dir, "chat", "--flow", "plan", stdin="\n".join(read_answers()) + "\n")
        plan = cli_plan(data_dir)
    assert plan["change"], "the REPL session did not get as far as a change"
    return plan


def test_the_server_speaks_a_protocol_version_the_client_knows(tmp_path):
    async def main():
        async with connect(str(tmp_path)) as session:
            result = session.initialize_result
            # mcp 2.3.0 opens with 2025-11-25, the newest version swift-sdk 0.12.1 knows, and accepts it back.
            assert result.protocol_version == "2025-11-25"
            assert "word for word" in result.instructions
            assert "Never write an answer for them" in result.instructions
            tools = (await session.list_tools()).tools
            assert {tool.name for tool in tools} == {
                "start_session", "answer", "command", "get_session", "list_sessions", "check_plan", "export_plan",
                "route"}
            assert all(tool.output_schema for tool in tools)
            prompts = {prompt.name for prompt in (await session.list_prompts()).prompts}
            assert prompts == {"plan-a-small-change", "reflect", "review-a-change"}

    anyio.run(main)


def test_a_whole_plan_through_tools_alone_equals_the_repl_plan(tmp_path, repl_plan):
    """A client without elicitation: the pick questions come back in the tool result, and are answered there."""
    asked = []

    capture = tmp_path / "stdout.log"

    async def main():
        async with connect(str(tmp_path / "data"), capture=capture) as session:
            assert session.initialize_result.capabilities.tools is not None
            started = await call(session, "start_session", flow="plan")
            session_id = started["sessionId"]
            lines = read_answers()
            while lines:
                result = await play(session, session_id, [lines.pop(0)])
                assert "elicited" not in result
                prompt = result.get("prompt") or {}
                if result["needsConfirm"]:
                    asked.append(prompt)
            assert result["finished"]
            return await exported_plan(session, session_id)

    plan = anyio.run(main)
    assert plan == repl_plan
    assert not any(message.get("method") == "elicitation/create" for message in captured_messages(capture))
    assert [prompt["id"] for prompt in asked] == ["principles.place", "barriers.place"]
    assert asked[0]["choices"] == ["barriers", "principles"] and asked[0]["type"] == "choice"


def test_with_elicitation_the_person_picks_in_a_form_and_the_plan_equals_the_repl_plan(tmp_path, repl_plan):
    from mcp import types

    lines = read_answers()
    forms = []

    async def elicit(context, params):
        # The person answers the form with their next line, which must be one of the choices offered.
        choices = params.requested_schema["properties"]["answer"]["enum"]
        line = lines.pop(0)
        assert line in choices, (params.message, choices, line)
        forms.append((params.message, line))
        return types.ElicitResult(action="accept", content={"answer": line})

    capture = tmp_path / "stdout.log"

    async def main():
        async with connect(str(tmp_path / "data"), elicitation=elicit, capture=capture) as session:
            session_id = (await call(session, "start_session", flow="plan"))["sessionId"]
            elicited = []
            while lines:
                result = await play(session, session_id, [lines.pop(0)])
                elicited += result.get("elicited", [])
            assert result["finished"]
            assert [item["answer"] for item in elicited] == [line for _, line in forms]
            return await exported_plan(session, session_id)

    plan = anyio.run(main)
    assert plan == repl_plan
    assert [line for _, line in forms] == ["barriers", "measures", "call back list"]
    asked = [message for message in captured_messages(capture) if message.get("method") == "elicitation/create"]
    assert len(asked) == 3
    assert forms[0][0].startswith("That sounds like something that gets in the way.")


def test_a_declined_form_leaves_the_question_in_the_result(tmp_path):
    from mcp import types

    async def decline(context, params):
        return types.ElicitResult(action="decline")

    async def main():
        async with connect(str(tmp_path), elicitation=decline) as session:
            session_id = (await call(session, "start_session", flow="plan"))["sessionId"]
            await play(session, session_id, ["GP receptionist"])
            result = await play(session, session_id, ["staff feel rushed"])
            assert result["needsConfirm"] and result["prompt"]["id"] == "principles.place"
            assert "elicited" not in result

    anyio.run(main)


def test_a_form_left_open_past_the_timeout_leaves_the_question_in_the_result(tmp_path):
    from mcp import types

    async def slow(context, params):
        await anyio.sleep(3)
        return types.ElicitResult(action="accept", content={"answer": "barriers"})

    async def main():
        async with connect(str(tmp_path), elicitation=slow, extra=("--elicitation-timeout", "0.5")) as session:
            session_id = (await call(session, "start_session", flow="plan"))["sessionId"]
            await play(session, session_id, ["GP receptionist"])
            started = time.monotonic()
            result = await play(session, session_id, ["staff feel rushed"])
            assert time.monotonic() - started < 2.5
            assert result["needsConfirm"] and result["prompt"]["id"] == "principles.place"
            await anyio.sleep(3)  # the late form answer is dropped: the question is still open
            got = await call(session, "get_session", session_id=session_id)
            assert got["prompt"]["id"] == "principles.place"

    anyio.run(main)


def test_an_unknown_session_is_an_error_result_and_bad_params_a_protocol_error(tmp_path):
    async def main():
        async with connect(str(tmp_path)) as session:
            for tool, arguments in [
                ("get_session", {"session_id": "s-aaaaaaaaaaaa"}),
                ("answer", {"session_id": "s-aaaaaaaaaaaa", "text": "hello", "client_msg_id": "m1"}),
                ("export_plan", {"session_id": "s-aaaaaaaaaaaa", "format": "markdown"}),
            ]:
                result = await session.call_tool(tool, arguments)
                assert result.is_error, tool
                assert "unknown session" in result.content[0].text
                assert result.structured_content["error"]["code"] == -32010
            with pytest.raises(MCPError) as missing:
                await session.call_tool("answer", {"session_id": "s-aaaaaaaaaaaa"})
            assert missing.value.error.code == -32602
            with pytest.raises(MCPError) as unknown_flow:
                await session.call_tool("start_session", {"flow": "no-such-flow"})
            assert unknown_flow.value.error.code == -32602

    anyio.run(main)


def test_a_retried_answer_with_the_same_client_msg_id_adds_one_turn_even_after_a_restart(tmp_path):
    data_dir = str(tmp_path)

    async def turns(session, session_id):
        return (await call(session, "get_session", session_id=session_id))["turns"]

    async def first_run():
        async with connect(data_dir) as session:
            session_id = (await call(session, "start_session", flow="reflect"))["sessionId"]
            before = await turns(session, session_id)
            arguments = dict(session_id=session_id, text="We never have time to think", client_msg_id="retry-1")
            first = await call(session, "answer", **arguments)
            again = await call(session, "answer", **arguments)
            assert again.pop("replayed") is True
            assert again == first
            # Two copies in flight at once still make one turn.
            async with anyio.create_task_group() as group:
                for _ in range(2):
                    group.start_soon(functools.partial(
                        call, session, "answer", session_id=session_id, text="a way round it", client_msg_id="retry-2"))
            assert await turns(session, session_id) == before + 2
            return session_id, before

    session_id, before = anyio.run(first_run)

    async def second_run():
        async with connect(data_dir) as session:
            again = await call(session, "answer", session_id=session_id, text="We never have time to think",
                               client_msg_id="retry-1")
            assert again["replayed"] is True and again["accepted"] is True
            assert await turns(session, session_id) == before + 2
            fresh = await call(session, "answer", session_id=session_id, text="Try a Friday huddle",
                               client_msg_id="retry-3")
            assert "replayed" not in fresh
            assert await turns(session, session_id) == before + 3

    anyio.run(second_run)


def test_a_thousand_calls_in_parallel_over_fifty_sessions_leave_every_stdout_line_valid_json(tmp_path):
    """stdout is captured with tee between the server and the client, so what the client never sees is seen too."""
    captured = tmp_path / "stdout.log"
    answers_sent = {}

    async def main():
        async with connect(tmp_path / "data", capture=captured) as session:
            ids = []
            for _ in range(50):
                ids.append((await call(session, "start_session", flow="plan"))["sessionId"])
            results = []

            async def one(number):
                session_id = ids[number % 50]
                kind = number % 4
                if kind == 0:
                    answers_sent[session_id] = answers_sent.get(session_id, 0) + 1
                    result = await session.call_tool("answer", {
                        "session_id": session_id, "text": f"answer {number}: staff are tired",
                        "client_msg_id": f"m-{number}"})
                elif kind == 1:
                    result = await session.call_tool("get_session", {"session_id": session_id})
                elif kind == 2:
                    result = await session.call_tool("route", {"text": f"we never have time {number}"})
                else:
                    result = await session.call_tool("check_plan", {"session_id": session_id})
                results.append(result)

            async with anyio.create_task_group() as group:
                for number in range(1000):
                    group.start_soon(one, number)
            assert len(results) == 1000
            assert not any(result.is_error for result in results)
            for session_id in ids:
                got = await call(session, "get_session", session_id=session_id)
                assert got["turns"] == answers_sent.get(session_id, 0)

    anyio.run(main)
    messages = captured_messages(captured)
    assert all(message.get("jsonrpc") == "2.0" for message in messages)
    responses = [message for message in messages if "id" in message]
    assert len(responses) >= 1000 + 50 + 50 + 1


def test_calls_for_one_session_run_in_the_order_they_arrived(tmp_path):
    """Twenty answers written in one burst are stored in the order they were written."""
    data_dir = str(tmp_path)
    process = subprocess.Popen([BIN, "mcp", "--data-dir", data_dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, cwd=ROOT)

    def send(message):
        process.stdin.write((json.dumps(message) + "\n").encode())
        process.stdin.flush()

    def reply(expected_id):
        while True:
            message = json.loads(process.stdout.readline())
            if message.get("id") == expected_id:
                return message

    send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "burst", "version": "1"}}})
    reply(0)
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
          "params": {"name": "start_session", "arguments": {"flow": "plan"}}})
    session_id = reply(1)["result"]["structuredContent"]["sessionId"]
    texts = [f"principle number {number}" for number in range(20)]
    burst = b"".join(
        (json.dumps({"jsonrpc": "2.0", "id": 100 + number, "method": "tools/call", "params": {
            "name": "answer", "arguments": {"session_id": session_id, "text": text, "client_msg_id": str(uuid.uuid4())}}})
         + "\n").encode() for number, text in enumerate(texts))
    process.stdin.write(burst)
    process.stdin.flush()
    seen = set()
    while len(seen) < 20:
        message = json.loads(process.stdout.readline())
        seen.add(message.get("id"))
    process.stdin.close()
    assert process.wait(timeout=30) == 0
    stored = sqlite3.connect(os.path.join(data_dir, "sessions.sqlite"))
    rows = [row[0] for row in stored.execute("SELECT text FROM turn WHERE session_id = ? ORDER BY seq", (session_id,))]
    assert rows == texts


def test_a_session_started_over_mcp_resumes_in_the_repl_with_the_same_plan(tmp_path, repl_plan):
    data_dir = str(tmp_path)
    lines = read_answers()
    half = len(lines) // 2

    async def main():
        async with connect(data_dir) as session:
            session_id = (await call(session, "start_session", flow="plan"))["sessionId"]
            await play(session, session_id, lines[:half])
            return session_id

    session_id = anyio.run(main)
    shown = run_cli(data_dir, "resume", session_id, stdin="\n".join(lines[half:]) + "\n")
    assert shown
    assert cli_plan(data_dir, session_id) == repl_plan


def test_prompts_and_resources(tmp_path):
    async def main():
        async with connect(str(tmp_path)) as session:
            session_id = (await call(session, "start_session", flow="reflect"))["sessionId"]
            await play(session, session_id, ["We never have time to think because caseloads are too high"])
            prompt = await session.get_prompt("review-a-change", {"session": session_id})
            assert session_id in prompt.messages[0].content.text
            with pytest.raises(MCPError):
                await session.get_prompt("review-a-change", {"session": "s-aaaaaaaaaaaa"})
            uris = {str(resource.uri) for resource in (await session.list_resources()).resources}
            assert f"smallchanges://plans/{session_id}.md" in uris
            assert f"smallchanges://plans/{session_id}.json" in uris
            assert any(uri.startswith("smallchanges://cards/") for uri in uris)
            templates = {template.uri_template for template in (await session.list_resource_templates()).resource_templates}
            assert "smallchanges://plans/{id}.md" in templates
            markdown = (await session.read_resource(f"smallchanges://plans/{session_id}.md")).contents[0].text
            exported = await call(session, "export_plan", session_id=session_id, format="markdown")
            assert markdown == exported["content"]
            plan = json.loads((await session.read_resource(f"smallchanges://plans/{session_id}.json")).contents[0].text)
            assert plan["barriers"]
            card = sorted(uri for uri in uris if uri.startswith("smallchanges://cards/"))[0]
            assert (await session.read_resource(card)).contents[0].text.startswith("# ")

    anyio.run(main)


def test_deleting_a_session_forgets_the_ids_of_its_answers(tmp_path):
    data_dir = str(tmp_path)

    async def main():
        async with connect(data_dir) as session:
            session_id = (await call(session, "start_session", flow="reflect"))["sessionId"]
            await call(session, "answer", session_id=session_id, text="We never have time to think",
                       client_msg_id="kept-1")
            return session_id

    session_id = anyio.run(main)
    log = os.path.join(data_dir, "mcp-answers.sqlite")
    count = "SELECT COUNT(*) FROM client_message WHERE session_id = ?"
    assert sqlite3.connect(log).execute(count, (session_id,)).fetchone()[0] == 1
    run_cli(data_dir, "delete", session_id, "--yes")
    assert sqlite3.connect(log).execute(count, (session_id,)).fetchone()[0] == 0


def test_a_full_non_blocking_stdout_still_gets_whole_lines(tmp_path):
    """The parent leaves stdout non-blocking and reads slowly: writes wait for room, and never split a line."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    process = subprocess.Popen([BIN, "mcp", "--store", "memory"], stdin=subprocess.PIPE, stdout=write_end,
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    os.close(write_end)
    requests = [{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "slow", "version": "1"}}}]
    requests += [{"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {
        "name": "route", "arguments": {"text": f"we never have time to think {number} " + "x" * 500}}}
        for number in range(1, 401)]
    process.stdin.write(b"".join((json.dumps(request) + "\n").encode() for request in requests))
    process.stdin.close()
    time.sleep(1)  # the pipe (64 KiB) fills long before 400 answers of about 1 KiB each are written
    output = b""
    with os.fdopen(read_end, "rb") as reader:
        while chunk := reader.read(4096):
            output += chunk
            time.sleep(0.001)
    assert process.wait(timeout=60) == 0
    lines = output.split(b"\n")
    assert lines[-1] == b""
    ids = sorted(json.loads(line)["id"] for line in lines[:-1])
    assert ids == list(range(0, 401))


def test_words_shaped_like_a_data_url_arrive_and_come_back_unchanged(tmp_path):
    """swift-sdk reads any string like "data:…,…" as a data URL and writes it back as base64; the person's words
    must not change on the way in or out."""
    words = "data: we don't collect it, sadly"
    data_dir = str(tmp_path)

    async def main():
        async with connect(data_dir) as session:
            session_id = (await call(session, "start_session", flow="reflect"))["sessionId"]
            await call(session, "answer", session_id=session_id, text=words, client_msg_id="d-1")
            routed = await call(session, "route", text=f"{words}; data: complaints, monthly")
            assert [item["text"] for item in routed["items"]] == [words, "data: complaints, monthly"]
            return session_id

    session_id = anyio.run(main)
    stored = sqlite3.connect(os.path.join(data_dir, "sessions.sqlite"))
    assert [row[0] for row in stored.execute("SELECT text FROM turn WHERE session_id = ?", (session_id,))] == [words]
