package dev.glimpse.loss;

/**
 * In-batch hard negatives for image-text matching (ALBEF, BLIP-2's ITM): for each image the text it
 * is most similar to among those that do not describe it, and for each text the most similar image
 * it does not describe. "Does not describe" is decided by the texts themselves: pairs whose texts are
 * equal ({@code textKeys}) are never negatives of each other, since a synthetic caption may describe
 * two images word for word. BLIP-2 samples negatives in proportion to the similarity; the hardest is
 * the limit of that sampling at zero temperature, and what Glimpse takes.
 */
public final class HardNegatives {
  private HardNegatives() {}

  /**
   * For image i, the text j with the highest {@code similarity[i][j]} among texts unlike text i; -1
   * when every text of the batch equals text i.
   *
   * @param similarity [B][B] image i against text j
   * @param textKeys one key per text (equal keys: equal texts)
   */
  public static int[] textsFor(float[][] similarity, long[] textKeys) {
    int b = similarity.length;
    int[] out = new int[b];
    for (int i = 0; i < b; i++) {
      out[i] = -1;
      for (int j = 0; j < b; j++) {
        if (textKeys[j] != textKeys[i] && (out[i] < 0 || similarity[i][j] > similarity[i][out[i]])) {
          out[i] = j;
        }
      }
    }
    return out;
  }

  /** For text j, the image i with the highest {@code similarity[i][j]} among images whose text is unlike j; -1 if none. */
  public static int[] imagesFor(float[][] similarity, long[] textKeys) {
    int b = similarity.length;
    int[] out = new int[b];
    for (int j = 0; j < b; j++) {
      out[j] = -1;
      for (int i = 0; i < b; i++) {
        if (textKeys[i] != textKeys[j] && (out[j] < 0 || similarity[i][j] > similarity[out[j]][j])) {
          out[j] = i;
        }
      }
    }
    return out;
  }
}
