package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.testing.CliRun;
import org.junit.jupiter.api.Test;

/**
 * {@code bench decode} times the cached and uncached decoders alternately and reports the decode-phase
 * ratio ({@code kv_speedup}) and the whole-generation one ({@code kv_speedup_end_to_end}) with their
 * spread over the rounds.
 */
class BenchDecodeCommandTest {
  @Test
  void reportsDecodePhaseAndEndToEndSpeedupsWithTheirSpread() {
    CliRun run = CliRun.of("bench", "decode", "--config", "tiny", "--new-tokens", "3", "--rounds", "2", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = run.json();
    assertEquals(2, json.get("rounds").getAsInt());
    for (String key : new String[] {"kv_speedup", "kv_speedup_end_to_end", "kv_speedup_batch16",
        "kv_speedup_batch16_end_to_end"}) {
      assertTrue(json.get(key).getAsDouble() > 0, key + " in " + json);
    }
    for (String batch : new String[] {"batch_1", "batch_16"}) {
      JsonObject b = json.getAsJsonObject(batch);
      for (String key : new String[] {"speedup_spread", "end_to_end_speedup_spread"}) {
        JsonObject spread = b.getAsJsonObject(key);
        assertEquals(2, spread.getAsJsonArray("rounds").size());
        double median = spread.get("median").getAsDouble();
        assertTrue(spread.get("min").getAsDouble() <= median && median <= spread.get("max").getAsDouble(), b.toString());
      }
      assertTrue(b.get("prefill_s").getAsDouble() > 0);
    }
    assertEquals(json.get("kv_speedup").getAsDouble(),
        json.getAsJsonObject("batch_1").getAsJsonObject("speedup_spread").get("median").getAsDouble());
    assertEquals(json.get("kv_speedup_end_to_end").getAsDouble(),
        json.getAsJsonObject("batch_1").get("end_to_end_speedup").getAsDouble());
  }

  @Test
  void badArgumentsAreUserErrors() {
    CliRun run = CliRun.of("bench", "decode", "--config", "huge");
    assertEquals(2, run.exitCode(), run.err());
    run = CliRun.of("bench", "decode", "--config", "tiny", "--rounds", "0");
    assertEquals(2, run.exitCode(), run.err());
  }
}
