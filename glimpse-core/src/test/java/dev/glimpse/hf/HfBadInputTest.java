package dev.glimpse.hf;

import static dev.glimpse.hf.HfFixtures.assertMentions;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.util.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad config.json or state dict gives one clear error naming the option or listing the tensors. */
class HfBadInputTest {
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

  /** A copy of a fixture with its config.json edited. */
  private Path withConfig(String fixture, Consumer<JsonObject> edit) throws IOException {
    return HfFixtures.withConfig(HfFixtures.dir(fixture), tmp, edit);
  }

  private String error(Path dir) {
    return HfFixtures.loadError(dir, manager);
  }

  @Test
  void relativePositionEmbeddingsAreRejected() throws IOException {
    String m = error(withConfig("git", c -> c.addProperty("position_embedding_type", "relative_key")));
    assertMentions(m, "'position_embedding_type'", "relative_key", "absolute", "config.json");
  }

  @Test
  void unknownActivationIsRejected() throws IOException {
    assertMentions(error(withConfig("git", c -> c.addProperty("hidden_act", "foo"))), "'hidden_act'", "'foo'");
    assertMentions(error(withConfig("git", c -> c.getAsJsonObject("vision_config").addProperty("hidden_act", "swishy"))),
        "'vision_config.hidden_act'", "'swishy'");
  }

  @Test
  void ropeScalingIsRejected() throws IOException {
    String m = error(withConfig("llava", c -> {
      JsonObject scaling = new JsonObject();
      scaling.addProperty("type", "linear");
      scaling.addProperty("factor", 2.0);
      c.getAsJsonObject("text_config").add("rope_scaling", scaling);
    }));
    assertMentions(m, "'text_config.rope_scaling'", "linear");
  }

  @Test
  void unsupportedModelTypesAreRejected() throws IOException {
    assertMentions(error(withConfig("git", c -> c.addProperty("model_type", "t5"))), "'model_type'", "'t5'",
        "git, clip, llava, blip-2");
    assertMentions(error(withConfig("blip2", c -> c.getAsJsonObject("text_config").addProperty("model_type", "t5"))),
        "'text_config.model_type'", "'t5'", "opt");
  }

  @Test
  void unknownAndArchitectureChangingOptionsAreRejected() throws IOException {
    assertMentions(error(withConfig("clip", c -> c.addProperty("foo_bar", 3))), "unsupported option", "'foo_bar'");
    assertMentions(error(withConfig("git", c -> c.addProperty("add_cross_attention", true))), "'add_cross_attention'");
    assertMentions(error(withConfig("llava", c -> c.getAsJsonObject("text_config").addProperty("head_dim", 16))),
        "'text_config.head_dim'");
    assertMentions(error(withConfig("blip2", c -> c.getAsJsonObject("qformer_config")
        .addProperty("use_qformer_text_input", true))), "'qformer_config.use_qformer_text_input'");
    assertMentions(error(withConfig("blip2", c -> c.getAsJsonObject("text_config")
        .addProperty("word_embed_proj_dim", 16))), "'text_config.word_embed_proj_dim'", "BLIP-2 needs it equal to "
        + "hidden_size");
  }

  @Test
  void badValuesNameTheOption() throws IOException {
    assertMentions(error(withConfig("git", c -> c.addProperty("hidden_size", "big"))), "'hidden_size'", "integer");
    assertMentions(error(withConfig("git", c -> c.addProperty("hidden_size", 30))), "invalid sizes", "30");
  }

  @Test
  void stateDictProblemsAreListed() throws IOException {
    Path dir = withConfig("git", c -> { });
    Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(dir.resolve("model.safetensors")).tensors();
    List<SafeTensors.Tensor> edited = new ArrayList<>();
    for (SafeTensors.Tensor t : tensors.values()) {
      if (t.name().equals("output.bias")) {
        continue; // missing
      }
      if (t.name().equals("git.embeddings.LayerNorm.weight")) {
        edited.add(SafeTensors.Tensor.ofFloats(t.name(), new long[] {31}, new float[31])); // wrong shape
        continue;
      }
      edited.add(SafeTensors.Tensor.ofFloats(t.name(), t.shape(), t.toFloats()));
    }
    edited.add(SafeTensors.Tensor.ofFloats("git.extra.weight", new long[] {2}, new float[2])); // unexpected
    SafeTensors.write(dir.resolve("model.safetensors"), edited, Map.of("format", "pt"));
    assertMentions(error(dir), "model.safetensors does not match the model", "missing output.bias [99]",
        "wrong shape for git.embeddings.LayerNorm.weight: file has [31], model needs [32]", "unexpected git.extra.weight");
  }

  @Test
  void manyProblemsAreSummarised() throws IOException {
    // a config with 3 decoder layers against weights for 2: 16 missing tensors, the first 12 listed
    String m = error(withConfig("git", c -> c.addProperty("num_hidden_layers", 3)));
    assertMentions(m, "missing git.encoder.layer.2.", "(16 problems in all)");
  }

  @Test
  void missingWeightsAreExplained() throws IOException {
    Path dir = withConfig("clip", c -> { });
    Files.delete(dir.resolve("model.safetensors"));
    assertMentions(error(dir), "has no model.safetensors");
    Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
    assertMentions(error(dir), "pytorch_model.bin", "safetensors");
  }
}
