package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code glimpse bench index --json} prints the keys per size. */
class BenchIndexCommandTest {
  @Test
  void printsBuildTimeSpeedsAndRecallPerSize() {
    CliRun r = CliRun.of("bench", "index", "--sizes", "300,600", "--dim", "16", "--queries", "20", "--candidates",
        "50,20", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject sizes = r.json().getAsJsonObject("sizes");
    assertEquals(List.of("300", "600"), List.copyOf(sizes.keySet()));
    for (String size : sizes.keySet()) {
      JsonObject s = sizes.getAsJsonObject(size);
      for (String key : List.of("build_s", "hnsw_qps", "exact_qps", "recall_at_10")) {
        assertTrue(s.get(key).getAsDouble() > 0, size + " " + key);
      }
      assertTrue(s.get("recall_at_10").getAsDouble() <= 1);
      assertEquals(50, s.get("candidates").getAsInt());
      assertEquals(List.of("50", "20"), List.copyOf(s.getAsJsonObject("by_candidates").keySet()));
    }
  }
}
