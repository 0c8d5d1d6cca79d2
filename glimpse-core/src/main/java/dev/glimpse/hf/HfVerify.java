package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.generate.Generated;
import dev.glimpse.generate.Generator;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.StepModel;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code hf verify}: runs a model on reference inputs and compares every reference output it can
 * compute (hidden states, projections, logits, per-step generation scores, beam scores...) by max
 * absolute difference, and generated token ids exactly. Names follow the HF parity fixtures
 * ({@code vision.hidden_states.0}, {@code logits}, {@code generate.greedy}, ...); an expected tensor
 * Glimpse does not know is reported as skipped, never dropped silently.
 *
 * <p>Generation reproduces HF {@code generate()}: GIT starts from [BOS] and returns it with the new
 * tokens; LLaVA and the text-only LLaMA and OPT models return the prompt and the new tokens; BLIP-2 returns [BOS] and the new tokens; a row
 * that produced EOS is filled with the pad id. The number of new tokens comes from the expected
 * sequences' length; beam search takes its beam count from {@code --num-beams}, else from
 * {@code fixture_meta.json} next to the expected file, else from {@code generation_config.json}.
 */
public final class HfVerify {
  public static final double DEFAULT_TOLERANCE = 1e-4;
  private static final String GREEDY = "generate.greedy";
  private static final String GREEDY_SCORES = "generate.greedy.scores";
  private static final String BEAM = "generate.beam";
  private static final String BEAM_SCORES = "generate.beam.sequences_scores";

  private HfVerify() {}

  /**
   * @param numBeams beams for {@code generate.beam}, or null to look it up
   * @param tolerance largest max-abs difference a float tensor may show
   */
  public record Options(Integer numBeams, double tolerance) {
    public Options {
      if (!(tolerance > 0)) {
        throw new GlimpseException("tolerance must be > 0, got " + tolerance);
      }
      if (numBeams != null && numBeams < 1) {
        throw new GlimpseException("--num-beams must be >= 1, got " + numBeams);
      }
    }
  }

  /** Loads the model (HF folder or Glimpse checkpoint) and verifies it. */
  public static JsonObject run(Path model, Path inputs, Path expected, Options options, NDManager manager) {
    SafeTensors.File in = SafeTensors.read(inputs);
    SafeTensors.File want = SafeTensors.read(expected);
    try (HfModel m = HfModel.load(model, manager)) {
      JsonObject report = verify(m, in, want, beamsFor(options, expected, m), options.tolerance());
      report.addProperty("model", model.toString());
      report.addProperty("inputs", inputs.toString());
      report.addProperty("expected", expected.toString());
      return report;
    }
  }

