#!/usr/bin/env python3
"""Score the output of `smallchanges intents eval` against the test labels.

Usage: scripts/score-eval.py PREDICTIONS LABELS [--scores SCORES]

PREDICTIONS: the eval command's stdout (`INTENT` or `INTENT<TAB>LATENCY_US` per line; lines
starting with `#` are metadata). LABELS: one label per test line, `oos` for out of scope.
SCORES: one confidence per test line, higher meaning surer the text is in scope (what
`smallchanges intents eval --scores SCORES` writes; `-inf` allowed).
Prints in-scope accuracy, out-of-scope recall, latency percentiles and train_ms; with SCORES,
also the AUROC of the confidence (in-scope against out-of-scope rows, ties counted half) and the
false-accept rate at 95% in-scope recall (the share of out-of-scope rows kept by the threshold
that keeps 95% of in-scope rows: a figure of the ranking alone, no threshold chosen).
"""
import math
import sys


def auroc(positives, negatives):
    """P(a positive scores above a negative), ties counted half, by ranks."""
    values = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    rank_sum, i = 0.0, 0
    while i < len(values):
        j = i
        while j < len(values) and values[j][0] == values[i][0]:
            j += 1
        average_rank = (i + 1 + j) / 2
        rank_sum += average_rank * sum(label for _, label in values[i:j])
        i = j
    p, n = len(positives), len(negatives)
    return (rank_sum - p * (p + 1) / 2) / (p * n)


def false_accepts_at_recall(positives, negatives, recall=0.95):
    """Share of negatives at or above the highest threshold keeping `recall` of positives."""
    ordered = sorted(positives, reverse=True)
    threshold = ordered[max(0, math.ceil(recall * len(ordered)) - 1)]
    return sum(v >= threshold for v in negatives) / len(negatives)


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv):
    scores_path = None
    if "--scores" in argv:
        at = argv.index("--scores")
        if at + 1 >= len(argv):
            sys.exit(__doc__)
        scores_path = argv[at + 1]
        argv = argv[:at] + argv[at + 2 :]
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
    if scores_path:
        with open(scores_path, encoding="utf-8") as f:
            scores = [float(line) for line in f if line.strip()]
        if len(scores) != len(labels):
            sys.exit(f"{len(scores)} scores for {len(labels)} labels")
        inside = [s for s, l in zip(scores, labels) if l != "oos"]
        outside = [s for s, l in zip(scores, labels) if l == "oos"]
        if inside and outside:
            print(f"AUROC: {auroc(inside, outside):.4f}")
            print(f"false-accept rate at 95% in-scope recall: {100 * false_accepts_at_recall(inside, outside):.2f}%")
    for key in ("train_ms", "load_ms"):
        if key in meta:
            print(f"{key}: {meta[key]}")


if __name__ == "__main__":
    main(sys.argv)
