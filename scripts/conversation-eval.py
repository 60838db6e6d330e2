#!/usr/bin/env python3
"""Runs the conversation set (Tests/Conversations/*.yaml) through the protocol and scores where each answer landed.

Each conversation is played against `smallchanges serve` (stdio, a fresh data folder, the server's clock set to the
conversation's date). After every line the plan is read back with plan/get and compared with the labels: placement,
extraction, building blocks, control answers (nothing stored), corrections honoured, and confirmations asked
(needed: the line is labelled ambiguous; needless: it is not). When the tool asks where an answer belongs, the script
answers as the person would, with the labelled field.

    python3 scripts/conversation-eval.py .build/release/smallchanges [Tests/Conversations] [--json] [--verbose]
"""
import datetime
import glob
import json
import os
import subprocess
import sys
import tempfile

import yaml

FIELDS = {
    "context": "context", "principles": "principles", "barriers": "barriers", "ideas": "ideas", "change": "change",
    "aim": "aim", "measures": "measures", "predictions": "predictions", "steps": "steps", "support": "support",
    "partner": "partner", "checkIns": "check_ins", "sustain": "sustain",
}


def flatten(plan):
    """Every entry of a plan as (field, entry)."""
    out = []
    for key, field in FIELDS.items():
        for entry in plan.get(key, []) or []:
            out.append((field, entry))
            if key == "barriers":
                for way in entry.get("waysAround", []) or []:
                    out.append(("ways_around", way))
    cycles = plan.get("cycles", []) or []
    if cycles:
        cycle = cycles[-1]
        for key, field in [("happened", "happened"), ("learning", "learning"), ("responses", "responses"),
                           ("next", "next_cycle"), ("predictions", "predictions")]:
            for entry in cycle.get(key, []) or []:
                out.append((field, entry))
        if cycle.get("decision"):
            out.append(("decision", cycle["decision"]))
    return out


def key(item):
    field, entry = item
    return (field, entry.get("text"), entry.get("words"), entry.get("speaker"))


def diff(before, after):
    before_keys = [key(i) for i in before]
    after_keys = [key(i) for i in after]
    added = [i for i in after if before_keys.count(key(i)) < after_keys.count(key(i))
             and after_keys[:after.index(i) + 1].count(key(i)) > before_keys.count(key(i))]
    removed = [i for i in before if after_keys.count(key(i)) < before_keys.count(key(i))
               and before_keys[:before.index(i) + 1].count(key(i)) > after_keys.count(key(i))]
    return added, removed


class Server:
    def __init__(self, binary, data, today):
        self.process = subprocess.Popen(
            [binary, "serve", "--data-dir", data, "--today", today], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, bufsize=1)
        self.next_id = 0
        self.call("initialize", {"protocolVersion": "2025-06-18", "clientInfo": {"name": "conversation-eval"}})

    def call(self, method, params):
        self.next_id += 1
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                             "params": params}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the server closed: " + self.process.stderr.read())
        response = json.loads(line)
        if "error" in response:
            raise RuntimeError(f"{method}: {response['error']}")
        return response["result"]

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def same_text(expected, actual):
    if actual is None:
        return False
    norm = lambda s: " ".join(str(s).lower().replace("\u2019", "'").split())
    e, a = norm(expected), norm(actual)
    return e == a or e in a.split() or (len(e) > 2 and e in a)


def check_values(field, entry, values, plan_before, counts, problems, where):
    for name, expected in (values or {}).items():
        counts["extraction_total"] += 1
        ok = False
        if name == "pick":
            ideas = [e for f, e in flatten(plan_before) if f == "ideas"]
            ok = 0 < expected <= len(ideas) and entry.get("text") == ideas[expected - 1].get("text")
        elif name in ("by", "when"):
            day = entry.get("byDate") if name == "by" else entry.get("date")
            wanted = expected if isinstance(expected, list) else [expected]
            ok = day is not None and day in [str(w) for w in wanted]
            got = day
        elif name == "baseline":
            ok = same_text(expected, entry.get("baseline"))
        elif name == "target":
            ok = same_text(expected, entry.get("howMuch"))
        elif name == "rhythm":
            ok = entry.get("rhythm") == expected
        elif name in ("who", "name"):
            ok = same_text(expected, entry.get("who")) or (name == "name" and same_text(expected, entry.get("text"))
                                                           and len(entry.get("text", "").split()) <= 4)
        elif name == "choice":
            ok = entry.get("choice") == expected
        if ok:
            counts["extraction_ok"] += 1
        else:
            shown = {k: entry.get(k) for k in ("text", "baseline", "howMuch", "byDate", "date", "rhythm", "who",
                                                "choice")}
            problems.append(f"{where}: {field}.{name} expected {expected!r}, got {shown}")