  /** Verifies a loaded model against reference files; {@code numBeams} may be null (beam search skipped). */
  public static JsonObject verify(HfModel m, SafeTensors.File inputs, SafeTensors.File expected, Integer numBeams,
      double tolerance) {
    HfArchitecture arch = m.architecture();
    NDManager manager = m.manager().newSubManager();
    try (manager; NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      HfArchitecture.VerifyInputs in = inputs(inputs, arch, manager);
      Map<String, SafeTensors.Tensor> want = expected.tensors();
      Set<String> floats = new LinkedHashSet<>();
      for (String name : want.keySet()) {
        if (!name.startsWith("generate.")) {
          floats.add(name);
        }
      }
      Map<String, NDArray> got = new HashMap<>();
      arch.trace(m.model(), in, floats, got);

      JsonArray tensors = new JsonArray();
      JsonArray sequences = new JsonArray();
      JsonArray skipped = new JsonArray();
      double worst = 0;
      boolean ok = true;
      for (String name : floats) {
        NDArray actual = got.get(name);
        if (actual == null) {
          skipped.add(skip(name, "not a tensor Glimpse computes for " + arch.hfType()));
          continue;
        }
        JsonObject r = compare(name, want.get(name), actual.getShape().getShape(), actual.toFloatArray(), tolerance);
        worst = Math.max(worst, r.get("max_abs_diff").getAsDouble());
        ok &= r.get("ok").getAsBoolean();
        tensors.add(r);
      }

      Set<String> generation = new TreeSet<>();
      for (String name : want.keySet()) {
        if (name.startsWith("generate.")) {
          generation.add(name);
        }
      }
      if (!generation.isEmpty()) {
        SpecialTokens special = m.specialTokens();
        HfArchitecture.Prompting prompting = arch.prompting(in, new HfArchitecture.SpecialIds(special.bos(),
            special.eos(), special.pad()), manager);
        if (prompting == null) {
          for (String name : generation) {
            skipped.add(skip(name, arch.hfType() + " does not generate text"));
          }
        } else {
          Generation gen = new Generation(arch, m.model(), in, prompting, special, want, manager);
          int prefix = prompting.outputPrefix()[0].length;
          Integer maxNew = want.containsKey(GREEDY) ? (int) want.get(GREEDY).shape()[1] - prefix
              : want.containsKey(BEAM) ? (int) want.get(BEAM).shape()[1] - prefix : null;
          for (String name : generation) {
            JsonObject r;
            switch (name) {
              case GREEDY -> r = gen.greedySequences(maxNew);
              case GREEDY_SCORES -> r = gen.greedyScores(tolerance);
              case BEAM -> r = numBeams == null ? skip(name, "number of beams unknown: pass --num-beams")
                  : gen.beamSequences(maxNew, numBeams, lengthPenalty(m), earlyStopping(m));
              case BEAM_SCORES -> r = numBeams == null ? skip(name, "number of beams unknown: pass --num-beams")
                  : gen.beamScores(maxNew, numBeams, lengthPenalty(m), earlyStopping(m), tolerance);
              default -> r = skip(name, "not a generation output Glimpse knows");
            }
            if (r.has("reason")) {
              skipped.add(r);
            } else if (r.has("match")) {
              ok &= r.get("match").getAsBoolean();
              sequences.add(r);
            } else {
              worst = Math.max(worst, r.get("max_abs_diff").getAsDouble());
              ok &= r.get("ok").getAsBoolean();
              tensors.add(r);
            }
          }
        }
      }
      JsonObject report = new JsonObject();
      report.addProperty("model_type", arch.hfType());
      report.addProperty("ok", ok && (tensors.size() + sequences.size()) > 0);
      report.addProperty("tolerance", tolerance);
      report.addProperty("max_abs_diff", worst);
      report.addProperty("compared", tensors.size());
      report.addProperty("sequences_compared", sequences.size());
      report.add("tensors", tensors);
      report.add("sequences", sequences);
      report.add("skipped", skipped);
      return report;
    }
  }

  private static HfArchitecture.VerifyInputs inputs(SafeTensors.File file, HfArchitecture arch, NDManager manager) {
    NDArray pixelArray = null;
    if (arch.readsImages()) {
      SafeTensors.Tensor pixels = file.get("pixel_values");
      pixelArray = manager.create(pixels.toFloats(), new Shape(pixels.shape()));
    } else if (!file.tensors().containsKey("input_ids")) {
      throw new GlimpseException("tensor 'input_ids' not found: a " + arch.hfType() + " model reads text only");
    }
    NDArray ids = null;
    NDArray mask = null;
    if (file.tensors().containsKey("input_ids")) {
      SafeTensors.Tensor t = file.get("input_ids");
      ids = manager.create(t.toLongs(), new Shape(t.shape()));
      if (file.tensors().containsKey("attention_mask")) {
        SafeTensors.Tensor a = file.get("attention_mask");
        mask = manager.create(a.toFloats(), new Shape(a.shape()));
      } else {
        mask = ids.onesLike().toType(DataType.FLOAT32, false);
      }
    }
    return new HfArchitecture.VerifyInputs(pixelArray, ids, mask);
  }

  static JsonObject compare(String name, SafeTensors.Tensor expected, long[] shape, float[] actual, double tolerance) {
    JsonObject r = new JsonObject();
    r.addProperty("name", name);
    r.add("shape", Json.GSON.toJsonTree(expected.shape()));
    if (!java.util.Arrays.equals(expected.shape(), shape)) {
      r.add("actual_shape", Json.GSON.toJsonTree(shape));
      r.addProperty("max_abs_diff", Double.POSITIVE_INFINITY);
      r.addProperty("ok", false);
      return r;
    }
    float[] want = expected.toFloats();
    double max = 0;
    for (int i = 0; i < want.length; i++) {
      double d = Math.abs((double) want[i] - actual[i]);
      max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
    }
    r.addProperty("max_abs_diff", max);
    r.addProperty("ok", max <= tolerance);
    return r;
  }

  private static JsonObject skip(String name, String reason) {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("reason", reason);
    return o;
  }

