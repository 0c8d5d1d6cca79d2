package dev.glimpse.hf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every HF parity fixture: every tensor within 1e-4 of transformers, every generated id identical. */
class HfVerifyTest {
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
  @ValueSource(strings = {"git", "git_video", "clip", "llava", "blip2"})
  void fixtureMatchesTransformers(String name) {
    check(name, HfFixtures.dir(name));
  }

  /**
   * Other sizes and options (see fixtures/hf-extra/README.md): widths, depths, heads, patch and image
   * sizes, GQA 3:1, tied LLaMA head with attention biases, feature layer 1 with CLS kept, rope theta
   * 5e5, a 3-layer Q-Former crossing every 2nd layer, legacy CLIP pooling, left-padded prompts, and
   * rows ending with EOS (greedy padding, beam hypotheses).
   */
  @ParameterizedTest
  @ValueSource(strings = {"git_wide", "git_video3", "clip_legacy_eos", "llava_gqa3", "blip2_deep_qformer"})
  void otherSizesMatchTheIndependentReference(String name) {
    check(name, HfFixtures.extra(name));
  }

  private static void check(String name, Path dir) {
    Set<String> compared = HfFixtures.verify(name, dir, manager);
    assertTrue(compared.contains("logits") || compared.contains("logits_per_image"), "compared " + compared);
  }
}
