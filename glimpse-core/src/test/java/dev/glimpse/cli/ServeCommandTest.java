package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.testing.CliRun;
import dev.glimpse.testing.HfFolders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** glimpse serve as a user runs it: flag errors as one line, and a real process stopped by SIGTERM. */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void badFlagsAreOneClearError() {
    Path git = HfFolders.make(tmp, "git");
    CliRun batch = CliRun.of("serve", "--checkpoint", git.toString(), "--port", "0", "--max-batch", "0");
    assertEquals(2, batch.exitCode(), batch.err());
    assertTrue(batch.err().contains("--max-batch"), batch.err());
    CliRun steps = CliRun.of("serve", "--checkpoint", git.toString(), "--port", "0", "--max-waiting-steps", "-1");
    assertEquals(2, steps.exitCode(), steps.err());
    assertTrue(steps.err().contains("--max-waiting-steps") && steps.err().strip().lines().count() == 1, steps.err());
    CliRun missing = CliRun.of("serve", "--checkpoint", tmp.resolve("nope").toString(), "--port", "0");
    assertEquals(2, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("checkpoint not found"), missing.err());
    CliRun twice = CliRun.of("serve", "--checkpoint", git.toString(), "--checkpoint", git.toString(), "--port", "0");
    assertEquals(2, twice.exitCode(), twice.err());
    assertTrue(twice.err().contains("NAME=DIR"), twice.err());
    CliRun media = CliRun.of("serve", "--checkpoint", git.toString(), "--port", "0", "--allow-local-media",
        tmp.resolve("none").toString());
    assertEquals(2, media.exitCode(), media.err());
    assertTrue(media.err().contains("--allow-local-media"), media.err());
    assertEquals(java.util.Map.of("org/tiny-git", "hf:org/tiny-git@main", "cap", git.toString()),
        ServeCommand.models(java.util.List.of("hf:org/tiny-git@main", "cap=" + git)));
  }

  @Test
  void sigtermStopsAcceptingThenExits() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
        "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "dev.glimpse.cli.Main", "serve",
        "--checkpoint", "caption=" + git, "--port", "0");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process process = pb.start();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      int port = -1;
      Pattern ready = Pattern.compile("ready on http://127\\.0\\.0\\.1:(\\d+)");
      String line;
      while (port < 0 && (line = err.readLine()) != null) {
        lines.add(line);
        Matcher m = ready.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "the server said where it listens: " + lines);
      HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, models.statusCode());
      assertTrue(models.body().contains("\"caption\""), models.body());
      // SIGTERM through kill(1): Process.destroy() would also close our end of the process's streams
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server exits after SIGTERM");
      while ((line = err.readLine()) != null) {
        lines.add(line);
      }
      assertTrue(String.join("\n", lines).contains("glimpse serve: stopped"), String.join("\n", lines));
      final int p = port;
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", p).close());
      String access = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(access.contains("\"path\":\"/v1/models\""), "JSON access log on stdout: " + access);
    } finally {
      process.destroyForcibly();
    }
  }
}
