package dev.glimpse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.index.VectorIndex;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vectors of {@code bench index}: seeded, unit length, and the clustered ones really grouped and flat. */
class IndexVectorsTest {
  static final int DIM = 32;

  @Test
  void clusteredVectorsAreSeededAndDeterministic() {
    float[] a = IndexVectors.clustered(DIM, 20, 1.0, 1.0, 5).draw(new SplittableRandom(9), 200);
    float[] b = IndexVectors.clustered(DIM, 20, 1.0, 1.0, 5).draw(new SplittableRandom(9), 200);
    assertArrayEquals(a, b, "same seed and stream: the same vectors");
    float[] otherCentres = IndexVectors.clustered(DIM, 20, 1.0, 1.0, 6).draw(new SplittableRandom(9), 200);
    float[] otherStream = IndexVectors.clustered(DIM, 20, 1.0, 1.0, 5).draw(new SplittableRandom(10), 200);
    assertFalse(Arrays.equals(a, otherCentres));
    assertFalse(Arrays.equals(a, otherStream));
    assertArrayEquals(IndexVectors.random(DIM).draw(new SplittableRandom(3), 50),
        IndexVectors.random(DIM).draw(new SplittableRandom(3), 50));
    // n at once or one at a time: the same vectors (the benchmark draws them one at a time)
    for (IndexVectors source : List.of(IndexVectors.random(DIM), IndexVectors.clustered(DIM, 20, 1.0, 1.0, 5))) {
      float[] all = source.draw(new SplittableRandom(9), 30);
      SplittableRandom stream = new SplittableRandom(9);
      for (int i = 0; i < 30; i++) {
        assertArrayEquals(Arrays.copyOfRange(all, i * DIM, (i + 1) * DIM), source.draw(stream, 1), source.name());
      }
    }
  }

  @Test
  void everyVectorIsUnitLength() {
    for (IndexVectors source : List.of(IndexVectors.random(DIM), IndexVectors.clustered(DIM, 10, 0.7, 1.5, 1))) {
      float[] v = source.draw(new SplittableRandom(1), 300);
      assertEquals(300 * DIM, v.length);
      for (int i = 0; i < 300; i++) {
        double norm = 0;
        for (int k = 0; k < DIM; k++) {
          norm += v[i * DIM + k] * v[i * DIM + k];
        }
        assertEquals(1, norm, 1e-5, source.name() + " vector " + i);
      }
    }
  }

  @Test
  void clusteredVectorsHaveNearNeighboursAndFewDirections() {
    int n = 1000;
    float[] random = IndexVectors.random(DIM).draw(new SplittableRandom(2), n);
    float[] clustered = IndexVectors.clustered(DIM, 20, 1.0, 1.0, 2).draw(new SplittableRandom(2), n);
    double nearRandom = meanNearestCosine(random, n);
    double nearClustered = meanNearestCosine(clustered, n);
    // uniform vectors in 32 dimensions: the nearest of 1000 at a cosine of about 0.5; a cluster's members much nearer
    assertTrue(nearClustered > nearRandom + 0.2, nearClustered + " vs " + nearRandom);
    double flatRandom = participationRatio(random, n);
    double flatClustered = participationRatio(clustered, n);
    assertTrue(flatRandom > 0.8 * DIM, "random vectors fill every direction: " + flatRandom);
    assertTrue(flatClustered < 0.5 * flatRandom, "a power-law spectrum: fewer effective directions, " + flatClustered);
    // decay 0 and no noise: the centres themselves, isotropic
    float[] centres = IndexVectors.clustered(DIM, 2000, 0, 0, 2).draw(new SplittableRandom(2), n);
    assertTrue(participationRatio(centres, n) > 0.8 * DIM);
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> IndexVectors.clustered(DIM, 0, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> IndexVectors.clustered(DIM, 5, -1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> IndexVectors.clustered(DIM, 5, 1, Double.NaN, 0));
  }

  @Test
  void hnswWithAsManyCandidatesAsVectorsFindsTheExactTopTen(@TempDir Path work) throws Exception {
    // ef = n: the search visits the whole (connected) graph, so it must return the exact top 10 on every query
    for (IndexVectors source : List.of(IndexVectors.random(DIM), IndexVectors.clustered(DIM, 30, 1, 1, 4))) {
      IndexBench.Result r = IndexBench.run(2000, source, 30, List.of(2000, 10), 8, 20, 11, work, null);
      IndexBench.Search all = r.searches().get(0);
      assertEquals(1.0, all.recallAt10(), 1e-9, source.name());
      assertEquals(1.0, all.exactTop10Fraction(), 1e-9, source.name());
      // and a beam of 10 on a small graph is not exact: recall is measured, not assumed
      assertTrue(r.searches().get(1).recallAt10() < 1.0, source.name() + " at 10 candidates");
    }
  }

  @Test
  void exactTopKIsTheSortedOrder() {
    float[] flat = IndexVectors.random(DIM).draw(new SplittableRandom(8), 500);
    float[][] rows = new float[500][];
    for (int i = 0; i < 500; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * DIM, (i + 1) * DIM);
    }
    float[] query = IndexVectors.random(DIM).draw(new SplittableRandom(9), 1);
    Integer[] order = new Integer[500];
    double[] score = new double[500];
    for (int i = 0; i < 500; i++) {
      order[i] = i;
      for (int k = 0; k < DIM; k++) {
        score[i] += (double) rows[i][k] * query[k];
      }
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    for (int k : new int[] {1, 10, 499, 500, 600}) {
      int[] top = VectorIndex.Exact.topK(rows, query, k);
      assertEquals(Math.min(k, 500), top.length);
      for (int j = 0; j < top.length; j++) {
        assertEquals(order[j], top[j], "k " + k + " rank " + j);
      }
    }
  }

  private static double meanNearestCosine(float[] v, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double best = -2;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          double s = 0;
          for (int k = 0; k < DIM; k++) {
            s += v[i * DIM + k] * v[j * DIM + k];
          }
          best = Math.max(best, s);
        }
      }
      sum += best;
    }
    return sum / n;
  }

  // (sum of eigenvalues)^2 / sum of squared eigenvalues of the covariance = trace(C)^2 / ||C||_F^2
  private static double participationRatio(float[] v, int n) {
    double[] mean = new double[DIM];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < DIM; k++) {
        mean[k] += v[i * DIM + k] / n;
      }
    }
    double[][] c = new double[DIM][DIM];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < DIM; a++) {
        for (int b = 0; b < DIM; b++) {
          c[a][b] += (v[i * DIM + a] - mean[a]) * (v[i * DIM + b] - mean[b]) / n;
        }
      }
    }
    double trace = 0;
    double frob = 0;
    for (int a = 0; a < DIM; a++) {
      trace += c[a][a];
      for (int b = 0; b < DIM; b++) {
        frob += c[a][b] * c[a][b];
      }
    }
    return trace * trace / frob;
  }
}
