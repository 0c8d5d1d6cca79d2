package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.Images;
import dev.glimpse.data.Subset;
import dev.glimpse.data.loaders.SkippingDataset;
import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.DenseDescriptions;
import dev.glimpse.data.synth.ExternalShapes;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticClassification;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.eval.retrieval.RetrievalEval;
import dev.glimpse.eval.retrieval.ZeroShot;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The evaluations of an embedding model that recipes and the {@code eval retrieval} / {@code eval
 * zeroshot} commands share: retrieval over examples with their references, long-text retrieval on
 * dense descriptions, zero-shot classification, and retrieval on images drawn by another program.
 */
public final class EmbeddingEval {
  /** Templates for the synthetic classes ("red circle"), in the captions' own words. */
  public static final List<String> SYNTHETIC_TEMPLATES = List.of("a {}", "a large {}", "a small {}");
  /** CLIP's plain template, for photographs. */
  public static final List<String> PHOTO_TEMPLATES = List.of("a photo of a {}.");

  private EmbeddingEval() {}

  /** Examples embedded once: every image, every reference, and which image each reference describes. */
  public record Embedded(float[][] images, float[][] texts, int[] owners, List<String> strings) {
    /** Images {@code [from, to)} with their references, as a pool of their own. */
    Embedded pool(int from, int to) {
      List<Integer> kept = new ArrayList<>();
      for (int t = 0; t < owners.length; t++) {
        if (owners[t] >= from && owners[t] < to) {
          kept.add(t);
        }
      }
      float[][] texts = new float[kept.size()][];
      int[] owners = new int[kept.size()];
      List<String> strings = new ArrayList<>();
      for (int k = 0; k < kept.size(); k++) {
        texts[k] = this.texts[kept.get(k)];
        owners[k] = this.owners[kept.get(k)] - from;
        strings.add(this.strings.get(kept.get(k)));
      }
      return new Embedded(java.util.Arrays.copyOfRange(images, from, to), texts, owners, strings);
    }

    /** {@link RetrievalEval#score} of these embeddings. */
    public JsonObject score() {
      return RetrievalEval.score(images, texts, owners, strings);
    }
  }

