package dev.glimpse.hf;

import static dev.glimpse.hf.HfFixtures.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.glimpse.model.LanguageModel;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.util.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HuggingFace {@code OPTForCausalLM} folders written by transformers itself ({@code save_pretrained};
 * fixtures/hf-extra/make_opt.py): Glimpse's language model gives transformers' logits and greedy
 * tokens, and the OPT options it does not implement are one error line each.
 */
class HfOptCausalLmTest {
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

  /**
   * Pre-LN (125m..175b) and post-LN layouts, and opt-350m's (post-LN, a 16-wide token embedding
   * bridged to the 32-wide stack by project_in/out): logits of a batch with a left-padded row, the
   * greedy continuation and every step's scores (KV-cached decoding) match transformers.
   */
  @ParameterizedTest
  @ValueSource(strings = {"opt_causal_lm", "opt_post_ln", "opt_proj_dim"})
  void matchesTransformers(String name) {
    Set<String> compared = HfFixtures.verify(name, HfFixtures.extra(name), manager);
    assertEquals(Set.of("logits", "generate.greedy", "generate.greedy.scores"), compared);
  }

  /** The model as --language-model sees it: OPT's config mapped to ours, the head tied, positions offset by 2. */
  @Test
  void loadsAsALanguageModelWithOptsLayout() {
    try (HfModel hf = HfModel.load(HfFixtures.extra("opt_causal_lm"), manager)) {
      LanguageModelConfig c = (LanguageModelConfig) hf.config();
      assertTrue(c.learnedPositions() && c.tieWordEmbeddings(), c.toString());
      assertEquals(2, c.positionOffset());
      assertEquals(96, c.maxTextPositions());
      assertEquals(120, c.vocabSize());
      assertTrue(c.text().preNorm() && c.text().finalNorm(), c.text().toString());
      // the forward of the bare language model is the one verified above
      LanguageModel lm = (LanguageModel) hf.model();
      SafeTensors.File in = SafeTensors.read(HfFixtures.extra("opt_causal_lm").resolve("inputs.safetensors"));
      SafeTensors.File out = SafeTensors.read(HfFixtures.extra("opt_causal_lm").resolve("outputs.safetensors"));
      try (NDManager m = manager.newSubManager()) {
        NDArray ids = m.create(in.get("input_ids").toLongs(), new Shape(in.get("input_ids").shape()));
        NDArray valid = m.create(in.get("attention_mask").toFloats(), new Shape(in.get("attention_mask").shape()));
        float[] got = lm.forward(ids, valid).toFloatArray();
        float[] want = out.get("logits").toFloats();
        double max = 0;
        for (int i = 0; i < want.length; i++) {
          max = Math.max(max, Math.abs(got[i] - want[i]));
        }
        assertTrue(max < 1e-4, "max |logits - transformers| = " + max);
      }
    }
    try (HfModel hf = HfModel.load(HfFixtures.extra("opt_post_ln"), manager)) {
      LanguageModelConfig c = (LanguageModelConfig) hf.config();
      assertTrue(!c.text().preNorm() && !c.text().finalNorm(), c.text().toString());
    }
  }

  /**
   * opt-350m's layout: the token embedding (and the tied head) 16 wide, positions and the stack 32, the
   * two projections under the language model's prefixes (so --language-model loads and freezes them);
   * HfRoundTripTest writes it back bit for bit.
   */
  @Test
  void projectInAndOutBridgeANarrowerEmbedding() {
    Path source = HfFixtures.extra("opt_proj_dim");
    try (HfModel hf = HfModel.load(source, manager)) {
      LanguageModelConfig c = (LanguageModelConfig) hf.config();
      assertEquals(16, c.embeddingWidth());
      assertEquals(32, c.text().width());
      assertTrue(c.projectsEmbeddings());
      Map<String, Shape> shapes = new java.util.HashMap<>();
      hf.store().all().forEach(p -> shapes.put(p.name(), p.shape()));
      assertEquals(new Shape(120, 16), shapes.get("text_embedding.token_embedding"));
      assertEquals(new Shape(98, 32), shapes.get("text_embedding.position_embedding"));
      assertEquals(new Shape(32, 16), shapes.get("text_embedding.project_in.weight"));
      assertEquals(new Shape(16, 32), shapes.get("text.project_out.weight"));
      assertEquals(shapes.size(), hf.store().all().stream()
          .filter(p -> dev.glimpse.recipes.LanguageModels.isLanguageModel(p.name())).count());
    }
  }

  @Test
  void aNonPositiveEmbeddingWidthIsRefusedInOneLine() throws IOException {
    assertMentions(error(withConfig(c -> c.addProperty("word_embed_proj_dim", 0))), "'word_embed_proj_dim'", "0");
  }

  @Test
  void otherUnsupportedOptionsAreRefusedInOneLine() throws IOException {
    assertMentions(error(withConfig(c -> c.addProperty("layer_norm_elementwise_affine", false))),
        "'layer_norm_elementwise_affine'");
    assertMentions(error(withConfig(c -> c.addProperty("activation_function", "swishy"))),
        "'activation_function'", "'swishy'");
    assertMentions(error(withConfig(c -> c.addProperty("num_attention_heads", 5))), "32", "5");
  }

  @Test
  void aMissingWeightIsNamed() throws IOException {
    Path dir = withConfig(c -> { });
    List<SafeTensors.Tensor> kept = new ArrayList<>();
    for (SafeTensors.Tensor t : SafeTensors.read(dir.resolve("model.safetensors")).tensors().values()) {
      if (!t.name().equals("model.decoder.layers.1.fc2.weight")) {
        kept.add(SafeTensors.Tensor.ofFloats(t.name(), t.shape(), t.toFloats()));
      }
    }
    SafeTensors.write(dir.resolve("model.safetensors"), kept, Map.of("format", "pt"));
    assertMentions(error(dir), "model.safetensors does not match the model",
        "missing model.decoder.layers.1.fc2.weight [32, 64]");
  }

  /** A copy of opt_causal_lm with its config.json edited. */
  private Path withConfig(Consumer<JsonObject> edit) throws IOException {
    return HfFixtures.withConfig(HfFixtures.extra("opt_causal_lm"), tmp, edit);
  }

  private static String error(Path dir) {
    return HfFixtures.loadError(dir, manager);
  }
}
