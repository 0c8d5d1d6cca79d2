#!/usr/bin/env bash
# Times pycocoevalcap and Glimpse on the same generated corpus (5,000 images x 5 references),
# alternating fresh processes ROUNDS times so both see the same machine load, then prints the medians
# and the spread of the per-round ratios. The toolkit's figure is a fresh-process one (its first run).
#   usage: scripts/bench/compare.sh TOOLKIT_PARENT [ROUNDS]    (TOOLKIT_PARENT: see setup_pycocoevalcap.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLKIT="${1:?folder holding the pycocoevalcap package}"
ROUNDS="${2:-5}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/glimpse" bench eval --repeat 1 --no-meteor --write-corpus "$WORK/corpus" > /dev/null
for i in $(seq "$ROUNDS"); do
  python3 "$ROOT/scripts/bench/pycocoevalcap_baseline.py" --toolkit "$TOOLKIT" --corpus "$WORK/corpus" > "$WORK/toolkit-$i.json"
  "$ROOT/glimpse" bench eval --repeat 5 --json 2> /dev/null > "$WORK/glimpse-$i.json"
  start=$(date +%s%N)
  "$ROOT/glimpse" eval captions --no-meteor --annotations "$WORK/corpus/annotations.json" \
    --results "$WORK/corpus/results.json" > /dev/null
  echo $(( $(date +%s%N) - start )) > "$WORK/cli-$i.txt"
  start=$(date +%s%N)
  python3 "$ROOT/scripts/bench/pycocoevalcap_baseline.py" --toolkit "$TOOLKIT" --corpus "$WORK/corpus" > /dev/null
  echo $(( $(date +%s%N) - start )) > "$WORK/toolkit-wall-$i.txt"
done
python3 - "$WORK" "$ROUNDS" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
load = lambda name: [json.load(open("%s/%s-%d.json" % (work, name, i))) for i in range(1, rounds + 1)]
wall = lambda name: [int(open("%s/%s-%d.txt" % (work, name, i)).read()) / 1e9 for i in range(1, rounds + 1)]
toolkit, glimpse = load("toolkit"), load("glimpse")
med = lambda xs: statistics.median(xs)
steps = ["tokenize", "bleu", "rouge_l", "cider", "total"]
print("median of %d rounds, seconds" % rounds)
print("%-10s %10s %14s %14s" % ("step", "toolkit", "glimpse 1st", "glimpse best"))
for s in steps:
    if s == "bleu":  # Glimpse counts n-grams once for BLEU and CIDEr; the toolkit inside each scorer
        print("%-10s %10s %14.3f %14.3f" % ("ngrams", "(in each)", med([g["first_run_seconds"]["ngrams"] for g in glimpse]),
              med([g["best_run_seconds"]["ngrams"] for g in glimpse])))
    print("%-10s %10.3f %14.3f %14.3f" % (s, med([t["first_run_seconds"][s] for t in toolkit]),
          med([g["first_run_seconds"][s] for g in glimpse]), med([g["best_run_seconds"][s] for g in glimpse])))
print("%-10s %10s %14.3f %14.3f" % ("meteor", "n/a", med([g["first_run_seconds"]["meteor"] for g in glimpse]),
      med([g["best_run_seconds"]["meteor"] for g in glimpse])))
t = med([x["first_run_seconds"]["total"] for x in toolkit])
print("speedup (toolkit total / glimpse total): first run %.1fx, best run %.1fx (ratios of medians)" % (
    t / med([g["first_run_seconds"]["total"] for g in glimpse]), t / med([g["best_run_seconds"]["total"] for g in glimpse])))
# per-round ratios: both tools timed back to back in the same round see the same load
for kind, label in (("first_run_seconds", "fresh process vs fresh JVM"), ("best_run_seconds", "fresh process vs warm JVM")):
    r = sorted(x["first_run_seconds"]["total"] / g[kind]["total"] for x, g in zip(toolkit, glimpse))
    print("per-round speedup, %s: median %.1fx, range %.1f-%.1fx over %d rounds" % (label, med(r), r[0], r[-1], len(r)))
print("end to end, whole process: toolkit %.2f s, glimpse eval captions --no-meteor %.2f s (%.1fx)" % (
    med(wall("toolkit-wall")), med(wall("cli")), med(wall("toolkit-wall")) / med(wall("cli"))))
same = all(abs(toolkit[0]["scores"][k] - glimpse[0]["scores"][k]) < 1e-9 for k in toolkit[0]["scores"])
print("same scores as the toolkit (1e-9):", same)
PY
