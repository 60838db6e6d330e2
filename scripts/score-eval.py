#!/usr/bin/env python3
"""Score the output of `smallchanges intents eval` against the test labels.

Usage: scripts/score-eval.py PREDICTIONS LABELS

PREDICTIONS: the eval command's stdout (`INTENT` or `INTENT<TAB>LATENCY_US` per line; lines
starting with `#` are metadata). LABELS: one label per test line, `oos` for out of scope.
Prints in-scope accuracy, out-of-scope recall, latency percentiles and train_ms.
"""
import sys


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    predictions, latencies, meta = [], [], {}
    with open(argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                for part in line[1:].split():
                    if "=" in part:
                        key, value = part.split("=", 1)
                        meta[key] = value
                continue
            fields = line.split("\t")
            predictions.append(fields[0])
            if len(fields) > 1:
                latencies.append(float(fields[1]))
    with open(argv[2], encoding="utf-8") as f:
        labels = [line.rstrip("\n") for line in f]
    if len(predictions) != len(labels):
        sys.exit(f"{len(predictions)} predictions for {len(labels)} labels")
    in_scope = [(p, l) for p, l in zip(predictions, labels) if l != "oos"]
    oos = [p for p, l in zip(predictions, labels) if l == "oos"]
    accuracy = sum(p == l for p, l in in_scope) / max(1, len(in_scope))
    recall = sum(p == "oos" for p in oos) / max(1, len(oos))
    print(f"in-scope accuracy: {100 * accuracy:.2f}% ({len(in_scope)} rows)")
    print(f"out-of-scope recall: {100 * recall:.2f}% ({len(oos)} rows)")
    if latencies:
        print(f"latency p50: {percentile(latencies, 0.5):.1f} us, p99: {percentile(latencies, 0.99):.1f} us")
    for key in ("train_ms", "load_ms"):
        if key in meta:
            print(f"{key}: {meta[key]}")


if __name__ == "__main__":
    main(sys.argv)
