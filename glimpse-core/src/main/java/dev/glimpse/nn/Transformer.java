package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** A stack of {@link TransformerBlock}s with an optional final norm. */
public final class Transformer {
  private final TransformerConfig config;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final Norm finalNorm; // null when the config has none
  private final RotaryEmbedding rotary;

  public Transformer(ParameterStore.Scope scope, TransformerConfig config) {
    this(scope, config, 0);
  }

  /** @param memoryWidth width of a cross-attention memory every block attends to, 0 for none */
  public Transformer(ParameterStore.Scope scope, TransformerConfig config, long memoryWidth) {
    this(scope, config, memoryWidth, 1);
  }

  /**
   * @param memoryWidth width of the cross-attention memory, 0 for none
   * @param crossAttentionEvery only blocks whose index is a multiple of this attend to the memory
   *     (BLIP-2's Q-Former: {@code cross_attention_frequency})
   */
  public Transformer(ParameterStore.Scope scope, TransformerConfig config, long memoryWidth, int crossAttentionEvery) {
    if (crossAttentionEvery <= 0) {
      throw new IllegalArgumentException("crossAttentionEvery must be > 0, got " + crossAttentionEvery);
    }
    this.config = config;
    for (int i = 0; i < config.layers(); i++) {
      long width = i % crossAttentionEvery == 0 ? memoryWidth : 0;
      blocks.add(new TransformerBlock(scope.sub("layers", i), config, width));
    }
    this.finalNorm = config.finalNorm()
        ? new Norm(scope.sub("final_norm"), config.norm(), config.width(), config.normEps())
        : null;
    this.rotary = config.ropeTheta() > 0 ? new RotaryEmbedding(config.headDim(), config.ropeTheta()) : null;
  }

  /** Self-attention only, no cache. x: [B, T, D] -> [B, T, D]. */
  public NDArray forward(NDArray x, NDArray mask) {
    return forward(x, mask, null, null, null, null);
  }

  /**
   * @param x [B, T, D]
   * @param mask additive mask [B|1, 1, T, S]
   * @param cache per-layer caches or null
   * @param positions [B, T] int64 positions for rotary attention, or null
   * @param memory cross-attention memory [B, M, D_mem] or null
   * @param hiddenStates if not null, receives the input of each block and the final output
   *     (before the final norm), as HuggingFace's {@code output_hidden_states}
   * @return [B, T, D] after the final norm (if any)
   */
  public NDArray forward(NDArray x, NDArray mask, KvCache cache, NDArray positions, NDArray memory,
      List<NDArray> hiddenStates) {
    NDArray[] rope = rotary == null ? null : rotary.tables(positions);
    for (int i = 0; i < blocks.size(); i++) {
      if (hiddenStates != null) {
        hiddenStates.add(x);
      }
      x = blocks.get(i).forward(x, mask, cache == null ? null : cache.layer(i), rope, memory, null, null);
    }
    if (hiddenStates != null) {
      hiddenStates.add(x);
    }
    return finalNorm == null ? x : finalNorm.forward(x);
  }

  /**
   * A layer a design puts in front of some blocks of a stack it does not own (Flamingo's tanh-gated
   * cross-attention before every k-th block of a frozen language model): {@code x} in, new {@code x}
   * out, or {@code x} itself where it adds nothing.
   */
  @FunctionalInterface
  public interface Insertion {
    NDArray before(int block, NDArray x);
  }

  /**
   * As {@link #forward(NDArray, NDArray, KvCache, NDArray, NDArray, List)} without a memory, with
   * {@code insertion} run before each block.
   */
  public NDArray forwardWithInsertion(NDArray x, NDArray mask, KvCache cache, NDArray positions,
      List<NDArray> hiddenStates, Insertion insertion) {
    NDArray[] rope = rotary == null ? null : rotary.tables(positions);
    for (int i = 0; i < blocks.size(); i++) {
      x = insertion.before(i, x);
      if (hiddenStates != null) {
        hiddenStates.add(x);
      }
      x = blocks.get(i).forward(x, mask, cache == null ? null : cache.layer(i), rope, null, null, null);
    }
    if (hiddenStates != null) {
      hiddenStates.add(x);
    }
    return finalNorm == null ? x : finalNorm.forward(x);
  }

  /**
   * Self-attention with rotary tables the caller built (e.g. 2D positions of a patch grid, see
   * {@link Rotary2d}), used by every block whatever the config's {@code ropeTheta}.
   *
   * @param rope cos/sin tables [B, 1, T, head_dim]
   */
  public NDArray forwardWithRope(NDArray x, NDArray mask, KvCache cache, NDArray[] rope, List<NDArray> hiddenStates) {
    for (int i = 0; i < blocks.size(); i++) {
      if (hiddenStates != null) {
        hiddenStates.add(x);
      }
      x = blocks.get(i).forward(x, mask, cache == null ? null : cache.layer(i), rope, null, null, null);
    }
    if (hiddenStates != null) {
      hiddenStates.add(x);
    }
    return finalNorm == null ? x : finalNorm.forward(x);
  }

  /**
   * Runs only the first {@code count} blocks (no final norm): features from an inner layer, as
   * LLaVA takes them from the vision tower. x: [B, T, D] -> [B, T, D].
   */
  public NDArray forwardBlocks(NDArray x, NDArray mask, int count) {
    if (count < 0 || count > blocks.size()) {
      throw new IllegalArgumentException("count must be in [0, " + blocks.size() + "], got " + count);
    }
    for (int i = 0; i < count; i++) {
      x = blocks.get(i).forward(x, mask, null, null, null, null, null);
    }
    return x;
  }

  /** The final norm (null when the stack has none). */
  public Norm finalNorm() {
    return finalNorm;
  }

  public TransformerConfig config() {
    return config;
  }

  public List<TransformerBlock> blocks() {
    return blocks;
  }

  public int numLayers() {
    return blocks.size();
  }

  /** Turns attention-probability recording on or off in every block. */
  public void setRecordAttention(boolean record) {
    for (TransformerBlock block : blocks) {
      block.attention().setRecordAttention(record);
    }
  }
}
