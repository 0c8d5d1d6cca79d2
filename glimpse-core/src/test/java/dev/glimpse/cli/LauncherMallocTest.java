package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's choice of C allocator for the server ({@code GLIMPSE_MALLOC}): a bad value is refused
 * with one line before anything is built or started.
 */
class LauncherMallocTest {
  private static final Path LAUNCHER = Path.of("..", "glimpse").toAbsolutePath().normalize();

  @Test
  void aMissingAllocatorLibraryIsOneLineBeforeAnyBuild() throws Exception {
    for (List<String> command : List.of(List.of("serve"), List.of("bench", "serve"))) {
      Result r = launch("/no/such/dir/libnothing.so", command);
      assertEquals(1, r.code, r.err);
      assertEquals(1, r.err.strip().lines().count(), r.err);
      assertTrue(r.err.contains("GLIMPSE_MALLOC") && r.err.contains("/no/such/dir/libnothing.so"), r.err);
      assertTrue(!r.err.contains("building"), "refused before building: " + r.err);
    }
  }

  private record Result(int code, String err) {}

  private static Result launch(String malloc, List<String> args) throws IOException, InterruptedException {
    assertTrue(Files.isRegularFile(LAUNCHER), "launcher at " + LAUNCHER);
    List<String> command = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("GLIMPSE_MALLOC", malloc);
    Process p = pb.start();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher finished");
    return new Result(p.exitValue(), new String(err, StandardCharsets.UTF_8));
  }
}
