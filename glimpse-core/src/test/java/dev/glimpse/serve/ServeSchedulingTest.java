package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.testing.HfFolders;
import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching, streaming, cancellation, the queue limit, timeouts, authentication, local
 * media and graceful shutdown, with the engine's steps gated where timing matters so that nothing
 * depends on the machine's speed.
 */
class ServeSchedulingTest {
  @TempDir Path tmp;

  /** Lets the engine take one step per permit (blocks it otherwise); records the largest batch. */
  static final class Gate {
    final Semaphore permits = new Semaphore(0);
    final AtomicInteger largest = new AtomicInteger();
    volatile boolean open;

    void install(GlimpseServer server, String model) {
      server.engine(model).beforeStep = size -> {
        largest.accumulateAndGet(size, Math::max);
        if (!open) {
          permits.acquireUninterruptibly();
        }
      };
    }

    void openUp() {
      open = true;
      permits.release(1_000_000);
    }
  }

  static void waitFor(BooleanSupplier condition, String what) {
    long end = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void sixteenConcurrentGreedyRequestsGetExactlyTheirAloneTokens() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    String[] prompts = {"", "what is it", "", "what color is the disc", "where"};
    List<BufferedImage> images = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    List<Integer> budgets = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      images.add(HfFolders.picture(10 + i, 30 + 2 * i, 50 - i));
      questions.add(prompts[i % prompts.length]);
      budgets.add(5 + (i * 7) % 20);
    }
    // alone: the CLI's decoding path, one request at a time
    List<String> alone = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(git, m)) {
      Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
      for (int i = 0; i < 16; i++) {
        alone.add(captioner.generate(List.of(List.of(images.get(i))), List.of(questions.get(i)),
            GenerationConfig.greedy(budgets.get(i)), 1, null).get(0).text());
      }
    }
    // admission at the next step: the gate below lets three steps through after each four requests
    ServeOptions options = ServeOptions.defaults().withLimits(16, 64).withAdmission(ServeOptions.Admission.IMMEDIATE);
    try (TestServer server = new TestServer(options, Map.of("git", git))) {
      Gate gate = new Gate();
      gate.install(server.server, "git");
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<TestServer.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        JsonObject body = ServeApiTest.chat("git", questions.get(i).isEmpty() ? null : questions.get(i),
            HfFolders.dataUrl(images.get(i)));
        body.addProperty("max_tokens", budgets.get(i));
        replies.add(pool.submit(() -> server.post("/v1/chat/completions", body)));
        if (i % 4 == 3) { // later requests join while earlier ones decode
          gate.permits.release(3);
        }
      }
      waitFor(() -> server.server.queuedRequests("git") == 0 && replies.stream().noneMatch(Future::isDone)
          || replies.stream().allMatch(Future::isDone), "all requests in");
      gate.openUp();
      for (int i = 0; i < 16; i++) {
        TestServer.Reply r = replies.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r.body());
        assertEquals(alone.get(i), ServeApiTest.content(r, 0), "request " + i + " decoded as alone");
      }
      pool.shutdown();
      assertTrue(gate.largest.get() >= 8, "requests shared the batch: largest " + gate.largest.get());
      assertTrue(gate.largest.get() <= 16, "never above --max-batch");
    }
  }

  /**
   * The admission rule (ratio 0.5, at most 4 steps): a running batch of 4 takes waiting requests once
   * 2 wait, or once the oldest has waited 4 steps; each step is let through by the test and the batch
   * size read before the next one.
   */
  @Test
  void waitingRequestsJoinARunningBatchInGroupsOrAfterTheirLongestWait() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    ServeOptions options = ServeOptions.defaults().withAdmission(new ServeOptions.Admission(0.5, 4));
    try (TestServer server = new TestServer(options, Map.of("git", git))) {
      Semaphore permits = new Semaphore(0);
      AtomicInteger reached = new AtomicInteger();
      List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
      server.server.engine("git").beforeStep = size -> {
        sizes.add(size);
        reached.incrementAndGet();
        permits.acquireUninterruptibly();
      };
      // one step through; returns once the engine waits before the next one
      Runnable step = () -> {
        int before = reached.get();
        permits.release();
        waitFor(() -> reached.get() > before, "the next step reached");
      };
      IntSupplier batch = () -> sizes.get(sizes.size() - 1);
      ExecutorService pool = Executors.newFixedThreadPool(7);
      List<Future<TestServer.Reply>> replies = new ArrayList<>();
      Runnable send = () -> {
        JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
        body.addProperty("max_tokens", 30);
        body.addProperty("min_tokens", 30);
        replies.add(pool.submit(() -> server.post("/v1/chat/completions", body)));
      };
      for (int i = 0; i < 4; i++) {
        send.run();
      }
      waitFor(() -> reached.get() > 0, "the first prefill");
      for (int i = 0; i < 8 && (batch.getAsInt() < 4 || server.server.queuedRequests("git") > 0); i++) {
        step.run(); // arrivals after the first prefill wait at most 4 steps
      }
      assertEquals(4, batch.getAsInt(), sizes.toString());
      assertEquals(0, server.server.queuedRequests("git"));

      send.run(); // 1 waiting < ceil(0.5 x 4): it waits
      waitFor(() -> server.server.queuedRequests("git") == 1, "the fifth request queued");
      for (int i = 0; i < 3; i++) {
        step.run();
        assertEquals(4, batch.getAsInt(), "step " + i + ": " + sizes);
      }
      send.run(); // 2 waiting: both join at the next step
      waitFor(() -> server.server.queuedRequests("git") == 2, "the sixth request queued");
      step.run();
      assertEquals(6, batch.getAsInt(), sizes.toString());
      assertEquals(0, server.server.queuedRequests("git"));

      send.run(); // 1 waiting < ceil(0.5 x 6): it joins after waiting 4 steps
      waitFor(() -> server.server.queuedRequests("git") == 1, "the seventh request queued");
      for (int i = 0; i < 3; i++) {
        step.run();
        assertEquals(6, batch.getAsInt(), "step " + i + ": " + sizes);
      }
      step.run();
      assertEquals(7, batch.getAsInt(), sizes.toString());

      permits.release(1_000_000);
      server.server.engine("git").beforeStep = null;
      for (Future<TestServer.Reply> r : replies) {
        assertEquals(200, r.get(60, TimeUnit.SECONDS).status());
      }
      pool.shutdown();
      String metrics = server.get("/metrics").body();
      assertTrue(metrics.contains("glimpse_prefill_requests_count{model=\"git\"}"), metrics);
      assertTrue(metrics.contains("glimpse_engine_seconds_total{model=\"git\",phase=\"prefill\"}"), metrics);
    }
  }

  @Test
  void tokensStreamAsTheyAreDecodedAndADisconnectCancels() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults(), Map.of("git", git))) {
      Gate gate = new Gate();
      gate.install(server.server, "git");
      JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
      body.addProperty("stream", true);
      body.addProperty("max_tokens", 40);
      HttpResponse<InputStream> response = server.stream("/v1/chat/completions", body);
      SseReader reader = new SseReader(response.body());
      JsonObject role = JsonParser.parseString(reader.next()).getAsJsonObject();
      assertEquals("assistant", role.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta")
          .get("role").getAsString());
      // one step at a time: each token's chunk arrives before the next step runs
      int contentChunks = 0;
      for (int step = 0; step < 6; step++) {
        gate.permits.release(1);
        String event = reader.next();
        assertNotNull(event);
        JsonObject chunk = JsonParser.parseString(event).getAsJsonObject();
        assertTrue(chunk.getAsJsonArray("choices").get(0).getAsJsonObject().get("finish_reason").isJsonNull(),
            "the answer is not over: " + event);
        contentChunks++;
      }
      assertEquals(6, contentChunks);
      assertEquals(1, server.server.runningSequences("git"));
      // the client hangs up: its sequence leaves the batch without decoding to the end
      response.body().close();
      gate.openUp();
      waitFor(() -> server.server.runningSequences("git") == 0, "the cancelled sequence left the batch");
      waitFor(() -> server.accessLog.stream().anyMatch(l -> l.contains("\"cancelled\":true")), "logged as cancelled");
      String line = server.accessLog.stream().filter(l -> l.contains("\"cancelled\":true")).findFirst().orElseThrow();
      assertTrue(!line.contains("completion_tokens") || !line.contains("\"completion_tokens\":40"), line);
      assertTrue(server.healthy());
    }
  }

  @Test
  void aClientThatHangsUpBeforeItsAnswerFreesItsSlot() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults(), Map.of("git", git))) {
      Gate gate = new Gate();
      gate.install(server.server, "git");
      JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
      body.addProperty("max_tokens", 40);
      byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
      try (Socket socket = new Socket("127.0.0.1", server.port)) {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.flush();
        waitFor(() -> server.server.runningSequences("git") == 1, "the request is decoding");
      } // closed before any answer
      waitFor(() -> server.accessLog.stream().anyMatch(l -> l.contains("\"cancelled\":true")), "noticed and cancelled");
      gate.permits.release(1); // the next step drops the cancelled sequence instead of decoding it
      waitFor(() -> server.server.runningSequences("git") == 0, "the slot is free");
      gate.openUp();
      assertTrue(server.healthy());
    }
  }

  @Test
  void aFullQueueAnswers429WithRetryAfter() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults().withLimits(1, 1), Map.of("git", git))) {
      Gate gate = new Gate();
      gate.install(server.server, "git");
      JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
      body.addProperty("max_tokens", 4);
      CompletableFuture<TestServer.Reply> running = CompletableFuture.supplyAsync(
          () -> server.post("/v1/chat/completions", body));
      waitFor(() -> server.server.runningSequences("git") == 1, "first request decoding");
      CompletableFuture<TestServer.Reply> queued = CompletableFuture.supplyAsync(
          () -> server.post("/v1/chat/completions", body));
      waitFor(() -> server.server.queuedRequests("git") == 1, "second request queued");
      TestServer.Reply refused = server.post("/v1/chat/completions", body);
      ServeApiTest.assertError(refused, 429, "rate_limit_error", null);
      assertEquals("queue_full", refused.error().get("code").getAsString());
      assertTrue(refused.raw().headers().firstValue("Retry-After").isPresent());
      gate.openUp();
      assertEquals(200, running.get(30, TimeUnit.SECONDS).status());
      assertEquals(200, queued.get(30, TimeUnit.SECONDS).status());
      assertTrue(server.healthy());
      assertTrue(server.get("/metrics").body().contains("status=\"429\""));
    }
  }

  @Test
  void requestsThatTakeTooLongTimeOut() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults().withRequestTimeout(Duration.ofSeconds(1)),
        Map.of("git", git))) {
      Gate gate = new Gate();
      gate.install(server.server, "git");
      JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
      TestServer.Reply r = server.post("/v1/chat/completions", body);
      ServeApiTest.assertError(r, 504, "timeout_error", null);
      body.addProperty("stream", true);
      List<String> events = SseReader.events(server.stream("/v1/chat/completions", body).body());
      assertEquals("[DONE]", events.get(events.size() - 1));
      assertTrue(events.get(events.size() - 2).contains("\"timeout_error\""), events.toString());
      gate.openUp();
      waitFor(() -> server.server.runningSequences("git") == 0, "timed-out sequences left");
      assertTrue(server.healthy());
    }
  }

  @Test
  void everyApiRequestNeedsTheKey() {
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults().withApiKey("s3cret-key"), Map.of("git", git))) {
      JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
      TestServer.Reply none = server.post("/v1/chat/completions", body);
      ServeApiTest.assertError(none, 401, "invalid_request_error", null);
      assertEquals("invalid_api_key", none.error().get("code").getAsString());
      assertTrue(none.raw().headers().firstValue("WWW-Authenticate").isPresent());
      for (String wrong : new String[] {"Bearer s3cret-kez", "Bearer s3cret-key2", "Basic s3cret-key", "Bearer "}) {
        assertEquals(401, server.post("/v1/chat/completions", body, "Authorization", wrong).status(), wrong);
      }
      for (String path : new String[] {"/v1/models", "/health", "/metrics"}) {
        assertEquals(401, server.get(path).status(), path);
        assertEquals(200, server.get(path, "Authorization", "Bearer s3cret-key").status(), path);
      }
      assertEquals(200, server.post("/v1/chat/completions", body, "Authorization", "Bearer s3cret-key").status());
      assertEquals(200, server.get("/").status(), "the page itself holds no data; its API calls carry the key");
    }
  }

  @Test
  void localFilesOnlyInsideTheAllowedFolder() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    Path media = Files.createDirectories(tmp.resolve("media"));
    Path inside = media.resolve("in.png");
    Files.write(inside, HfFolders.png(HfFolders.picture(5, 32, 32)));
    Path outside = tmp.resolve("out.png");
    Files.write(outside, HfFolders.png(HfFolders.picture(6, 32, 32)));
    Path link = media.resolve("link.png");
    Files.createSymbolicLink(link, outside);
    try (TestServer server = new TestServer(ServeOptions.defaults().withAllowLocalMedia(media), Map.of("git", git))) {
      String p = "messages[0].content[0].image_url.url";
      assertEquals(200, server.post("/v1/chat/completions", ServeApiTest.chat("git", null, inside.toUri().toString()))
          .status());
      for (String url : new String[] {outside.toUri().toString(), link.toUri().toString(),
          "file://" + media + "/../out.png", "file://" + media + "/missing.png", "http://127.0.0.1/in.png"}) {
        ServeApiTest.assertError(server.post("/v1/chat/completions", ServeApiTest.chat("git", null, url)), 400,
            "invalid_request_error", p);
      }
      assertTrue(server.healthy());
    }
  }

  @Test
  void healthIsReadyOnlyOnceTheModelsAreLoaded() {
    GlimpseServer server = new GlimpseServer(ServeOptions.defaults().withPort(0), null);
    try {
      int port = server.start();
      TestServer.Reply loading = get(port, "/health");
      assertEquals(503, loading.status());
      assertEquals("loading", loading.json().get("status").getAsString());
      TestServer.Reply api = get(port, "/v1/models");
      ServeApiTest.assertError(api, 503, "server_error", null);
      assertTrue(api.raw().headers().firstValue("Retry-After").isPresent());
      server.load("git", HfFolders.make(tmp, "git"));
      server.ready();
      assertEquals(200, get(port, "/health").status());
    } finally {
      server.close();
    }
  }

  private static TestServer.Reply get(int port, String path) {
    try {
      var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new TestServer.Reply(r.statusCode(), r.body(), r);
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theEngineThreadRecordsNoAutogradGraph() throws Exception {
    // Recording on the engine thread kept every decoding step's activations alive through the KV cache's
    // graph (3.7 GB live at the peak of a batch of 16 on GIT-small, docs/serve.md).
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults().withLimits(16, 64), Map.of("git", git))) {
      Engine engine = server.server.engine("git");
      assertFalse(engine.call(m -> dev.glimpse.nn.InferenceThread.recording()).get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void noTensorOutlivesItsRequest() throws Exception {
    // A server that runs for days must hold no tensor of a request that has ended, whichever way it ended:
    // its budget, EOS or a stop sequence, n > 1, a client that hung up, an attention map.
    Path git = HfFolders.make(tmp, "git");
    try (TestServer server = new TestServer(ServeOptions.defaults().withLimits(16, 64), Map.of("git", git))) {
      Engine engine = server.server.engine("git");
      assertEquals(0, engine.liveTensors().get(30, TimeUnit.SECONDS), "nothing held before any request");
      Gate gate = new Gate();
      gate.install(server.server, "git");
      // a streamed request held between steps: its tensors are live, and counted
      JsonObject streamed = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
      streamed.addProperty("stream", true);
      streamed.addProperty("max_tokens", 40);
      HttpResponse<InputStream> response = server.stream("/v1/chat/completions", streamed);
      SseReader reader = new SseReader(response.body());
      assertNotNull(reader.next()); // the role chunk (sent before the request is admitted)
      waitFor(() -> server.server.runningSequences("git") == 1, "the request is in the batch");
      CompletableFuture<Integer> during = engine.liveTensors();
      gate.permits.release(1); // one step, then the count runs between this step and the next
      assertTrue(during.get(30, TimeUnit.SECONDS) > 0, "a running request's tensors are counted");
      // others join while it decodes: budgets, sampling with n = 3, a stop sequence, a question
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<TestServer.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        JsonObject body = ServeApiTest.chat("git", i % 2 == 0 ? null : "what color is it",
            HfFolders.dataUrl(HfFolders.picture(10 + 20 * i, 40, 60 - 5 * i)));
        body.addProperty("max_tokens", 3 + 4 * i);
        if (i == 1) {
          body.addProperty("n", 3);
          body.addProperty("temperature", 0.8);
          body.addProperty("seed", 7);
        }
        if (i == 2) {
          body.addProperty("stop", "e");
        }
        replies.add(pool.submit(() -> server.post("/v1/chat/completions", body)));
      }
      waitFor(() -> server.server.queuedRequests("git") == 6, "requests queued");
      gate.permits.release(1); // one more step; then they are admitted together
      waitFor(() -> server.server.runningSequences("git") == 9, "requests joined the streamed one in the batch");
      response.body().close(); // the streaming client hangs up mid-answer
      gate.openUp();
      for (Future<TestServer.Reply> reply : replies) {
        TestServer.Reply r = reply.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r.body());
      }
      pool.shutdown();
      JsonObject attention = new JsonObject();
      attention.addProperty("model", "git");
      JsonObject url = new JsonObject();
      url.addProperty("url", ServeApiTest.IMAGE);
      attention.add("image_url", url);
      attention.addProperty("text", "a red disc");
      assertEquals(200, server.post("/v1/glimpse/attention", attention).status());
      waitFor(() -> server.server.runningSequences("git") == 0, "every sequence left the batch");
      int left = engine.liveTensors().get(30, TimeUnit.SECONDS);
      assertEquals(0, left, "tensors left on the engine's manager after every request ended");
      assertTrue(server.healthy());
    }
  }

  @Test
  void drainFinishesTheRequestsInFlightAndRefusesNewConnections() throws Exception {
    Path git = HfFolders.make(tmp, "git");
    TestServer server = new TestServer(ServeOptions.defaults(), Map.of("git", git));
    Gate gate = new Gate();
    gate.install(server.server, "git");
    JsonObject body = ServeApiTest.chat("git", null, ServeApiTest.IMAGE);
    body.addProperty("max_tokens", 6);
    CompletableFuture<TestServer.Reply> inFlight = CompletableFuture.supplyAsync(
        () -> server.post("/v1/chat/completions", body));
    waitFor(() -> server.server.runningSequences("git") == 1, "decoding");
    CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> server.server.drain(30_000));
    waitFor(() -> {
      try (Socket s = new Socket("127.0.0.1", server.port)) {
        return false;
      } catch (ConnectException e) {
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    }, "new connections refused");
    gate.openUp();
    TestServer.Reply r = inFlight.get(30, TimeUnit.SECONDS);
    assertEquals(200, r.status(), r.body());
    drained.get(30, TimeUnit.SECONDS);
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port).close());
  }
}