  private static Integer beamsFor(Options options, Path expected, HfModel m) {
    if (options.numBeams() != null) {
      return options.numBeams();
    }
    Path meta = expected.resolveSibling("fixture_meta.json");
    if (Files.isRegularFile(meta)) {
      JsonObject o = Json.parse(meta).getAsJsonObject();
      if (o.has("spec") && o.getAsJsonObject("spec").has("gen_num_beams")
          && !o.getAsJsonObject("spec").get("gen_num_beams").isJsonNull()) {
        return o.getAsJsonObject("spec").get("gen_num_beams").getAsInt();
      }
    }
    JsonObject g = generationConfig(m);
    return g.has("num_beams") && g.get("num_beams").getAsInt() > 1 ? g.get("num_beams").getAsInt() : null;
  }

  private static JsonObject generationConfig(HfModel m) {
    JsonObject s = m.section();
    return s.has("generation_config") ? s.getAsJsonObject("generation_config") : new JsonObject();
  }

  private static double lengthPenalty(HfModel m) {
    JsonObject g = generationConfig(m);
    return g.has("length_penalty") ? g.get("length_penalty").getAsDouble() : 1.0;
  }

  private static boolean earlyStopping(HfModel m) {
    JsonObject g = generationConfig(m);
    // "never" behaves like false for length_penalty 1 up to the stopping heuristic; Glimpse has true/false
    return g.has("early_stopping") && g.get("early_stopping").isJsonPrimitive()
        && g.get("early_stopping").getAsJsonPrimitive().isBoolean() && g.get("early_stopping").getAsBoolean();
  }

  /** Generation runs for one verify call; sequences are rebuilt in HF's output layout. */
  private static final class Generation {
    private final HfArchitecture arch;
    private final Object modelObject;
    private final StepModel model;
    private final HfArchitecture.VerifyInputs in;
    private final HfArchitecture.Prompting prompting;
    private final SpecialTokens special;
    private final Map<String, SafeTensors.Tensor> want;
    private final NDManager manager;

    Generation(HfArchitecture arch, Object model, HfArchitecture.VerifyInputs in, HfArchitecture.Prompting prompting,
        SpecialTokens special, Map<String, SafeTensors.Tensor> want, NDManager manager) {
      this.arch = arch;
      this.modelObject = model;
      this.model = (StepModel) model;
      this.in = in;
      this.prompting = prompting;
      this.special = special;
      this.want = want;
      this.manager = manager;
    }

    private List<Generated> run(GenerationConfig cfg) {
      Generator generator = new Generator(model, special.eos(), special.pad());
      try (DecodeState state = arch.prefill(modelObject, in, prompting)) {
        return generator.generate(state, cfg, null);
      }
    }

    JsonObject greedySequences(Integer maxNew) {
      if (maxNew == null || maxNew < 1) {
        return skip(GREEDY, "the expected sequences are no longer than the prompt");
      }
      List<Generated> out = run(GenerationConfig.greedy(maxNew));
      int steps = 0;
      for (Generated g : out) {
        steps = Math.max(steps, g.tokens().length + (g.finished() ? 1 : 0));
      }
      long[][] rows = new long[out.size()][];
      for (int i = 0; i < out.size(); i++) {
        long[] prefix = prompting.outputPrefix()[i];
        rows[i] = new long[prefix.length + steps];
        java.util.Arrays.fill(rows[i], special.pad());
        System.arraycopy(prefix, 0, rows[i], 0, prefix.length);
        int[] tokens = out.get(i).tokens();
        for (int t = 0; t < tokens.length; t++) {
          rows[i][prefix.length + t] = tokens[t];
        }
        if (out.get(i).finished()) {
          rows[i][prefix.length + tokens.length] = special.eos();
        }
      }
      return sequences(GREEDY, rows);
    }

    /** The scores of every step with HF's own greedy tokens fed back (teacher forcing), so each step is checked alone. */
    JsonObject greedyScores(double tolerance) {
      SafeTensors.Tensor scores = want.get(GREEDY_SCORES);
      if (!want.containsKey(GREEDY)) {
        return skip(GREEDY_SCORES, "needs generate.greedy (the tokens to feed back)");
      }
      long[] expectedIds = want.get(GREEDY).toLongs();
      int width = (int) want.get(GREEDY).shape()[1];
      int steps = (int) scores.shape()[0];
      int b = (int) scores.shape()[1];
      int v = (int) scores.shape()[2];
      int prefix = prompting.outputPrefix()[0].length;
      if (prefix + steps > width) {
        return skip(GREEDY_SCORES, "more score steps than generated tokens");
      }
      float[] actual = new float[steps * b * v];
      long[] shape = {steps, b, model.vocabSize()};
      try (DecodeState state = arch.prefill(modelObject, in, prompting)) {
        for (int s = 0; s < steps; s++) {
          try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float[] logits = state.logits().toFloatArray();
            if (logits.length != b * v) {
              shape = new long[] {steps, state.batchSize(), logits.length / state.batchSize()};
              break;
            }
            System.arraycopy(logits, 0, actual, s * b * v, b * v);
            if (s + 1 < steps) {
              long[] next = new long[b];
              for (int i = 0; i < b; i++) {
                next[i] = expectedIds[i * width + prefix + s];
              }
              model.step(state, next, manager);
            }
          }
        }
      }
      return compare(GREEDY_SCORES, scores, shape, actual, tolerance);
    }

