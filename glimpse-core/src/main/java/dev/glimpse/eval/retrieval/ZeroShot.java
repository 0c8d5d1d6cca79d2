package dev.glimpse.eval.retrieval;

import com.google.gson.JsonObject;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot classification with an embedding model (CLIP's protocol): each class is the mean of its
 * name written into every prompt template ("a photo of a {}."), renormalised; an image takes the
 * class whose embedding is nearest.
 */
public final class ZeroShot {
  /** The placeholder a template holds once. */
  public static final String PLACEHOLDER = "{}";

  private ZeroShot() {}

  /** Unit class embeddings [C][P]: the mean over templates of each class name's text embedding. */
  public static float[][] classEmbeddings(Embeddings embeddings, List<String> classes, List<String> templates,
      int batchSize) {
    for (String t : templates) {
      if (!t.contains(PLACEHOLDER)) {
        throw new GlimpseException("template '" + t + "' has no " + PLACEHOLDER + " for the class name");
      }
    }
    List<String> texts = new ArrayList<>();
    for (String c : classes) {
      for (String t : templates) {
        texts.add(t.replace(PLACEHOLDER, c));
      }
    }
    float[][] all = embeddings.texts(texts, batchSize, null);
    float[][] out = new float[classes.size()][];
    for (int c = 0; c < classes.size(); c++) {
      float[] mean = new float[embeddings.dim()];
      for (int t = 0; t < templates.size(); t++) {
        float[] e = all[c * templates.size() + t];
        for (int k = 0; k < mean.length; k++) {
          mean[k] += e[k];
        }
      }
      double norm = 0;
      for (float v : mean) {
        norm += v * v;
      }
      float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
      for (int k = 0; k < mean.length; k++) {
        mean[k] *= scale;
      }
      out[c] = mean;
    }
    return out;
  }

  /** {@code top1}, {@code top5}, {@code samples}, {@code classes} from image embeddings and their labels. */
  public static JsonObject score(float[][] images, int[] labels, float[][] classes) {
    RetrievalMetrics.ZeroShot z = RetrievalMetrics.zeroShot(RetrievalEval.similarity(images, classes), labels);
    JsonObject out = new JsonObject();
    out.addProperty("top1", z.top1());
    out.addProperty("top5", z.top5());
    out.addProperty("samples", z.samples());
    out.addProperty("classes", classes.length);
    return out;
  }
}
