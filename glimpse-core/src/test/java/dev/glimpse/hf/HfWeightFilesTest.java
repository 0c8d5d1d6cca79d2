package dev.glimpse.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.Models;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weight files as real checkpoints have them: sharded, bfloat16; and models HF cannot express. */
class HfWeightFilesTest {
  static NDManager manager;
  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private Path copyOf(String fixture, String... files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(fixture + System.nanoTime()));
    for (String f : files) {
      Files.copy(HfFixtures.dir(fixture).resolve(f), dir.resolve(f));
    }
    return dir;
  }

  @Test
  void shardedWeightsLoadAndVerify() throws IOException {
    Path dir = copyOf("llava", "config.json", "generation_config.json");
    Map<String, SafeTensors.Tensor> all = SafeTensors.read(HfFixtures.dir("llava").resolve("model.safetensors"))
        .tensors();
    List<SafeTensors.Tensor> vision = new ArrayList<>();
    List<SafeTensors.Tensor> rest = new ArrayList<>();
    JsonObject map = new JsonObject();
    for (SafeTensors.Tensor t : all.values()) {
      boolean first = t.name().startsWith("vision_tower.");
      (first ? vision : rest).add(t);
      map.addProperty(t.name(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
    }
    SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"), vision, Map.of("format", "pt"));
    SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"), rest, Map.of("format", "pt"));
    JsonObject index = new JsonObject();
    index.add("metadata", new JsonObject());
    index.add("weight_map", map);
    Json.write(dir.resolve("model.safetensors.index.json"), index);
    Path fixture = HfFixtures.dir("llava");
    JsonObject report = HfVerify.run(dir, fixture.resolve("inputs.safetensors"), fixture.resolve("outputs.safetensors"),
        new HfVerify.Options(null, HfVerify.DEFAULT_TOLERANCE), manager);
    assertTrue(report.get("ok").getAsBoolean(), report.toString());
  }

  @Test
  void bfloat16WeightsAreWidenedExactly() throws IOException {
    Path dir = copyOf("clip", "config.json");
    List<SafeTensors.Tensor> bf16 = new ArrayList<>();
    for (SafeTensors.Tensor t : SafeTensors.read(HfFixtures.dir("clip").resolve("model.safetensors")).tensors().values()) {
      float[] v = t.toFloats();
      ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        b.putShort((short) (Float.floatToRawIntBits(f) >>> 16)); // truncated to bfloat16
      }
      b.flip();
      bf16.add(new SafeTensors.Tensor(t.name(), SafeTensors.DType.BF16, t.shape(), b));
    }
    SafeTensors.write(dir.resolve("model.safetensors"), bf16, Map.of("format", "pt"));
    try (HfModel m = HfModel.load(dir, manager)) {
      float[] loaded = m.store().get("text_projection.weight").array().toFloatArray();
      float[] original = SafeTensors.read(HfFixtures.dir("clip").resolve("model.safetensors")).get("text_projection.weight")
          .toFloats();
      float[] expected = new float[original.length];
      for (int i = 0; i < original.length; i++) {
        expected[i] = Float.intBitsToFloat(Float.floatToRawIntBits(original[i]) & 0xffff0000);
      }
      assertArrayEquals(expected, loaded, 0f);
    }
  }

  @Test
  void aGlimpseModelHfCannotExpressIsRefusedWithTheReasons() {
    // our own GIT: pre-LN decoder with a final norm and a tied head, which HF's GitForCausalLM cannot hold
    GitConfig config = GitConfig.of(VisionConfig.vit(16, 8, TransformerConfig.preLn(16, 1, 2)), TransformerConfig.preLn(16, 1, 2)).withVocabSize(20).withMaxTextPositions(8);
    Path ckpt = tmp.resolve("native");
    try (ParameterStore store = new ParameterStore(manager, 1)) {
      Models.create(config, store.root());
      CheckpointConfig cfg = new CheckpointConfig(config, ImageTransform.square(16), null, List.of(), null, null);
      Checkpoint.write(ckpt, cfg, store, null, null, null);
    }
    try (HfModel m = HfModel.load(ckpt, manager)) {
      GlimpseException e = assertThrows(GlimpseException.class, () -> m.export(tmp.resolve("out")));
      assertTrue(e.getMessage().contains("cannot be written as HF GitForCausalLM")
          && e.getMessage().contains("post-LN") && e.getMessage().contains("untied"), e.getMessage());
    }
  }
}
