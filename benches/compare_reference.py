#!/usr/bin/env python3
"""Python reference for the comparison engine's lexical features (issue 6 throughput).

For every FNC-1 training pair (headline vs article body) it computes what the Rust engine's
lexical part computes: fold (NFKC, lower case), split the body into sentences and windows of
two and three sentences, tokens (words; CJK character bigrams), per-passage IDF-weighted coverage of the
headline, token Dice and BM25, then on the best passage normalised Levenshtein, Jaro-Winkler
(rapidfuzz) and character-bigram Dice. Uses all cores (multiprocessing), like the Rust side.

    pip install rapidfuzz
    python3 benches/compare_reference.py ../shared/data/fnc1 [--dump FILE]

Prints the time for all pairs. `citecheck eval fnc1 --dir DIR --features-only` computes the same
four figures per pair the same way in Rust (src/eval/lexical.rs); `--dump FILE` on both writes
them, one pair a line in train_stances.csv order, so the two can be checked against each other
(see BENCHMARKS.md).
"""
import csv
import math
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from multiprocessing import Pool

from rapidfuzz.distance import JaroWinkler, Levenshtein

STOP = set("the a an of to in on for and or is are was were be been by with as at that this it its "
           "from has have had will would but not than which who their they he she his her said says".split())
SENT = re.compile(r"(?<=[.!?。！？；])\s+|\n+")
WORD = re.compile(r"[0-9a-z]+(?:\.[0-9]+)?|[\u4e00-\u9fff]+")
K1, B = 1.2, 0.75


def fold(s):
    return " ".join(unicodedata.normalize("NFKC", s).lower().split())


def tokens(s):
    out = []
    for w in WORD.findall(s):
        if "\u4e00" <= w[0] <= "\u9fff":
            out.extend([w] if len(w) == 1 else [w[i:i + 2] for i in range(len(w) - 1)])
        elif w not in STOP:
            out.append(w)
    return out


def key(s):
    return "".join(c for c in s if c.isalnum())


def char_dice(a, b):
    ga = Counter(a[i:i + 2] for i in range(len(a) - 1))
    gb = Counter(b[i:i + 2] for i in range(len(b) - 1))
    n = sum(ga.values()) + sum(gb.values())
    return 2 * sum((ga & gb).values()) / n if n else 0.0


def prepare(body):
    sents = [fold(s) for s in SENT.split(body) if s.strip()]
    passages = (sents + [sents[i] + " " + sents[i + 1] for i in range(len(sents) - 1)]
                + [" ".join(sents[i:i + 3]) for i in range(len(sents) - 2)])
    toks = [tokens(p) for p in passages]
    n = max(len(passages), 1)
    df = Counter(t for ts in toks for t in set(ts))
    idf = {t: math.log(1 + n / d) for t, d in df.items()}
    bidf = {t: math.log((n - d + 0.5) / (d + 0.5) + 1) for t, d in df.items()}
    avg = sum(len(t) for t in toks) / n
    return passages, [Counter(t) for t in toks], [len(t) for t in toks], idf, bidf, avg, n


def features(headline, prepared):
    passages, counts, lens, idf, bidf, avg, n = prepared
    h = fold(headline)
    q = tokens(h)
    qc = Counter(q)
    unseen = math.log(1 + n)
    total = sum(idf.get(t, unseen) for t in qc)
    best, best_i = -1.0, 0
    for i, c in enumerate(counts):
        shared = sum(idf[t] for t in qc if t in c)
        cover = shared / total if total else 0.0
        dice = 2 * sum(min(v, c[t]) for t, v in qc.items()) / (len(q) + lens[i]) if q and lens[i] else 0.0
        norm = K1 * (1 - B + B * lens[i] / max(avg, 1))
        bm25 = sum(bidf[t] * c[t] * (K1 + 1) / (c[t] + norm) for t in qc if t in c)
        score = 0.8 * cover + 0.2 * dice + 1e-6 * bm25
        if score > best:
            best, best_i = score, i
    ck = key(h)
    pk = key(passages[best_i])[: 2 * len(ck) + 8] if passages else ""
    return (best, Levenshtein.normalized_similarity(ck, pk), JaroWinkler.similarity(ck, pk),
            char_dice(ck, key(passages[best_i]) if passages else ""))


def body_task(args):
    body, headlines = args
    prepared = prepare(body)
    return [features(h, prepared) for h in headlines]


def main():
    args = sys.argv[1:]
    dump = None
    if "--dump" in args:
        i = args.index("--dump")
        dump = args[i + 1]
        del args[i:i + 2]
    d = args[0] if args else "../shared/data/fnc1"
    with open(os.path.join(d, "train_bodies.csv"), encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(os.path.join(d, "train_stances.csv"), encoding="utf-8") as f:
        stances = [(r["Headline"], r["Body ID"]) for r in csv.DictReader(f)]
    by_body = {}
    for h, b in stances:
        by_body.setdefault(b, []).append(h)
    t = time.perf_counter()
    # One task per body: the worker prepares it once and scores its headlines, as the Rust side does.
    with Pool(os.cpu_count()) as pool:
        out = pool.map(body_task, [(bodies[b], hs) for b, hs in by_body.items()], chunksize=8)
    secs = time.perf_counter() - t
    pairs = sum(len(o) for o in out)
    print(f"python reference: {pairs} pairs in {secs:.2f}s ({pairs / secs:.0f} pairs/s) on {os.cpu_count()} cores")
    if dump:
        # Back to train_stances.csv order: each body's headlines were scored in file order.
        feats = {b: iter(o) for b, o in zip(by_body, out)}
        with open(dump, "w", encoding="utf-8") as f:
            for _, b in stances:
                f.write(" ".join(f"{x:.9f}" for x in next(feats[b])) + "\n")


if __name__ == "__main__":
    main()
