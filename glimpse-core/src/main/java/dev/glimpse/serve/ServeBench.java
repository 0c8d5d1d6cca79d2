package dev.glimpse.serve;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.InferenceThread;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code glimpse bench serve}: a server in this process on a loopback port, driven by closed-loop
 * clients (each sends its next streamed request when the last one ends) at several concurrency
 * levels; per level requests/s, generated tokens/s, latency and time-to-first-token percentiles and
 * failures; {@code batching_speedup} = tokens/s at concurrency 16 over tokens/s at 1; optionally a
 * soak of many requests with the process's resident memory sampled along the way.
 */
public final class ServeBench {
  /** What one level measured. */
  public record Level(int concurrency, int requests, int failed, double seconds, long tokens, double requestsPerSecond,
      double tokensPerSecond, double[] latency, double[] ttft, List<Double> allLatencies, List<Double> allTtfts,
      ServerMetrics.EngineWork work) {
    /** Requests per prefill, on average. */
    double requestsPerPrefill() {
      return work.prefills() == 0 ? 0 : (double) work.prefilledRequests() / work.prefills();
    }

    /** The share of the engine's busy time spent prefilling. */
    double prefillShare() {
      double busy = work.prefillSeconds() + work.decodeSeconds();
      return busy == 0 ? 0 : work.prefillSeconds() / busy;
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("concurrency", concurrency);
      o.addProperty("requests", requests);
      o.addProperty("failed", failed);
      o.addProperty("seconds", seconds);
      o.addProperty("generated_tokens", tokens);
      o.addProperty("requests_per_s", requestsPerSecond);
      o.addProperty("tokens_per_s", tokensPerSecond);
      o.addProperty("latency_p50_s", latency[0]);
      o.addProperty("latency_p95_s", latency[1]);
      o.addProperty("latency_p99_s", latency[2]);
      o.addProperty("ttft_p50_s", ttft[0]);
      o.addProperty("ttft_p95_s", ttft[1]);
      o.addProperty("ttft_p99_s", ttft[2]);
      o.addProperty("prefills", work.prefills());
      o.addProperty("requests_per_prefill", requestsPerPrefill());
      o.addProperty("prefill_share", prefillShare());
      o.addProperty("decode_steps", work.decodeSteps());
      o.addProperty("prefill_s", work.prefillSeconds());
      o.addProperty("decode_s", work.decodeSeconds());
      return o;
    }
  }

  private final String model;
  private final int maxTokens;
  private final HttpClient http;
  private final List<String> images = new ArrayList<>();
  private final URI chat;

  private final java.util.function.Supplier<ServerMetrics.EngineWork> work;

