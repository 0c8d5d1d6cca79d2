package dev.glimpse.cli;

import dev.glimpse.nn.Devices;
import dev.glimpse.serve.GlimpseServer;
import dev.glimpse.serve.ServeOptions;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glimpse serve}: an OpenAI-compatible HTTP server over one or more checkpoints, with
 * continuous batching. Runs until SIGTERM (or Ctrl-C), then stops accepting, finishes the requests in
 * flight and exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve checkpoints over HTTP with the OpenAI API (chat completions with images, streaming, "
        + "embeddings, models), continuous batching, /health, /metrics and a web page at /.",
        "Access log: one JSON line per request on stdout (or --access-log FILE)."})
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "[NAME=]DIR|hf:ID",
      description = "A Glimpse checkpoint or run folder, a HuggingFace folder (GIT, LLaVA, BLIP-2, CLIP), or a "
          + "HuggingFace model id hf:ORG/NAME[@REVISION]; repeat to serve several. Requests pick one by its name "
          + "in 'model' (default: the folder's name, or ORG/NAME).")
  List<String> checkpoints;

  @Mixin HubOptions hub;

  @Mixin DeviceOption device;

  @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = ServeOptions.DEFAULT_PORT;

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:GLIMPSE_API_KEY}",
      description = "Require 'Authorization: Bearer KEY' on every API request (default: $GLIMPSE_API_KEY, "
          + "else none).")
  String apiKey;

  @Option(names = "--max-batch", description = "Sequences decoded together at most (default ${DEFAULT-VALUE}).")
  int maxBatch = ServeOptions.defaults().maxBatch();

  @Option(names = "--waiting-served-ratio", paramLabel = "R", description = "A running batch of N sequences takes "
      + "waiting requests once ceil(R x N) are waiting, so that one prefill serves several (default "
      + "${DEFAULT-VALUE}; 0: at the next step).")
  double waitingServedRatio = ServeOptions.Admission.DEFAULT.waitingServedRatio();

  @Option(names = "--max-waiting-steps", paramLabel = "STEPS", description = "...or once the oldest has waited "
      + "STEPS decoding steps (default ${DEFAULT-VALUE}; 0: at the next step).")
  int maxWaitingSteps = ServeOptions.Admission.DEFAULT.maxWaitingSteps();

  @Option(names = "--max-queue", description = "Requests waiting per model at most; more get 429 (default "
      + "${DEFAULT-VALUE}).")
  int maxQueue = ServeOptions.defaults().maxQueue();

  @Option(names = "--max-image-bytes", description = "Largest image file accepted (default ${DEFAULT-VALUE}).")
  long maxImageBytes = ServeOptions.defaults().maxImageBytes();

  @Option(names = "--max-pixels", description = "Largest image area in pixels, checked before decoding (default "
      + "${DEFAULT-VALUE}).")
  long maxPixels = ServeOptions.defaults().maxPixels();

  @Option(names = "--request-timeout", paramLabel = "S", description = "Seconds a request may take, queueing "
      + "included (default ${DEFAULT-VALUE}).")
  long requestTimeout = ServeOptions.defaults().requestTimeout().toSeconds();

  @Option(names = "--allow-local-media", paramLabel = "DIR", description = "Allow file:// image URLs naming files "
      + "inside DIR (none by default; remote http(s) URLs are always refused).")
  Path allowLocalMedia;

  @Option(names = "--access-log", paramLabel = "FILE", description = "Append the access log to FILE instead of "
      + "stdout.")
  Path accessLog;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    ServeOptions options;
    try {
      options = new ServeOptions(host, port, apiKey == null || apiKey.isEmpty() ? null : apiKey, maxBatch, maxQueue,
          maxImageBytes, maxPixels, Duration.ofSeconds(requestTimeout), allowLocalMedia,
          new ServeOptions.Admission(waitingServedRatio, maxWaitingSteps));
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(e.getMessage());
    }
    Map<String, String> specs = models(checkpoints);
    Map<String, Path> models = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : specs.entrySet()) {
      models.put(e.getKey(), hub.resolve(e.getValue()));
    }
    PrintStream log = accessLog == null ? System.out
        : new PrintStream(Files.newOutputStream(accessLog, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            true, StandardCharsets.UTF_8);
    Consumer<String> sink = line -> {
      synchronized (log) {
        log.println(line);
        log.flush();
      }
    };
    GlimpseServer server = new GlimpseServer(options, sink, Devices.manager(device.device()));
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      int bound = server.start();
      System.err.println("glimpse serve: listening on http://" + host + ":" + bound + " (loading "
          + String.join(", ", models.keySet()) + ")");
      for (Map.Entry<String, Path> e : models.entrySet()) {
        server.load(e.getKey(), e.getValue());
        System.err.println("glimpse serve: model '" + e.getKey() + "' loaded from " + e.getValue());
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    long drainMillis = options.requestTimeout().toMillis() + 2000;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("glimpse serve: stopping: no new connections, finishing the requests in flight");
      server.drain(drainMillis);
      System.err.println("glimpse serve: stopped");
      stopped.countDown();
    }, "glimpse-serve-shutdown"));
    server.ready();
    System.err.println("glimpse serve: ready on http://" + host + ":" + server.port() + " (web page at /, API at /v1)");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** NAME=SOURCE or SOURCE (named after the folder, or ORG/NAME for hf:ORG/NAME[@REV]); distinct names. */
  static Map<String, String> models(List<String> specs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      String name;
      String source;
      if (eq > 0 && !spec.startsWith("hf:") && !Files.exists(Path.of(spec))) {
        name = spec.substring(0, eq);
        source = spec.substring(eq + 1);
      } else {
        source = spec;
        if (spec.startsWith("hf:")) {
          String id = spec.substring(3);
          name = id.contains("@") ? id.substring(0, id.indexOf('@')) : id;
        } else {
          Path file = Path.of(spec).toAbsolutePath().normalize().getFileName();
          name = file == null ? "model" : file.toString();
        }
      }
      if (!name.matches("[A-Za-z0-9._:/-]+")) {
        throw new GlimpseException("--checkpoint " + spec + ": model names use letters, digits and . _ : / - only");
      }
      if (out.containsKey(name)) {
        throw new GlimpseException("two checkpoints are named '" + name + "': name them with --checkpoint NAME=DIR");
      }
      out.put(name, source);
    }
    return out;
  }
}
