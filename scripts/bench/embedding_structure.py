#!/usr/bin/env python3
"""How hard a set of unit vectors is for a graph index: the statistics behind `bench index --vectors clustered`.

For N vectors (default: the first 3000) prints
  PR      participation ratio of the covariance, (sum of eigenvalues)^2 / sum of squares: effective directions
  LID20   local intrinsic dimension, maximum-likelihood estimate (Levina & Bickel) over 20 neighbours by angle
  cos1    mean cosine to the nearest other vector;  cos10: to the 10th nearest
Uniform random vectors in 128 dimensions have PR ~123, LID20 ~58 at N = 3000 (the worst case); a model's
embeddings far less.

usage (needs numpy):
  ./glimpse embed --checkpoint runs/clip-quick --images IMAGES --out emb.safetensors
  python3 scripts/bench/embedding_structure.py emb.safetensors          # a `glimpse embed` output
  python3 scripts/bench/embedding_structure.py --random                  # uniform on the sphere
  python3 scripts/bench/embedding_structure.py --clustered 100 0.35 1.5  # CLUSTERS SPREAD DECAY
--clustered draws from the same distribution as IndexVectors.clustered (a NumPy re-implementation: other random
numbers, same law), so the generator's parameters can be fitted to a model's embeddings.
"""
import json
import struct
import sys

import numpy as np


def stats(x):
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    ev = np.linalg.eigvalsh(np.cov(x.T))
    pr = ev.sum() ** 2 / (ev ** 2).sum()
    s = x @ x.T
    np.fill_diagonal(s, -np.inf)
    near = -np.sort(-s, axis=1)[:, :20]
    dist = np.sqrt(np.maximum(2 - 2 * near, 1e-12))
    lid = np.mean(1 / np.mean(np.log(dist[:, -1:] / dist[:, :-1]), axis=1))
    return {"n": len(x), "dim": x.shape[1], "PR": round(float(pr), 1), "LID20": round(float(lid), 1),
            "cos1": round(float(near[:, 0].mean()), 3), "cos10": round(float(near[:, 9].mean()), 3)}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    t = json.loads(data[8:8 + n])["embeddings"]
    start, end = t["data_offsets"]
    return np.frombuffer(data[8 + n + start:8 + n + end], dtype=np.float32).reshape(t["shape"]).astype(np.float64)


def clustered(n, dim, clusters, spread, decay, seed=0):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    var = np.arange(1, dim + 1, dtype=float) ** (-decay)
    axes = q.T * np.sqrt(var / var.mean())[:, None]  # row j: axis j scaled by s_j
    centres = rng.standard_normal((clusters, dim)) @ axes
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    x = centres[rng.integers(0, clusters, n)] + spread / np.sqrt(dim) * (rng.standard_normal((n, dim)) @ axes)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    n = 3000
    if args[:1] == ["--random"]:
        x = np.random.default_rng(0).standard_normal((n, 128))
    elif args[:1] == ["--clustered"]:
        x = clustered(n, 128, int(args[1]), float(args[2]), float(args[3]))
    else:
        x = load_safetensors(args[0])[:n]
    print(json.dumps(stats(x)))
