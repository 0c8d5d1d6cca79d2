package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.testing.CliRun;
import dev.glimpse.testing.HfFolders;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench serve} on a tiny model: the levels' figures, and the soak's memory samples (as many as
 * asked, evenly spaced, resident = heap + the rest) with its PNG curve.
 */
class BenchServeCommandTest {
  @TempDir Path tmp;

  @Test
  void levelsAndASoakWithItsMemoryCurve() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    Path png = tmp.resolve("plots/soak.png");
    CliRun run = CliRun.of("bench", "serve", "--checkpoint", git.toString(), "--concurrency", "1,2", "--requests", "2",
        "--rounds", "1", "--max-tokens", "2", "--soak", "8", "--soak-samples", "4", "--soak-plot", png.toString(),
        "--soak-rest-ms", "50", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = run.json();
    assertEquals(2, json.getAsJsonArray("levels").size());
    assertEquals(0.3, json.get("waiting_served_ratio").getAsDouble());
    assertEquals(20, json.get("max_waiting_steps").getAsInt());
    for (var l : json.getAsJsonArray("levels")) {
      // every request of a level was prefilled, by at least one prefill, and decoded by steps
      JsonObject level = l.getAsJsonObject();
      int prefills = level.get("prefills").getAsInt();
      assertTrue(prefills >= 1 && prefills <= 2, level.toString());
      assertEquals(2.0 / prefills, level.get("requests_per_prefill").getAsDouble(), 1e-9, level.toString());
      assertTrue(level.get("decode_steps").getAsInt() >= 2, level.toString());
      double share = level.get("prefill_share").getAsDouble();
      assertTrue(share > 0 && share < 1, level.toString());
    }
    assertTrue(Set.of("glibc", "jemalloc", "tcmalloc").contains(json.get("allocator").getAsString()), json.toString());
    JsonObject memory = json.getAsJsonObject("memory");
    assertEquals(8, memory.get("requests").getAsInt());
    assertEquals(0, memory.get("failed").getAsInt(), json.toString());
    JsonArray samples = memory.getAsJsonArray("samples");
    assertEquals(4, samples.size());
    for (int i = 0; i < 4; i++) {
      JsonObject s = samples.get(i).getAsJsonObject();
      assertEquals(2 * (i + 1), s.get("requests").getAsInt());
      double rss = s.get("rss_mb").getAsDouble();
      assertTrue(rss > 0, s.toString());
      assertEquals(rss, s.get("heap_committed_mb").getAsDouble() + s.get("outside_heap_mb").getAsDouble(), 1e-6);
      double rest = s.get("rss_at_rest_mb").getAsDouble();
      assertTrue(rest > 0, s.toString());
      assertEquals(rest, s.get("heap_committed_at_rest_mb").getAsDouble() + s.get("outside_heap_at_rest_mb").getAsDouble(),
          1e-6);
      assertTrue(s.has("rss_peak_mb") || s.has("rss_peak_since_start_mb"), s.toString());
    }
    double last = samples.get(3).getAsJsonObject().get("outside_heap_mb").getAsDouble();
    double middle = samples.get(1).getAsJsonObject().get("outside_heap_mb").getAsDouble();
    assertEquals(last - middle, memory.get("outside_heap_growth_second_half_mb").getAsDouble(), 1e-6);
    double lastRest = samples.get(3).getAsJsonObject().get("outside_heap_at_rest_mb").getAsDouble();
    double middleRest = samples.get(1).getAsJsonObject().get("outside_heap_at_rest_mb").getAsDouble();
    assertEquals(lastRest - middleRest, memory.get("outside_heap_at_rest_growth_second_half_mb").getAsDouble(), 1e-6);
    assertEquals(50, memory.get("rest_ms").getAsInt());
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(800, image.getWidth());
    assertEquals(450, image.getHeight());
    assertTrue(Files.list(png.getParent()).allMatch(p -> p.equals(png)), "no temporary file left");
  }

  @Test
  void badSoakArgumentsAreUserErrors() {
    CliRun run = CliRun.of("bench", "serve", "--soak", "5", "--soak-samples", "6");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--soak-samples"), run.err());
    run = CliRun.of("bench", "serve", "--soak-plot", "x.png");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--soak-plot"), run.err());
    run = CliRun.of("bench", "serve", "--soak", "5", "--soak-samples", "5", "--soak-rest-ms", "-1");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--soak-rest-ms"), run.err());
    run = CliRun.of("bench", "serve", "--waiting-served-ratio", "-0.5");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--waiting-served-ratio") && run.err().strip().lines().count() == 1, run.err());
  }
}