  /** Embeds every image of the examples and every one of their references. */
  public static Embedded embed(Embeddings embeddings, List<Example> examples, int batchSize, boolean quiet) {
    List<String> texts = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      for (String t : examples.get(i).targets()) {
        texts.add(t);
        owners.add(i);
      }
    }
    float[][] images = embeddings.images(i -> examples.get(i).image(), examples.size(), batchSize,
        quiet ? null : "embed images");
    float[][] textEmbeddings = embeddings.texts(texts, batchSize, quiet ? null : "embed texts");
    return new Embedded(images, textEmbeddings, owners.stream().mapToInt(Integer::intValue).toArray(), texts);
  }

  /** Recall figures of examples' images against all their references ({@link RetrievalEval#score}). */
  public static JsonObject retrieval(Embeddings embeddings, List<Example> examples, int batchSize, boolean quiet) {
    return embed(embeddings, examples, batchSize, quiet).score();
  }

  /**
   * The text budget the long-text figures are also given at: the length the recipes train on (and the
   * size of their CLIP's position table), so a model that reads further can be compared with itself
   * reading no more than CLIP does.
   */
  public static final int LONG_TEXT_CUT = 30;

  /**
   * Long-text retrieval (L-DCI-like): each scene's dense description ({@link DenseDescriptions}) against
   * the images (their embeddings, in the order of the scenes), one text per image; keys {@code long_r1_t2i}, {@code long_r1_i2t}, ..., the same cut to
   * {@link #LONG_TEXT_CUT} tokens ({@code long_r1_t2i_cut}, {@code long_r1_i2t_cut}), the mean length of
   * the descriptions in words and in tokens, and how many tokens the model reads at most.
   */
  public static JsonObject longTexts(Embeddings embeddings, float[][] imageEmbeddings, List<Scene> scenes,
      int batchSize) {
    List<String> texts = scenes.stream().map(DenseDescriptions::of).toList();
    float[][] textEmbeddings = embeddings.texts(texts, batchSize, null);
    int[] owners = new int[texts.size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = i;
    }
    JsonObject r = RetrievalEval.score(imageEmbeddings, textEmbeddings, owners, texts);
    JsonObject out = new JsonObject();
    for (String key : List.of("r1_t2i", "r5_t2i", "r10_t2i", "r1_i2t", "r5_i2t", "r10_i2t", "mean_rank_t2i",
        "mean_rank_i2t")) {
      out.add("long_" + key, r.get(key));
    }
    JsonObject cut = RetrievalEval.score(imageEmbeddings, embeddings.texts(texts, batchSize, null, LONG_TEXT_CUT),
        owners, texts);
    out.add("long_r1_t2i_cut", cut.get("r1_t2i"));
    out.add("long_r1_i2t_cut", cut.get("r1_i2t"));
    out.addProperty("long_words", texts.stream().mapToInt(t -> t.split(" ").length).average().orElse(0));
    out.addProperty("long_tokens", texts.stream().mapToInt(t -> embeddings.tokens(t)).average().orElse(0));
    out.addProperty("long_tokens_read_max", embeddings.maxTextTokens());
    return out;
  }

  /** Zero-shot {@code top1}/{@code top5} of {@code count} images labelled with class indices into {@code classes}. */
  public static JsonObject zeroShot(Embeddings embeddings, IntFunction<BufferedImage> images, int count, int[] labels,
      List<String> classes, List<String> templates, int batchSize, boolean quiet) {
    float[][] classEmbeddings = ZeroShot.classEmbeddings(embeddings, classes, templates, batchSize);
    float[][] imageEmbeddings = embeddings.images(images, count, batchSize, quiet ? null : "embed images");
    JsonObject out = ZeroShot.score(imageEmbeddings, labels, classEmbeddings);
    out.addProperty("templates", templates.size());
    return out;
  }

  /** Zero-shot classification on {@code count} items of the synthetic classification suite's test split. */
  public static JsonObject syntheticZeroShot(Embeddings embeddings, SceneGenerator scenes, int count, int batchSize) {
    SyntheticClassification data = new SyntheticClassification(scenes, Split.TEST, count);
    List<BufferedImage> images = new ArrayList<>();
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      Example ex = data.get(i);
      images.add(ex.image());
      labels[i] = ex.get(SyntheticClassification.LABEL);
    }
    return zeroShot(embeddings, images::get, count, labels, data.labels(), SYNTHETIC_TEMPLATES, batchSize, true);
  }

  /**
   * Retrieval on the images drawn by another program ({@link ExternalShapes}, the bundled set when it
   * can be found) with the six references of the caption grammar, beside the same figures on pools
   * of as many synthetic test images (the mean over consecutive pools of {@code synthetic}, already
   * embedded), so the two are comparable: recall falls as the pool grows.
   */
  public static Optional<JsonObject> external(Embeddings embeddings, Embedded synthetic, int batchSize) {
    Optional<Path> dir = ExternalShapes.locate();
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    List<ExternalShapes.Item> items = ExternalShapes.load(dir.get());
    List<Example> external = new ArrayList<>();
    for (ExternalShapes.Item item : items) {
      external.add(Example.caption(item.image().getFileName().toString(), Images.read(item.image()),
          CaptionGrammar.captions(item.scene())));
    }
    JsonObject out = new JsonObject();
    out.add("external", retrieval(embeddings, external, batchSize, true));
    int pool = external.size();
    int pools = synthetic.images().length / pool;
    if (pools > 0) {
      double[] sums = new double[4];
      for (int p = 0; p < pools; p++) {
        JsonObject r = synthetic.pool(p * pool, (p + 1) * pool).score();
        sums[0] += r.get("r1_t2i").getAsDouble();
        sums[1] += r.get("r1_i2t").getAsDouble();
        sums[2] += r.get("r5_t2i").getAsDouble();
        sums[3] += r.get("r5_i2t").getAsDouble();
      }
      JsonObject same = new JsonObject();
      same.addProperty("pool", pool);
      same.addProperty("pools", pools);
      same.addProperty("r1_t2i", sums[0] / pools);
      same.addProperty("r1_i2t", sums[1] / pools);
      same.addProperty("r5_t2i", sums[2] / pools);
      same.addProperty("r5_i2t", sums[3] / pools);
      out.add("synthetic_same_pool", same);
    }
    return Optional.of(out);
  }

  /** The scene generator behind a synthetic captions dataset (through subsets and skipping), if it is one. */
  static Optional<SceneGenerator> syntheticScenes(Dataset data) {
    Dataset base = data;
    while (true) {
      if (base instanceof Subset s) {
        base = s.base();
      } else if (base instanceof SkippingDataset skipping) {
        base = skipping.unwrap();
      } else {
        break;
      }
    }
    return base instanceof SyntheticCaptions captions ? Optional.of(captions.generator()) : Optional.empty();
  }
}
