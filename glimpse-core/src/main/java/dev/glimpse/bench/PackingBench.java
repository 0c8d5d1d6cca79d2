package dev.glimpse.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.NativeImage;
import dev.glimpse.data.NativeResolution;
import dev.glimpse.data.PackedBatch;
import dev.glimpse.data.PackedBatcher;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneTextGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.TextScene;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.GenLipModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training throughput (forward + backward) of GenLIP at native aspect ratio on a mix of wide, tall and
 * square scene-text images, in three layouts of the same batch: sequences packed into rows with
 * block-diagonal masks; the naive layout, where every image is padded to the largest height and the
 * largest width in the batch (one image per row, as a [B, 3, H_max, W_max] tensor would be); and one
 * sequence per row padded to the longest sequence of the batch (images at their own size, the usual
 * way to batch variable-length sequences without packing). Tokens/s counts real tokens (patches of
 * the images themselves plus text), the same for every layout. The layouts are timed alternately
 * over rounds ({@link Rounds}); speedups are medians of per-round ratios.
 */
public final class PackingBench {
  private PackingBench() {}

  /**
   * Figures of one run; tokens/s are medians over the rounds, the speedups medians of the per-round
   * ratios (packed over padded to the largest height and width, packed over padded to the longest
   * sequence).
   */
  public record Result(double packedTokensPerSecond, double paddedTokensPerSecond, double longestTokensPerSecond,
      Rounds.Stats speedupStats, Rounds.Stats speedupVsLongestStats, long realTokens, long packedComputed,
      long paddedComputed, long longestComputed, int packedRows, int paddedRows, int longestRows, int packedLength,
      int wide, int tall, int square, int rounds) {
    public double speedup() {
      return speedupStats.median();
    }

    public double speedupVsLongest() {
      return speedupVsLongestStats.median();
    }

    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("packed_tokens_per_s", packedTokensPerSecond);
      o.addProperty("padded_tokens_per_s", paddedTokensPerSecond);
      o.addProperty("speedup", speedup());
      o.addProperty("longest_tokens_per_s", longestTokensPerSecond);
      o.addProperty("speedup_vs_longest", speedupVsLongest());
      o.addProperty("rounds", rounds);
      o.add("speedup_spread", speedupStats.toJson());
      o.add("speedup_vs_longest_spread", speedupVsLongestStats.toJson());
      o.addProperty("real_tokens", realTokens);
      o.addProperty("packed_computed_tokens", packedComputed);
      o.addProperty("padded_computed_tokens", paddedComputed);
      o.addProperty("longest_computed_tokens", longestComputed);
      o.addProperty("packed_rows", packedRows);
      o.addProperty("padded_rows", paddedRows);
      o.addProperty("longest_rows", longestRows);
      o.addProperty("wide_images", wide);
      o.addProperty("tall_images", tall);
      o.addProperty("square_images", square);
      return o;
    }
  }

  /**
   * @param config the model (its patch size is used; its resolution settings are not)
   * @param images images in the batch
   * @param budget patches per image
   * @param rounds timed rounds, each layout once per round, after one warm-up of each
   */
  public static Result run(GenLipConfig config, int images, int budget, int textTokens, int rounds) {
    SceneTextGenerator generator = new SceneTextGenerator(SceneConfig.defaults().withSeed(7));
    NativeResolution resolution = new NativeResolution(config.patchSize(), budget);
    ImageTransform norm = ImageTransform.square(config.imageSize());
    SplittableRandom random = new SplittableRandom(3);
    List<PackedBatcher.Sequence> packedSeqs = new ArrayList<>();
    List<NativeImage> cut = new ArrayList<>();
    int wide = 0;
    int tall = 0;
    int square = 0;
    int maxRows = 0;
    int maxColumns = 0;
    for (int i = 0; i < images; i++) {
      TextScene scene = generator.scene(Split.TRAIN, i);
      wide += scene.width() > scene.height() ? 1 : 0;
      tall += scene.width() < scene.height() ? 1 : 0;
      square += scene.width() == scene.height() ? 1 : 0;
      NativeImage image = resolution.apply(generator.render(scene), norm);
      cut.add(image);
      maxRows = Math.max(maxRows, image.gridHeight());
      maxColumns = Math.max(maxColumns, image.gridWidth());
    }
    List<PackedBatcher.Sequence> paddedSeqs = new ArrayList<>();
    for (NativeImage image : cut) {
      int length = textTokens / 2 + random.nextInt(textTokens / 2 + 1);
      int[] ids = new int[length];
      for (int t = 0; t < length; t++) {
        ids[t] = 1 + random.nextInt(config.vocabSize() - 1);
      }
      packedSeqs.add(new PackedBatcher.Sequence(image, ids, 1));
      paddedSeqs.add(new PackedBatcher.Sequence(padded(image, maxRows, maxColumns), ids, 1));
    }
    PackedBatch packed = PackedBatcher.pack(packedSeqs, config.rowTokens(), config.textPositionStart(), 0);
    PackedBatch padded = PackedBatcher.pack(paddedSeqs, 0, config.textPositionStart(), 0);
    PackedBatch longest = PackedBatcher.pack(packedSeqs, 0, config.textPositionStart(), 0);
    try (NDManager manager = Devices.cpuManager(); ParameterStore store = new ParameterStore(manager, 1)) {
      GenLipModel model = new GenLipModel(store.root(), config);
      Map<String, Rounds.Variant> variants = new LinkedHashMap<>();
      variants.put("packed", () -> new double[] {time(model, packed, manager)});
      variants.put("padded", () -> new double[] {time(model, padded, manager)});
      variants.put("longest", () -> new double[] {time(model, longest, manager)});
      Rounds timed = Rounds.run(variants, rounds);
      double real = packed.realTokens();
      return new Result(Rounds.Stats.of(timed.seconds("packed", 0)).inverse(real).median(),
          Rounds.Stats.of(timed.seconds("padded", 0)).inverse(real).median(),
          Rounds.Stats.of(timed.seconds("longest", 0)).inverse(real).median(),
          Rounds.Stats.ratio(timed.seconds("padded", 0), timed.seconds("packed", 0)),
          Rounds.Stats.ratio(timed.seconds("longest", 0), timed.seconds("packed", 0)),
          packed.realTokens(), packed.computedTokens(), padded.computedTokens(), longest.computedTokens(),
          packed.rows(), padded.rows(), longest.rows(), packed.length(), wide, tall, square, rounds);
    }
  }

  // the image on a maxRows x maxColumns canvas of zero patches
  private static NativeImage padded(NativeImage image, int maxRows, int maxColumns) {
    int dim = image.patchDim();
    float[] canvas = new float[maxRows * maxColumns * dim];
    for (int r = 0; r < image.gridHeight(); r++) {
      System.arraycopy(image.patches(), r * image.gridWidth() * dim, canvas, r * maxColumns * dim,
          image.gridWidth() * dim);
    }
    return new NativeImage(maxRows, maxColumns, dim, canvas);
  }

  // seconds of one forward + backward
  private static double time(GenLipModel model, PackedBatch batch, NDManager manager) {
    LmLoss loss = new LmLoss(0);
    try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
      scope.suppressNotUsedWarning();
      long start = System.nanoTime();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        PackedBatch.Tensors t = batch.toTensors(step);
        NDArray value = loss.forward(model.forwardPacked(batch, t), t.targetIds(), t.lossWeights());
        collector.backward(value);
        value.getFloat();
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
