"""End-to-end tests of `smallchanges serve` with a JSON-RPC client nobody here wrote (jsonrpcclient, PyPI).

Run: python3 -m pytest Tests/protocol   (or: python3 Tests/protocol/test_protocol.py)
Needs: pip install jsonrpcclient pytest; the binary at $SMALLCHANGES_BIN or .build/debug/smallchanges.
"""
import json
import os
import random
import re
import select
import socket
import subprocess
import tempfile
import time

import itertools

from jsonrpcclient import Error, Ok, parse
from jsonrpcclient import request as jsonrpc_request

_ids = itertools.count(1)


def request(method, params=None):
    """A request with a string id no malformed test line uses."""
    return jsonrpc_request(method, params, id=f"py-{next(_ids)}") if params is not None else jsonrpc_request(method, id=f"py-{next(_ids)}")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("SMALLCHANGES_BIN", os.path.join(ROOT, ".build", "debug", "smallchanges"))
ANSWERS = [
    "We never have time to think because caseloads are too high",
    "Block half an hour on Friday mornings so the team can reflect together",
    "Try a Friday huddle where everyone shares one small win",
    "On Friday at 9am I will book the room and invite the team",
    "I will count how many people come and ask whether it helped",
]


class Stdio:
    def __init__(self, *args):
        self.process = subprocess.Popen(
            [BIN, "serve", "--store", "memory", *args], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = []

    def send(self, raw: bytes):
        self.process.stdin.write(raw)
        self.process.stdin.flush()

    def call(self, method, params=None):
        message = request(method, params) if params is not None else request(method)
        self.send((json.dumps(message) + "\n").encode())
        while True:
            line = self.process.stdout.readline()
            assert line, "the server closed stdout"
            self.lines.append(line)
            reply = json.loads(line)
            if reply.get("id") == message["id"]:
                return parse(reply)

    def close(self):
        self.process.stdin.close()
        rest = self.process.stdout.read()
        self.lines += rest.splitlines(keepends=True)
        return self.process.wait(timeout=10)


class TCP:
    def __init__(self, port, token=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.reader = self.sock.makefile("rb")
        self.lines = []

    def send(self, raw: bytes):
        self.sock.sendall(raw)

    def readline(self):
        line = self.reader.readline()
        if line:
            self.lines.append(line)
        return line

    def call(self, method, params=None):
        message = request(method, params) if params is not None else request(method)
        self.send((json.dumps(message) + "\n").encode())
        while True:
            line = self.readline()
            assert line, "the server closed the connection"
            reply = json.loads(line)
            if reply.get("id") == message["id"]:
                return parse(reply)

    def close(self):
        self.sock.close()


def start_tcp_server(*args):
    process = subprocess.Popen(
        [BIN, "serve", "--tcp", "--port", "0", "--store", "memory", *args], cwd=ROOT,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        # Wait for a line only until the deadline: a server that never reports its port fails the test.
        ready, _, _ = select.select([process.stderr], [], [], max(0, deadline - time.time()))
        if not ready:
            break
        line = process.stderr.readline().decode()
        if not line:
            break
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if match:
            return process, int(match.group(1))
    raise AssertionError("the TCP server did not report its port")


def stop(process):
    process.terminate()
    assert process.wait(timeout=10) == 0
    assert process.stdout.read() == b"", "TCP mode wrote to stdout"


def whole_session(client):
    init = client.call("initialize", {"protocolVersion": "2026-11-22", "clientInfo": {"name": "pytest"}})
    assert isinstance(init, Ok) and "session/answer" in init.result["capabilities"]["methods"]
    started = client.call("session/start", {"flow": "reflect"})
    assert isinstance(started, Ok)
    session = started.result["sessionId"]
    prompt = started.result["prompt"]
    for key in ["id", "text", "expects", "type", "step", "of", "stage", "source"]:
        assert key in prompt
    last = {}
    answers = list(ANSWERS)
    for _ in range(40):
        if last.get("finished"):
            break
        if last.get("needsConfirm"):
            reply = client.call("session/answer", {"sessionId": session, "text": "yes"})
        elif answers:
            reply = client.call("session/answer", {"sessionId": session, "text": answers.pop(0)})
        else:
            reply = client.call("session/command", {"sessionId": session, "name": "skip"})
        assert isinstance(reply, Ok), reply
        last = reply.result
        assert {"accepted", "routed", "needsConfirm", "messages"} <= set(last)
    assert last.get("finished"), "the session did not finish"
    plan = client.call("plan/get", {"sessionId": session})
    assert isinstance(plan, Ok) and plan.result["plan"]["barriers"]
    check = client.call("plan/check", {"sessionId": session})
    assert isinstance(check, Ok) and isinstance(check.result["ready"], bool)
    export = client.call("plan/export", {"sessionId": session, "format": "markdown"})
    assert isinstance(export, Ok) and export.result["content"]
    unknown = client.call("session/get", {"sessionId": "s-222222222222"})
    assert isinstance(unknown, Error) and unknown.code == -32010
    return session, plan.result["plan"]


def malformed_lines(count=10_000):
    rng = random.Random(7)
    lines = []
    for index in range(count):
        kind = index % 8
        if kind == 0:
            lines.append(b"{not json %d\n" % index)
        elif kind == 1:
            lines.append(b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"\xc3\x28\xff"}}\n')
        elif kind == 2:
            lines.append(b"[" * (100 + index % 50) + b"\n")
        elif kind == 3:
            lines.append(b'{"jsonrpc":"2.0","id":%d,"method":"session/answer","params":{"sessionId":7,"text":[1]}}\n' % index)
        elif kind == 4:
            lines.append(b'{"jsonrpc":"2.0","id":%d,"method":"no/such/method"}\n' % index)
        elif kind == 5:
            lines.append(b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]\n')
        elif kind == 6:
            lines.append(b'{"jsonrpc":"1.0","id":"%d","method":"ping"}\n' % index)
        else:
            lines.append(bytes(b for b in (rng.randrange(1, 256) for _ in range(20)) if b != 10) + b"\n")
    return b"".join(lines)


def test_whole_session_over_stdio_and_every_line_is_json():
    client = Stdio()
    whole_session(client)
    assert client.close() == 0
    for line in client.lines:
        assert isinstance(json.loads(line), dict)


def test_whole_session_over_tcp_and_resume_on_a_new_connection():
    process, port = start_tcp_server()
    try:
        client = TCP(port)
        session, plan = whole_session(client)
        client.close()
        again = TCP(port)
        again.call("initialize", {})
        resumed = again.call("session/resume", {"sessionId": session})
        assert isinstance(resumed, Ok) and resumed.result["finished"]
        replan = again.call("plan/get", {"sessionId": session})
        assert replan.result["plan"] == plan
        again.close()
    finally:
        stop(process)


def test_malformed_storm_over_stdio_then_a_valid_request_is_answered():
    client = Stdio()
    client.send(malformed_lines() + b"a" * ((1 << 20) + 1) + b"\n")
    reply = client.call("ping")
    assert isinstance(reply, Ok)
    assert client.close() == 0
    for line in client.lines:
        assert isinstance(json.loads(line), dict)
    assert len(client.lines) == 10_000 + 1 + 1


def test_malformed_storm_over_tcp_then_a_valid_request_is_answered():
    process, port = start_tcp_server()
    try:
        client = TCP(port)
        client.send(malformed_lines())
        reply = client.call("ping")
        assert isinstance(reply, Ok)
        assert len(client.lines) == 10_001
        for line in client.lines:
            assert isinstance(json.loads(line), dict)
        client.close()
        # An over-long line closes that connection; the server keeps serving others.
        long = TCP(port)
        long.send(b"a" * ((1 << 20) + 1) + b"\n")
        error = json.loads(long.readline())
        assert error["error"]["code"] == -32600 and error["id"] is None
        assert long.readline() == b""
        fresh = TCP(port)
        assert isinstance(fresh.call("ping"), Ok)
    finally:
        stop(process)


def test_an_http_request_to_the_tcp_port_creates_nothing_and_is_closed():
    process, port = start_tcp_server()
    try:
        body = (json.dumps(request("initialize", {})) + "\n" + json.dumps(request("session/start", {"flow": "reflect"})) + "\n").encode()
        http = TCP(port)
        http.send(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        assert http.readline() == b""
        client = TCP(port)
        client.call("initialize", {})
        listed = client.call("session/list")
        assert listed.result["sessions"] == []
    finally:
        stop(process)


def test_with_a_token_every_method_but_auth_is_refused():
    with tempfile.NamedTemporaryFile("w", delete=False) as file:
        file.write("0123456789abcdef0123456789abcdef\n")
    os.chmod(file.name, 0o600)
    process, port = start_tcp_server("--token-file", file.name)
    try:
        client = TCP(port)
        methods = ["initialize", "ping", "flows/list", "session/start", "session/answer", "session/command",
                   "session/get", "session/list", "session/resume", "session/close", "session/join", "plan/get",
                   "plan/check", "plan/export", "route", "corpus/search", "shutdown"]
        for method in methods:
            reply = client.call(method, {"sessionId": "s-222222222222", "flow": "reflect", "text": "x"})
            assert isinstance(reply, Error) and reply.code == -32001, method
        assert isinstance(client.call("auth", {"token": "0123456789abcdef0123456789abcdef"}), Ok)
        assert isinstance(client.call("initialize", {}), Ok)
        assert isinstance(client.call("session/list"), Ok)
        wrong = TCP(port)
        assert isinstance(wrong.call("auth", {"token": "nope"}), Error)
        assert wrong.readline() == b""
    finally:
        stop(process)
        os.unlink(file.name)


if __name__ == "__main__":
    for name, test in list(globals().items()):
        if name.startswith("test_"):
            test()
            print("ok", name)
