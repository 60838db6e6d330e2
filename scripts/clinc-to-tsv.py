#!/usr/bin/env python3
"""Write CLINC150 as the files of the `smallchanges intents eval` contract.

Usage: scripts/clinc-to-tsv.py [CLINC150_JSON] OUT_DIR

Reads clinc150.json ({"train": [[text, intent], ...], "val": [...], "test": [...]},
out-of-scope rows labelled "oos") and writes to OUT_DIR:
  train.tsv        INTENT<TAB>TEXT, in-scope rows only
  val.tsv          INTENT<TAB>TEXT, including "oos" rows
  test.txt         one text per line, no labels
  test-labels.txt  the label of each test.txt line (for scripts/score-eval.py)
  train-oos.tsv    train.tsv plus CLINC's 100 `oos_train` rows labelled "oos", when data_full.json
                   lies beside the source (for `smallchanges intents eval --oos-class`)
"""
import json
import os
import sys

DEFAULT = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "clinc150", "clinc150.json")


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def main(argv):
    if len(argv) == 2:
        source, out = DEFAULT, argv[1]
    elif len(argv) == 3:
        source, out = argv[1], argv[2]
    else:
        sys.exit(__doc__)
    with open(source, encoding="utf-8") as f:
        data = json.load(f)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "train.tsv"), "w", encoding="utf-8") as f:
        for text, intent in data["train"]:
            if intent != "oos":
                f.write(f"{intent}\t{clean(text)}\n")
    with open(os.path.join(out, "val.tsv"), "w", encoding="utf-8") as f:
        for text, intent in data["val"]:
            f.write(f"{intent}\t{clean(text)}\n")
    full = os.path.join(os.path.dirname(source), "data_full.json")
    if os.path.exists(full):
        with open(full, encoding="utf-8") as f:
            oos_train = json.load(f)["oos_train"]
        with open(os.path.join(out, "train-oos.tsv"), "w", encoding="utf-8") as f:
            for text, intent in data["train"] + oos_train:
                f.write(f"{intent}\t{clean(text)}\n")
    with open(os.path.join(out, "test.txt"), "w", encoding="utf-8") as t, open(
        os.path.join(out, "test-labels.txt"), "w", encoding="utf-8"
    ) as lab:
        for text, intent in data["test"]:
            t.write(clean(text) + "\n")
            lab.write(intent + "\n")


if __name__ == "__main__":
    main(sys.argv)
