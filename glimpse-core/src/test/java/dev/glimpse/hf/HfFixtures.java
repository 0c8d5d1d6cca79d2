package dev.glimpse.hf;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The HF parity fixtures copied into the test resources. */
final class HfFixtures {
  private HfFixtures() {}

  static Path dir(String name) {
    return resource("/fixtures/hf/" + name);
  }

  /** Extra fixtures made by {@code fixtures/hf-extra/make_extra.py} (other sizes and options). */
  static Path extra(String name) {
    return resource("/fixtures/hf-extra/" + name);
  }

  static Path resource(String name) {
    try {
      return Path.of(HfFixtures.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture " + name, e);
    }
  }
}
