#!/usr/bin/env bash
# Puts the unmodified pycocoevalcap sources (tokenizer, BLEU, ROUGE-L, CIDEr) and the CoreNLP 3.4.1 jar
# into DEST/pycocoevalcap, ready for pycocoevalcap_baseline.py --toolkit DEST.
#   usage: scripts/bench/setup_pycocoevalcap.sh PYCOCOEVALCAP_GIT_DIR DEST
# PYCOCOEVALCAP_GIT_DIR: the .git folder of a clone of https://github.com/salaniz/pycocoevalcap.
set -euo pipefail
GIT_DIR="${1:?git dir of a pycocoevalcap clone}"
DEST="${2:?destination folder}"
COMMIT=ad63453cfab57a81a02b2949b17a91fab1c3df77   # the commit the metric fixtures were made with
PKG="$DEST/pycocoevalcap"
mkdir -p "$PKG"
for f in bleu/bleu.py bleu/bleu_scorer.py cider/cider.py cider/cider_scorer.py rouge/rouge.py \
         tokenizer/ptbtokenizer.py; do
  mkdir -p "$PKG/$(dirname "$f")"
  git --git-dir="$GIT_DIR" show "$COMMIT:$f" > "$PKG/$f"
done
for d in "" bleu cider rouge tokenizer; do touch "$PKG/$d/__init__.py"; done
# the jar blob is not in every clone; Maven Central has the identical file
mvn -q dependency:copy -Dartifact=edu.stanford.nlp:stanford-corenlp:3.4.1 -DoutputDirectory="$PKG/tokenizer"
echo "toolkit ready: --toolkit $DEST"
