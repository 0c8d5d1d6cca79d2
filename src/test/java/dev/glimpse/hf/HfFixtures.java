package dev.glimpse.hf;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The HF parity fixtures copied into the test resources. */
final class HfFixtures {
  private HfFixtures() {}

  static Path dir(String name) {
    try {
      return Path.of(HfFixtures.class.getResource("/fixtures/hf/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture " + name, e);
    }
  }
}
