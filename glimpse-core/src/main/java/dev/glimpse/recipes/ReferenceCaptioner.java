package dev.glimpse.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.eval.FrechetDistance;
import dev.glimpse.eval.scene.AttributeAccuracy;
import dev.glimpse.generate.Captioner;
import dev.glimpse.model.EmbedsImages;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A fixed captioner that scores generated images, as the VLV paper scores reconstructions with models it
 * did not train: its captions of the images are read back into scene attributes, and its image
 * encoder's features give a Fréchet distance between generated and real images. In Glimpse it is a
 * quickstart-style captioner trained on the synthetic scenes ({@code eval.referenceCaptioner}).
 */
final class ReferenceCaptioner implements AutoCloseable {
  private final LoadedModel model;
  private final EvalConfig decoding;

  private ReferenceCaptioner(LoadedModel model, EvalConfig decoding) {
    this.model = model;
    this.decoding = decoding;
  }

  /** The reference named by {@code eval} (null when it names none), loaded into {@code manager}. */
  static ReferenceCaptioner open(EvalConfig eval, NDManager manager) {
    if (eval.referenceCaptioner() == null) {
      return null;
    }
    Path dir = Checkpoint.resolve(Path.of(eval.referenceCaptioner()));
    LoadedModel loaded = LoadedModel.load(dir, manager);
    try {
      loaded.model(); // a captioner, or one clear error
      EvalConfig saved = CheckpointEval.saved(CheckpointConfig.read(dir), dir);
      return new ReferenceCaptioner(loaded, saved);
    } catch (RuntimeException e) {
      loaded.close();
      throw new GlimpseException("reference captioner " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Opens and closes the reference {@code eval} names (if any), so that a missing one or a checkpoint
   * that cannot caption is refused before a run trains or generates anything.
   */
  static void check(EvalConfig eval, NDManager manager) {
    if (eval.referenceCaptioner() == null) {
      return;
    }
    try (NDManager m = manager.newSubManager(); ReferenceCaptioner reference = open(eval, m)) {
      reference.source(); // opened: a captioner
    }
  }

  /** Its captions of the images (greedy, as its recipe evaluates). */
  List<String> captions(List<BufferedImage> images) {
    Captioner captioner = new Captioner(model.model(), model.tokenizer(), model.transform(), model.manager());
    return captioner.caption(images, decoding.generation(), decoding.batchSize()).stream()
        .map(Captioner.Caption::text).toList();
  }

  /** Its image features, one row per image, or null when its model has no image embedding. */
  double[][] features(List<BufferedImage> images) {
    if (!(model.instance() instanceof EmbedsImages encoder)) {
      return null;
    }
    int per = model.transform().floats();
    double[][] out = new double[images.size()][];
    int batch = Math.max(1, decoding.batchSize());
    for (int start = 0; start < images.size(); start += batch) {
      int end = Math.min(images.size(), start + batch);
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        float[] pixels = new float[(end - start) * per];
        for (int i = start; i < end; i++) {
          model.transform().apply(images.get(i), pixels, (i - start) * per);
        }
        NDArray embedded = encoder.imageEmbedding(m.create(pixels,
            new Shape(end - start, 3, model.transform().height(), model.transform().width())));
        long d = embedded.getShape().get(1);
        float[] values = embedded.toFloatArray();
        for (int i = start; i < end; i++) {
          out[i] = new double[(int) d];
          for (int k = 0; k < d; k++) {
            out[i][k] = values[(int) ((i - start) * d + k)];
          }
        }
      }
    }
    return out;
  }

  /**
   * How well images show their scenes, read from the reference's captions of them.
   *
   * @param attributeAccuracy the scenes' objects its captions name with their color and shape, over each
   *     scene's objects, averaged over the images (one-object scenes: color and shape named)
   * @param attributes the full {@link AttributeAccuracy} breakdown
   * @param frechetDistance of its image features between the images and the real ones, or null
   * @param captions its caption of each image
   */
  record Scored(double attributeAccuracy, JsonObject attributes, Double frechetDistance, List<String> captions) {}

  /** Scores {@code images} against their {@code scenes}; {@code real} (may be null) gives the Fréchet distance. */
  Scored score(List<Scene> scenes, List<BufferedImage> images, List<BufferedImage> real) {
    List<String> captions = captions(images);
    double named = 0;
    for (int i = 0; i < scenes.size(); i++) {
      named += (double) AttributeAccuracy.judge(scenes.get(i), captions.get(i)).objectsNamed() / scenes.get(i).count();
    }
    Double distance = null;
    if (real != null && images.size() >= 2) {
      double[][] a = features(images);
      if (a != null) {
        distance = FrechetDistance.between(a, features(real));
      }
    }
    return new Scored(scenes.isEmpty() ? Double.NaN : named / scenes.size(),
        AttributeAccuracy.evaluate(scenes, captions).toJson(), distance, captions);
  }

  Path source() {
    return model.source();
  }

  @Override
  public void close() {
    model.close();
  }
}
