package dev.glimpse.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.Embedder;
import dev.glimpse.model.RegionModel;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.Progress;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs an {@link Embedder} over images and texts in batches: preprocessing, tokenisation, one scope
 * per batch (flat native memory over any number of inputs), results on the heap as unit-length rows
 * (the model's embeddings, normalised).
 * What retrieval, zero-shot classification, {@code glimpse embed}, index building and the embedding
 * endpoints share.
 */
public final class Embeddings {
  private final Embedder model;
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final NDManager manager;

  public Embeddings(Embedder model, Tokenizer tokenizer, ImageTransform transform, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.manager = manager;
  }

  /** The embedder of a loaded model (an error for a model that does not embed). */
  public static Embeddings of(dev.glimpse.train.LoadedModel loaded) {
    return new Embeddings(loaded.embedder(), loaded.tokenizer(), loaded.transform(), loaded.manager());
  }

  /** Tokens of a text (without special tokens). */
  public int tokens(String text) {
    return tokenizer.encode(text).length;
  }

  /** The most tokens of a text the model reads (its longest text less its special tokens). */
  public int maxTextTokens() {
    return model.maxTextLength() - 2;
  }

  public int dim() {
    return model.embeddingDim();
  }

  /** Embeddings of {@code count} images, read one by one from {@code image} (so a folder need not fit in memory). */
  public float[][] images(IntFunction<BufferedImage> image, int count, int batchSize, String progressLabel) {
    float[][] out = new float[count][];
    try (Progress progress = new Progress(label(progressLabel, "images"), 0, count, progressLabel == null)) {
      for (int start = 0; start < count; start += batchSize) {
        int end = Math.min(count, start + batchSize);
        float[] pixels = new float[(end - start) * transform.floats()];
        for (int i = start; i < end; i++) {
          transform.apply(image.apply(i), pixels, (i - start) * transform.floats());
        }
        try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
          scope.suppressNotUsedWarning();
          NDArray x = batch.create(pixels, new Shape(end - start, 3, transform.height(), transform.width()));
          rows(model.embedImages(x), out, start);
        }
        progress.step(end, "");
      }
    }
    return out;
  }

  public float[][] images(List<BufferedImage> images, int batchSize, String progressLabel) {
    return images(images::get, images.size(), batchSize, progressLabel);
  }

  /** Embeddings of texts (each as the model embeds it, cut to its longest text). */
  public float[][] texts(List<String> texts, int batchSize, String progressLabel) {
    return texts(texts, batchSize, progressLabel, Integer.MAX_VALUE);
  }

  /** Embeddings of texts cut to their first {@code maxTokens} tokens (special tokens not counted) first. */
  public float[][] texts(List<String> texts, int batchSize, String progressLabel, int maxTokens) {
    float[][] out = new float[texts.size()][];
    int bos = tokenizer.special().bos();
    try (Progress progress = new Progress(label(progressLabel, "texts"), 0, texts.size(), progressLabel == null)) {
      for (int start = 0; start < texts.size(); start += batchSize) {
        int end = Math.min(texts.size(), start + batchSize);
        int[][] rows = new int[end - start][];
        int length = 1;
        for (int i = start; i < end; i++) {
          int[] tokens = tokenizer.encode(texts.get(i));
          rows[i - start] = model.textIds(tokens.length > maxTokens ? java.util.Arrays.copyOf(tokens, maxTokens) : tokens,
              bos);
          length = Math.max(length, rows[i - start].length);
        }
        long[] ids = new long[rows.length * length];
        float[] valid = new float[rows.length * length];
        for (int r = 0; r < rows.length; r++) {
          for (int t = 0; t < rows[r].length; t++) {
            ids[r * length + t] = rows[r][t];
            valid[r * length + t] = 1;
          }
        }
        try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
          scope.suppressNotUsedWarning();
          Shape shape = new Shape(rows.length, length);
          rows(model.embedTexts(batch.create(ids, shape), batch.create(valid, shape)), out, start);
        }
        progress.step(end, "");
      }
    }
    return out;
  }

  /**
   * Region embeddings: the boxes of each image ({@code [x1, y1, x2, y2]} in the image's own pixels),
   * in order, one row per box. Needs a {@link RegionModel}.
   */
  public float[][] regions(List<BufferedImage> images, List<float[][]> boxes, int batchSize) {
    if (!(model instanceof RegionModel regions)) {
      throw new GlimpseException("this model does not embed regions (MM-GEM does)");
    }
    int total = boxes.stream().mapToInt(b -> b.length).sum();
    float[][] out = new float[total][];
    int at = 0;
    for (int start = 0; start < images.size(); start += batchSize) {
      int end = Math.min(images.size(), start + batchSize);
      float[] pixels = new float[(end - start) * transform.floats()];
      List<float[]> rois = new java.util.ArrayList<>();
      for (int i = start; i < end; i++) {
        BufferedImage image = images.get(i);
        transform.apply(image, pixels, (i - start) * transform.floats());
        for (float[] b : boxes.get(i)) {
          float[] mapped = transform.mapBox(b[0], b[1], b[2] - b[0], b[3] - b[1], image.getWidth(), image.getHeight());
          rois.add(new float[] {i - start, mapped[0], mapped[1], mapped[2], mapped[3]});
        }
      }
      if (rois.isEmpty()) {
        continue;
      }
      try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray x = batch.create(pixels, new Shape(end - start, 3, transform.height(), transform.width()));
        rows(regions.embedRegions(x, rois.toArray(new float[0][])), out, at);
      }
      at += rois.size();
    }
    return out;
  }

  // unit rows, on the heap
  private static void rows(NDArray unnormalised, float[][] out, int start) {
    NDArray embeddings = dev.glimpse.loss.InfoNce.normalize(unnormalised);
    int n = (int) embeddings.getShape().get(0);
    int d = (int) embeddings.getShape().get(1);
    float[] flat = embeddings.toFloatArray();
    for (int i = 0; i < n; i++) {
      out[start + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
    }
  }

  private static String label(String label, String what) {
    return label == null ? what : label;
  }
}