  private ServeBench(String model, int maxTokens, int port, java.util.function.Supplier<ServerMetrics.EngineWork> work) {
    this.model = model;
    this.work = work;
    this.maxTokens = maxTokens;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30))
        .executor(Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "bench-http");
          t.setDaemon(true);
          return t;
        })).build();
    this.chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
    for (int i = 0; i < 8; i++) {
      images.add(dataUrl(picture(i)));
    }
  }

  /**
   * Runs the benchmark and returns its JSON; progress lines go to {@code log}.
   *
   * @param checkpoint a model folder, or null for a freshly initialised GIT-small
   * @param levels concurrency levels
   * @param requestsPerLevel requests per level, split between the rounds, or 0 for max(16, 4 x concurrency) in
   *     each round
   * @param admission the server's admission rule
   * @param soak the memory soak after the levels, or null for none
   */
  public static JsonObject run(Path checkpoint, int[] levels, int requestsPerLevel, int rounds, int maxTokens,
      int maxBatch, ServeOptions.Admission admission, Soak soak, PrintStream log) throws IOException {
    Path temp = null;
    Path dir = checkpoint;
    String name = "bench";
    if (dir == null) {
      temp = Files.createTempDirectory("glimpse-bench-serve");
      dir = temp.resolve("git-small");
      Path fresh = dir;
      InferenceThread.runOnce("glimpse-bench-model", () -> {
        freshGitSmall(fresh);
        return null;
      });
      name = "git-small";
    }
    int maxLevel = 1;
    for (int l : levels) {
      maxLevel = Math.max(maxLevel, l);
    }
    ServeOptions options = new ServeOptions("127.0.0.1", 0, null, maxBatch, Math.max(64, 2 * maxLevel),
        ServeOptions.defaults().maxImageBytes(), ServeOptions.defaults().maxPixels(), Duration.ofSeconds(600), null,
        admission);
    GlimpseServer server = new GlimpseServer(options, null);
    try {
      int port = server.start();
      server.load(name, dir);
      server.ready();
      String served = name;
      ServeBench bench = new ServeBench(name, maxTokens, port, () -> server.engineWork(served));
      JsonObject out = new JsonObject();
      out.addProperty("model", checkpoint == null ? "git-small (freshly initialised)" : checkpoint.toString());
      out.addProperty("max_tokens", maxTokens);
      out.addProperty("max_batch", maxBatch);
      out.addProperty("waiting_served_ratio", admission.waitingServedRatio());
      out.addProperty("max_waiting_steps", admission.maxWaitingSteps());
      out.addProperty("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
      String allocator = allocator();
      out.addProperty("allocator", allocator);
      log.println("native allocator: " + allocator);
      // Warm-up, not counted: every level once (JIT of the batched paths, allocator, first batch shapes).
      // With a single small warm-up level the first counted round ran lowest in 6 of 7 runs.
      for (int c : levels) {
        Level warm = bench.level(c, warmUpRequests(c));
        log.printf("warm-up, concurrency %3d: %4d requests, %d failed, %7.1f tokens/s (not counted)%n", c,
            warm.requests(), warm.failed(), warm.tokensPerSecond());
      }
      // The levels run in rounds, one after another within each round, so that a change in the load of a
      // shared machine falls on every level alike; a level's figures pool its rounds, and the speedup is
      // the median of the per-round ratios.
      List<List<Level>> byLevel = new ArrayList<>();
      for (int c : levels) {
        byLevel.add(new ArrayList<>());
      }
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        Double single = null;
        Double sixteen = null;
        for (int k = 0; k < levels.length; k++) {
          int c = levels[k];
          Level level = bench.level(c, requestsPerRound(c, requestsPerLevel, rounds));
          byLevel.get(k).add(level);
          log.printf("round %d, concurrency %3d: %4d requests, %d failed, %7.1f tokens/s, %.1f requests per "
                  + "prefill, prefill %.0f%% of the engine's time%n", round + 1, c, level.requests(), level.failed(),
              level.tokensPerSecond(), level.requestsPerPrefill(), 100 * level.prefillShare());
          if (c == 1) {
            single = level.tokensPerSecond();
          }
          if (c == 16) {
            sixteen = level.tokensPerSecond();
          }
        }
        if (single != null && sixteen != null) {
          ratios.add(sixteen / single);
        }
      }
      JsonArray results = new JsonArray();
      int failedAtMax = 0;
      for (int k = 0; k < levels.length; k++) {
        Level level = pool(byLevel.get(k));
        log.printf("concurrency %3d: %4d requests, %d failed, %6.2f req/s, %7.1f tokens/s, latency p50/p95/p99 "
                + "%.3f/%.3f/%.3f s, ttft p50/p95/p99 %.3f/%.3f/%.3f s%n", level.concurrency(), level.requests(),
            level.failed(), level.requestsPerSecond(), level.tokensPerSecond(), level.latency()[0], level.latency()[1],
            level.latency()[2], level.ttft()[0], level.ttft()[1], level.ttft()[2]);
        results.add(level.toJson());
        if (level.concurrency() == maxLevel) {
          failedAtMax = level.failed();
        }
      }
      if (!ratios.isEmpty()) {
        List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        out.addProperty("batching_speedup", median);
        JsonArray each = new JsonArray();
        ratios.forEach(each::add);
        out.add("batching_speedup_per_round", each);
        log.printf("batching_speedup (tokens/s at 16 over 1, median of %d rounds): %.2fx %s%n", ratios.size(), median,
            ratios);
      }
      out.addProperty("rounds", rounds);
      out.add("levels", results);
      out.addProperty("failed_at_max_concurrency", failedAtMax);
      JsonObject why = new JsonObject();
      bench.failures.forEach(why::addProperty);
      out.add("failures", why);
      if (!bench.failures.isEmpty()) {
        log.println("failed requests: " + bench.failures);
      }
      if (soak != null) {
        JsonObject memory = bench.soak(soak, log);
        out.add("memory", memory);
        if (soak.plot() != null) {
          writeSoakPlot(soak.plot(), memory);
          log.println("soak: memory plot written to " + soak.plot());
        }
      }
      return out;
    } finally {
      server.close();
      if (temp != null) {
        AtomicFiles.deleteRecursively(temp);
      }
    }
  }

  /** A GIT-small with fresh weights and a byte-level BPE tokenizer, written as a checkpoint. */
  static void freshGitSmall(Path dir) {
    List<String> texts = new ArrayList<>();
    String[] colors = {"red", "green", "blue", "yellow", "purple", "orange", "black", "white"};
    String[] shapes = {"circle", "square", "triangle", "star", "disc", "box"};
    String[] places = {"left", "right", "top", "bottom", "middle"};
    for (String c : colors) {
      for (String s : shapes) {
        for (String p : places) {
          texts.add("a " + c + " " + s + " on the " + p + " of the picture");
        }
      }
    }
    HfTokenizer tokenizer = new BpeTrainer(512, 2).train(texts);
    try (NDManager manager = Devices.cpuManager()) {
      GitConfig config = GitConfig.small(tokenizer.vocabSize());
      ParameterStore store = new ParameterStore(manager, 42);
      new GitModel(store.root(), config);
      CheckpointConfig c = new CheckpointConfig(config, ImageTransform.square(config.imageSize()), null, List.of(),
          null, null);
      Checkpoint.write(dir, c, store, tokenizer, null, null);
    } finally {
      tokenizer.close();
    }
  }

  // One level's rounds as one: all requests, all outcomes' times.
  private static Level pool(List<Level> rounds) {
    int requests = 0;
    int failed = 0;
    double seconds = 0;
    long tokens = 0;
    List<Double> latencies = new ArrayList<>();
    List<Double> ttfts = new ArrayList<>();
    ServerMetrics.EngineWork work = ServerMetrics.EngineWork.NONE;
    for (Level l : rounds) {
      work = work.plus(l.work());
      requests += l.requests();
      failed += l.failed();
      seconds += l.seconds();
      tokens += l.tokens();
      l.allLatencies().forEach(latencies::add);
      l.allTtfts().forEach(ttfts::add);
    }
    return new Level(rounds.get(0).concurrency(), requests, failed, seconds, tokens, (requests - failed) / seconds,
        tokens / seconds, percentiles(latencies), percentiles(ttfts), latencies, ttfts, work);
  }

  private record Outcome(boolean ok, double latency, double ttft, int tokens, String failure) {
    static Outcome failed(String why) {
      return new Outcome(false, 0, 0, 0, why);
    }
  }

  /** Why requests failed, with counts (printed so that a failure can be told from a slow machine). */
  private final java.util.Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Requests one round sends at concurrency {@code c}: {@code requestsPerLevel} split between the rounds
   * (at least {@code c}), or by default four whole waves of {@code c} (at least 16). Every request
   * generates the same number of tokens, so the requests of a wave finish together, and a last partial
   * wave would time a smaller batch than the level's (the earlier default, 64 requests over 3 rounds at
   * 16, left a wave of 5 in every round).
   */
  static int requestsPerRound(int c, int requestsPerLevel, int rounds) {
    return requestsPerLevel > 0 ? Math.max(c, requestsPerLevel / rounds) : Math.max(16, 4 * c);
  }

  /** Requests of a level's warm-up: two waves, at least 8. */
  static int warmUpRequests(int c) {
    return Math.max(8, 2 * c);
  }

  private Level level(int concurrency, int requests) {
    AtomicInteger issued = new AtomicInteger();
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    long t0 = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    ServerMetrics.EngineWork before = work.get();
    for (int c = 0; c < concurrency; c++) {
      running.add(clients.submit(() -> {
        int i;
        while ((i = issued.getAndIncrement()) < requests) {
          outcomes.add(request(i));
        }
      }));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    clients.shutdown();
    List<Double> latencies = new ArrayList<>();
    List<Double> ttfts = new ArrayList<>();
    long tokens = 0;
    int failed = 0;
    for (Outcome o : outcomes) {
      if (!o.ok()) {
        failed++;
        failures.merge(o.failure(), 1, Integer::sum);
        continue;
      }
      latencies.add(o.latency());
      ttfts.add(o.ttft());
      tokens += o.tokens();
    }
    return new Level(concurrency, requests, failed, seconds, tokens, (requests - failed) / seconds, tokens / seconds,
        percentiles(latencies), percentiles(ttfts), latencies, ttfts, work.get().minus(before));
  }

  // One streamed request: latency to [DONE], time to the first content chunk, tokens from the usage chunk.
  private Outcome request(int i) {
    JsonObject body = new JsonObject();
    body.addProperty("model", model);
    body.addProperty("stream", true);
    body.addProperty("max_tokens", maxTokens);
    body.addProperty("min_tokens", maxTokens); // every request generates the same number of tokens
    JsonObject usage = new JsonObject();
    usage.addProperty("include_usage", true);
    body.add("stream_options", usage);
    JsonObject part = new JsonObject();
    part.addProperty("type", "image_url");
    JsonObject url = new JsonObject();
    url.addProperty("url", images.get(i % images.size()));
    part.add("image_url", url);
    JsonArray content = new JsonArray();
    content.add(part);
    JsonObject message = new JsonObject();
    message.addProperty("role", "user");
    message.add("content", content);
    JsonArray messages = new JsonArray();
    messages.add(message);
    body.add("messages", messages);
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(chat).timeout(Duration.ofSeconds(600))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        return Outcome.failed("HTTP " + r.statusCode() + " " + text.substring(0, Math.min(120, text.length())));
      }
      double ttft = -1;
      int tokens = -1;
      boolean done = false;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.startsWith("data: ")) {
            continue;
          }
          String data = line.substring(6);
          if (data.equals("[DONE]")) {
            done = true;
            continue; // read on to the end of the response, as clients do, so the connection is reused cleanly
          }
          JsonObject chunk = JsonParser.parseString(data).getAsJsonObject();
          if (chunk.has("error")) {
            return Outcome.failed("error event: " + chunk.getAsJsonObject("error").get("message").getAsString());
          }
          if (chunk.has("usage") && chunk.get("usage").isJsonObject()) {
            tokens = chunk.getAsJsonObject("usage").get("completion_tokens").getAsInt();
          } else if (ttft < 0 && chunk.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta")
              .has("content") && !chunk.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta")
              .get("content").getAsString().isEmpty()) {
            ttft = (System.nanoTime() - start) / 1e9;
          }
        }
      }
      double latency = (System.nanoTime() - start) / 1e9;
      return done && tokens >= 0 ? new Outcome(true, latency, ttft < 0 ? latency : ttft, tokens, null)
          : Outcome.failed(done ? "no usage chunk" : "stream ended before [DONE]");
    } catch (IOException | InterruptedException | RuntimeException e) {
      return Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * The memory soak: {@code requests} requests at concurrency 16, resident memory sampled {@code samples}
   * times, evenly spaced. Each sample reads three figures: the peak of the chunk of requests before it
   * (the kernel's high-water mark, reset at the chunk's start), the resident memory right after the
   * chunk, and the resident memory after {@code rest} of idleness, once the allocator has handed back
   * what it returns on its own (jemalloc after its decay time; glibc's malloc keeps it). A leak climbs in
   * all three; an allocator that keeps freed memory holds the second and third high. "Outside the heap" is
   * resident memory minus the committed Java heap: it reads low, even below zero, while part of the
   * committed heap has not been touched yet.
   *
   * @param plot where to write the memory curve as a PNG, or null for none
   */
  public record Soak(int requests, int samples, Duration rest, Path plot) {
    public Soak {
      if (requests < 1 || samples < 1 || samples > requests) {
        throw new IllegalArgumentException("a soak of " + requests + " requests cannot take " + samples + " samples");
      }
      if (rest.isNegative()) {
        throw new IllegalArgumentException("negative rest " + rest);
      }
    }
  }

  private JsonObject soak(Soak soak, PrintStream log) {
    int requests = soak.requests();
    int chunk = Math.max(1, requests / soak.samples());
    JsonArray samples = new JsonArray();
    int failed = 0;
    for (int done = 0; done < requests; done += chunk) {
      int served = done + Math.min(chunk, requests - done);
      boolean peakReset = resetPeakRss();
      Level l = level(16, Math.min(chunk, requests - done));
      failed += l.failed();
      long rss = rssBytes();
      long peak = Math.max(peakRssBytes(), rss); // the kernel updates its high-water mark lazily
      long heap = Runtime.getRuntime().totalMemory();
      sleep(soak.rest());
      long restRss = rssBytes();
      long restHeap = Runtime.getRuntime().totalMemory();
      JsonObject s = new JsonObject();
      s.addProperty("requests", served);
      s.addProperty("rss_mb", mb(rss));
      s.addProperty("heap_committed_mb", mb(heap));
      s.addProperty("outside_heap_mb", mb(rss - heap)); // native tensors, libraries, threads, the allocator's cache
      s.addProperty(peakReset ? "rss_peak_mb" : "rss_peak_since_start_mb", mb(peak));
      s.addProperty("rss_at_rest_mb", mb(restRss));
      s.addProperty("heap_committed_at_rest_mb", mb(restHeap));
      s.addProperty("outside_heap_at_rest_mb", mb(restRss - restHeap));
      samples.add(s);
      log.printf("soak: %5d requests, resident %.1f MB (%.1f MB of it outside the Java heap), peak %.1f MB, "
          + "after %d ms at rest %.1f MB (%.1f MB outside the heap)%n", served, mb(rss), mb(rss - heap), mb(peak),
          soak.rest().toMillis(), mb(restRss), mb(restRss - restHeap));
    }
    JsonObject o = new JsonObject();
    o.addProperty("requests", requests);
    o.addProperty("failed", failed);
    if (failed > 0) {
      log.println("soak: failed requests: " + failures);
    }
    o.addProperty("rest_ms", soak.rest().toMillis());
    JsonObject first = samples.get(0).getAsJsonObject();
    JsonObject last = samples.get(samples.size() - 1).getAsJsonObject();
    // A leak keeps climbing; an allocator that caches what it once needed levels off: the second half tells.
    JsonObject middle = samples.get(samples.size() / 2 - (samples.size() > 1 ? 1 : 0)).getAsJsonObject();
    for (String key : List.of("rss", "outside_heap", "rss_at_rest", "outside_heap_at_rest")) {
      double a = first.get(key + "_mb").getAsDouble();
      double z = last.get(key + "_mb").getAsDouble();
      o.addProperty(key + "_after_first_sample_mb", a);
      o.addProperty(key + "_end_mb", z);
      o.addProperty(key + "_growth_mb", z - a);
      o.addProperty(key + "_growth_second_half_mb", z - middle.get(key + "_mb").getAsDouble());
    }
    double maxRest = 0;
    for (int i = 0; i < samples.size(); i++) {
      maxRest = Math.max(maxRest, samples.get(i).getAsJsonObject().get("outside_heap_at_rest_mb").getAsDouble());
    }
    o.addProperty("outside_heap_at_rest_max_mb", maxRest);
    o.add("samples", samples);
    log.printf("soak: resident memory %.1f MB after the first sample, %.1f MB at the end; outside the Java heap "
            + "%.1f -> %.1f MB right after the requests, %.1f -> %.1f MB at rest (second half %+.1f MB)%n",
        first.get("rss_mb").getAsDouble(), last.get("rss_mb").getAsDouble(),
        first.get("outside_heap_mb").getAsDouble(), last.get("outside_heap_mb").getAsDouble(),
        first.get("outside_heap_at_rest_mb").getAsDouble(), last.get("outside_heap_at_rest_mb").getAsDouble(),
        o.get("outside_heap_at_rest_growth_second_half_mb").getAsDouble());
    return o;
  }

  private static double mb(long bytes) {
    return bytes / 1048576.0;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GlimpseException("interrupted during the soak");
    }
  }

  /** Resets the process's peak resident memory (Linux: "5" to /proc/self/clear_refs); false where it cannot. */
  static boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The soak's memory curve: resident memory, the committed Java heap and the rest, against requests served. */
  static void writeSoakPlot(Path png, JsonObject memory) {
    JsonArray samples = memory.getAsJsonArray("samples");
    double[] x = new double[samples.size()];
    String[] keys = {"rss_mb", "outside_heap_mb", "heap_committed_mb", "rss_at_rest_mb"};
    double[][] y = new double[keys.length][samples.size()];
    for (int i = 0; i < x.length; i++) {
      JsonObject s = samples.get(i).getAsJsonObject();
      x[i] = s.get("requests").getAsDouble();
      for (int k = 0; k < keys.length; k++) {
        y[k][i] = s.get(keys[k]).getAsDouble();
      }
    }
    XYChart chart = new XYChartBuilder().width(800).height(450)
        .title("glimpse bench serve: memory over a soak of " + memory.get("requests").getAsInt() + " requests")
        .xAxisTitle("requests served").yAxisTitle("MB").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setYAxisDecimalPattern("0");
    chart.getStyler().setYAxisMin(0.0);
    String[] names = {"resident", "outside the Java heap", "Java heap (committed)", "resident, at rest"};
    Color[] colors = {new Color(20, 50, 160), new Color(200, 80, 40), new Color(40, 150, 70), new Color(130, 60, 170)};
    for (int k = 0; k < keys.length; k++) {
      XYSeries series = chart.addSeries(names[k], x, y[k]);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setLineColor(colors[k]);
      series.setMarkerColor(colors[k]);
    }
    byte[] bytes;
    try {
      bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new GlimpseException("cannot render the soak's memory plot: " + e.getMessage(), e);
    }
    AtomicFiles.write(png, out -> out.write(bytes));
  }

  /**
   * The C allocator this process runs on: {@code jemalloc} or {@code tcmalloc} when one is loaded
   * (through {@code LD_PRELOAD}, as the launcher does for {@code glimpse serve} with {@code GLIMPSE_MALLOC}),
   * {@code glibc} otherwise; {@code unknown} where /proc is not there. Native memory over a soak depends
   * on it more than on anything in the server.
   */
  static String allocator() {
    try {
      return allocator(Files.readAllLines(Path.of("/proc/self/maps")));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** {@link #allocator()} from the lines of /proc/PID/maps. */
  static String allocator(List<String> maps) {
    for (String line : maps) {
      int slash = line.lastIndexOf('/');
      String file = slash < 0 ? "" : line.substring(slash + 1);
      if (file.startsWith("libjemalloc")) {
        return "jemalloc";
      }
      if (file.startsWith("libtcmalloc")) {
        return "tcmalloc";
      }
    }
    return "glibc";
  }

  /** The process's resident set size (Linux /proc), or -1 elsewhere. */
  static long rssBytes() {
    return statusBytes("VmRSS:");
  }

  /** The process's peak resident set size since start or since {@link #resetPeakRss}, or -1 elsewhere. */
  static long peakRssBytes() {
    return statusBytes("VmHWM:");
  }

  private static long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static double[] percentiles(List<Double> values) {
    if (values.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    double[] out = new double[3];
    double[] q = {0.50, 0.95, 0.99};
    for (int i = 0; i < 3; i++) {
      int k = (int) Math.ceil(q[i] * sorted.size()) - 1;
      out[i] = sorted.get(Math.max(0, Math.min(sorted.size() - 1, k)));
    }
    return out;
  }

  private static BufferedImage picture(int seed) {
    BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.getHSBColor(seed * 0.13f, 0.5f, 0.9f));
    g.fillRect(0, 0, 96, 96);
    g.setColor(Color.getHSBColor(seed * 0.37f + 0.5f, 0.9f, 0.6f));
    g.fillOval(10 + seed * 5, 20 + seed * 3, 40, 40);
    g.dispose();
    return img;
  }

  private static String dataUrl(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
