package dev.glimpse.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The HF parity fixtures copied into the test resources, and what the HF tests do with them. */
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

  /**
   * Runs {@code glimpse hf verify} on a fixture folder (its inputs and transformers' outputs), prints
   * the report, checks that nothing was skipped and everything matched, and returns what was compared
   * (tensor and sequence names).
   */
  static Set<String> verify(String name, Path dir, NDManager manager) {
    JsonObject report = HfVerify.run(dir, dir.resolve("inputs.safetensors"), dir.resolve("outputs.safetensors"),
        new HfVerify.Options(null, HfVerify.DEFAULT_TOLERANCE), manager);
    for (String line : HfVerify.describe(report)) {
      System.out.println(name + line);
    }
    assertEquals(0, report.getAsJsonArray("skipped").size(), "skipped: " + report.get("skipped"));
    Set<String> compared = new HashSet<>();
    for (JsonElement t : report.getAsJsonArray("tensors")) {
      compared.add(t.getAsJsonObject().get("name").getAsString());
    }
    for (JsonElement t : report.getAsJsonArray("sequences")) {
      compared.add(t.getAsJsonObject().get("name").getAsString());
    }
    assertTrue(report.get("ok").getAsBoolean(), report.toString());
    return compared;
  }

  /** A copy of the folder {@code source} in {@code tmp} with its config.json edited. */
  static Path withConfig(Path source, Path tmp, Consumer<JsonObject> edit) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(source.getFileName() + "-" + System.nanoTime()));
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
    edit.accept(config);
    Files.writeString(dir.resolve("config.json"), config.toString());
    return dir;
  }

  /** The message of the error that loading {@code dir} gives, checked to be one line. */
  static String loadError(Path dir, NDManager manager) {
    GlimpseException e = assertThrows(GlimpseException.class, () -> HfModel.load(dir, manager).close());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
    }
  }
}
