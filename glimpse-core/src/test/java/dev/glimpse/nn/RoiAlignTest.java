package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RoIAlign against torchvision's kernel transcribed in NumPy (reference/make_roi_align.py), and its defining properties. */
class RoiAlignTest {
  private static JsonObject cases() throws Exception {
    try (var in = RoiAlignTest.class.getResourceAsStream("/reference/roi_align.json")) {
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  @Test
  void outputsAndGradientsMatchTorchvisionsKernel() throws Exception {
    JsonObject all = cases();
    for (String name : all.keySet()) {
      JsonObject c = all.getAsJsonObject(name);
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray features = tensor(manager, c.get("features"));
        features.setRequiresGradient(true);
        JsonArray size = c.getAsJsonArray("output_size");
        RoiAlign roi = new RoiAlign(size.get(0).getAsInt(), size.get(1).getAsInt(), c.get("spatial_scale").getAsDouble(),
            c.get("sampling_ratio").getAsInt(), c.get("aligned").getAsBoolean());
        float[][] boxes = boxes(c.getAsJsonArray("boxes"));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray out = roi.forward(features, boxes);
          assertClose(flat(c.get("output")), out.toFloatArray(), name + " output");
          collector.backward(out.mul(tensor(manager, c.get("output_weights"))).sum());
        }
        assertClose(flat(c.get("grad_features")), features.getGradient().toFloatArray(), name + " gradient");
      }
    }
  }

  @Test
  void alignedBoxOnOneCellReadsThatCell() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] values = new float[3 * 4 * 5];
      for (int i = 0; i < values.length; i++) {
        values[i] = i * 0.5f - 7;
      }
      NDArray features = manager.create(values, new Shape(1, 3, 4, 5));
      // cell (row 2, column 3) spans pixels [3, 4) x [2, 3): its centre is the one sample of a 1x1 bin
      NDArray out = new RoiAlign(1, 1, 1, 1, true).forward(features, new float[][] {{0, 3, 2, 4, 3}});
      for (int c = 0; c < 3; c++) {
        assertEquals(values[c * 20 + 2 * 5 + 3], out.getFloat(0, c, 0, 0), 1e-6);
      }
    }
  }

  @Test
  void constantMapGivesItsValueInsideAndZeroFarOutside() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray features = manager.full(new Shape(2, 1, 6, 6), 3f);
      NDArray out = new RoiAlign(2, 2, 0.5, 0, true)
          .forward(features, new float[][] {{1, 1, 1, 11, 9}, {0, -40, -40, -20, -20}});
      for (float v : out.get(0).toFloatArray()) {
        assertEquals(3f, v, 1e-6);
      }
      for (float v : out.get(1).toFloatArray()) {
        assertEquals(0f, v, 0);
      }
    }
  }

  private static float[][] boxes(JsonArray json) {
    float[][] out = new float[json.size()][];
    for (int i = 0; i < json.size(); i++) {
      out[i] = flat(json.get(i));
    }
    return out;
  }

  private static NDArray tensor(NDManager manager, JsonElement json) {
    List<Long> shape = new ArrayList<>();
    JsonElement e = json;
    while (e.isJsonArray()) {
      shape.add((long) e.getAsJsonArray().size());
      e = e.getAsJsonArray().get(0);
    }
    return manager.create(flat(json), new Shape(shape.stream().mapToLong(Long::longValue).toArray()));
  }

  private static float[] flat(JsonElement json) {
    List<Float> values = new ArrayList<>();
    collect(json, values);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
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
    assertEquals(expected.length, actual.length, what + " size");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5, what + " [" + i + "]");
    }
  }
}
