package dev.glimpse.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet distance between two sets of feature vectors, each modelled as a Gaussian (Heusel et al.
 * 2017): {@code |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2))}. With Inception features this is FID;
 * Glimpse computes it on the features of its own trained image encoders (not Inception), so values are
 * comparable only between runs scored with the same encoder.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** The distance between the rows of {@code a} and the rows of {@code b} (each at least 2 rows, same width). */
  public static double between(double[][] a, double[][] b) {
    if (a.length < 2 || b.length < 2) {
      throw new IllegalArgumentException("the Fréchet distance needs at least 2 feature vectors per set");
    }
    int d = a[0].length;
    if (b[0].length != d) {
      throw new IllegalArgumentException("feature widths differ: " + d + " and " + b[0].length);
    }
    double[] muA = mean(a);
    double[] muB = mean(b);
    RealMatrix covA = covariance(a, muA);
    RealMatrix covB = covariance(b, muB);
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
    }
    // tr((S1 S2)^(1/2)) = sum sqrt(eig(S1^(1/2) S2 S1^(1/2))): a symmetric PSD matrix with the same eigenvalues
    RealMatrix rootA = symmetricSqrt(covA);
    RealMatrix middle = rootA.multiply(covB).multiply(rootA);
    RealMatrix symmetric = middle.add(middle.transpose()).scalarMultiply(0.5);
    double traceRoot = 0;
    for (double lambda : new EigenDecomposition(symmetric).getRealEigenvalues()) {
      traceRoot += Math.sqrt(Math.max(0, lambda));
    }
    return meanTerm + covA.getTrace() + covB.getTrace() - 2 * traceRoot;
  }

  private static double[] mean(double[][] rows) {
    double[] mu = new double[rows[0].length];
    for (double[] row : rows) {
      for (int i = 0; i < mu.length; i++) {
        mu[i] += row[i] / rows.length;
      }
    }
    return mu;
  }

  // unbiased (n - 1), as numpy.cov and the FID reference code
  private static RealMatrix covariance(double[][] rows, double[] mu) {
    int d = mu.length;
    double[][] cov = new double[d][d];
    for (double[] row : rows) {
      for (int i = 0; i < d; i++) {
        double di = row[i] - mu[i];
        for (int j = i; j < d; j++) {
          cov[i][j] += di * (row[j] - mu[j]);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= rows.length - 1;
        cov[j][i] = cov[i][j];
      }
    }
    return new Array2DRowRealMatrix(cov, false);
  }

  // V diag(sqrt(max(lambda, 0))) V^T of a symmetric PSD matrix
  private static RealMatrix symmetricSqrt(RealMatrix m) {
    EigenDecomposition eig = new EigenDecomposition(m);
    RealMatrix v = eig.getV();
    double[] lambda = eig.getRealEigenvalues();
    RealMatrix scaled = v.copy();
    for (int j = 0; j < lambda.length; j++) {
      double root = Math.sqrt(Math.max(0, lambda[j]));
      for (int i = 0; i < scaled.getRowDimension(); i++) {
        scaled.setEntry(i, j, scaled.getEntry(i, j) * root);
      }
    }
    return scaled.multiply(v.transpose());
  }
}
