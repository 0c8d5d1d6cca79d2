package dev.glimpse.bench;

import java.util.SplittableRandom;

/**
 * Where the vectors (and the queries) of {@code glimpse bench index} come from: unit vectors of one width, drawn
 * from a seeded random stream, so that a run is repeatable. A graph index's recall depends on the data as much as on
 * its size: uniformly random vectors have no neighbourhood structure to follow (their nearest neighbours are hardly
 * nearer than anything else) and are the worst case; embeddings of a trained model lie near a few directions and in
 * groups, which {@link #clustered} imitates.
 */
public interface IndexVectors {
  /** The name the CLI takes ({@code random}, {@code clustered}). */
  String name();

  /**
   * {@code count} unit vectors of {@link #dim()} floats, one after another, from {@code random}; each vector takes
   * its own run of the stream, so drawing n at once or one at a time n times gives the same vectors.
   */
  float[] draw(SplittableRandom random, int count);

  int dim();

  /** Uniform on the unit sphere: normalised standard Gaussian vectors. */
  static IndexVectors random(int dim) {
    return new IndexVectors() {
      @Override
      public String name() {
        return "random";
      }

      @Override
      public int dim() {
        return dim;
      }

      @Override
      public float[] draw(SplittableRandom random, int count) {
        float[] out = new float[count * dim];
        for (int i = 0; i < count; i++) {
          double norm = 0;
          for (int k = 0; k < dim; k++) {
            double g = random.nextGaussian();
            out[i * dim + k] = (float) g;
            norm += g * g;
          }
          float scale = (float) (1 / Math.sqrt(norm));
          for (int k = 0; k < dim; k++) {
            out[i * dim + k] *= scale;
          }
        }
        return out;
      }
    };
  }

  /**
   * A Gaussian mixture on the unit sphere, shaped like a trained model's embeddings ({@link Clustered}).
   *
   * @param clusters mixture components
   * @param spread the noise's length against a centre's (both before the vector is normalised)
   * @param decay the exponent of the power-law spectrum of every direction (0: isotropic, like random vectors)
   * @param seed fixes the centres and the spectrum's axes (vectors and queries come from the stream given to draw)
   */
  static IndexVectors clustered(int dim, int clusters, double spread, double decay, long seed) {
    return new Clustered(dim, clusters, spread, decay, seed);
  }

  /**
   * A Gaussian mixture on the unit sphere. A trained encoder's embeddings are anisotropic (their covariance has a
   * few large directions and a long tail: a power-law spectrum) and grouped (images of a kind lie together), so:
   * an axis system {@code Q} (a random orthonormal basis) and scales {@code s_j = j^(-decay/2)} ({@code j = 1..dim},
   * the variance along axis j falling as {@code j^-decay}, normalised to a mean variance of 1); {@code clusters}
   * centres {@code c = normalise(Q diag(s) g)}; a vector picks a centre uniformly and is {@code normalise(c + spread
   * * Q diag(s) g / sqrt(dim))}, {@code g} standard Gaussian each time. The noise shares the spectrum, so a cluster
   * is as flat as the whole set. Queries are drawn the same way (a query lands among the data, as a text or image
   * query of the same model does).
   */
  final class Clustered implements IndexVectors {
    private final int dim;
    private final double spread;
    private final float[] basis; // [dim * dim]: row j is axis j, already multiplied by s_j
    private final float[] centres; // [clusters * dim]

    Clustered(int dim, int clusters, double spread, double decay, long seed) {
      if (dim <= 0 || clusters <= 0 || !(spread >= 0) || !(decay >= 0)) {
        throw new IllegalArgumentException("clustered vectors need dim > 0, clusters > 0, spread >= 0, decay >= 0");
      }
      this.dim = dim;
      this.spread = spread;
      SplittableRandom random = new SplittableRandom(seed);
      this.basis = orthonormal(random, dim);
      double[] scale = new double[dim];
      double mean = 0;
      for (int j = 0; j < dim; j++) {
        scale[j] = Math.pow(j + 1, -decay);
        mean += scale[j] / dim;
      }
      for (int j = 0; j < dim; j++) {
        float s = (float) Math.sqrt(scale[j] / mean);
        for (int k = 0; k < dim; k++) {
          basis[j * dim + k] *= s;
        }
      }
      this.centres = new float[clusters * dim];
      for (int c = 0; c < clusters; c++) {
        shaped(random, centres, c * dim, 1);
        normalise(centres, c * dim, dim);
      }
    }

    @Override
    public String name() {
      return "clustered";
    }

    @Override
    public int dim() {
      return dim;
    }

    public int clusters() {
      return centres.length / dim;
    }

    @Override
    public float[] draw(SplittableRandom random, int count) {
      float[] out = new float[count * dim];
      int clusters = clusters();
      for (int i = 0; i < count; i++) {
        int c = random.nextInt(clusters);
        shaped(random, out, i * dim, spread / Math.sqrt(dim));
        for (int k = 0; k < dim; k++) {
          out[i * dim + k] += centres[c * dim + k];
        }
        normalise(out, i * dim, dim);
      }
      return out;
    }

    // out[offset..] = factor * Q diag(s) g
    private void shaped(SplittableRandom random, float[] out, int offset, double factor) {
      for (int j = 0; j < dim; j++) {
        float g = (float) (factor * random.nextGaussian());
        for (int k = 0; k < dim; k++) {
          out[offset + k] += g * basis[j * dim + k];
        }
      }
    }

    // Gram-Schmidt on Gaussian rows: a uniformly random rotation
    private static float[] orthonormal(SplittableRandom random, int dim) {
      double[] q = new double[dim * dim];
      for (int j = 0; j < dim; j++) {
        for (int k = 0; k < dim; k++) {
          q[j * dim + k] = random.nextGaussian();
        }
        for (int i = 0; i < j; i++) {
          double dot = 0;
          for (int k = 0; k < dim; k++) {
            dot += q[j * dim + k] * q[i * dim + k];
          }
          for (int k = 0; k < dim; k++) {
            q[j * dim + k] -= dot * q[i * dim + k];
          }
        }
        double norm = 0;
        for (int k = 0; k < dim; k++) {
          norm += q[j * dim + k] * q[j * dim + k];
        }
        for (int k = 0; k < dim; k++) {
          q[j * dim + k] /= Math.sqrt(norm);
        }
      }
      float[] out = new float[dim * dim];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) q[i];
      }
      return out;
    }
  }

  /** Scales {@code v[offset..offset+dim)} to unit length (a zero vector stays zero). */
  static void normalise(float[] v, int offset, int dim) {
    double norm = 0;
    for (int k = 0; k < dim; k++) {
      norm += (double) v[offset + k] * v[offset + k];
    }
    if (norm == 0) {
      return;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int k = 0; k < dim; k++) {
      v[offset + k] *= scale;
    }
  }
}
