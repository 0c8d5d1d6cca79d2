#!/usr/bin/env python3
"""An independent HNSW on the vectors of `glimpse bench index` (uniform random unit vectors): faiss's
IndexHNSWFlat, inner product, one thread, 200 queries, recall@10 against exact search and the share of queries
whose whole top 10 is found. Faiss and Lucene both build HNSW with M neighbours per node above level 0 and 2M on
level 0 and the same neighbour-selection heuristic, so their recall at equal (M, build beam, ef) should agree within
a few points; a Lucene figure far below faiss's would point at a mistake in how Glimpse uses Lucene.

usage (needs numpy and faiss-cpu):
  python3 scripts/bench/faiss_hnsw_check.py N M BUILD_BEAM EF[,EF...]     e.g. 100000 16 100 100,400,800,1600
"""
import sys
import time

import faiss
import numpy as np

faiss.omp_set_num_threads(1)
n, m, beam = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
efs = [int(e) for e in sys.argv[4].split(",")]
dim = 128
rng = np.random.default_rng(17)
x = rng.standard_normal((n, dim)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
q = rng.standard_normal((200, dim)).astype(np.float32)
q /= np.linalg.norm(q, axis=1, keepdims=True)
truth = np.argsort(-(q @ x.T), axis=1)[:, :10]
index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
index.hnsw.efConstruction = beam
start = time.time()
index.add(x)
build = time.time() - start
for ef in efs:
    index.hnsw.efSearch = ef
    start = time.time()
    _, found = index.search(q, 10)
    seconds = time.time() - start
    hits = np.array([len(set(found[i]) & set(truth[i])) for i in range(len(q))])
    print(f"faiss n={n} M={m} beam={beam} ef={ef}: build {build:.1f} s, recall@10 {hits.mean() / 10:.3f}, "
          f"whole top 10 {np.mean(hits == 10) * 100:.1f}%, {len(q) / seconds:.0f} queries/s")
