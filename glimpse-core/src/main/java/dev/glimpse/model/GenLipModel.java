package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.NativeImage;
import dev.glimpse.data.NativeResolution;
import dev.glimpse.data.PackedBatch;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.LmHead;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.PatchEmbed;
import dev.glimpse.nn.Rotary2d;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import java.util.List;

/**
 * GenLIP ("Let ViT Speak", Fang et al. 2026): no separate text decoder. Patch embedding and token
 * embedding feed one transformer over [visual tokens ; text tokens] with the prefix-LM mask (visual
 * tokens see each other and no text; text is causal and sees every visual token), and the tied LM
 * head predicts the text. Positions are 2D rotary ({@link Rotary2d}): patch (row, column) for visual
 * tokens, the diagonal from {@code textPositionStart} for text, so any grid runs: a fixed square
 * input (stage 1), native aspect ratio (stage 2), packed rows of several images ({@link #forwardPacked}).
 * After training, {@link #encodeImages} / {@link #encodeNative} give the visual token outputs: the
 * vision tower GenLIP is pre-trained to be.
 */
public final class GenLipModel implements NativeResolutionModel {
  private final GenLipConfig config;
  private final PatchEmbed patchEmbed;
  private final TextEmbedding textEmbedding;
  private final Transformer transformer;
  private final LmHead head;
  private final Rotary2d rotary;

