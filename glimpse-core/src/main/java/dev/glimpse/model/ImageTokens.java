package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.util.GlimpseException;

/**
 * Visual tokens placed inside the text sequence at "image token" ids (LLaVA, BLIP-2 in HF's expanded
 * form): the prompt holds the image token once per visual token, and those embedding rows are
 * replaced, in order, by the visual tokens.
 */
final class ImageTokens {
  private ImageTokens() {}

  /**
   * A prompt with its image tokens: ids [B, T] and validity [B, T] (right-padded), and whether every
   * row got its image tokens inserted here at the same column (then the text keeps its order and the
   * last columns line up with the original prompt).
   */
  record Prompt(NDArray ids, NDArray valid, boolean insertedInEveryRow) {}

  /**
   * Gives every row {@code count} image tokens, as the HF processors write prompts: a row that has
   * them is kept, a single image token is expanded in place (the processor's {@code <image>}
   * placeholder), and a row without any gets them at column {@code at} (after BOS for LLaVA, in front
   * for BLIP-2).
   */
  static Prompt ensure(NDArray ids, NDArray valid, int imageTokenId, int count, int at) {
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long[] values = ids.toLongArray();
    float[] v = valid.toType(DataType.FLOAT32, false).toFloatArray();
    long[][] rows = new long[b][];
    float[][] rowValid = new float[b][];
    boolean changed = false;
    boolean insertedAll = true;
    int length = 0;
    for (int i = 0; i < b; i++) {
      int n = 0;
      for (int j = 0; j < t; j++) {
        n += values[i * t + j] == imageTokenId && v[i * t + j] > 0 ? 1 : 0;
      }
      long[] row = java.util.Arrays.copyOfRange(values, i * t, (i + 1) * t);
      float[] rv = java.util.Arrays.copyOfRange(v, i * t, (i + 1) * t);
      if (n == count) {
        rows[i] = row;
        rowValid[i] = rv;
        insertedAll = false;
      } else if (n == 0 || n == 1) {
        int position = at;
        if (n == 1) {
          for (int j = 0; j < t; j++) {
            if (row[j] == imageTokenId && rv[j] > 0) {
              position = j;
            }
          }
          insertedAll = false;
        } else if (at > t) {
          throw new IllegalArgumentException("cannot insert image tokens at column " + at + " of " + t);
        }
        int drop = n; // the placeholder is replaced by the full run
        rows[i] = new long[t - drop + count];
        rowValid[i] = new float[t - drop + count];
        for (int j = 0, k = 0; j < t; j++) {
          if (j == position) {
            for (int c = 0; c < count; c++) {
              rows[i][k] = imageTokenId;
              rowValid[i][k++] = 1;
            }
          }
          if (j == position && drop == 1) {
            continue;
          }
          rows[i][k] = row[j];
          rowValid[i][k++] = rv[j];
        }
        if (position == t) { // insertion after the last column
          for (int c = 0; c < count; c++) {
            rows[i][t + c] = imageTokenId;
            rowValid[i][t + c] = 1;
          }
        }
        changed = true;
      } else {
        throw new GlimpseException("prompt row " + i + " has " + n + " image tokens (id " + imageTokenId
            + "); the model needs " + count + " per image, or a single placeholder to expand");
      }
      length = Math.max(length, rows[i].length);
    }
    if (!changed) {
      return new Prompt(ids, valid, false);
    }
    // right-pad rows to one length; a left-padded row keeps its padding in front
    long[] newIds = new long[b * length];
    float[] newValid = new float[b * length];
    for (int i = 0; i < b; i++) {
      System.arraycopy(rows[i], 0, newIds, i * length, rows[i].length);
      System.arraycopy(rowValid[i], 0, newValid, i * length, rowValid[i].length);
    }
    NDManager m = ids.getManager();
    return new Prompt(m.create(newIds, new Shape(b, length)), m.create(newValid, new Shape(b, length)), insertedAll);
  }

  /**
   * Replaces the embeddings at image-token positions by the visual tokens, filled in row-major order
   * over the batch as HF's {@code masked_scatter}.
   *
   * @param embeddings [B, T, D] token embeddings
   * @param ids [B, T] int64
   * @param visual [B, N, D] visual tokens
   */
  static NDArray scatter(NDArray embeddings, NDArray ids, NDArray visual, int imageTokenId) {
    long b = ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long d = embeddings.getShape().get(2);
    long available = visual.getShape().get(0) * visual.getShape().get(1);
    long[] values = ids.toLongArray();
    long[] index = new long[values.length];
    float[] isImage = new float[values.length];
    int next = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] == imageTokenId) {
        if (next >= available) {
          throw new GlimpseException("the prompt has more image tokens (id " + imageTokenId + ") than the "
              + available + " visual tokens of its images");
        }
        index[i] = next++;
        isImage[i] = 1;
      }
    }
    if (next != available) {
      throw new GlimpseException("the prompt has " + next + " image tokens (id " + imageTokenId + ") but its images give "
          + available + " visual tokens");
    }
    NDManager m = ids.getManager();
    NDArray picked = visual.reshape(available, d).get(m.create(index)).reshape(b, t, d);   // [B, T, D]
    NDArray mask = m.create(isImage, new Shape(b, t, 1));                                  // [B, T, 1]
    // exact blend: x * 1 + y * 0 keeps x bit for bit, and the gradient reaches both sources
    return embeddings.mul(mask.neg().add(1f)).add(picked.mul(mask));
  }

  /** Positions 0..T-1 for every row: [B, T] int64. */
  static NDArray arange(NDArray ids) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    return ids.getManager().arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, b);
  }

  /**
   * Positions counting real tokens only, as HF computes them from the attention mask: a real token's
   * position is the number of real tokens before it; padding gets {@code padPosition}. With right
   * padding this is 0..n-1, with left padding the real tokens still start at 0.
   */
  static NDArray countedPositions(NDArray valid, long padPosition) {
    float[] v = valid.toType(DataType.FLOAT32, false).toFloatArray();
    long b = valid.getShape().get(0);
    int t = (int) valid.getShape().get(1);
    long[] out = new long[v.length];
    for (int i = 0; i < b; i++) {
      long count = 0;
      for (int j = 0; j < t; j++) {
        boolean real = v[i * t + j] > 0;
        out[i * t + j] = real ? count : padPosition;
        count += real ? 1 : 0;
      }
    }
    return valid.getManager().create(out, new Shape(b, t));
  }

  /** Number of real tokens per row (at least one). */
  static long[] lengths(NDArray valid) {
    float[] v = valid.toType(DataType.FLOAT32, false).toFloatArray();
    long b = valid.getShape().get(0);
    int t = (int) valid.getShape().get(1);
    long[] out = new long[(int) b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        out[i] += v[i * t + j] > 0 ? 1 : 0;
      }
      if (out[i] == 0) {
        throw new IllegalArgumentException("prompt row " + i + " is empty");
      }
    }
    return out;
  }

  /** hidden [B, L, D] at each row's last real position (right padding) -> [B, D]. */
  static NDArray lastReal(NDArray hidden, NDArray valid) {
    float[] v = valid.toType(DataType.FLOAT32, false).toFloatArray();
    int b = (int) hidden.getShape().get(0);
    int t = (int) valid.getShape().get(1);
    long[] index = new long[b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        if (v[i * t + j] > 0) {
          index[i] = j;
        }
      }
    }
    long d = hidden.getShape().get(2);
    NDArray idx = hidden.getManager().create(index).reshape(-1, 1, 1).repeat(2, d);  // [B, 1, D]
    return hidden.gather(idx, 1).squeeze(1);
  }
}
