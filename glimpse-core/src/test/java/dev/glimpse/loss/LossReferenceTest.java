package dev.glimpse.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.nn.ParameterStore;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** InfoNCE, its learned temperature and the label-smoothed LM loss against NumPy (reference/make_losses.py). */
class LossReferenceTest {
  private static final double TOLERANCE = 1e-5;

  private static JsonObject cases() throws Exception {
    try (var in = LossReferenceTest.class.getResourceAsStream("/reference/losses.json")) {
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  @Test
  void infoNceMatchesNumpyBelowAndAboveTheClip() throws Exception {
    for (String name : new String[] {"infonce_learned", "infonce_clipped"}) {
      JsonObject c = cases().getAsJsonObject(name);
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray image = matrix(manager, c.getAsJsonArray("image"));
        NDArray text = matrix(manager, c.getAsJsonArray("text"));
        image.setRequiresGradient(true);
        text.setRequiresGradient(true);
        ParameterStore store = new ParameterStore(manager, 0);
        Temperature.Learned temperature = (Temperature.Learned) Temperature.learnable(store.root(), 0.07, 0.01);
        temperature.logScale().array().set(new float[] {c.get("log_scale").getAsFloat()});
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          InfoNce.Result r = InfoNce.forward(InfoNce.normalize(image), InfoNce.normalize(text),
              temperature.logitScale(image, 0));
          assertEquals(c.get("loss").getAsDouble(), r.loss().getFloat(), TOLERANCE * 10, name + " loss");
          assertEquals(c.get("image_to_text").getAsDouble(), r.imageToText().getFloat(), TOLERANCE * 10, name);
          assertEquals(c.get("text_to_image").getAsDouble(), r.textToImage().getFloat(), TOLERANCE * 10, name);
          collector.backward(r.loss());
        }
        assertClose(flat(c.getAsJsonArray("grad_image")), image.getGradient().toFloatArray(), name + " d/dimage");
        assertClose(flat(c.getAsJsonArray("grad_text")), text.getGradient().toFloatArray(), name + " d/dtext");
        assertEquals(c.get("grad_log_scale").getAsDouble(), temperature.logScale().array().getGradient().getFloat(0),
            TOLERANCE, name + " d/dlog_scale");
      }
    }
  }

  @Test
  void scheduledTemperatureMovesLinearlyOverTheRun() {
    Temperature t = Temperature.scheduled(0.07, 0.01);
    assertEquals(0.07, t.value(0), 1e-12);
    assertEquals(0.04, t.value(0.5), 1e-12);
    assertEquals(0.01, t.value(1), 1e-12);
    try (NDManager manager = NDManager.newBaseManager()) {
      assertEquals(1 / 0.04, t.logitScale(manager.zeros(new Shape(1)), 0.5).getFloat(), 1e-3);
    }
  }

  @Test
  void labelSmoothedLmLossMatchesNumpy() throws Exception {
    for (String name : new String[] {"lm_smoothing_0", "lm_smoothing_0.1", "lm_smoothing_0.3_no_weights"}) {
      JsonObject c = cases().getAsJsonObject(name);
      JsonArray logitRows = c.getAsJsonArray("logits");
      long b = logitRows.size();
      long t = logitRows.get(0).getAsJsonArray().size();
      long v = logitRows.get(0).getAsJsonArray().get(0).getAsJsonArray().size();
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray logits = manager.create(flat(logitRows), new Shape(b, t, v));
        logits.setRequiresGradient(true);
        NDArray targets = manager.create(flat(c.getAsJsonArray("targets")), new Shape(b, t)).toType(DataType.INT64,
            false);
        NDArray weights = manager.create(flat(c.getAsJsonArray("weights")), new Shape(b, t));
        LmLoss loss = new LmLoss(c.get("smoothing").getAsDouble());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray value = loss.forward(logits, targets, weights);
          assertEquals(c.get("loss").getAsDouble(), value.getFloat(), TOLERANCE, name + " loss");
          collector.backward(value);
        }
        assertClose(flat(c.getAsJsonArray("grad_logits")), logits.getGradient().toFloatArray(), name + " d/dlogits");
      }
    }
  }

  private static NDArray matrix(NDManager manager, JsonArray rows) {
    return manager.create(flat(rows), new Shape(rows.size(), rows.get(0).getAsJsonArray().size()));
  }

  private static float[] flat(JsonArray nested) {
    List<Float> out = new ArrayList<>();
    collect(nested, out);
    float[] values = new float[out.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = out.get(i);
    }
    return values;
  }

  private static void collect(JsonElement e, List<Float> out) {
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        collect(x, out);
      }
    } else {
      out.add(e.getAsFloat());
    }
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": size");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
    }
  }
}