  public GenLipModel(ParameterStore.Scope scope, GenLipConfig config) {
    this.config = config;
    double std = config.transformer().initStd();
    this.patchEmbed = new PatchEmbed(scope.sub("patch_embed"), 3, config.patchSize(), config.width(), true, std);
    // no position table: text positions are rotary like the patches'
    this.textEmbedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), config.width(), 0, 0,
        null, config.transformer().normEps(), std);
    this.transformer = new Transformer(scope.sub("transformer"), config.transformer());
    this.head = LmHead.tied(textEmbedding);
    this.rotary = new Rotary2d(config.transformer().headDim(), config.transformer().ropeTheta());
  }

  public GenLipConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  @Override
  public int maxTextLength() {
    return config.maxTextPositions();
  }

  @Override
  public NativeResolution nativeResolution() {
    return config.isNative() ? new NativeResolution(config.patchSize(), config.maxPatches()) : null;
  }

  // ---- training

  /**
   * Fixed-resolution training forward: logits of the text positions.
   *
   * @param pixels [B, 3, H, W] (H, W multiples of the patch size)
   * @param ids [B, T] int64 text ids (BOS first)
   * @param valid [B, T] 1 for real tokens
   * @return [B, T, V]
   */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    NDArray visual = patchEmbed.forward(checkImages(pixels));                 // [B, N, D]
    Prefix prefix = Prefix.grid(pixels.getShape(), config.patchSize());
    NDArray hidden = run(visual, prefix, ids, columns(ids), valid, null);     // [B, N + T, D]
    return head.forward(hidden.get(":, " + prefix.tokens() + ":, :"));       // [B, T, V]
  }

  /**
   * Hidden states of the whole sequence after the final norm, [B, N + T, D]: visual positions first
   * (the same values {@link #encodeImages} gives, as visual tokens never see text).
   */
  public NDArray forwardHidden(NDArray pixels, NDArray ids, NDArray valid) {
    NDArray visual = patchEmbed.forward(checkImages(pixels));
    return run(visual, Prefix.grid(pixels.getShape(), config.patchSize()), ids, columns(ids), valid, null);
  }

  /** Packed native-resolution batch: logits at every position [R, L, V] (the loss weights pick the text). */
  public NDArray forwardPacked(PackedBatch batch, PackedBatch.Tensors t) {
    NDManager manager = t.inputIds().getManager();
    NDArray visual = patchEmbed.forwardPatches(t.patches());                  // [R, L, D]
    NDArray text = textEmbedding.forward(t.inputIds(), null);                 // [R, L, D]
    NDArray x = text.add(visual.sub(text).mul(t.visual()));                   // patch or token per position
    NDArray[] rope = rotary.tables(manager, batch.rowPositions(), batch.columnPositions(), batch.rows(),
        batch.length());
    return head.forward(transformer.forwardWithRope(x, t.mask(), null, rope, null));
  }

  // ---- vision tower

  /** Visual token outputs [B, N, D] (after the final norm) for images at fixed size [B, 3, H, W]. */
  public NDArray encodeImages(NDArray pixels) {
    NDArray visual = patchEmbed.forward(checkImages(pixels));
    return encode(visual, Prefix.grid(pixels.getShape(), config.patchSize()));
  }

  /**
   * Visual token outputs of native-resolution images, right-padded to the most patches.
   *
   * @return tokens [B, N_max, D] and valid [B, N_max] (1 = a real patch)
   */
  public VisualTokens encodeNative(List<NativeImage> images, NDManager manager) {
    Prefix prefix = Prefix.of(images);
    NDArray visual = embedNative(images, prefix, manager);
    return new VisualTokens(encode(visual, prefix), prefix.validArray(manager));
  }

  /** Visual token outputs and which are real. */
  public record VisualTokens(NDArray tokens, NDArray valid) {}

  private NDArray encode(NDArray visual, Prefix prefix) {
    NDManager manager = visual.getManager();
    NDArray mask = AttentionMask.builder().segment("visual", prefix.tokens(), false).build()
        .toArray(manager, prefix.validArray(manager));
    NDArray[] rope = rotary.tables(manager, prefix.rows(), prefix.columns(), prefix.batch(), prefix.tokens());
    return transformer.forwardWithRope(visual, mask, null, rope, null);
  }

  // ---- decoding

  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    NDArray visual = patchEmbed.forward(checkImages(pixels));
    return prefillVisual(visual, Prefix.grid(pixels.getShape(), config.patchSize()), promptIds, promptValid, useCache);
  }

  @Override
  public DecodeState prefillNative(List<NativeImage> images, NDArray promptIds, NDArray promptValid,
      boolean useCache) {
    Prefix prefix = Prefix.of(images);
    return prefillVisual(embedNative(images, prefix, promptIds.getManager()), prefix, promptIds, promptValid,
        useCache);
  }

  private DecodeState prefillVisual(NDArray visual, Prefix prefix, NDArray promptIds, NDArray promptValid,
      boolean useCache) {
    int n = prefix.tokens();
    KvCache cache = useCache ? new KvCache(transformer.numLayers()) : null;
    NDArray hidden = run(visual, prefix, promptIds, columns(promptIds), promptValid, cache);  // [B, N + T, D]
    long[] lengths = GitModel.lengths(promptValid);
    long[] last = new long[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      last[i] = n + lengths[i] - 1;
    }
    DecodeState state = new DecodeState(visual, promptIds, promptValid, lengths, cache);
    state.setVisualLayout(prefix.validRows(), prefix.rowsPerRow(), prefix.columnsPerRow());
    state.setLogits(head.forward(GitModel.lastPositions(hidden, last)));      // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    long[] positions = state.nextPositions();
    state.append(ids);
    if (state.cached()) {
      long[] diagonal = new long[positions.length];
      for (int i = 0; i < positions.length; i++) {
        diagonal[i] = config.textPositionStart() + positions[i];
      }
      NDArray x = textEmbedding.forward(manager.create(ids).reshape(-1, 1), null);  // [B, 1, D]
      NDArray[] rope = rotary.tables(manager, diagonal, diagonal, ids.length, 1);
      NDArray keyValid = state.keyValid(manager);                            // [B, S] or null
      NDArray mask = keyValid == null ? null : AttentionMask.keyPadding(keyValid);
      NDArray hidden = transformer.forwardWithRope(x, mask, state.cache(), rope, null);
      state.setLogits(head.forward(hidden.squeeze(1)));                      // [B, V]
      return;
    }
    // No cache: recompute the whole sequence from the kept visual embeddings.
    Prefix prefix = Prefix.of(state);
    NDArray hidden = run(state.visual(), prefix, state.tokens(manager), state.positions(manager).toLongArray(),
        state.valid(manager), null);
    long length = hidden.getShape().get(1);
    state.setLogits(head.forward(hidden.get(":, " + (length - 1) + ", :")));  // [B, V]
  }

  // ---- shared forward

  // visual [B, N, D] + ids [B, T] (text positions [B*T]) -> hidden [B, N + T, D]
  private NDArray run(NDArray visual, Prefix prefix, NDArray ids, long[] textPositions, NDArray textValid,
      KvCache cache) {
    NDManager manager = ids.getManager();
    int b = prefix.batch();
    int n = prefix.tokens();
    int t = (int) ids.getShape().get(1);
    NDArray x = visual.concat(textEmbedding.forward(ids, null), 1);           // [B, N + T, D]
    long[] rows = new long[b * (n + t)];
    long[] cols = new long[b * (n + t)];
    for (int i = 0; i < b; i++) {
      int base = i * (n + t);
      System.arraycopy(prefix.rows(), i * n, rows, base, n);
      System.arraycopy(prefix.columns(), i * n, cols, base, n);
      for (int j = 0; j < t; j++) {
        rows[base + n + j] = config.textPositionStart() + textPositions[i * t + j];
        cols[base + n + j] = rows[base + n + j];
      }
    }
    NDArray keyValid = prefix.validArray(manager).concat(textValid.toType(DataType.FLOAT32, false), 1); // [B, N+T]
    NDArray mask = AttentionMask.builder().prefixLm(n, t).build().toArray(manager, keyValid); // [B, 1, N+T, N+T]
    return transformer.forwardWithRope(x, mask, cache, rotary.tables(manager, rows, cols, b, n + t), null);
  }

  // patches of each image, right-padded with zeros: [B, N_max, D]
  private NDArray embedNative(List<NativeImage> images, Prefix prefix, NDManager manager) {
    int patchDim = 3 * config.patchSize() * config.patchSize();
    float[] patches = new float[prefix.batch() * prefix.tokens() * patchDim];
    for (int i = 0; i < images.size(); i++) {
      NativeImage image = images.get(i);
      if (image.patchDim() != patchDim) {
        throw new IllegalArgumentException("image patches have " + image.patchDim() + " floats, the model takes "
            + patchDim);
      }
      System.arraycopy(image.patches(), 0, patches, i * prefix.tokens() * patchDim, image.patches().length);
    }
    return patchEmbed.forwardPatches(manager.create(patches, new Shape(prefix.batch(), prefix.tokens(), patchDim)));
  }

  private NDArray checkImages(NDArray pixels) {
    Shape s = pixels.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("GenLIP reads images [B, 3, H, W], got " + s);
    }
    return pixels;
  }

  // text positions 0..T-1 of every row
  private static long[] columns(NDArray ids) {
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long[] out = new long[b * t];
    for (int i = 0; i < b * t; i++) {
      out[i] = i % t;
    }
    return out;
  }

  /** The visual prefix of a batch: N columns per row (shorter rows padded at the end), 2D positions, validity. */
  private record Prefix(int batch, int tokens, long[] rows, long[] columns, float[] valid) {
    static Prefix grid(Shape pixels, int patchSize) {
      int b = (int) pixels.get(0);
      int gh = (int) pixels.get(2) / patchSize;
      int gw = (int) pixels.get(3) / patchSize;
      int n = gh * gw;
      long[] rows = new long[b * n];
      long[] cols = new long[b * n];
      float[] valid = new float[b * n];
      for (int i = 0; i < b * n; i++) {
        rows[i] = (i % n) / gw;
        cols[i] = (i % n) % gw;
        valid[i] = 1;
      }
      return new Prefix(b, n, rows, cols, valid);
    }

    static Prefix of(List<NativeImage> images) {
      int b = images.size();
      int n = 0;
      for (NativeImage image : images) {
        n = Math.max(n, image.tokens());
      }
      long[] rows = new long[b * n];
      long[] cols = new long[b * n];
      float[] valid = new float[b * n];
      for (int i = 0; i < b; i++) {
        NativeImage image = images.get(i);
        for (int k = 0; k < image.tokens(); k++) {
          rows[i * n + k] = k / image.gridWidth();
          cols[i * n + k] = k % image.gridWidth();
          valid[i * n + k] = 1;
        }
      }
      return new Prefix(b, n, rows, cols, valid);
    }

    static Prefix of(DecodeState state) {
      boolean[][] v = state.visualValid();
      int b = v.length;
      int n = b == 0 ? 0 : v[0].length;
      long[] rows = new long[b * n];
      long[] cols = new long[b * n];
      float[] valid = new float[b * n];
      for (int i = 0; i < b; i++) {
        System.arraycopy(state.visualRows()[i], 0, rows, i * n, n);
        System.arraycopy(state.visualColumns()[i], 0, cols, i * n, n);
        for (int k = 0; k < n; k++) {
          valid[i * n + k] = v[i][k] ? 1 : 0;
        }
      }
      return new Prefix(b, n, rows, cols, valid);
    }

    NDArray validArray(NDManager manager) {
      return manager.create(valid, new Shape(batch, tokens));
    }

    boolean[][] validRows() {
      boolean[][] out = new boolean[batch][tokens];
      for (int i = 0; i < batch; i++) {
        for (int k = 0; k < tokens; k++) {
          out[i][k] = valid[i * tokens + k] > 0;
        }
      }
      return out;
    }

    long[][] rowsPerRow() {
      return split(rows);
    }

    long[][] columnsPerRow() {
      return split(columns);
    }

    private long[][] split(long[] flat) {
      long[][] out = new long[batch][];
      for (int i = 0; i < batch; i++) {
        out[i] = java.util.Arrays.copyOfRange(flat, i * tokens, (i + 1) * tokens);
      }
      return out;
    }
  }

  public Transformer transformer() {
    return transformer;
  }

  public PatchEmbed patchEmbed() {
    return patchEmbed;
  }
}
