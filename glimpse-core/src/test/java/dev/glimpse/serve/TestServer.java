package dev.glimpse.serve;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server on a free loopback port with an HTTP client, for the tests. */
final class TestServer implements AutoCloseable {
  final GlimpseServer server;
  final List<String> accessLog = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final int port;

  TestServer(ServeOptions options, Map<String, Path> models) {
    server = new GlimpseServer(options.withPort(0), accessLog::add);
    port = server.start();
    models.forEach(server::load);
    server.ready();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    JsonObject error() {
      return json().getAsJsonObject("error");
    }
  }

  Reply get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  Reply post(String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  Reply post(String path, JsonObject body, String... headers) {
    return post(path, body.toString(), headers);
  }

  /** A streamed POST: the body as a stream, read as it arrives. */
  HttpResponse<InputStream> stream(String path, JsonObject body) {
    try {
      return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean healthy() {
    return get("/health").status() == 200;
  }

  @Override
  public void close() {
    server.close();
  }
}
