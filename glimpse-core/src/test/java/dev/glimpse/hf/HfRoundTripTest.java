package dev.glimpse.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonParser;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HF folder -> Glimpse checkpoint -> HF folder gives the same tensors bit for bit and the same config. */
class HfRoundTripTest {
  static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"git", "git_video", "clip", "llava", "blip2", "extra:git_wide", "extra:git_video3",
      "extra:clip_legacy_eos", "extra:llava_gqa3", "extra:blip2_deep_qformer", "extra:opt_causal_lm", "extra:opt_post_ln",
      "extra:opt_proj_dim"})
  void importThenExportIsBitIdentical(String name, @TempDir Path tmp) throws Exception {
    Path original = name.startsWith("extra:") ? HfFixtures.extra(name.substring(6)) : HfFixtures.dir(name);
    Path checkpoint = tmp.resolve("ckpt");
    Path exported = tmp.resolve("hf");
    try (HfModel m = HfModel.load(original, manager)) {
      Checkpoint.write(checkpoint, m.checkpointConfig(), m.store(), m.tokenizer(), null, null);
    }
    try (HfModel m = HfModel.load(checkpoint, manager)) {
      m.export(exported);
    }
    Map<String, SafeTensors.Tensor> want = SafeTensors.read(original.resolve("model.safetensors")).tensors();
    Map<String, SafeTensors.Tensor> got = SafeTensors.read(exported.resolve("model.safetensors")).tensors();
    assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()));
    for (String key : want.keySet()) {
      assertEquals(want.get(key).dtype(), got.get(key).dtype(), key);
      assertArrayEquals(want.get(key).shape(), got.get(key).shape(), key);
      assertEquals(want.get(key).data(), got.get(key).data(), key); // ByteBuffer content equality
    }
    // the whole file too: same header layout and metadata as safetensors' own writer
    assertArrayEquals(Files.readAllBytes(original.resolve("model.safetensors")),
        Files.readAllBytes(exported.resolve("model.safetensors")));
    assertEquals(JsonParser.parseString(Files.readString(original.resolve("config.json"))),
        JsonParser.parseString(Files.readString(exported.resolve("config.json"))));
    if (Files.exists(original.resolve("generation_config.json"))) {
      assertEquals(JsonParser.parseString(Files.readString(original.resolve("generation_config.json"))),
          JsonParser.parseString(Files.readString(exported.resolve("generation_config.json"))));
    }
  }
}
