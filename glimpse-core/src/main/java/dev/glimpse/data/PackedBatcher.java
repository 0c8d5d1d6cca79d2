package dev.glimpse.data;

import dev.glimpse.nn.AttentionMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Examples at native aspect ratio into {@link PackedBatch}es. Each image gets its own patch grid under
 * a token budget drawn per batch from {@code budgets} (multi-resolution training, GenLIP stage 2);
 * text is tokenised by an {@link LmBatcher}. Sequences are packed first-fit, longest first, into rows
 * of {@code rowTokens} (a longer sequence gets a row of its own), so little compute goes to padding.
 * Attention runs over whole rows (the block-diagonal mask blocks but does not skip), so on CPU the
 * default capacity is the batch's longest sequence: short sequences share rows, no row is longer than
 * the longest sequence alone.
 */
public final class PackedBatcher implements ExampleBatcher<PackedBatch> {
  /** Row capacity: the longest sequence of the batch (rows never grow longer than without packing). */
  public static final int LONGEST = -1;

  /** One sequence to pack: an image's patches, its text ids (BOS ... EOS) and the ids without loss. */
  public record Sequence(NativeImage image, int[] tokens, int promptLength) {
    /** Tokens it occupies: patches plus text inputs (the last id is only a target). */
    public int length() {
      return image.tokens() + tokens.length - 1;
    }
  }

  private final LmBatcher text;
  private final ImageTransform normalisation;
  private final int patchSize;
  private final int[] budgets;
  private final int textPositionStart;
  private final int rowTokens;

  /**
   * @param text tokenises examples (its transform's mean and std normalise the pixels)
   * @param budgets per-image patch budgets; each batch draws one
   * @param textPositionStart 2D rotary position of the first text token on both axes
   * @param rowTokens row capacity; {@link #LONGEST} for the batch's longest sequence; 0 puts every sequence
   *     in its own row (padding to the longest)
   */
  public PackedBatcher(LmBatcher text, int patchSize, int[] budgets, int textPositionStart, int rowTokens) {
    if (budgets == null || budgets.length == 0) {
      throw new IllegalArgumentException("at least one patch budget is needed");
    }
    this.text = text;
    this.normalisation = text.transform();
    this.patchSize = patchSize;
    this.budgets = budgets.clone();
    this.textPositionStart = textPositionStart;
    this.rowTokens = rowTokens;
  }

  @Override
  public PackedBatch batch(List<Example> examples, SplittableRandom random) {
    NativeResolution resolution = new NativeResolution(patchSize, budgets[random.nextInt(budgets.length)]);
    List<Sequence> sequences = new ArrayList<>(examples.size());
    for (Example ex : examples) {
      LmBatcher.Tokens tokens = text.tokens(ex, random);
      sequences.add(new Sequence(resolution.apply(ex.image(), normalisation), tokens.sequence(), tokens.promptLength()));
    }
    return pack(sequences, rowTokens, textPositionStart, text.padId());
  }

  /**
   * Packs sequences into rows of {@code rowTokens} ({@link #LONGEST}: the longest sequence's length; 0:
   * one sequence per row, every row padded to the longest).
   */
  public static PackedBatch pack(List<Sequence> sequences, int rowTokens, int textPositionStart, int padId) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("nothing to pack");
    }
    if (rowTokens == LONGEST) {
      for (Sequence s : sequences) {
        rowTokens = Math.max(rowTokens, s.length());
      }
    }
    List<List<Integer>> rows = new ArrayList<>(); // sequence indices per row
    List<Integer> fill = new ArrayList<>();
    if (rowTokens == 0) {
      for (int i = 0; i < sequences.size(); i++) {
        rows.add(List.of(i));
        fill.add(sequences.get(i).length());
      }
    } else {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < sequences.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingInt((Integer i) -> sequences.get(i).length()).reversed());
      for (int i : order) {
        int len = sequences.get(i).length();
        int row = -1;
        for (int r = 0; r < rows.size() && row < 0; r++) {
          if (fill.get(r) + len <= rowTokens) {
            row = r;
          }
        }
        if (row < 0) {
          rows.add(new ArrayList<>());
          fill.add(0);
          row = rows.size() - 1;
        }
        rows.get(row).add(i);
        fill.set(row, fill.get(row) + len);
      }
    }
    int length = 0;
    long real = 0;
    for (int f : fill) {
      length = Math.max(length, f);
      real += f;
    }
    int patchDim = sequences.get(0).image().patchDim();
    int r = rows.size();
    float[] patches = new float[r * length * patchDim];
    long[] inputIds = new long[r * length];
    long[] targetIds = new long[r * length];
    Arrays.fill(inputIds, padId);
    Arrays.fill(targetIds, padId);
    float[] weights = new float[r * length];
    float[] visual = new float[r * length];
    long[] rowPositions = new long[r * length];
    long[] columnPositions = new long[r * length];
    float[] mask = new float[r * length * length];
    int[] placements = new int[2 * sequences.size()];
    for (int row = 0; row < r; row++) {
      AttentionMask.Builder builder = AttentionMask.builder();
      int at = row * length;
      boolean first = true;
      for (int index : rows.get(row)) {
        Sequence s = sequences.get(index);
        placements[2 * index] = row;
        placements[2 * index + 1] = at - row * length;
        if (!first) {
          builder.nextSequence();
        }
        first = false;
        NativeImage image = s.image();
        int n = image.tokens();
        int t = s.tokens().length - 1;
        builder.prefixLm(n, t);
        System.arraycopy(image.patches(), 0, patches, at * patchDim, n * patchDim);
        for (int k = 0; k < n; k++) {
          visual[at + k] = 1;
          rowPositions[at + k] = k / image.gridWidth();
          columnPositions[at + k] = k % image.gridWidth();
        }
        at += n;
        for (int j = 0; j < t; j++) {
          inputIds[at + j] = s.tokens()[j];
          targetIds[at + j] = s.tokens()[j + 1];
          weights[at + j] = j + 1 >= s.promptLength() ? 1 : 0;
          rowPositions[at + j] = textPositionStart + j;
          columnPositions[at + j] = textPositionStart + j;
        }
        at += t;
      }
      int pad = length - fill.get(row);
      if (pad > 0) {
        // padding sees only padding (no row is fully masked) and no real token sees it
        builder.nextSequence().segment("padding", pad, false);
      }
      AttentionMask m = builder.build();
      int base = row * length * length;
      for (int q = 0; q < length; q++) {
        for (int k = 0; k < length; k++) {
          mask[base + q * length + k] = m.allowed(q, k) ? 0f : AttentionMask.BLOCKED;
        }
      }
    }
    return new PackedBatch(r, length, patchDim, patches, inputIds, targetIds, weights, visual, rowPositions,
        columnPositions, mask, sequences.size(), real, placements);
  }
}