def run(binary, path, sessions, data, counts, problems, verbose):
    conversation = yaml.safe_load(open(path))
    name = os.path.basename(path)[:-5]
    today = str(conversation.get("date", "2026-12-07"))
    server = Server(binary, data, today)
    params = {"flow": conversation["flow"]}
    if conversation.get("participants"):
        params["participants"] = conversation["participants"]
    if conversation.get("reviews"):
        params["reviewing"] = sessions[conversation["reviews"]]
    started = server.call("session/start", params)
    session = started["sessionId"]
    sessions[name] = session
    plan = server.call("plan/get", {"sessionId": session})["plan"]
    previous_added = []
    for number, turn in enumerate(conversation["turns"], 1):
        where = f"{name}:{number} {turn['say']!r}"
        expect = turn.get("expect", {})
        before = flatten(plan)
        reply = server.call("session/answer", {"sessionId": session, "text": turn["say"]})
        asked = False
        wanted = expect.get("field") or (expect.get("items") or [{}])[0].get("field")
        for _ in range(2):
            prompt = reply.get("prompt") or {}
            if not str(prompt.get("id", "")).endswith(".place"):
                break
            asked = True
            choices = prompt.get("choices") or []
            titles = {"barriers": "barriers", "ideas": "ideas", "aim": "aim", "measures": "measures",
                      "predictions": "predictions", "steps": "steps", "support": "support", "principles":
                      "principles", "sustain": "how it lasts", "check_ins": "check-ins", "partner":
                      "accountability partner", "learning": "learning", "decision": "decision",
                      "ways_around": "ways around", "change": "the change", "context": "context",
                      "happened": "what happened", "responses": "your partner's response",
                      "next_cycle": "next cycle"}
            pick = "1"
            if wanted and titles.get(wanted, wanted) in choices:
                pick = str(choices.index(titles.get(wanted, wanted)) + 1)
            elif wanted is None:
                pick = "2"
            reply = server.call("session/answer", {"sessionId": session, "text": pick})
        if asked:
            counts["confirm_needed" if expect.get("ambiguous") else "confirm_needless"] += 1
            if verbose and not expect.get("ambiguous"):
                problems.append(f"{where}: asked where it belongs (needless)")
        plan = server.call("plan/get", {"sessionId": session})["plan"]
        after = flatten(plan)
        added, removed = diff(before, after)
        if "control" in expect:
            counts["control_total"] += 1
            control = expect["control"]
            ok = not added and (control == "back" or not removed)
            if added:
                counts["stored_from_control"] += 1
            if ok:
                counts["control_ok"] += 1
            else:
                problems.append(f"{where}: control {control}: added {[(f, e.get('text')) for f, e in added]}, "
                                f"removed {len(removed)}")
        elif expect.get("correction"):
            counts["corrections_total"] += 1
            taken = all(key(i) not in [key(j) for j in after if j[0] == i[0]] for i in previous_added)
            ok = bool(previous_added) and taken
            if ok:
                counts["corrections_ok"] += 1
            else:
                problems.append(f"{where}: correction not honoured (still there: "
                                f"{[(f, e.get('text')) for f, e in previous_added]})")
        else:
            items = expect.get("items") or [expect]
            counts["placement_total"] += 1
            got = sorted(f for f, _ in added)
            ok = got == sorted(i["field"] for i in items) and not removed
            if ok:
                counts["placement_ok"] += 1
            else:
                problems.append(f"{where}: expected {[i['field'] for i in items]}, added "
                                f"{[(f, e.get('text')) for f, e in added]}, removed {len(removed)}")
            unmatched = list(added)
            for item in items:
                match = next((e for f, e in unmatched if f == item["field"]), None)
                if match is not None:
                    unmatched = [pair for pair in unmatched if pair[1] is not match]
                if item.get("theme"):
                    counts["themes_total"] += 1
                    theme = match.get("theme") if match else None
                    if theme == item["theme"]:
                        counts["themes_ok"] += 1
                    elif theme is None:
                        counts["themes_unnamed"] += 1
                    else:
                        counts["themes_wrong"] += 1
                        if verbose:
                            problems.append(f"{where}: block {item['theme']} heard as {theme}")
                if match is not None:
                    check_values(item["field"], match, item.get("values"), {"ideas": []} if False else
                                 plan_before_of(before), counts, problems, where)
                elif item.get("values"):
                    counts["extraction_total"] += len(item["values"])
                    problems.append(f"{where}: nothing stored to extract {item['values']}")
        previous_added = added if added else previous_added
    server.close()


