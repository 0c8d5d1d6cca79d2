#!/usr/bin/env python3
"""Times the official COCO caption toolkit (pycocoevalcap) on a COCO-format corpus: driver only.

Runs exactly the BLEU / ROUGE-L / CIDEr part of pycocoevalcap's COCOEvalCap.evaluate():
PTBTokenizer().tokenize(gts) and .tokenize(res) (two java subprocesses), then Bleu(4), Rouge(),
Cider() compute_score(gts, res); times each step with time.perf_counter() and prints one JSON object
(seconds per step, "total" = tokenization + BLEU + ROUGE-L + CIDEr, and the scores).
JSON loading and Python start-up are not counted.

usage:
  ./glimpse bench eval --write-corpus CORPUS_DIR           # the same corpus Glimpse times
  python3 scripts/bench/pycocoevalcap_baseline.py --toolkit PARENT --corpus CORPUS_DIR [--repeat 3]

PARENT is a folder holding the unmodified toolkit package `pycocoevalcap/` (from
https://github.com/salaniz/pycocoevalcap; needs numpy) with stanford-corenlp-3.4.1.jar (Maven
Central, edu.stanford.nlp:stanford-corenlp:3.4.1) in pycocoevalcap/tokenizer/.
"""
import argparse
import contextlib
import io
import json
import os
import sys
import time


def load(corpus_dir):
    with open(os.path.join(corpus_dir, "annotations.json"), encoding="utf-8") as f:
        ann = json.load(f)
    with open(os.path.join(corpus_dir, "results.json"), encoding="utf-8") as f:
        results = json.load(f)
    # as COCOEvalCap: gts[id] = coco.imgToAnns[id], res[id] = cocoRes.imgToAnns[id], images in file order
    gts = {img["id"]: [] for img in ann["images"]}
    for a in ann["annotations"]:
        if a["image_id"] in gts:
            gts[a["image_id"]].append(a)
    res = {i: [] for i in gts}
    for r in results:
        res[r["image_id"]].append(r)
    return gts, res


def run_once(gts, res):
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.rouge.rouge import Rouge
    from pycocoevalcap.cider.cider import Cider

    seconds, scores = {}, {}
    quiet = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stderr(quiet):
        tokenizer = PTBTokenizer()
        gts_tok = tokenizer.tokenize(gts)
        res_tok = tokenizer.tokenize(res)
    t1 = time.perf_counter()
    with contextlib.redirect_stdout(quiet):
        bleu, _ = Bleu(4).compute_score(gts_tok, res_tok)
    t2 = time.perf_counter()
    rouge, _ = Rouge().compute_score(gts_tok, res_tok)
    t3 = time.perf_counter()
    cider, _ = Cider().compute_score(gts_tok, res_tok)
    t4 = time.perf_counter()
    seconds.update(tokenize=t1 - t0, bleu=t2 - t1, rouge_l=t3 - t2, cider=t4 - t3, total=t4 - t0)
    for k in range(4):
        scores["Bleu_%d" % (k + 1)] = float(bleu[k])
    scores["ROUGE_L"] = float(rouge)
    scores["CIDEr"] = float(cider)
    return seconds, scores


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--toolkit", required=True, help="folder that holds the pycocoevalcap package")
    p.add_argument("--corpus", required=True, help="folder with annotations.json and results.json")
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args()
    sys.path.insert(0, os.path.abspath(args.toolkit))
    gts, res = load(args.corpus)
    runs = [run_once(gts, res) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r[0]["total"])
    print(json.dumps({"images": len(gts), "first_run_seconds": runs[0][0], "best_run_seconds": best[0],
                      "scores": runs[0][1]}, indent=1))


if __name__ == "__main__":
    main()
