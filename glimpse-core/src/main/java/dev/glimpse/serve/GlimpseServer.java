package dev.glimpse.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.glimpse.generate.Captioner;
import dev.glimpse.model.ImageAttention;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.InferenceThread;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code glimpse serve}: the OpenAI API ({@code /v1/chat/completions} with streaming,
 * {@code /v1/embeddings}, {@code /v1/models}) over Glimpse models, plus {@code /health},
 * {@code /metrics} (Prometheus), a web page at {@code /} and the attention maps it shows
 * ({@code /v1/glimpse/attention}). Javalin (Jetty) does the HTTP; every request gets one JSON access
 * log line. Chat requests are decoded with continuous batching, one {@link Engine} per model.
 *
 * <p>Lifecycle: {@link #start} binds the port and answers {@code /health} with 503 until
 * {@link #ready}; {@link #load} adds models; {@link #drain} stops accepting connections, lets the
 * requests in flight finish, then stops (what SIGTERM does).
 */
public final class GlimpseServer implements AutoCloseable {
  private static final String WEB = "/dev/glimpse/serve/web/";
  private static final Map<String, String> PAGES = Map.of(
      "/", "index.html|text/html; charset=utf-8",
      "/app.js", "app.js|text/javascript; charset=utf-8",
      "/app.css", "app.css|text/css; charset=utf-8");

  private final ServeOptions options;
  private final Consumer<String> accessLog;
  private final ServerMetrics metrics = new ServerMetrics();
  private final MediaLoader media;
  private final NDManager manager;
  private final Map<String, ServedModel> models = new LinkedHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final byte[] keyDigest;
  private volatile boolean ready;
  private volatile boolean draining;
  private Javalin app;

  /**
   * @param accessLog receives one JSON line per request (null: none)
   */
  public GlimpseServer(ServeOptions options, Consumer<String> accessLog) {
    this(options, accessLog, Devices.cpuManager());
  }

  /**
   * @param manager where the models' tensors live (its device); the server closes it
   */
  public GlimpseServer(ServeOptions options, Consumer<String> accessLog, NDManager manager) {
    this.options = options;
    this.accessLog = accessLog;
    this.media = new MediaLoader(options.maxImageBytes(), options.maxPixels(), options.allowLocalMedia());
    this.manager = manager;
    this.keyDigest = options.apiKey() == null ? null : sha256(options.apiKey());
  }

  /** Binds and starts answering (health says 503 until {@link #ready}); returns the port. */
  public int start() {
    int threads = Math.max(64, 2 * (options.maxQueue() + options.maxBatch()) + 32);
    app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jetty.threadPool = new QueuedThreadPool(threads, 8, 60_000);
      config.http.maxRequestSize = options.maxRequestBytes();
      config.requestLogger.http(this::logRequest);
    });
    app.before(this::before);
    app.get("/", this::page);
    app.get("/app.js", this::page);
    app.get("/app.css", this::page);
    app.get("/health", this::health);
    app.get("/metrics", this::metricsPage);
    app.get("/v1/models", this::listModels);
    app.get("/v1/models/{id}", this::getModel);
    app.post("/v1/chat/completions", this::chat);
    app.post("/v1/embeddings", this::embeddings);
    app.post("/v1/glimpse/attention", this::attention);
    app.exception(ApiException.class, (e, ctx) -> error(ctx, e));
    app.exception(Exception.class, (e, ctx) -> {
      System.err.println("glimpse serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
      error(ctx, new ApiException(500, "server_error", null, "internal_error", "internal error: "
          + e.getClass().getSimpleName(), null));
    });
    app.error(404, ctx -> {
      if (ctx.attribute("log.error") == null) {
        error(ctx, ApiException.notFound(null, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path()));
      }
    });
    app.error(405, ctx -> error(ctx, new ApiException(405, "invalid_request_error", null, "method_not_allowed",
        ctx.method() + " is not allowed on " + ctx.path(), null)));
    app.start(options.host(), options.port());
    return app.port();
  }

  /**
   * Loads a model under a name (see {@link ServedModel#load}), on a thread of its own that ends once
   * the model is loaded, so that the only libtorch threads left are the engines' ({@link
   * InferenceThread#runOnce}).
   */
  public void load(String name, Path path) {
    ServedModel model = InferenceThread.runOnce("glimpse-load-" + name,
        () -> ServedModel.load(name, path, manager, options, metrics));
    synchronized (models) {
      if (models.containsKey(name)) {
        model.close();
        throw new dev.glimpse.util.GlimpseException("two models are named '" + name + "' (use --checkpoint NAME=DIR)");
      }
      models.put(name, model);
    }
  }

  /** What the engine thread of {@code model} has done so far (benchmarks read it around a run). */
  ServerMetrics.EngineWork engineWork(String model) {
    return metrics.engineWork(model);
  }

  /** From now on /health answers 200 and the API takes requests. */
  public void ready() {
    ready = true;
  }

  public int port() {
    return app.port();
  }

  /** Names of the served models, in load order. */
  public List<String> modelNames() {
    synchronized (models) {
      return new ArrayList<>(models.keySet());
    }
  }

  /** Sequences a chat model is decoding now (0 for other models). */
  public int runningSequences(String model) {
    ServedModel m = find(model);
    return m instanceof ChatModel c ? c.engine.runningSequences() : 0;
  }

  /** The engine of a chat model (tests gate its steps). */
  Engine engine(String model) {
    return ((ChatModel) find(model)).engine;
  }

  /** Requests waiting for a chat model. */
  public int queuedRequests(String model) {
    ServedModel m = find(model);
    return m instanceof ChatModel c ? c.engine.queued() : 0;
  }

  /**
   * Graceful stop (SIGTERM): stop accepting connections, answer 503 to new requests on open ones, let
   * the requests in flight finish (at most {@code waitMillis}), then stop the models and the server.
   */
  public void drain(long waitMillis) {
    draining = true;
    if (app != null) {
      for (Connector c : app.jettyServer().server().getConnectors()) {
        if (c instanceof NetworkConnector n) {
          try {
            n.close(); // no new connections
          } catch (Exception e) {
            System.err.println("glimpse serve: cannot close the listening socket: " + e);
          }
        }
      }
    }
    long end = System.currentTimeMillis() + waitMillis;
    while (inFlight.get() > 0 && System.currentTimeMillis() < end) {
      sleep(20);
    }
    close();
  }

  @Override
  public synchronized void close() {
    draining = true;
    List<ServedModel> all;
    synchronized (models) {
      all = new ArrayList<>(models.values());
      models.clear();
    }
    for (ServedModel m : all) {
      m.shutdown(false, 0);
    }
    if (app != null) {
      try {
        app.stop();
      } catch (RuntimeException e) {
        System.err.println("glimpse serve: stopping the HTTP server: " + e);
      }
      app = null;
    }
    for (ServedModel m : all) {
      m.close();
    }
    manager.close();
  }

  // ---- cross-cutting: auth, readiness, logging, errors

  private static boolean isPage(String path) {
    return PAGES.containsKey(path) || path.equals("/favicon.ico");
  }

  private void before(Context ctx) {
    inFlight.incrementAndGet();
    ctx.attribute("glimpse.start", System.nanoTime());
    if (draining) {
      ctx.header("Connection", "close");
      throw new ApiException(503, "server_error", null, "shutting_down", "the server is shutting down", null);
    }
    if (keyDigest != null && !isPage(ctx.path())) {
      String header = ctx.header("Authorization");
      String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
      // digests of equal length, compared in constant time: the key's length and content stay secret
      if (!MessageDigest.isEqual(sha256(given), keyDigest)) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new ApiException(401, "invalid_request_error", null, "invalid_api_key", header == null
            ? "missing API key: send the header 'Authorization: Bearer KEY'" : "incorrect API key", null);
      }
    }
  }

  private void requireReady() {
    if (!ready) {
      throw new ApiException(503, "server_error", null, "loading", "the models are still loading", 1L);
    }
  }

  private void logRequest(Context ctx, Float ms) {
    inFlight.decrementAndGet();
    Long start = ctx.attribute("glimpse.start");
    double seconds = start == null ? ms / 1000.0 : (System.nanoTime() - start) / 1e9;
    String endpoint = endpointLabel(ctx);
    metrics.request(endpoint, ctx.statusCode(), seconds);
    if (accessLog == null) {
      return;
    }
    JsonObject line = new JsonObject();
    line.addProperty("time", Instant.now().toString());
    line.addProperty("remote", ctx.ip());
    line.addProperty("method", ctx.method().name());
    line.addProperty("path", ctx.path());
    line.addProperty("status", ctx.statusCode());
    line.addProperty("duration_ms", Math.round(seconds * 1e4) / 10.0);
    for (String key : new String[] {"model", "stream", "prompt_tokens", "completion_tokens", "error", "cancelled"}) {
      Object v = ctx.attribute("log." + key);
      if (v instanceof Number n) {
        line.addProperty(key, n);
      } else if (v instanceof Boolean b) {
        line.addProperty(key, b);
      } else if (v != null) {
        line.addProperty(key, v.toString());
      }
    }
    accessLog.accept(line.toString());
  }

  private static String endpointLabel(Context ctx) {
    String path = ctx.path();
    if (path.startsWith("/v1/models")) {
      return "/v1/models";
    }
    for (String known : new String[] {"/v1/chat/completions", "/v1/embeddings", "/v1/glimpse/attention", "/health",
        "/metrics"}) {
      if (path.equals(known)) {
        return known;
      }
    }
    return isPage(path) ? "page" : "other";
  }

  private void error(Context ctx, ApiException e) {
    ctx.status(e.status());
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
    }
    ctx.attribute("log.error", e.code() != null ? e.code() : e.type());
    if (ctx.res().isCommitted()) {
      return;
    }
    ctx.contentType("application/json").result(e.toJson().toString());
  }

  private static void json(Context ctx, JsonElement body) {
    ctx.contentType("application/json").result(body.toString());
  }

  // Reads the body up to the limit (413 past it) and parses a JSON object (400 otherwise).
  private JsonObject body(Context ctx) {
    long limit = options.maxRequestBytes();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] chunk = new byte[64 * 1024];
      int n;
      while ((n = in.read(chunk)) > 0) {
        buffer.write(chunk, 0, n);
        if (buffer.size() > limit) {
          ctx.header("Connection", "close");
          throw new ApiException(413, "invalid_request_error", null, "request_too_large", "the request body is over "
              + limit + " bytes (the limit follows --max-image-bytes)", null);
        }
      }
    } catch (IOException e) {
      throw ApiException.invalid(null, "cannot read the request body: " + e.getMessage());
    }
    try {
      JsonElement e = JsonParser.parseString(buffer.toString(StandardCharsets.UTF_8));
      if (!e.isJsonObject()) {
        throw ApiException.invalid(null, "the request body must be a JSON object, got " + Fields.describe(e));
      }
      return e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw ApiException.invalid(null, "the request body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private ServedModel find(String name) {
    synchronized (models) {
      return models.get(name);
    }
  }

  // The model a request names; without a name, the only model of that kind.
  private <T extends ServedModel> T model(JsonObject body, Class<T> kind, String wanted, Context ctx) {
    String name = Fields.string(body, "model", "model");
    ServedModel m;
    if (name == null) {
      List<ServedModel> candidates = new ArrayList<>();
      synchronized (models) {
        for (ServedModel s : models.values()) {
          if (kind.isInstance(s)) {
            candidates.add(s);
          }
        }
      }
      if (candidates.size() != 1) {
        throw ApiException.invalid("model", "model: required (served: " + String.join(", ", modelNames()) + ")");
      }
      m = candidates.get(0);
    } else {
      m = find(name);
      if (m == null) {
        throw ApiException.notFound("model", "model_not_found", "model: '" + name + "' is not served here (served: "
            + String.join(", ", modelNames()) + ")");
      }
    }
    ctx.attribute("log.model", m.name);
    if (!kind.isInstance(m)) {
      throw ApiException.invalid("model", "model: '" + m.name + "' serves " + m.kind() + ", not " + wanted);
    }
    return kind.cast(m);
  }

  // ---- pages, health, metrics, models

  private void page(Context ctx) throws IOException {
    String[] entry = PAGES.get(ctx.path()).split("\\|");
    try (InputStream in = GlimpseServer.class.getResourceAsStream(WEB + entry[0])) {
      if (in == null) {
        throw new ApiException(500, "server_error", null, "internal_error", "the web page is missing from the jar",
            null);
      }
      ctx.contentType(entry[1]);
      ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
          + "script-src 'self'; connect-src 'self'");
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.result(in.readAllBytes());
    }
  }

  private void health(Context ctx) {
    JsonObject o = new JsonObject();
    if (draining) {
      o.addProperty("status", "draining");
      ctx.status(503);
    } else if (!ready) {
      o.addProperty("status", "loading");
      ctx.status(503);
    } else {
      o.addProperty("status", "ok");
      JsonArray names = new JsonArray();
      modelNames().forEach(names::add);
      o.add("models", names);
    }
    json(ctx, o);
  }

  private void metricsPage(Context ctx) throws IOException {
    for (String name : modelNames()) {
      ServedModel m = find(name);
      if (m instanceof ChatModel c) {
        metrics.queueDepth(name, c.engine.queued());
        metrics.runningBatch(name, c.engine.runningSequences());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.write(out);
    ctx.contentType(metrics.contentType()).result(out.toByteArray());
  }

  private void listModels(Context ctx) {
    requireReady();
    JsonArray data = new JsonArray();
    for (String name : modelNames()) {
      ServedModel m = find(name);
      if (m != null) {
        data.add(m.describe());
      }
    }
    JsonObject o = new JsonObject();
    o.addProperty("object", "list");
    o.add("data", data);
    json(ctx, o);
  }

  private void getModel(Context ctx) {
    requireReady();
    ServedModel m = find(ctx.pathParam("id"));
    if (m == null) {
      throw ApiException.notFound("model", "model_not_found", "model '" + ctx.pathParam("id") + "' is not served here");
    }
    json(ctx, m.describe());
  }

  // ---- chat completions

  private void chat(Context ctx) throws IOException {
    requireReady();
    long arrival = System.nanoTime();
    JsonObject body = body(ctx);
    ChatModel model = model(body, ChatModel.class, "chat completions", ctx);
    Captioner captioner = model.captioner;
    ChatRequest req = ChatRequest.parse(body, model.name, media, options.maxBatch(), captioner);
    ctx.attribute("log.stream", req.stream());
    Captioner.Prepared input = captioner.prepare(List.of(req.image()));
    long deadline = arrival + options.requestTimeout().toNanos();
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    long created = System.currentTimeMillis() / 1000;
    ClientConnection client = new ClientConnection(ctx.req());
    if (req.stream()) {
      StreamEvents events = new StreamEvents();
      Job job = new Job(input, req.promptIds(), req.choices(), req.stop(), req.minTokens(), arrival, deadline,
          events);
      model.engine.submit(job);
      stream(ctx, model, req, job, events, id, created, client);
    } else {
      CollectEvents events = new CollectEvents(req.n());
      Job job = new Job(input, req.promptIds(), req.choices(), req.stop(), req.minTokens(), arrival, deadline,
          events);
      model.engine.submit(job);
      JsonObject result = await(events.result, model, job, deadline, client, ctx);
      if (result == null) {
        return;
      }
      JsonObject o = new JsonObject();
      o.addProperty("id", id);
      o.addProperty("object", "chat.completion");
      o.addProperty("created", created);
      o.addProperty("model", model.name);
      JsonArray choices = new JsonArray();
      int completion = 0;
      for (int i = 0; i < req.n(); i++) {
        JsonObject c = new JsonObject();
        c.addProperty("index", i);
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", events.texts[i]);
        message.add("refusal", JsonNull.INSTANCE);
        c.add("message", message);
        c.add("logprobs", JsonNull.INSTANCE);
        c.addProperty("finish_reason", events.reasons[i]);
        choices.add(c);
        completion += events.tokens[i];
      }
      o.add("choices", choices);
      o.add("usage", usage(events.promptTokens, completion));
      o.add("system_fingerprint", JsonNull.INSTANCE);
      logTokens(ctx, model, events.promptTokens, completion);
      json(ctx, o);
    }
  }

  private void logTokens(Context ctx, ServedModel model, int prompt, int completion) {
    ctx.attribute("log.prompt_tokens", prompt);
    ctx.attribute("log.completion_tokens", completion);
    metrics.promptTokens(model.name, prompt);
  }

  private static JsonObject usage(int prompt, int completion) {
    JsonObject u = new JsonObject();
    u.addProperty("prompt_tokens", prompt);
    u.addProperty("completion_tokens", completion);
    u.addProperty("total_tokens", prompt + completion);
    return u;
  }

  /**
   * Waits for a result while watching the deadline and the client: a client that has gone away cancels
   * the work (returns null, nothing is written).
   */
  private <T> T await(CompletableFuture<T> future, ServedModel model, Job job, long deadline, ClientConnection client,
      Context ctx) {
    while (true) {
      try {
        return future.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (client.closed()) {
          if (job != null) {
            ((ChatModel) model).engine.cancel(job);
          } else {
            future.cancel(true);
          }
          ctx.attribute("log.cancelled", true);
          ctx.status(499);
          return null;
        }
        if (System.nanoTime() - deadline > TimeUnit.SECONDS.toNanos(1)) {
          if (job != null) {
            ((ChatModel) model).engine.cancel(job);
          }
          future.cancel(true);
          throw new ApiException(504, "timeout_error", null, "request_timeout",
              "the request took longer than the server's --request-timeout", null);
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ApiException a) {
          throw a;
        }
        throw new RuntimeException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(503, "server_error", null, "shutting_down", "interrupted", null);
      }
    }
  }

  /** Collects a non-streamed completion. */
  private static final class CollectEvents implements Job.Events {
    final CompletableFuture<JsonObject> result = new CompletableFuture<>();
    final String[] texts;
    final String[] reasons;
    final int[] tokens;
    int promptTokens;
    int done;

    CollectEvents(int n) {
      texts = new String[n];
      reasons = new String[n];
      tokens = new int[n];
    }

    @Override
    public void started(int prompt) {
      promptTokens = prompt;
    }

    @Override
    public void delta(int choice, String text) {}

    @Override
    public void finished(int choice, String finishReason, String text, int completionTokens) {
      texts[choice] = text;
      reasons[choice] = finishReason;
      tokens[choice] = completionTokens;
      if (++done == texts.length) {
        result.complete(new JsonObject());
      }
    }

    @Override
    public void failed(ApiException error) {
      result.completeExceptionally(error);
    }
  }

  /** Hands a streamed completion's events to the HTTP thread. */
  private static final class StreamEvents implements Job.Events {
    record Event(String kind, int choice, String text, int tokens, ApiException error) {}

    final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();

    @Override
    public void started(int promptTokens) {
      queue.add(new Event("started", -1, null, promptTokens, null));
    }

    @Override
    public void delta(int choice, String text) {
      queue.add(new Event("delta", choice, text, 0, null));
    }

    @Override
    public void finished(int choice, String finishReason, String text, int completionTokens) {
      queue.add(new Event("finished", choice, finishReason, completionTokens, null));
    }

    @Override
    public void failed(ApiException error) {
      queue.add(new Event("failed", -1, null, 0, error));
    }
  }

  // Server-Sent Events: a role chunk per choice, content chunks as tokens are decoded, a finish chunk
  // per choice, the usage chunk when asked for, then [DONE]. Comments keep an idle stream alive.
  private void stream(Context ctx, ChatModel model, ChatRequest req, Job job, StreamEvents events, String id,
      long created, ClientConnection client) throws IOException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream; charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    int prompt = 0;
    int completion = 0;
    int finished = 0;
    long lastWrite = System.nanoTime();
    try {
      for (int i = 0; i < req.n(); i++) {
        JsonObject delta = new JsonObject();
        delta.addProperty("role", "assistant");
        delta.addProperty("content", "");
        send(out, chunk(id, created, model.name, i, delta, null));
      }
      out.flush();
      while (finished < req.n()) {
        StreamEvents.Event e = events.queue.poll(100, TimeUnit.MILLISECONDS);
        if (e == null) {
          if (client.closed()) {
            throw new IOException("client closed the connection");
          }
          if (System.nanoTime() - job.deadlineNanos > TimeUnit.SECONDS.toNanos(1)) {
            model.engine.cancel(job);
            e = new StreamEvents.Event("failed", -1, null, 0, new ApiException(504, "timeout_error", null,
                "request_timeout", "the request took longer than the server's --request-timeout", null));
          } else {
            if (System.nanoTime() - lastWrite > TimeUnit.SECONDS.toNanos(2)) {
              out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
              lastWrite = System.nanoTime();
            }
            continue;
          }
        }
        switch (e.kind()) {
          case "started" -> prompt = e.tokens();
          case "delta" -> {
            JsonObject delta = new JsonObject();
            delta.addProperty("content", e.text());
            send(out, chunk(id, created, model.name, e.choice(), delta, null));
          }
          case "finished" -> {
            completion += e.tokens();
            finished++;
            send(out, chunk(id, created, model.name, e.choice(), new JsonObject(), e.text()));
          }
          default -> {
            ctx.attribute("log.error", e.error().code());
            send(out, e.error().toJson());
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
          }
        }
        if (events.queue.isEmpty()) {
          out.flush();
          lastWrite = System.nanoTime();
        }
      }
      if (req.includeUsage()) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("object", "chat.completion.chunk");
        o.addProperty("created", created);
        o.addProperty("model", model.name);
        o.add("choices", new JsonArray());
        o.add("usage", usage(prompt, completion));
        send(out, o);
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      logTokens(ctx, model, prompt, completion);
    } catch (IOException | RuntimeException e) {
      // the client went away (or writing failed): free its slot at once
      model.engine.cancel(job);
      ctx.attribute("log.cancelled", true);
      if (e instanceof RuntimeException r && !(r.getCause() instanceof IOException)
          && !r.getClass().getName().contains("EofException")) {
        throw r;
      }
    } catch (InterruptedException e) {
      model.engine.cancel(job);
      Thread.currentThread().interrupt();
    }
  }

  private static JsonObject chunk(String id, long created, String model, int choice, JsonObject delta,
      String finishReason) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("object", "chat.completion.chunk");
    o.addProperty("created", created);
    o.addProperty("model", model);
    o.add("system_fingerprint", JsonNull.INSTANCE);
    JsonArray choices = new JsonArray();
    JsonObject c = new JsonObject();
    c.addProperty("index", choice);
    c.add("delta", delta);
    c.add("logprobs", JsonNull.INSTANCE);
    if (finishReason == null) {
      c.add("finish_reason", JsonNull.INSTANCE);
    } else {
      c.addProperty("finish_reason", finishReason);
    }
    choices.add(c);
    o.add("choices", choices);
    return o;
  }

  private static void send(OutputStream out, JsonObject event) throws IOException {
    out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  // ---- embeddings

  private void embeddings(Context ctx) {
    requireReady();
    long arrival = System.nanoTime();
    JsonObject body = body(ctx);
    EmbeddingModel model = model(body, EmbeddingModel.class, "embeddings", ctx);
    String format = Fields.string(body, "encoding_format", "encoding_format");
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw ApiException.invalid("encoding_format", "encoding_format: expected 'float' or 'base64', got '" + format
          + "'");
    }
    Long dimensions = Fields.integer(body, "dimensions", "dimensions");
    if (dimensions != null && dimensions != model.embedder.dimensions()) {
      throw ApiException.invalid("dimensions", "dimensions: model '" + model.name + "' embeds in "
          + model.embedder.dimensions() + " dimensions, got " + dimensions);
    }
    JsonElement input = Fields.get(body, "input");
    if (input == null) {
      throw ApiException.invalid("input", "input: required (a string, or a list of strings and image_url parts)");
    }
    List<Object> items = new ArrayList<>(); // String or float[] (a prepared image)
    if (input.isJsonPrimitive() && input.getAsJsonPrimitive().isString()) {
      items.add(nonEmpty(input.getAsString(), "input"));
    } else if (input.isJsonArray()) {
      JsonArray a = input.getAsJsonArray();
      if (a.isEmpty() || a.size() > 2048) {
        throw ApiException.invalid("input", "input: a list of 1 to 2048 items, got " + a.size());
      }
      for (int i = 0; i < a.size(); i++) {
        JsonElement e = a.get(i);
        String param = "input[" + i + "]";
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
          items.add(nonEmpty(e.getAsString(), param));
        } else if (e.isJsonObject()) {
          JsonObject part = e.getAsJsonObject();
          String type = Fields.string(part, "type", param + ".type");
          if ("text".equals(type)) {
            String t = Fields.string(part, "text", param + ".text");
            items.add(nonEmpty(t == null ? "" : t, param + ".text"));
          } else if ("image_url".equals(type)) {
            JsonObject iu = Fields.object(Fields.get(part, "image_url"), param + ".image_url");
            String url = Fields.string(iu, "url", param + ".image_url.url");
            if (url == null) {
              throw ApiException.invalid(param + ".image_url.url", param + ".image_url.url: required");
            }
            items.add(model.embedder.prepare(media.load(url, param + ".image_url.url")));
          } else {
            throw ApiException.invalid(param + ".type", param + ".type: expected 'text' or 'image_url', got "
                + (type == null ? "nothing" : "'" + type + "'"));
          }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() || e.isJsonArray()) {
          throw ApiException.invalid(param, param + ": token arrays are not supported; send the text");
        } else {
          throw Fields.wrongType(param, "a string or an image_url part", e);
        }
      }
    } else {
      throw Fields.wrongType("input", "a string or a list", input);
    }
    int[] promptTokens = new int[1];
    long deadline = arrival + options.requestTimeout().toNanos();
    CompletableFuture<float[][]> future = model.submit(m -> {
      float[][] out = new float[items.size()][];
      List<Integer> textAt = new ArrayList<>();
      List<long[]> texts = new ArrayList<>();
      List<Integer> imageAt = new ArrayList<>();
      List<float[]> images = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof String s) {
          long[] ids = model.embedder.ids(s);
          promptTokens[0] += ids.length;
          textAt.add(i);
          texts.add(ids);
        } else {
          promptTokens[0] += model.embedder.imageTokens();
          imageAt.add(i);
          images.add((float[]) items.get(i));
        }
      }
      for (int start = 0; start < texts.size(); start += 32) {
        int end = Math.min(texts.size(), start + 32);
        float[][] e = model.embedder.embedIds(texts.subList(start, end), m);
        for (int k = start; k < end; k++) {
          out[textAt.get(k)] = e[k - start];
        }
      }
      for (int start = 0; start < images.size(); start += 16) {
        int end = Math.min(images.size(), start + 16);
        float[][] e = model.embedder.embedImages(images.subList(start, end), m);
        for (int k = start; k < end; k++) {
          out[imageAt.get(k)] = e[k - start];
        }
      }
      return out;
    });
    float[][] vectors = await(future, model, null, deadline, new ClientConnection(ctx.req()), ctx);
    if (vectors == null) {
      return;
    }
    JsonArray data = new JsonArray();
    for (int i = 0; i < vectors.length; i++) {
      JsonObject o = new JsonObject();
      o.addProperty("object", "embedding");
      o.addProperty("index", i);
      if ("base64".equals(format)) {
        ByteBuffer bytes = ByteBuffer.allocate(vectors[i].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vectors[i]) {
          bytes.putFloat(f);
        }
        o.addProperty("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        JsonArray v = new JsonArray();
        for (float f : vectors[i]) {
          v.add(f);
        }
        o.add("embedding", v);
      }
      data.add(o);
    }
    JsonObject o = new JsonObject();
    o.addProperty("object", "list");
    o.add("data", data);
    o.addProperty("model", model.name);
    JsonObject u = new JsonObject();
    u.addProperty("prompt_tokens", promptTokens[0]);
    u.addProperty("total_tokens", promptTokens[0]);
    o.add("usage", u);
    logTokens(ctx, model, promptTokens[0], 0);
    json(ctx, o);
  }

  private static String nonEmpty(String s, String param) {
    if (s.isEmpty()) {
      throw ApiException.invalid(param, param + ": cannot be an empty string");
    }
    return s;
  }

  // ---- attention maps (the web page's heatmaps)

  /**
   * {@code {"model", "image_url": {"url"}, "prompt": question or "", "text": generated text}} -> per
   * token of the text: its piece of text, its character range, and the last layer's attention over the
   * image's patch grid (mean over heads) from the position that predicted it.
   */
  private void attention(Context ctx) {
    requireReady();
    long arrival = System.nanoTime();
    JsonObject body = body(ctx);
    ChatModel model = model(body, ChatModel.class, "attention maps", ctx);
    Captioner captioner = model.captioner;
    if (!captioner.model().attendsToImageTokens()) {
      throw ApiException.invalid("model", "model: '" + model.name + "' does not expose attention over image tokens");
    }
    JsonObject iu = Fields.object(Fields.get(body, "image_url"), "image_url");
    String url = Fields.string(iu, "url", "image_url.url");
    if (url == null) {
      throw ApiException.invalid("image_url.url", "image_url.url: required");
    }
    String prompt = Fields.string(body, "prompt", "prompt");
    String text = Fields.string(body, "text", "text");
    if (text == null || text.isBlank()) {
      throw ApiException.invalid("text", "text: the generated text to explain is required");
    }
    prompt = prompt == null ? "" : prompt.trim();
    BufferedImage image = media.load(url, "image_url.url");
    Captioner.Prepared input = captioner.prepare(List.of(image));
    if (input.pixels() == null) {
      throw ApiException.invalid("model", "model: '" + model.name + "' has no attention maps at native resolution");
    }
    long[] ids = captioner.textIds(prompt, text);
    int promptLength = captioner.textIds(prompt, "").length;
    if (ids.length > captioner.model().maxTextLength()) {
      throw ApiException.invalid("text", "text: prompt and text take " + ids.length + " tokens, the model reads "
          + captioner.model().maxTextLength());
    }
    CompletableFuture<ImageAttention> future = model.engine.call(m -> {
      NDArray pixels = m.create(input.pixels(), new Shape(1, 3, captioner.transform().height(),
          captioner.transform().width()));
      return captioner.model().imageAttention(pixels, m.create(ids).reshape(1, ids.length));
    });
    ImageAttention map = await(future, model, null, arrival + options.requestTimeout().toNanos(),
        new ClientConnection(ctx.req()), ctx);
    if (map == null) {
      return;
    }
    JsonArray tokens = new JsonArray();
    int[] textIds = new int[ids.length - promptLength];
    for (int k = 0; k < textIds.length; k++) {
      textIds[k] = (int) ids[promptLength + k];
    }
    String previous = "";
    for (int k = 0; k < textIds.length; k++) {
      String decoded = captioner.tokenizer().decode(java.util.Arrays.copyOf(textIds, k + 1));
      int start = previous.length();
      int end = decoded.startsWith(previous) ? decoded.length() : start;
      JsonObject t = new JsonObject();
      t.addProperty("text", decoded.substring(Math.min(start, end), end));
      t.addProperty("start", start);
      t.addProperty("end", end);
      JsonArray w = new JsonArray();
      for (float f : map.weights()[promptLength + k - 1]) {
        w.add(Math.round(f * 1e6) / 1e6);
      }
      t.add("weights", w);
      tokens.add(t);
      if (end > start) {
        previous = decoded;
      }
    }
    JsonObject grid = new JsonObject();
    grid.addProperty("rows", map.gridRows());
    grid.addProperty("columns", map.gridColumns());
    // where the grid lies over the picture (the model saw it padded, cropped or stretched)
    double[] canvas = captioner.transform().canvasOver(image.getWidth(), image.getHeight());
    JsonObject over = new JsonObject();
    over.addProperty("image_width", image.getWidth());
    over.addProperty("image_height", image.getHeight());
    over.addProperty("left", canvas[0]);
    over.addProperty("top", canvas[1]);
    over.addProperty("right", canvas[2]);
    over.addProperty("bottom", canvas[3]);
    grid.add("canvas", over);
    JsonObject o = new JsonObject();
    o.addProperty("object", "attention");
    o.addProperty("model", model.name);
    o.add("grid", grid);
    o.add("tokens", tokens);
    json(ctx, o);
  }

  // ---- helpers

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
