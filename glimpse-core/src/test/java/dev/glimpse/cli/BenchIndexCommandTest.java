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
    assertEquals("random", r.json().get("vectors").getAsString());
  }

  @Test
  void clusteredVectorsAndTheirParametersAreRecorded() {
    CliRun r = CliRun.of("bench", "index", "--sizes", "400", "--dim", "16", "--queries", "10", "--candidates", "400",
        "--vectors", "clustered", "--clusters", "7", "--spread", "0.5", "--decay", "1", "--m", "8", "--beam", "20",
        "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject j = r.json();
    assertEquals("clustered", j.get("vectors").getAsString());
    assertEquals(7, j.get("clusters").getAsInt());
    assertEquals(8, j.get("m").getAsInt());
    assertEquals(20, j.get("beam").getAsInt());
    // as many candidates as vectors: the exact top 10 on every query
    assertEquals(1.0, j.getAsJsonObject("sizes").getAsJsonObject("400").get("recall_at_10").getAsDouble(), 1e-9);
  }

  @Test
  void badVectorSourcesAreOneLineErrors() {
    for (List<String> bad : List.of(List.of("--vectors", "gaussian"), List.of("--vectors", "clustered", "--clusters",
        "0"), List.of("--m", "0"))) {
      List<String> args = new java.util.ArrayList<>(List.of("bench", "index", "--sizes", "100", "--dim", "8"));
      args.addAll(bad);
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), bad + ": " + r.err());
      assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count(), r.err());
    }
  }
}