    JsonObject beamSequences(Integer maxNew, int beams, double lengthPenalty, boolean earlyStopping) {
      if (maxNew == null || maxNew < 1) {
        return skip(BEAM, "the expected sequences are no longer than the prompt");
      }
      List<Generated> out = run(GenerationConfig.beam(maxNew, beams, lengthPenalty, earlyStopping));
      // HF BeamSearchScorer.finalize: best hypotheses (EOS excluded), EOS appended where it fits, padded
      int maxLength = prompting.outputPrefix()[0].length + maxNew;
      int[] lengths = new int[out.size()];
      int longest = 0;
      for (int i = 0; i < out.size(); i++) {
        lengths[i] = prompting.outputPrefix()[i].length + out.get(i).tokens().length;
        longest = Math.max(longest, lengths[i]);
      }
      int width = Math.min(longest + 1, maxLength);
      long[][] rows = new long[out.size()][width];
      for (int i = 0; i < out.size(); i++) {
        java.util.Arrays.fill(rows[i], special.pad());
        long[] prefix = prompting.outputPrefix()[i];
        System.arraycopy(prefix, 0, rows[i], 0, prefix.length);
        int[] tokens = out.get(i).tokens();
        for (int t = 0; t < tokens.length; t++) {
          rows[i][prefix.length + t] = tokens[t];
        }
        if (lengths[i] < width) {
          rows[i][lengths[i]] = special.eos();
        }
      }
      return sequences(BEAM, rows);
    }

    JsonObject beamScores(Integer maxNew, int beams, double lengthPenalty, boolean earlyStopping, double tolerance) {
      if (maxNew == null || maxNew < 1) {
        return skip(BEAM_SCORES, "the expected sequences are no longer than the prompt");
      }
      List<Generated> out = run(GenerationConfig.beam(maxNew, beams, lengthPenalty, earlyStopping));
      float[] scores = new float[out.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = (float) out.get(i).score();
      }
      return compare(BEAM_SCORES, want.get(BEAM_SCORES), new long[] {scores.length}, scores, tolerance);
    }

    private JsonObject sequences(String name, long[][] actual) {
      SafeTensors.Tensor t = want.get(name);
      long[] flat = t.toLongs();
      int b = (int) t.shape()[0];
      int width = (int) t.shape()[1];
      long[][] expected = new long[b][width];
      for (int i = 0; i < b; i++) {
        System.arraycopy(flat, i * width, expected[i], 0, width);
      }
      JsonObject r = new JsonObject();
      r.addProperty("name", name);
      r.addProperty("match", java.util.Arrays.deepEquals(expected, actual));
      r.add("expected", Json.GSON.toJsonTree(expected));
      r.add("actual", Json.GSON.toJsonTree(actual));
      return r;
    }
  }

  /** One line per compared tensor and sequence, for people. */
  public static List<String> describe(JsonObject report) {
    List<String> lines = new ArrayList<>();
    for (var e : report.getAsJsonArray("tensors")) {
      JsonObject t = e.getAsJsonObject();
      lines.add(String.format("  %-44s max|diff| %-10.3g %s", t.get("name").getAsString(),
          t.get("max_abs_diff").getAsDouble(), t.get("ok").getAsBoolean() ? "ok" : "FAIL"
              + (t.has("actual_shape") ? " (shape " + t.get("actual_shape") + ", expected " + t.get("shape") + ")" : "")));
    }
    for (var e : report.getAsJsonArray("sequences")) {
      JsonObject s = e.getAsJsonObject();
      boolean match = s.get("match").getAsBoolean();
      lines.add(String.format("  %-44s %s", s.get("name").getAsString(), match ? "token ids identical"
          : "MISMATCH: expected " + s.get("expected") + ", got " + s.get("actual")));
    }
    for (var e : report.getAsJsonArray("skipped")) {
      JsonObject s = e.getAsJsonObject();
      lines.add(String.format("  %-44s skipped: %s", s.get("name").getAsString(), s.get("reason").getAsString()));
    }
    return lines;
  }
}
