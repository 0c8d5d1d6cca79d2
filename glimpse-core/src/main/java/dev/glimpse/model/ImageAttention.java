package dev.glimpse.model;

/**
 * Where each text token looked in the image: the last decoder layer's attention probabilities from a
 * text position to the image's patch tokens, averaged over heads (a class token, if any, left out).
 * Row {@code j} belongs to the query at text position {@code j}, the position whose output predicted
 * token {@code j + 1}. The weights of a row sum to the share of attention that went to the patches
 * (the rest went to the class token and the text).
 *
 * @param weights [T][gridRows * gridColumns], row-major over the patch grid
 * @param gridRows patch rows of the image
 * @param gridColumns patch columns of the image
 */
public record ImageAttention(float[][] weights, int gridRows, int gridColumns) {
  public ImageAttention {
    for (float[] row : weights) {
      if (row.length != gridRows * gridColumns) {
        throw new IllegalArgumentException("a row of " + row.length + " weights for a " + gridRows + "x" + gridColumns
            + " grid");
      }
    }
  }
}
