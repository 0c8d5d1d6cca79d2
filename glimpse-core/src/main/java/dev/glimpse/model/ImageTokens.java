package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
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

  /** {@link #ensure(NDArray, NDArray, int, int[][], int)} for one image per row. */
  static Prompt ensure(NDArray ids, NDArray valid, int imageTokenId, int count, int at) {
    return ensure(ids, valid, imageTokenId, count, at, 1);
  }

  /** {@link #ensure(NDArray, NDArray, int, int[][], int)} for {@code images} images of {@code count} tokens per row. */
  static Prompt ensure(NDArray ids, NDArray valid, int imageTokenId, int count, int at, int images) {
    int[][] counts = new int[(int) ids.getShape().get(0)][images];
    for (int[] row : counts) {
      java.util.Arrays.fill(row, count);
    }
    return ensure(ids, valid, imageTokenId, counts, at);
  }

  /** The image tokens of each row's images in a sequence: {@code tokens[i]} of image i, in row order. */
  static int[][] counts(int[] imagesPerRow, int[] tokens) {
    int[][] out = new int[imagesPerRow.length][];
    int at = 0;
    for (int r = 0; r < imagesPerRow.length; r++) {
      out[r] = java.util.Arrays.copyOfRange(tokens, at, at + imagesPerRow[r]);
      at += imagesPerRow[r];
    }
    return out;
  }

  /**
   * Gives every row its images' tokens ({@code counts[row][image]} each), as the HF processors write
   * prompts: a row that has them all is kept, each single image token of a row with one per image is
   * expanded in place (the processor's {@code <image>} placeholder), and a one-image row without any
   * gets them at column {@code at} (after BOS for LLaVA, in front for BLIP-2).
   */
  static Prompt ensure(NDArray ids, NDArray valid, int imageTokenId, int[][] counts, int at) {
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
      int total = java.util.Arrays.stream(counts[i]).sum();
      long[] row = java.util.Arrays.copyOfRange(values, i * t, (i + 1) * t);
      float[] rv = java.util.Arrays.copyOfRange(v, i * t, (i + 1) * t);
      if (n == total) {
        rows[i] = row;
        rowValid[i] = rv;
        insertedAll = false;
        length = Math.max(length, row.length);
        continue;
      }
      List<Long> out = new ArrayList<>();
      List<Float> outValid = new ArrayList<>();
      if (n == counts[i].length) { // one placeholder per image: each becomes the image's run of tokens
        int image = 0;
        for (int j = 0; j < t; j++) {
          boolean placeholder = row[j] == imageTokenId && rv[j] > 0;
          for (int c = 0; c < (placeholder ? counts[i][image] : 1); c++) {
            out.add(row[j]);
            outValid.add(rv[j]);
          }
          image += placeholder ? 1 : 0;
        }
        insertedAll = false;
      } else if (n == 0 && counts[i].length == 1) {
        if (at > t) {
          throw new IllegalArgumentException("cannot insert image tokens at column " + at + " of " + t);
        }
        for (int j = 0; j <= t; j++) {
          if (j == at) {
            for (int c = 0; c < counts[i][0]; c++) {
              out.add((long) imageTokenId);
              outValid.add(1f);
            }
          }
          if (j < t) {
            out.add(row[j]);
            outValid.add(rv[j]);
          }
        }
      } else {
        throw new GlimpseException("prompt row " + i + " has " + n + " image tokens (id " + imageTokenId
            + "); its " + counts[i].length + " image(s) need " + total + " in all, or one placeholder per image to "
            + "expand");
      }
      rows[i] = out.stream().mapToLong(Long::longValue).toArray();
      rowValid[i] = new float[outValid.size()];
      for (int k = 0; k < rowValid[i].length; k++) {
        rowValid[i][k] = outValid.get(k);
      }
      changed = true;
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
   * A sequence's visual tokens [1, total, D] (rows one after another, {@code rowTokens[b]} each) as a
   * per-row tensor for a decoding state, [B, max, D], rows padded at the end; the layout marks the real
   * columns when rows differ ({@link DecodeState#setVisualLayout}), so beam search can reorder rows.
   */
  static NDArray perRow(NDArray visual, int[] rowTokens, DecodeState[] layoutOut, boolean[][][] validOut) {
    int b = rowTokens.length;
    int max = java.util.Arrays.stream(rowTokens).max().orElse(0);
    long d = visual.getShape().get(2);
    boolean uniform = java.util.Arrays.stream(rowTokens).allMatch(n -> n == max);
    if (uniform) {
      validOut[0] = null;
      return visual.reshape(b, max, d);
    }
    NDManager m = visual.getManager();
    ai.djl.ndarray.NDList rows = new ai.djl.ndarray.NDList();
    boolean[][] valid = new boolean[b][max];
    int at = 0;
    for (int i = 0; i < b; i++) {
      NDArray row = visual.get(":, " + at + ":" + (at + rowTokens[i]) + ", :").squeeze(0);           // [n, D]
      if (rowTokens[i] < max) {
        row = row.concat(m.zeros(new Shape(max - rowTokens[i], d), visual.getDataType()), 0);
      }
      rows.add(row);
      java.util.Arrays.fill(valid[i], 0, rowTokens[i], true);
      at += rowTokens[i];
    }
    validOut[0] = valid;
    return ai.djl.ndarray.NDArrays.stack(rows, 0);
  }

  /** The real visual tokens of a decoding state's per-row visual tensor, rows one after another: [1, total, D]. */
  static NDArray realTokens(DecodeState state) {
    NDArray visual = state.visual();
    boolean[][] valid = state.visualValid();
    long d = visual.getShape().get(2);
    if (valid == null) {
      return visual.reshape(1, -1, d);
    }
    int n = (int) visual.getShape().get(1);
    List<Long> index = new ArrayList<>();
    for (int i = 0; i < valid.length; i++) {
      for (int j = 0; j < n; j++) {
        if (valid[i][j]) {
          index.add((long) i * n + j);
        }
      }
    }
    NDArray flat = visual.reshape(-1, d);
    return flat.get(visual.getManager().create(index.stream().mapToLong(Long::longValue).toArray())).expandDims(0);
  }

  /** Tokens of each row: the sum of its images' counts. */
  static int[] rowTotals(int[][] counts) {
    int[] out = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = java.util.Arrays.stream(counts[i]).sum();
    }
    return out;
  }

  /** Images per row of a pixel tensor: [B, 3, H, W] holds one, [B, M, 3, H, W] holds M (a sequence of images). */
  static int imagesPerRow(NDArray pixels) {
    return pixels.getShape().dimension() == 5 ? (int) pixels.getShape().get(1) : 1;
  }

  /** The images of a pixel tensor one after another: [B, M, 3, H, W] -> [B*M, 3, H, W]; [B, 3, H, W] as it is. */
  static NDArray images(NDArray pixels) {
    Shape s = pixels.getShape();
    if (s.dimension() == 4) {
      return pixels;
    }
    if (s.dimension() != 5) {
      throw new IllegalArgumentException("pixels must be [B, 3, H, W] or [B, M, 3, H, W], got " + s);
    }
    return pixels.reshape(s.get(0) * s.get(1), s.get(2), s.get(3), s.get(4));
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
