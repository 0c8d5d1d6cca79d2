package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Composes attention masks from named segments of a sequence instead of special-casing each model.
 * A segment is bidirectional or causal within itself; {@link Builder#see} lets one segment attend
 * to another in full. Key padding is added per row. GIT's seq2seq mask, for example:
 *
 * <pre>
 * AttentionMask.builder()
 *     .segment("image", numImageTokens, false)   // image tokens see each other
 *     .segment("text", numTextTokens, true)      // text is causal
 *     .see("text", "image")                      // text sees all image tokens; image never sees text
 *     .build();
 * </pre>
 *
 * Masks are additive: 0 where attention is allowed, {@link #BLOCKED} where it is not.
 */
public final class AttentionMask {
  /** Large negative score for blocked positions; finite so fully masked rows stay NaN-free. */
  public static final float BLOCKED = -1e9f;

  private final boolean[][] allowed; // [query][key]

  private AttentionMask(boolean[][] allowed) {
    this.allowed = allowed;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int length() {
    return allowed.length;
  }

  public boolean allowed(int query, int key) {
    return allowed[query][key];
  }

  /** The pattern as an additive mask [1, 1, L, L]. */
  public NDArray toArray(NDManager manager) {
    int n = allowed.length;
    float[] values = new float[n * n];
    for (int q = 0; q < n; q++) {
      for (int k = 0; k < n; k++) {
        values[q * n + k] = allowed[q][k] ? 0f : BLOCKED;
      }
    }
    return manager.create(values, new Shape(1, 1, n, n));
  }

  /**
   * The pattern with key padding: keyValid [B, L] (nonzero = real token) -> [B, 1, L, L]. A position
   * blocked for either reason gets {@link #BLOCKED} once (not twice), as HF builds its masks: a row
   * that sees no real key at all (a left-padding query) then attends uniformly to every key, exactly
   * as in transformers, instead of favouring the keys blocked for one reason only.
   */
  public NDArray toArray(NDManager manager, NDArray keyValid) {
    return toArray(manager).minimum(keyPadding(keyValid));
  }

  /**
   * Flamingo's interleaved sequence (its "text sees only its preceding image" rule): {@code media}
   * images of {@code tokensPerMedia} visual tokens each, then the text, in which the run of tokens
   * from image i's place up to the next image's sees image i and no other; text before the first
   * image sees none. As segments: {@code image0 .. image(M-1)}, then the text chunks {@code before},
   * {@code after0}, ... with {@code after_i} linked to {@code image_i}. The cross-attention mask is the
   * text-by-images block of this pattern ({@link #block}).
   *
   * @param mediaOfToken per text token, the image it follows (-1 before the first), non-decreasing
   */
  public static AttentionMask interleaved(int[] mediaOfToken, int media, int tokensPerMedia) {
    Builder b = builder();
    for (int i = 0; i < media; i++) {
      b.segment("image" + i, tokensPerMedia, false);
    }
    int t = 0;
    while (t < mediaOfToken.length) {
      int m = mediaOfToken[t];
      int start = t;
      while (t < mediaOfToken.length && mediaOfToken[t] == m) {
        t++;
      }
      if (m >= media) {
        throw new IllegalArgumentException("text token " + start + " follows image " + m + " of " + media);
      }
      if (start > 0 && m < mediaOfToken[start - 1]) {
        throw new IllegalArgumentException("images must come in order: token " + start + " follows image " + m
            + " after image " + mediaOfToken[start - 1]);
      }
      String chunk = m < 0 ? "before" : "after" + m;
      b.segment(chunk, t - start, true);
      if (m >= 0) {
        b.see(chunk, "image" + m);
      }
    }
    return b.build();
  }

  /** One block of the pattern as additive values, row-major: queries {@code [rowStart, +rows)}, keys {@code [colStart, +cols)}. */
  public float[] block(int rowStart, int rows, int colStart, int cols) {
    float[] out = new float[rows * cols];
    for (int q = 0; q < rows; q++) {
      for (int k = 0; k < cols; k++) {
        out[q * cols + k] = allowed[rowStart + q][colStart + k] ? 0f : BLOCKED;
      }
    }
    return out;
  }

  /** Additive key-padding mask: keyValid [B, S] (nonzero = real) -> [B, 1, 1, S]. */
  public static NDArray keyPadding(NDArray keyValid) {
    NDArray valid = keyValid.toType(DataType.FLOAT32, false);
    long b = valid.getShape().get(0);
    long s = valid.getShape().get(1);
    // (1 - valid) * BLOCKED
    return Scalars.mul(valid.neg().add(1f), BLOCKED).reshape(b, 1, 1, s);
  }

  /** Builds a mask from segments. */
  public static final class Builder {
    private record Segment(String name, int length, boolean causal, int group) {}

    private final List<Segment> segments = new ArrayList<>();
    private final Set<String> links = new HashSet<>();
    private int group;

    /** Adds a segment; tokens in it see each other (all, or causally when {@code causal}). */
    public Builder segment(String name, int length, boolean causal) {
      if (length < 0) {
        throw new IllegalArgumentException("segment " + name + " has negative length " + length);
      }
      for (Segment s : segments) {
        if (s.name.equals(name) && s.group == group) {
          throw new IllegalArgumentException("segment " + name + " added twice");
        }
      }
      segments.add(new Segment(name, length, causal, group));
      return this;
    }

    /**
     * A prefix-LM sequence (GIT's seq2seq mask, GenLIP): {@code prefixTokens} visual tokens that see
     * each other and no text, then {@code textTokens} causal text tokens that see the whole prefix.
     */
    public Builder prefixLm(int prefixTokens, int textTokens) {
      return segment("prefix", prefixTokens, false).segment("text", textTokens, true).see("text", "prefix");
    }

    /** Lets every token of segment {@code query} attend to every token of segment {@code key}. */
    public Builder see(String query, String key) {
      links.add(query + "\u0000" + key);
      return this;
    }

    /**
     * Starts a new independent sequence in the same row (sequence packing): segments added after
     * this call see nothing before it, giving a block-diagonal mask. Links apply within each group.
     */
    public Builder nextSequence() {
      group++;
      return this;
    }

    public AttentionMask build() {
      int total = 0;
      for (Segment s : segments) {
        total += s.length;
      }
      boolean[][] allowed = new boolean[total][total];
      int qStart = 0;
      for (Segment q : segments) {
        int kStart = 0;
        for (Segment k : segments) {
          if (q.group == k.group) {
            boolean same = q == k;
            boolean linked = links.contains(q.name + "\u0000" + k.name);
            for (int i = 0; i < q.length; i++) {
              for (int j = 0; j < k.length; j++) {
                allowed[qStart + i][kStart + j] = same ? (!q.causal || j <= i) : linked;
              }
            }
          }
          kStart += k.length;
        }
        qStart += q.length;
      }
      return new AttentionMask(allowed);
    }
  }
}
