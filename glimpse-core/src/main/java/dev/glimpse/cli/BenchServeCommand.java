package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.serve.ServeBench;
import dev.glimpse.serve.ServeOptions;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench serve}: the HTTP server under closed-loop load at several concurrency levels. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Throughput and latency of glimpse serve: a server in this process on a loopback port, "
        + "closed-loop streaming clients at each concurrency level; requests/s, tokens/s, latency and "
        + "time-to-first-token percentiles; batching_speedup = tokens/s at 16 over tokens/s at 1.",
        "Default model: a freshly initialised GIT-small (64 image tokens, D=512, 6+6 layers)."})
public final class BenchServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Serve this model instead of a fresh GIT-small.")
  Path checkpoint;

  @Option(names = "--concurrency", split = ",", description = "Concurrency levels (default 1,4,16,64).")
  List<Integer> concurrency = List.of(1, 4, 16, 64);

  @Option(names = "--requests", description = "Requests per level, split between the rounds (default: rounds x "
      + "max(16, 4 x concurrency), four whole waves of requests per round).")
  int requests;

  @Option(names = "--rounds", description = "Rounds over the levels (default ${DEFAULT-VALUE}); each level's "
      + "requests are split between them so that a changing load on the machine falls on every level alike.")
  int rounds = 3;

  @Option(names = "--max-tokens", description = "Tokens each request generates (EOS suppressed; default "
      + "${DEFAULT-VALUE}).")
  int maxTokens = 32;

  @Option(names = "--max-batch", description = "The server's --max-batch (default ${DEFAULT-VALUE}).")
  int maxBatch = 64;

  @Option(names = "--waiting-served-ratio", paramLabel = "R", description = "The server's --waiting-served-ratio "
      + "(default ${DEFAULT-VALUE}).")
  double waitingServedRatio = ServeOptions.Admission.DEFAULT.waitingServedRatio();

  @Option(names = "--max-waiting-steps", paramLabel = "STEPS", description = "The server's --max-waiting-steps "
      + "(default ${DEFAULT-VALUE}).")
  int maxWaitingSteps = ServeOptions.Admission.DEFAULT.maxWaitingSteps();

  @Option(names = "--soak", paramLabel = "N", description = "Then N more requests at concurrency 16, sampling the "
      + "process's resident memory every tenth (0: none; the docs use 2000).")
  int soak;

  @Option(names = "--soak-samples", paramLabel = "N", description = "How many times the soak samples resident "
      + "memory, evenly spaced (default ${DEFAULT-VALUE}).")
  int soakSamples = 10;

  @Option(names = "--soak-plot", paramLabel = "FILE.png", description = "Write the soak's memory curve (resident, "
      + "Java heap, the rest, the rest at rest) as a PNG.")
  Path soakPlot;

  @Option(names = "--soak-rest-ms", paramLabel = "MS", description = "After each sample's requests, wait this long "
      + "idle and read resident memory again: what the allocator keeps at rest (default ${DEFAULT-VALUE}).")
  long soakRestMillis = 2000;

  @Override
  public Integer call() throws IOException {
    if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
      throw new GlimpseException("--concurrency levels must be in 1..1024, got " + concurrency);
    }
    if (maxTokens < 1 || maxBatch < 1 || rounds < 1 || requests < 0 || soak < 0) {
      throw new GlimpseException("--max-tokens, --max-batch and --rounds must be >= 1, --requests and --soak >= 0");
    }
    if (soak > 0 && (soakSamples < 1 || soakSamples > soak)) {
      throw new GlimpseException("--soak-samples must be in 1..--soak (" + soak + "), got " + soakSamples);
    }
    if (soakPlot != null && soak == 0) {
      throw new GlimpseException("--soak-plot needs --soak N");
    }
    if (soakRestMillis < 0 || soakRestMillis > 600_000) {
      throw new GlimpseException("--soak-rest-ms must be in 0..600000, got " + soakRestMillis);
    }
    ServeOptions.Admission admission;
    try {
      admission = new ServeOptions.Admission(waitingServedRatio, maxWaitingSteps);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(e.getMessage());
    }
    int[] levels = concurrency.stream().mapToInt(Integer::intValue).toArray();
    ServeBench.Soak soakSettings = soak == 0 ? null
        : new ServeBench.Soak(soak, soakSamples, Duration.ofMillis(soakRestMillis), soakPlot);
    JsonObject result = ServeBench.run(checkpoint, levels, requests, rounds, maxTokens, maxBatch, admission,
        soakSettings, common.info());
    common.printJson(result);
    return 0;
  }
}
