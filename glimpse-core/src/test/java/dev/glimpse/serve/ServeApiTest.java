package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.ClipModel;
import dev.glimpse.testing.HfFolders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint and every request error over HTTP, against one server holding a GIT, a LLaVA and a
 * CLIP model (the tiny HF fixtures): statuses, OpenAI shapes, error types and the field each error
 * names; after every test the server must still be healthy.
 */
class ServeApiTest {
  @TempDir static Path tmp;
  static TestServer server;
  static Path clipDir;
  static final String IMAGE = HfFolders.dataUrl(HfFolders.picture(3, 48, 40));

  @BeforeAll
  static void start() {
    Map<String, Path> models = new LinkedHashMap<>();
    models.put("git", HfFolders.make(tmp, "git"));
    models.put("llava", HfFolders.make(tmp, "llava"));
    clipDir = HfFolders.make(tmp, "clip");
    models.put("clip", clipDir);
    server = new TestServer(ServeOptions.defaults(), models);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void stillHealthy() {
    assertTrue(server.healthy(), "the server is still healthy");
  }

  static JsonObject chat(String model, String text, String imageUrl) {
    JsonObject body = new JsonObject();
    body.addProperty("model", model);
    JsonArray content = new JsonArray();
    if (text != null) {
      JsonObject t = new JsonObject();
      t.addProperty("type", "text");
      t.addProperty("text", text);
      content.add(t);
    }
    if (imageUrl != null) {
      JsonObject i = new JsonObject();
      i.addProperty("type", "image_url");
      JsonObject u = new JsonObject();
      u.addProperty("url", imageUrl);
      i.add("image_url", u);
      content.add(i);
    }
    JsonObject message = new JsonObject();
    message.addProperty("role", "user");
    message.add("content", content);
    JsonArray messages = new JsonArray();
    messages.add(message);
    body.add("messages", messages);
    return body;
  }

  static void assertError(TestServer.Reply r, int status, String type, String param) {
    assertEquals(status, r.status(), r.body());
    JsonObject e = r.error();
    assertEquals(type, e.get("type").getAsString(), r.body());
    if (param == null) {
      assertTrue(e.get("param").isJsonNull(), r.body());
    } else {
      assertEquals(param, e.get("param").getAsString(), r.body());
      assertTrue(e.get("message").getAsString().contains(param), "the message names the field: " + r.body());
    }
    assertTrue(e.has("code"), r.body());
  }

  // ---- health, models, metrics, page

  @Test
  void healthListsTheModels() {
    TestServer.Reply r = server.get("/health");
    assertEquals(200, r.status());
    assertEquals("ok", r.json().get("status").getAsString());
    assertEquals(3, r.json().getAsJsonArray("models").size());
  }

  @Test
  void modelsListAndGet() {
    TestServer.Reply r = server.get("/v1/models");
    assertEquals(200, r.status());
    assertEquals("list", r.json().get("object").getAsString());
    JsonArray data = r.json().getAsJsonArray("data");
    assertEquals(List.of("git", "llava", "clip"), data.asList().stream()
        .map(e -> e.getAsJsonObject().get("id").getAsString()).toList());
    for (JsonElement e : data) {
      assertEquals("model", e.getAsJsonObject().get("object").getAsString());
      assertEquals("glimpse", e.getAsJsonObject().get("owned_by").getAsString());
    }
    assertEquals("embeddings", server.get("/v1/models/clip").json().get("kind").getAsString());
    assertTrue(server.get("/v1/models/git").json().get("attention_maps").getAsBoolean());
    assertError(server.get("/v1/models/nope"), 404, "invalid_request_error", "model");
  }

  @Test
  void unknownRoutesAndMethodsAreJsonErrors() {
    TestServer.Reply r = server.get("/v1/nothing");
    assertEquals(404, r.status());
    assertEquals("invalid_request_error", r.error().get("type").getAsString());
    TestServer.Reply m = server.get("/v1/chat/completions");
    assertTrue(m.status() == 404 || m.status() == 405, m.body());
    assertTrue(m.error().has("message"));
  }

  @Test
  void pageIsServedFromTheJarWithoutExternalResources() {
    TestServer.Reply r = server.get("/");
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(r.body().contains("app.js"), r.body());
    for (String path : new String[] {"/", "/app.js", "/app.css"}) {
      String body = server.get(path).body();
      assertFalse(body.contains("http://") || body.contains("https://") || body.contains("//cdn"),
          path + " loads nothing from elsewhere");
    }
  }

  @Test
  void metricsInPrometheusTextFormat() {
    server.post("/v1/chat/completions", chat("git", null, IMAGE));
    TestServer.Reply r = server.get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    for (String name : new String[] {"glimpse_requests_total{endpoint=\"/v1/chat/completions\",status=\"200\"}",
        "glimpse_queue_depth{model=\"git\"}", "glimpse_running_batch_size{model=\"git\"}",
        "glimpse_time_to_first_token_seconds_bucket{model=\"git\"", "glimpse_request_latency_seconds_bucket",
        "glimpse_generated_tokens_total{model=\"git\"}", "# TYPE glimpse_request_latency_seconds histogram"}) {
      assertTrue(r.body().contains(name), name + " in\n" + r.body());
    }
  }

  @Test
  void accessLogHasOneJsonLinePerRequest() {
    int before = server.accessLog.size();
    server.post("/v1/chat/completions", chat("git", "what is it", IMAGE));
    server.get("/v1/models/nope");
    long deadline = System.currentTimeMillis() + 5000;
    while (server.accessLog.size() < before + 2 && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    List<String> lines = server.accessLog.subList(before, before + 2);
    JsonObject chat = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals("POST", chat.get("method").getAsString());
    assertEquals("/v1/chat/completions", chat.get("path").getAsString());
    assertEquals(200, chat.get("status").getAsInt());
    assertEquals("git", chat.get("model").getAsString());
    assertTrue(chat.get("completion_tokens").getAsInt() > 0);
    assertTrue(chat.has("duration_ms") && chat.has("time") && chat.has("remote"));
    JsonObject missing = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertEquals(404, missing.get("status").getAsInt());
    assertEquals("model_not_found", missing.get("error").getAsString());
  }

  // ---- chat completions

  @Test
  void captionAndAnswerInTheOpenAiShape() {
    TestServer.Reply caption = server.post("/v1/chat/completions", chat("git", null, IMAGE));
    assertEquals(200, caption.status(), caption.body());
    JsonObject o = caption.json();
    assertTrue(o.get("id").getAsString().startsWith("chatcmpl-"));
    assertEquals("chat.completion", o.get("object").getAsString());
    assertEquals("git", o.get("model").getAsString());
    assertTrue(o.get("created").getAsLong() > 1_600_000_000L);
    JsonObject choice = o.getAsJsonArray("choices").get(0).getAsJsonObject();
    assertEquals(0, choice.get("index").getAsInt());
    assertEquals("assistant", choice.getAsJsonObject("message").get("role").getAsString());
    String reason = choice.get("finish_reason").getAsString();
    assertTrue(reason.equals("stop") || reason.equals("length"), reason);
    JsonObject usage = o.getAsJsonObject("usage");
    // GIT: 17 image tokens (16 patches + CLS) and BOS
    assertEquals(18, usage.get("prompt_tokens").getAsInt());
    assertEquals(usage.get("prompt_tokens").getAsInt() + usage.get("completion_tokens").getAsInt(),
        usage.get("total_tokens").getAsInt());

    // "describe" is a caption too; a question is answered after the question prefix
    TestServer.Reply describe = server.post("/v1/chat/completions", chat("git", "Describe this image.", IMAGE));
    assertEquals(caption.json().getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message")
        .get("content"), describe.json().getAsJsonArray("choices").get(0).getAsJsonObject()
        .getAsJsonObject("message").get("content"));
    assertEquals(18, describe.json().getAsJsonObject("usage").get("prompt_tokens").getAsInt());
    TestServer.Reply answer = server.post("/v1/chat/completions", chat("git", "what is in the picture", IMAGE));
    assertTrue(answer.json().getAsJsonObject("usage").get("prompt_tokens").getAsInt() > 18);
  }

  @Test
  void stringContentAndAnEarlierImageWork() {
    JsonObject body = chat("git", null, IMAGE);
    JsonObject follow = new JsonObject();
    follow.addProperty("role", "assistant");
    follow.addProperty("content", "a picture");
    JsonObject question = new JsonObject();
    question.addProperty("role", "user");
    question.addProperty("content", "what colour is it");
    JsonObject system = new JsonObject();
    system.addProperty("role", "system");
    system.addProperty("content", "You are helpful.");
    JsonArray messages = new JsonArray();
    messages.add(system);
    messages.add(body.getAsJsonArray("messages").get(0));
    messages.add(follow);
    messages.add(question);
    body.add("messages", messages);
    TestServer.Reply r = server.post("/v1/chat/completions", body);
    assertEquals(200, r.status(), r.body());
    TestServer.Reply same = server.post("/v1/chat/completions", chat("git", "what colour is it", IMAGE));
    assertEquals(content(same, 0), content(r, 0), "the last user message is the question, the image the latest one");
  }

  static String content(TestServer.Reply r, int choice) {
    return r.json().getAsJsonArray("choices").get(choice).getAsJsonObject().getAsJsonObject("message")
        .get("content").getAsString();
  }

  @Test
  void maxTokensBoundsTheAnswerAndIsBoundedByTheModel() {
    JsonObject body = chat("git", null, IMAGE);
    body.addProperty("max_tokens", 3);
    TestServer.Reply r = server.post("/v1/chat/completions", body);
    int tokens = r.json().getAsJsonObject("usage").get("completion_tokens").getAsInt();
    assertTrue(tokens <= 3, r.body());
    if (tokens == 3) {
      assertEquals("length", r.json().getAsJsonArray("choices").get(0).getAsJsonObject().get("finish_reason")
          .getAsString());
    }
    JsonObject newer = chat("git", null, IMAGE);
    newer.addProperty("max_completion_tokens", 2);
    assertTrue(server.post("/v1/chat/completions", newer).json().getAsJsonObject("usage").get("completion_tokens")
        .getAsInt() <= 2);
    JsonObject tooMany = chat("git", null, IMAGE);
    tooMany.addProperty("max_tokens", 64); // 64 text positions, BOS takes one
    assertError(server.post("/v1/chat/completions", tooMany), 400, "invalid_request_error", "max_tokens");
    JsonObject zero = chat("git", null, IMAGE);
    zero.addProperty("max_completion_tokens", 0);
    assertError(server.post("/v1/chat/completions", zero), 400, "invalid_request_error", "max_completion_tokens");
  }

  @Test
  void stopSequenceEndsTheTextBeforeIt() {
    JsonObject body = chat("git", null, IMAGE);
    body.addProperty("max_tokens", 12);
    String full = content(server.post("/v1/chat/completions", body), 0);
    assertTrue(full.length() > 3, full);
    String stop = full.substring(2, 4);
    body.addProperty("stop", stop);
    TestServer.Reply r = server.post("/v1/chat/completions", body);
    assertEquals(full.substring(0, full.indexOf(stop)), content(r, 0));
    assertEquals("stop", r.json().getAsJsonArray("choices").get(0).getAsJsonObject().get("finish_reason")
        .getAsString());
  }

  @Test
  void samplingWithASeedRepeatsAndNGivesSeveralChoices() {
    JsonObject body = chat("git", null, IMAGE);
    body.addProperty("temperature", 1.5);
    body.addProperty("top_p", 0.95);
    body.addProperty("seed", 7);
    body.addProperty("n", 3);
    body.addProperty("max_tokens", 10);
    TestServer.Reply a = server.post("/v1/chat/completions", body);
    TestServer.Reply b = server.post("/v1/chat/completions", body);
    assertEquals(200, a.status(), a.body());
    assertEquals(3, a.json().getAsJsonArray("choices").size());
    for (int i = 0; i < 3; i++) {
      assertEquals(content(a, i), content(b, i), "same seed, same text");
      assertEquals(i, a.json().getAsJsonArray("choices").get(i).getAsJsonObject().get("index").getAsInt());
    }
    assertTrue(!content(a, 0).equals(content(a, 1)) || !content(a, 1).equals(content(a, 2)),
        "choices draw from their own streams");
    JsonObject greedy = chat("git", null, IMAGE);
    greedy.addProperty("n", 2);
    TestServer.Reply g = server.post("/v1/chat/completions", greedy);
    assertEquals(content(g, 0), content(g, 1));
  }

  @Test
  void anotherDesignAnswersThroughTheSameEndpoint() {
    TestServer.Reply r = server.post("/v1/chat/completions", chat("llava", "what is it", IMAGE));
    assertEquals(200, r.status(), r.body());
    assertEquals("llava", r.json().get("model").getAsString());
  }

  @Test
  void streamingSendsChunksThenDone() throws Exception {
    JsonObject body = chat("git", null, IMAGE);
    body.addProperty("stream", true);
    body.addProperty("max_tokens", 8);
    JsonObject options = new JsonObject();
    options.addProperty("include_usage", true);
    body.add("stream_options", options);
    var response = server.stream("/v1/chat/completions", body);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String> events = SseReader.events(response.body());
    assertEquals("[DONE]", events.get(events.size() - 1));
    JsonObject first = JsonParser.parseString(events.get(0)).getAsJsonObject();
    assertEquals("chat.completion.chunk", first.get("object").getAsString());
    assertEquals("assistant", first.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta")
        .get("role").getAsString());
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonObject usage = null;
    for (String e : events.subList(0, events.size() - 1)) {
      JsonObject chunk = JsonParser.parseString(e).getAsJsonObject();
      assertEquals(first.get("id"), chunk.get("id"));
      if (chunk.has("usage") && !chunk.get("usage").isJsonNull()) {
        usage = chunk.getAsJsonObject("usage");
        continue;
      }
      JsonObject choice = chunk.getAsJsonArray("choices").get(0).getAsJsonObject();
      if (choice.getAsJsonObject("delta").has("content")) {
        text.append(choice.getAsJsonObject("delta").get("content").getAsString());
      }
      if (!choice.get("finish_reason").isJsonNull()) {
        finish = choice.get("finish_reason").getAsString();
      }
    }
    body.remove("stream");
    body.remove("stream_options");
    TestServer.Reply whole = server.post("/v1/chat/completions", body);
    assertEquals(content(whole, 0), text.toString(), "the chunks add up to the whole answer");
    assertEquals(whole.json().getAsJsonArray("choices").get(0).getAsJsonObject().get("finish_reason").getAsString(),
        finish);
    assertEquals(whole.json().getAsJsonObject("usage"), usage);
  }

  // ---- request errors: status, type, the field named

  @Test
  void badJsonAndWrongTypes() {
    assertError(server.post("/v1/chat/completions", "{\"model\": "), 400, "invalid_request_error", null);
    assertError(server.post("/v1/chat/completions", "[1, 2]"), 400, "invalid_request_error", null);
    String[][] cases = {
        {"messages", "\"hello\""},
        {"temperature", "\"hot\""},
        {"temperature", "3"},
        {"top_p", "0"},
        {"max_tokens", "1.5"},
        {"n", "0"},
        {"stream", "\"yes\""},
        {"seed", "\"x\""},
        {"stop", "[\"a\", \"b\", \"c\", \"d\", \"e\"]"},
        {"logprobs", "true"},
        {"frequency_penalty", "0.5"},
        {"model", "12"},
    };
    for (String[] c : cases) {
      JsonObject body = chat("git", null, IMAGE);
      body.add(c[0], JsonParser.parseString(c[1]));
      TestServer.Reply r = server.post("/v1/chat/completions", body);
      assertError(r, 400, "invalid_request_error", c[0]);
    }
    JsonObject badPart = chat("git", null, IMAGE);
    badPart.getAsJsonArray("messages").get(0).getAsJsonObject().getAsJsonArray("content").get(0).getAsJsonObject()
        .addProperty("type", "input_audio");
    assertError(server.post("/v1/chat/completions", badPart), 400, "invalid_request_error",
        "messages[0].content[0].type");
    JsonObject badRole = chat("git", null, IMAGE);
    badRole.getAsJsonArray("messages").get(0).getAsJsonObject().addProperty("role", "robot");
    assertError(server.post("/v1/chat/completions", badRole), 400, "invalid_request_error", "messages[0].role");
  }

  @Test
  void unknownModelAndWrongKindOfModel() {
    TestServer.Reply unknown = server.post("/v1/chat/completions", chat("gpt-4o", null, IMAGE));
    assertError(unknown, 404, "invalid_request_error", "model");
    assertEquals("model_not_found", unknown.error().get("code").getAsString());
    assertError(server.post("/v1/chat/completions", chat("clip", null, IMAGE)), 400, "invalid_request_error",
        "model");
    JsonObject embed = new JsonObject();
    embed.addProperty("model", "git");
    embed.addProperty("input", "a cat");
    assertError(server.post("/v1/embeddings", embed), 400, "invalid_request_error", "model");
  }

  @Test
  void imagesThatAreRefused() {
    String p = "messages[0].content[0].image_url.url";
    assertError(server.post("/v1/chat/completions", chat("git", "what", null)), 400, "invalid_request_error",
        "messages");
    String[] refused = {
        "data:text/plain;base64," + Base64.getEncoder().encodeToString("hello".getBytes()),
        "data:image/png;base64,@@@notbase64@@@",
        "data:image/png," + "rawdata",
        "data:image/png;base64," + Base64.getEncoder().encodeToString("not a png at all".getBytes()),
        "http://127.0.0.1:1/cat.png",
        "https://example.com/cat.png",
        "file:///etc/passwd",
        "ftp://host/cat.png",
    };
    for (String url : refused) {
      TestServer.Reply r = server.post("/v1/chat/completions", chat("git", null, url));
      assertError(r, 400, "invalid_request_error", p);
    }
    byte[] png = HfFolders.png(HfFolders.picture(1, 40, 40));
    byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
    assertError(server.post("/v1/chat/completions", chat("git", null, "data:image/png;base64,"
        + Base64.getEncoder().encodeToString(cut))), 400, "invalid_request_error", p);
    // A JPEG cut off mid-stream: ImageIO alone decodes it with the rest filled gray and no error.
    TestServer.Reply jpeg = server.post("/v1/chat/completions", chat("git", null, "data:image/jpeg;base64,"
        + Base64.getEncoder().encodeToString(cutPhoto())));
    assertError(jpeg, 400, "invalid_request_error", p);
    assertTrue(jpeg.error().get("message").getAsString().contains("truncated JPEG image"), jpeg.body());
  }

  /** The test photograph (a baseline JPEG) cut at two thirds of its bytes. */
  static byte[] cutPhoto() {
    try (java.io.InputStream in = ServeApiTest.class.getResourceAsStream("/images/grace_hopper.jpg")) {
      byte[] jpeg = in.readAllBytes();
      return java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void decompressionBombIsRefusedFromItsHeader() throws Exception {
    byte[] bomb = bombPng(12_000, 12_000); // 144 megapixels of zeros in a few hundred kilobytes
    assertTrue(bomb.length < 1_000_000, "a small file: " + bomb.length);
    long t0 = System.nanoTime();
    TestServer.Reply r = server.post("/v1/chat/completions", chat("git", null, "data:image/png;base64,"
        + Base64.getEncoder().encodeToString(bomb)));
    assertError(r, 400, "invalid_request_error", "messages[0].content[0].image_url.url");
    assertEquals("image_too_large", r.error().get("code").getAsString());
    assertTrue(r.error().get("message").getAsString().contains("12000x12000"), r.body());
    assertTrue((System.nanoTime() - t0) / 1e9 < 10, "refused without decoding");
  }

  /** A valid PNG of w x h black RGB pixels: its zeros deflate about 1000 to 1. */
  static byte[] bombPng(int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater deflater = new Deflater(9);
    byte[] row = new byte[1 + 3 * w];
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int y = 0; y < h; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        int n = deflater.deflate(buf);
        idat.write(buf, 0, n);
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(buf);
      idat.write(buf, 0, n);
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes("US-ASCII");
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void oversizedImageAndBodyAreRefused() {
    TestServer small = new TestServer(ServeOptions.defaults().withImageLimits(2000, 1000),
        Map.of("git", HfFolders.make(tmp.resolve("small"), "git")));
    try {
      TestServer.Reply bytes = small.post("/v1/chat/completions", chat("git", null,
          HfFolders.dataUrl(HfFolders.picture(2, 200, 200))));
      assertError(bytes, 400, "invalid_request_error", "messages[0].content[0].image_url.url");
      assertEquals("image_too_large", bytes.error().get("code").getAsString());
      TestServer.Reply pixels = small.post("/v1/chat/completions", chat("git", null,
          HfFolders.dataUrl(new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_BYTE_GRAY))));
      assertEquals("image_too_large", pixels.error().get("code").getAsString());
      assertTrue(pixels.error().get("message").getAsString().contains("--max-pixels"), pixels.body());
      String huge = "{\"model\": \"git\", \"pad\": \"" + "x".repeat(1_200_000) + "\"}";
      TestServer.Reply body = small.post("/v1/chat/completions", huge);
      assertEquals(413, body.status(), body.body());
      assertTrue(small.healthy());
    } finally {
      small.close();
    }
  }

  // ---- embeddings

  @Test
  void embeddingsOfTextsAndImagesMatchTheModel() throws Exception {
    JsonObject body = new JsonObject();
    body.addProperty("model", "clip");
    JsonArray input = new JsonArray();
    input.add("a red disc");
    JsonObject image = new JsonObject();
    image.addProperty("type", "image_url");
    JsonObject url = new JsonObject();
    url.addProperty("url", IMAGE);
    image.add("image_url", url);
    input.add(image);
    input.add("a blue square on the left");
    body.add("input", input);
    TestServer.Reply r = server.post("/v1/embeddings", body);
    assertEquals(200, r.status(), r.body());
    JsonObject o = r.json();
    assertEquals("list", o.get("object").getAsString());
    assertEquals("clip", o.get("model").getAsString());
    JsonArray data = o.getAsJsonArray("data");
    assertEquals(3, data.size());
    float[][] got = new float[3][];
    for (int i = 0; i < 3; i++) {
      JsonObject d = data.get(i).getAsJsonObject();
      assertEquals("embedding", d.get("object").getAsString());
      assertEquals(i, d.get("index").getAsInt());
      JsonArray v = d.getAsJsonArray("embedding");
      assertEquals(16, v.size());
      got[i] = new float[16];
      double norm = 0;
      for (int k = 0; k < 16; k++) {
        got[i][k] = v.get(k).getAsFloat();
        norm += got[i][k] * got[i][k];
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-5, "unit length");
    }
    assertTrue(o.getAsJsonObject("usage").get("prompt_tokens").getAsInt() > 0);
    // the same vectors computed directly with the model
    try (NDManager m = NDManager.newBaseManager(); HfModel hf = HfModel.load(clipDir, m)) {
      ClipEmbedder embedder = new ClipEmbedder((ClipModel) hf.model(), hf.tokenizer(), hf.transform());
      float[][] texts = embedder.embedIds(List.of(embedder.ids("a red disc"), embedder.ids("a blue square on the left")),
          m);
      float[][] images = embedder.embedImages(List.of(embedder.prepare(dev.glimpse.data.Images.decodeRgb(
          Base64.getDecoder().decode(IMAGE.substring(IMAGE.indexOf(',') + 1)), "test"))), m);
      assertArrayEquals(texts[0], got[0], 1e-5f);
      assertArrayEquals(images[0], got[1], 1e-5f);
      assertArrayEquals(texts[1], got[2], 1e-5f);
      // a text embeds from BOS + ids + EOS (HF CLIP's tokenizer adds both)
      long[] ids = embedder.ids("a red disc");
      assertEquals(97, ids[0]);
      assertEquals(98, ids[ids.length - 1]);
    }
    // base64: little-endian float32, the same numbers
    body.addProperty("encoding_format", "base64");
    JsonArray b64 = server.post("/v1/embeddings", body).json().getAsJsonArray("data");
    byte[] raw = Base64.getDecoder().decode(b64.get(2).getAsJsonObject().get("embedding").getAsString());
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    float[] decoded = new float[raw.length / 4];
    for (int k = 0; k < decoded.length; k++) {
      decoded[k] = buf.getFloat();
    }
    assertArrayEquals(got[2], decoded, 0f);
    // a single string
    JsonObject single = new JsonObject();
    single.addProperty("model", "clip");
    single.addProperty("input", "a red disc");
    JsonArray one = server.post("/v1/embeddings", single).json().getAsJsonArray("data");
    assertEquals(1, one.size());
    assertEquals(got[0][3], one.get(0).getAsJsonObject().getAsJsonArray("embedding").get(3).getAsFloat(), 1e-6f);
  }

  @Test
  void embeddingErrors() {
    String[][] cases = {
        {"input", null},
        {"input", "\"\""},
        {"input", "[]"},
        {"input", "42"},
        {"input[0]", "[[1, 2, 3]]"},
        {"input[1].type", "[\"a\", {\"type\": \"video\"}]"},
        {"input[0].image_url.url", "[{\"type\": \"image_url\", \"image_url\": {\"url\": \"http://x/y.png\"}}]"},
        {"input[1].image_url.url", "[\"a cat\", {\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/jpeg;base64,"
            + Base64.getEncoder().encodeToString(cutPhoto()) + "\"}}]"},
        {"encoding_format", "\"int8\""},
        {"dimensions", "3"},
    };
    for (String[] c : cases) {
      JsonObject body = new JsonObject();
      body.addProperty("model", "clip");
      body.addProperty("input", "ok");
      String field = c[0].contains("[") ? "input" : c[0];
      if (c[1] == null) {
        body.remove(field);
      } else {
        body.add(field, JsonParser.parseString(c[1]));
      }
      assertError(server.post("/v1/embeddings", body), 400, "invalid_request_error", c[0]);
    }
  }

  // ---- attention maps

  @Test
  void attentionMapsOverTheImageGrid() {
    JsonObject body = new JsonObject();
    body.addProperty("model", "git");
    JsonObject url = new JsonObject();
    url.addProperty("url", IMAGE);
    body.add("image_url", url);
    body.addProperty("text", "a cat on a bed");
    TestServer.Reply r = server.post("/v1/glimpse/attention", body);
    assertEquals(200, r.status(), r.body());
    JsonObject grid = r.json().getAsJsonObject("grid");
    assertEquals(4, grid.get("rows").getAsInt()); // 32x32 pixels in 8x8 patches
    assertEquals(4, grid.get("columns").getAsInt());
    JsonArray tokens = r.json().getAsJsonArray("tokens");
    StringBuilder text = new StringBuilder();
    for (JsonElement e : tokens) {
      JsonObject t = e.getAsJsonObject();
      JsonArray w = t.getAsJsonArray("weights");
      assertEquals(16, w.size());
      double sum = 0;
      for (JsonElement x : w) {
        assertTrue(x.getAsDouble() >= 0);
        sum += x.getAsDouble();
      }
      assertTrue(sum > 0 && sum <= 1.0001, "a share of the attention: " + sum);
      text.append(t.get("text").getAsString());
      assertTrue(t.get("end").getAsInt() >= t.get("start").getAsInt());
    }
    assertEquals("a cat on a bed", text.toString());
    // with a question the rows shift past the question; the model without the capability refuses
    body.addProperty("prompt", "what is it");
    assertEquals(200, server.post("/v1/glimpse/attention", body).status());
    body.addProperty("model", "llava");
    assertError(server.post("/v1/glimpse/attention", body), 400, "invalid_request_error", "model");
    body.addProperty("model", "git");
    body.remove("text");
    assertError(server.post("/v1/glimpse/attention", body), 400, "invalid_request_error", "text");
  }

  @Test
  void greedyIsDeterministicAcrossRequests() {
    String a = content(server.post("/v1/chat/completions", chat("git", "what is it", IMAGE)), 0);
    String b = content(server.post("/v1/chat/completions", chat("git", "what is it", IMAGE)), 0);
    assertEquals(a, b);
  }
}
