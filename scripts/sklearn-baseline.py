#!/usr/bin/env python3
"""The scikit-learn baseline for `smallchanges intents eval`: TF-IDF word (1-2) + char_wb (2-5) n-grams and
LinearSVC, run through the same protocol as the Swift engine, so both figures come from one recipe.

Usage: scripts/sklearn-baseline.py TRAIN.tsv VAL.tsv TEST.txt > predictions.txt
       scripts/score-eval.py predictions.txt test-labels.txt

Protocol (as IntentEvaluation.run): a probe trained on TRAIN scores VAL; the rejection threshold on the best
decision score is the one with the highest out-of-scope recall that costs at most 0.3 points of in-scope accuracy
on VAL; the final model is trained on TRAIN plus the in-scope VAL rows. Needs scikit-learn (pip install scikit-learn).
"""
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [tuple(reversed(line.rstrip("\n").split("\t", 1))) for line in f if "\t" in line]


def model(texts, labels):
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])
    svm = LinearSVC(C=1.5).fit(features.fit_transform(texts), labels)
    return features, svm


def choose_threshold(labels, predicted, scores, budget=0.003):
    inside = [i for i, label in enumerate(labels) if label != "oos"]
    outside = [i for i, label in enumerate(labels) if label == "oos"]
    if not inside or not outside:
        return -np.inf
    correct = sorted(scores[i] for i in inside if predicted[i] == labels[i])
    baseline = len(correct) / len(inside)
    best, best_recall, lost = -np.inf, -1.0, 0
    for threshold in sorted(set(scores)):
        while lost < len(correct) and correct[lost] < threshold:
            lost += 1
        if baseline - (len(correct) - lost) / len(inside) > budget + 1e-12:
            break
        recall = sum(scores[i] < threshold for i in outside) / len(outside)
        if recall > best_recall:
            best, best_recall = threshold, recall
    return best


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    train, val = rows(argv[1]), rows(argv[2])
    with open(argv[3], encoding="utf-8") as f:
        test = [line.rstrip("\n") for line in f]
    start = time.perf_counter()
    features, svm = model([t for t, _ in train], [l for _, l in train])
    decision = svm.decision_function(features.transform([t for t, _ in val]))
    predicted = svm.classes_[decision.argmax(1)]
    threshold = choose_threshold([l for _, l in val], list(predicted), list(decision.max(1)))
    final = train + [(t, l) for t, l in val if l != "oos"]
    features, svm = model([t for t, _ in final], [l for _, l in final])
    print(f"# train_ms={(time.perf_counter() - start) * 1000:.1f}")
    decision = svm.decision_function(features.transform(test))
    for label, score in zip(svm.classes_[decision.argmax(1)], decision.max(1)):
        print("oos" if score < threshold else label)
    print(f"threshold {threshold:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
