package dev.glimpse.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.loss.DenoisingLoss;
import dev.glimpse.model.DiffusionProcess;
import dev.glimpse.model.NoiseSchedule;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The noise schedules, the noising of x0, the denoising loss and the DDIM sampler against NumPy
 * (reference/make_diffusion.py), on tiny tensors.
 */
class DiffusionReferenceTest {
  private static JsonObject cases() throws Exception {
    try (var in = DiffusionReferenceTest.class.getResourceAsStream("/reference/diffusion.json")) {
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  @Test
  void schedulesMatchNumpy() throws Exception {
    JsonObject all = cases();
    for (String kind : new String[] {"linear", "cosine"}) {
      JsonObject c = all.getAsJsonObject("schedule_" + kind);
      double[] alphaBar = (kind.equals("linear") ? NoiseSchedule.ddpm() : NoiseSchedule.cosine(1000)).alphasCumprod();
      JsonArray ts = c.getAsJsonArray("t");
      for (int i = 0; i < ts.size(); i++) {
        double expected = c.getAsJsonArray("alpha_bar").get(i).getAsDouble();
        assertEquals(expected, alphaBar[ts.get(i).getAsInt()], 1e-12 + 1e-9 * expected, kind + " t=" + ts.get(i));
      }
    }
  }

  @Test
  void noisingAndDenoisingLossMatchNumpy() throws Exception {
    JsonObject c = cases().getAsJsonObject("noising");
    DiffusionProcess process = new DiffusionProcess(schedule(c.getAsJsonObject("schedule")));
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape shape = shape(c.getAsJsonArray("shape"));
      NDArray x0 = manager.create(floats(c.getAsJsonArray("x0")), shape);
      NDArray eps = manager.create(floats(c.getAsJsonArray("eps")), shape);
      JsonArray t = c.getAsJsonArray("t");
      NDArray noisy = process.addNoise(x0, eps, new int[] {t.get(0).getAsInt(), t.get(1).getAsInt()});
      assertClose(floats(c.getAsJsonArray("x_t")), noisy.toFloatArray(), 1e-6, "x_t");

      NDArray w = manager.create(new float[] {c.get("w").getAsFloat()});
      w.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray predicted = noisy.mul(w).add(0.1f);
        NDArray loss = DenoisingLoss.forward(predicted, eps);
        assertEquals(c.get("loss").getAsDouble(), loss.getFloat(), 1e-5, "loss");
        collector.backward(loss);
      }
      assertEquals(c.get("dloss_dw").getAsDouble(), w.getGradient().getFloat(0), 1e-5, "dloss/dw");
    }
  }

  @Test
  void trailingTimestepsMatchNumpy() throws Exception {
    JsonArray expected = cases().getAsJsonArray("trailing_1000_50");
    int[] steps = new DdimSampler(new DiffusionProcess(NoiseSchedule.ddpm())).timesteps(50);
    assertEquals(expected.size(), steps.length);
    for (int i = 0; i < steps.length; i++) {
      assertEquals(expected.get(i).getAsInt(), steps[i], "step " + i);
    }
  }

  @Test
  void ddimSamplerMatchesNumpy() throws Exception {
    JsonObject all = cases();
    JsonObject common = all.getAsJsonObject("ddim_common");
    DiffusionProcess process = new DiffusionProcess(schedule(common.getAsJsonObject("schedule")));
    DdimSampler sampler = new DdimSampler(process);
    Shape shape = shape(common.getAsJsonArray("shape"));
    float[] zs = floats(common.getAsJsonArray("z"));
    int per = (int) shape.size();
    for (String name : new String[] {"ddim_eta0", "ddim_eta0_clip", "ddim_eta05", "ddim_eta0_guided"}) {
      JsonObject c = all.getAsJsonObject(name);
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray start = manager.create(floats(common.getAsJsonArray("start")), shape);
        double guidance = c.get("guidance").getAsDouble();
        DdimSampler.NoisePredictor conditional = (x, t) -> x.mul(0.3f).add(0.05f * t).tanh();
        DdimSampler.NoisePredictor unconditional = (x, t) -> x.mul(0.2f).tanh();
        DdimSampler.NoisePredictor model = guidance == 1 ? conditional
            : (x, t) -> dev.glimpse.model.Guidance.combine(conditional.predict(x, t), unconditional.predict(x, t), guidance);
        DdimSampler.StepNoise noise = (i, like) -> {
          float[] z = new float[per];
          System.arraycopy(zs, i * per, z, 0, per);
          return like.getManager().create(z, like.getShape());
        };
        int[] seen = new int[1];
        NDArray sample = sampler.sample(start, model,
            new DdimSampler.Settings(c.get("steps").getAsInt(), c.get("eta").getAsDouble(), c.get("clip").getAsBoolean()),
            noise, done -> seen[0] = done);
        assertEquals(5, seen[0], name + ": progress reports every step");
        assertClose(floats(c.getAsJsonArray("sample")), sample.toFloatArray(), 2e-5, name);
        JsonArray ts = c.getAsJsonArray("timesteps");
        assertArrayEquals(new int[] {ts.get(0).getAsInt(), ts.get(1).getAsInt(), ts.get(2).getAsInt(),
            ts.get(3).getAsInt(), ts.get(4).getAsInt()}, sampler.timesteps(5), name + " timesteps");
      }
    }
  }

  @Test
  void frechetDistanceMatchesNumpy() throws Exception {
    JsonObject c = cases().getAsJsonObject("frechet");
    double distance = dev.glimpse.eval.FrechetDistance.between(rows(c.getAsJsonArray("a")), rows(c.getAsJsonArray("b")));
    assertEquals(c.get("distance").getAsDouble(), distance, 1e-9);
  }

  @Test
  void frechetDistanceOfASetToItselfIsZero() throws Exception {
    double[][] a = rows(cases().getAsJsonObject("frechet").getAsJsonArray("a"));
    assertEquals(0, dev.glimpse.eval.FrechetDistance.between(a, a), 1e-9);
  }

  private static double[][] rows(JsonArray json) {
    double[][] out = new double[json.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonArray row = json.get(i).getAsJsonArray();
      out[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = row.get(j).getAsDouble();
      }
    }
    return out;
  }

  private static NoiseSchedule schedule(JsonObject s) {
    return new NoiseSchedule(s.get("timesteps").getAsInt(), NoiseSchedule.LINEAR, s.get("beta_start").getAsDouble(),
        s.get("beta_end").getAsDouble());
  }

  private static Shape shape(JsonArray dims) {
    long[] out = new long[dims.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dims.get(i).getAsLong();
    }
    return new Shape(out);
  }

  private static float[] floats(JsonArray values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).getAsFloat();
    }
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
    }
  }
}
