package dev.glimpse.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ClipModel;
import dev.glimpse.model.Embedder;
import dev.glimpse.tokenize.Tokenizer;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Texts and images to L2-normalised vectors in an {@link Embedder}'s joint space (for CLIP, HF's
 * {@code text_embeds} and {@code image_embeds}): a text is the ids the model builds from it (CLIP
 * [BOS] + its ids + [EOS], cut to the model's text positions with EOS kept last; MM-GEM ends it with
 * [EMB]); an image goes through the model's own preprocessing. Not
 * thread-safe (the caller runs it on one thread).
 */
final class ClipEmbedder {
  private final Embedder model;
  private final Tokenizer tokenizer;
  private final ImageTransform transform;

  ClipEmbedder(Embedder model, Tokenizer tokenizer, ImageTransform transform) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.transform = transform;
  }

  int dimensions() {
    return model.embeddingDim();
  }

  /** Image tokens a picture costs (patches plus the class token), for usage counts. */
  int imageTokens() {
    return model.imageTokens();
  }

  /** The ids a text is embedded from, with the model's own special tokens ({@link Embedder#textIds}). */
  long[] ids(String text) {
    int[] body = text.isEmpty() ? new int[0] : tokenizer.encode(text);
    int[] ids = model.textIds(body, tokenizer.special().bos());
    long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i];
    }
    return out;
  }

  /** Rows of ids (right-padded) to normalised embeddings [B][P]. */
  float[][] embedIds(List<long[]> rows, NDManager m) {
    int t = 0;
    for (long[] r : rows) {
      t = Math.max(t, r.length);
    }
    long[] ids = new long[rows.size() * t];
    float[] valid = new float[rows.size() * t];
    java.util.Arrays.fill(ids, tokenizer.special().pad());
    for (int i = 0; i < rows.size(); i++) {
      long[] r = rows.get(i);
      for (int j = 0; j < r.length; j++) {
        ids[i * t + j] = r[j];
        valid[i * t + j] = 1;
      }
    }
    NDArray features = model.embedTexts(m.create(ids, new Shape(rows.size(), t)),
        m.create(valid, new Shape(rows.size(), t)));
    return toRows(ClipModel.normalize(features));
  }

  /** Preprocessed images (see {@link #prepare}) to normalised embeddings [B][P]. */
  float[][] embedImages(List<float[]> pixels, NDManager m) {
    int per = transform.floats();
    float[] data = new float[pixels.size() * per];
    for (int i = 0; i < pixels.size(); i++) {
      System.arraycopy(pixels.get(i), 0, data, i * per, per);
    }
    NDArray features = model.embedImages(m.create(data, new Shape(pixels.size(), 3, transform.height(),
        transform.width())));
    return toRows(ClipModel.normalize(features));
  }

  /** Resizes and normalises an image as the model was trained (thread-safe). */
  float[] prepare(BufferedImage image) {
    float[] out = new float[transform.floats()];
    transform.apply(image, out, 0);
    return out;
  }

  private static float[][] toRows(NDArray embeddings) {
    int b = (int) embeddings.getShape().get(0);
    int p = (int) embeddings.getShape().get(1);
    float[] flat = embeddings.toFloatArray();
    float[][] out = new float[b][p];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * p, out[i], 0, p);
    }
    return out;
  }
}
