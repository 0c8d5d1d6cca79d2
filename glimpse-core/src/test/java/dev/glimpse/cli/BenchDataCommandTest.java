package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.bench.DataBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchDataCommandTest {
  @TempDir Path dir;

  /** Runs the CLI in-process; returns {exit code, stdout, stderr}. */
  private static Object[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Object[] {code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void generatesShardsAndPrintsTheJsonSummary() {
    Object[] result = run("bench", "data", "--generate", "24", "--threads", "2", "--size", "16", "--json");
    assertEquals(0, result[0], (String) result[2]);
    JsonObject json = JsonParser.parseString((String) result[1]).getAsJsonObject();
    for (String key : new String[] {"images_per_s", "images_per_s_1thread", "threads", "ms_per_batch32"}) {
      assertTrue(json.has(key), key + " in " + json);
    }
    assertEquals(2, json.get("threads").getAsInt());
    assertEquals(24, json.get("images").getAsInt());
    assertTrue(json.get("images_per_s").getAsDouble() > 0);
    assertTrue(((String) result[2]).contains("images/s"), "human summary on stderr under --json");
  }

  @Test
  void readsGivenShards() {
    DataBench.writeShards(dir, 10, 2, 3);
    Object[] result = run("bench", "data", "--shards", dir.resolve("bench-{000000..000001}.tar").toString(),
        "--threads", "1", "--size", "8");
    assertEquals(0, result[0], (String) result[2]);
    assertTrue(((String) result[1]).contains("1 thread"), (String) result[1]);
  }

  @Test
  void userErrorsExitWithCode2() {
    Object[] both = run("bench", "data", "--shards", "x.tar", "--generate", "5");
    assertEquals(Main.EXIT_USER_ERROR, both[0]);
    assertTrue(((String) both[2]).contains("not both"), (String) both[2]);
    Object[] missing = run("bench", "data", "--shards", dir.resolve("none-*.tar").toString());
    assertEquals(Main.EXIT_USER_ERROR, missing[0]);
    assertTrue(((String) missing[2]).contains("no shard matches"), (String) missing[2]);
  }
}
