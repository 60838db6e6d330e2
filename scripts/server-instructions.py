#!/usr/bin/env python3
"""Count the instructions `smallchanges serve --tcp` spends on one request, repeatably.

Usage: scripts/server-instructions.py BINARY
       scripts/server-instructions.py --echo BENCH_SERVE

Runs the server under `valgrind --tool=callgrind` twice (a copy of BINARY without debug information, which
valgrind cannot read), drives it over one TCP connection with whole scripted sessions of the reflect flow
(session/start, the five answers `bench-serve` sends, session/close: seven requests), 200 sessions the first
time and 600 the second, and prints the difference divided by the 2,800 extra requests: the server's user-space
instructions per request, with start-up and training subtracted. With --echo, the same count for the echo
server of the Benchmarks package (`Benchmarks/.build/release/bench-serve --echo-server`, the server's transport
answering each line with itself) answering the same number of lines: the floor. The kernel's share is not
counted (see `bench-serve` for CPU time). Run from the package root, so the server finds Prompts/ and Corpus/.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ANSWERS = [
    "We never have time to think because caseloads are too high",
    "Block half an hour on Friday mornings so the team can reflect together",
    "Try a Friday huddle where everyone shares one small win",
    "On Friday at 9am I will book the room and invite the team",
    "I will count how many people come and ask whether it helped",
]


def drive(port, sessions, echo):
    connection = socket.create_connection(("127.0.0.1", port))
    replies = connection.makefile("rb")
    counter = 0

    def call(method, params):
        nonlocal counter
        counter += 1
        request = {"jsonrpc": "2.0", "id": counter, "method": method, "params": params}
        connection.sendall((json.dumps(request) + "\n").encode())
        line = replies.readline()
        if not line:
            raise SystemExit("the server closed the connection")
        return json.loads(line)

    if echo:
        for _ in range(sessions * 7):
            call("session/answer", {"sessionId": "s-222222222222", "text": ANSWERS[0]})
        return
    call("initialize", {})
    for _ in range(sessions):
        session = call("session/start", {"flow": "reflect"})["result"]["sessionId"]
        for answer in ANSWERS:
            call("session/answer", {"sessionId": session, "text": answer})
        call("session/close", {"sessionId": session})


def count(binary, sessions, echo):
    with tempfile.TemporaryDirectory() as folder:
        stripped = os.path.join(folder, "smallchanges")
        subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
        arguments = ["--echo-server", "--port", "0"] if echo else ["serve", "--tcp", "--port", "0", "--store", "memory"]
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.path.join(folder, "out"),
                   stripped] + arguments
        log = open(os.path.join(folder, "stderr"), "w+")
        server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        port = None
        deadline = time.time() + 300
        while port is None and time.time() < deadline and server.poll() is None:
            time.sleep(0.5)
            log.seek(0)
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
            port = int(match.group(1)) if match else None
        if port is None:
            server.kill()
            raise SystemExit("the server did not start under valgrind")
        drive(port, sessions, echo)
        server.terminate()
        server.wait()
        log.seek(0)
        collected = re.search(r"Collected : ([\d,]+)", log.read())
        if not collected:
            raise SystemExit("valgrind reported no count")
        return int(collected.group(1).replace(",", ""))


def main():
    if len([argument for argument in sys.argv[1:] if argument != "--echo"]) != 1 or not shutil.which("valgrind"):
        raise SystemExit(__doc__)
    echo = "--echo" in sys.argv[1:]
    binary = [argument for argument in sys.argv[1:] if argument != "--echo"][0]
    small, large = count(binary, 200, echo), count(binary, 600, echo)
    print("%s: %d instructions per request" % ("echo floor" if echo else "protocol", round((large - small) / 2800)))


if __name__ == "__main__":
    main()