def plan_before_of(before):
    """A plan-shaped dict of the entries before a turn, for picks."""
    return {"ideas": [e for f, e in before if f == "ideas"]}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(args[0])
    folder = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Conversations")
    verbose = "--verbose" in sys.argv
    counts = {k: 0 for k in ["placement_ok", "placement_total", "extraction_ok", "extraction_total", "themes_ok",
                             "themes_total", "themes_unnamed", "themes_wrong", "control_ok", "control_total",
                             "stored_from_control", "corrections_ok", "corrections_total", "confirm_needed",
                             "confirm_needless"]}
    problems = []
    files = sorted(glob.glob(os.path.join(folder, "*.yaml")))
    # Plans before the reviews of them.
    files.sort(key=lambda f: 1 if yaml.safe_load(open(f)).get("reviews") else 0)
    with tempfile.TemporaryDirectory() as data:
        sessions = {}
        for path in files:
            run(binary, path, sessions, os.path.join(data, "store"), counts, problems, verbose)

    def pct(ok, total):
        return 100.0 * ok / total if total else 100.0

    report = {
        "conversations": len(files),
        "placement": pct(counts["placement_ok"], counts["placement_total"]),
        "extraction": pct(counts["extraction_ok"], counts["extraction_total"]),
        "building_blocks": pct(counts["themes_ok"], counts["themes_total"]),
        "building_blocks_named_precision": pct(counts["themes_ok"], counts["themes_ok"] + counts["themes_wrong"]),
        "control": pct(counts["control_ok"], counts["control_total"]),
        "corrections": pct(counts["corrections_ok"], counts["corrections_total"]),
        "stored_from_control": counts["stored_from_control"],
        "confirmations_needed": counts["confirm_needed"],
        "confirmations_needless": counts["confirm_needless"],
        "counts": counts,
    }
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))
    else:
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        c = counts
        print(f"conversations: {len(files)}")
        print(f"placement: {report['placement']:.1f}% ({c['placement_ok']}/{c['placement_total']})")
        print(f"extraction: {report['extraction']:.1f}% ({c['extraction_ok']}/{c['extraction_total']})")
        print(f"building blocks: {report['building_blocks']:.1f}% ({c['themes_ok']}/{c['themes_total']}; "
              f"{c['themes_unnamed']} not named, {c['themes_wrong']} wrong; precision when named "
              f"{report['building_blocks_named_precision']:.1f}%)")
        print(f"control answers: {report['control']:.1f}% ({c['control_ok']}/{c['control_total']}); "
              f"stored from a control answer: {c['stored_from_control']}")
        print(f"corrections honoured: {report['corrections']:.1f}% ({c['corrections_ok']}/{c['corrections_total']})")
        print(f"confirmations asked: {c['confirm_needed']} needed, {c['confirm_needless']} needless")
    return 0


if __name__ == "__main__":
    sys.exit(main())
