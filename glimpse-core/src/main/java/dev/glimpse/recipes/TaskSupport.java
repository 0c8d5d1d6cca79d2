package dev.glimpse.recipes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.Mixture;
import dev.glimpse.data.ScheduledMixture;
import dev.glimpse.data.synth.Split;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.LogitsProcessor;
import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Pieces every task's evaluation shares. */
final class TaskSupport {
  private TaskSupport() {}

  static List<Example> examples(Dataset test, PrintStream info) {
    List<Example> out = new ArrayList<>(test.size());
    for (int i = 0; i < test.size(); i++) {
      out.add(test.get(i));
    }
    info.printf("evaluating on %d held-out examples of %s%n", out.size(), test.name());
    return out;
  }

  /** Generates one text per example (its prompt, e.g. a question, goes first), in batches. */
  static List<String> generate(LoadedModel model, List<Example> examples, EvalConfig eval, LogitsProcessor processor) {
    List<List<BufferedImage>> clips = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    int frames = model.config().frames();
    for (Example ex : examples) {
      List<BufferedImage> f = new ArrayList<>(ex.frames());
      while (f.size() < frames) {
        f.add(f.get(f.size() - 1));
      }
      clips.add(frames == 1 ? List.of(f.get(0)) : f.subList(0, frames));
      prompts.add(ex.prompt());
    }
    Captioner captioner = new Captioner(model.model(), model.tokenizer(), model.transform(), model.manager());
    return captioner.generate(clips, prompts, eval.generation(), eval.batchSize(), processor).stream()
        .map(Captioner.Caption::text).toList();
  }

  /** A few examples with their generated text, for summaries and reports. */
  static JsonArray samples(List<Example> examples, List<String> generated, int n) {
    JsonArray samples = new JsonArray();
    for (int i = 0; i < Math.min(n, examples.size()); i++) {
      JsonObject s = new JsonObject();
      s.addProperty("id", examples.get(i).id());
      if (!examples.get(i).prompt().isEmpty()) {
        s.addProperty("prompt", examples.get(i).prompt());
      }
      s.addProperty("output", generated.get(i));
      s.addProperty("reference", examples.get(i).targets().isEmpty() ? "" : examples.get(i).targets().get(0));
      samples.add(s);
    }
    return samples;
  }

  /**
   * A split's examples with {@code share} of extra examples mixed in ({@link Mixture}): only for
   * training, so the held-out splits stay the task's own; {@code main} as is when the share is 0.
   */
  static Dataset mixIntoTraining(Dataset main, Split split, double share, Supplier<Dataset> extra) {
    return mixIntoTraining(main, split, share, null, 0, 1, extra);
  }

  /**
   * As {@link #mixIntoTraining(Dataset, Split, double, Supplier)}, with a share that moves from
   * {@code share}, held until {@code hold} of the run, to {@code endShare} at {@code ramp} of the run
   * ({@link ScheduledMixture}); {@code endShare} null keeps the share constant.
   */
  static Dataset mixIntoTraining(Dataset main, Split split, double share, Double endShare, double hold,
      double ramp, Supplier<Dataset> extra) {
    if (split != Split.TRAIN || (share == 0 && endShare == null)) {
      return main;
    }
    return endShare != null ? new ScheduledMixture(main, extra.get(), share, endShare, hold, ramp) : new Mixture(main, extra.get(), share);
  }

  static double fraction(int hits, int total) {
    return total == 0 ? Double.NaN : (double) hits / total;
  }
}
