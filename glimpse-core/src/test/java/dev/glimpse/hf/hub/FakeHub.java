package dev.glimpse.hf.hub;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A HuggingFace hub on loopback for tests, with the hub's URL scheme and headers:
 * <ul>
 *   <li>{@code GET /api/models/ID/revision/REV}: {"id", "sha", "siblings": [{"rfilename"}]};
 *   <li>{@code HEAD|GET /ID/resolve/REV/FILE}: a regular file answers 200 with its git blob sha1 as
 *       ETag, X-Repo-Commit, Content-Length and the bytes (Range supported); an LFS file
 *       ({@code *.safetensors}) answers 302 to a second server (another origin, like the hub's storage)
 *       with X-Linked-Etag (its sha256), X-Linked-Size and X-Repo-Commit;
 *   <li>storage {@code GET /lfs/SHA256}: the bytes, with Range (206, Content-Range; 416 past the end);
 *   <li>a gated repository answers resolve requests without the right bearer token with 401 and
 *       X-Error-Code GatedRepo; a missing repository 404 RepoNotFound; a missing revision 404
 *       RevisionNotFound; a missing file 404 EntryNotFound; a renamed repository a relative 307.
 * </ul>
 * Faults for the download tests: cut a file's body after some bytes (the connection closes with the
 * promised length unsent), corrupt one byte, send a consistent but short body, or stall mid-body.
 * Every request is recorded (server, method, path, Range and Authorization headers).
 */
public final class FakeHub implements AutoCloseable {
  public static final String TOKEN = "hf_test_token_1234";

  /** One recorded request. */
  public record Request(String server, String method, String path, String range, String authorization) {}

  /** A repository: its files at one commit, the branches pointing there, and whether it is gated. */
  public static final class Repo {
    final String id;
    final String commit;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, String> refs = new HashMap<>();
    boolean gated;

    Repo(String id, String commit) {
      this.id = id;
      this.commit = commit;
      refs.put("main", commit);
    }

    public String commit() {
      return commit;
    }

    public Repo file(String name, byte[] content) {
      files.put(name, content);
      return this;
    }

    public Repo gated() {
      gated = true;
      return this;
    }

    public Repo ref(String name) {
      refs.put(name, commit);
      return this;
    }

    public byte[] bytes(String name) {
      return files.get(name);
    }
  }

  /** What the storage server does to the next GETs of one blob. */
  public enum Fault { CUT, CORRUPT, SHORT, STALL }

  private record Plan(Fault fault, int times, long bytes) {}

  private final HttpServer hub;
  private final HttpServer storage;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, String> renamed = new ConcurrentHashMap<>();
  private final Map<String, Plan> faults = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private int commits;

  public FakeHub() {
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
      storage = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    hub.createContext("/", this::hub);
    storage.createContext("/", this::storage);
    hub.setExecutor(executor);
    storage.setExecutor(executor);
    hub.start();
    storage.start();
  }

  public URI endpoint() {
    return URI.create("http://" + hub.getAddress().getHostString() + ":" + hub.getAddress().getPort());
  }

  private String storageBase() {
    return "http://" + storage.getAddress().getHostString() + ":" + storage.getAddress().getPort();
  }

  /** A repository at a new commit (40 hex digits). */
  public synchronized Repo repo(String id) {
    String commit = sha1(("commit " + id + " " + (++commits)).getBytes(StandardCharsets.UTF_8));
    Repo r = new Repo(id, commit);
    repos.put(id, r);
    return r;
  }

  /** Adds every file of a folder (not its sub-folders) to a repository, minus the excluded names. */
  public static Repo addFolder(Repo repo, Path folder, String... exclude) throws IOException {
    List<String> skip = List.of(exclude);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && !skip.contains(name) && !repo.files.containsKey(name)) {
          repo.file(name, Files.readAllBytes(f));
        }
      }
    }
    return repo;
  }

  /** Old id answers resolve requests with a relative redirect to the new one (a renamed repository). */
  public void rename(String oldId, String newId) {
    renamed.put(oldId, newId);
  }

  /** The next {@code times} GETs of this file's content suffer {@code fault} after {@code bytes} bytes. */
  public void fault(Repo repo, String file, Fault fault, int times, long bytes) {
    faults.put(sha256(repo.files.get(file)), new Plan(fault, times, bytes));
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    hub.stop(0);
    storage.stop(0);
    executor.shutdownNow();
  }

  static boolean isLfs(String file) {
    return file.endsWith(".safetensors") || file.endsWith(".bin");
  }

  // ---- the hub

  private void hub(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      record(ex, "hub");
      if (path.startsWith("/api/models/")) {
        api(ex, path.substring("/api/models/".length()));
      } else if (path.contains("/resolve/")) {
        resolve(ex, path);
      } else {
        send(ex, 404, new Headers(), new byte[0]);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void api(HttpExchange ex, String rest) throws IOException {
    int at = rest.indexOf("/revision/");
    String id = at < 0 ? rest : rest.substring(0, at);
    if (renamed.containsKey(id)) {
      Headers h = new Headers();
      h.set("Location", "/api/models/" + renamed.get(id) + (at < 0 ? "" : rest.substring(at)));
      send(ex, 307, h, new byte[0]);
      return;
    }
    String revision = at < 0 ? "main" : decode(rest.substring(at + "/revision/".length()));
    Repo repo = repos.get(id);
    if (repo == null) {
      error(ex, 404, "RepoNotFound", "Repository Not Found for url: " + ex.getRequestURI());
      return;
    }
    String commit = commitOf(repo, revision);
    if (commit == null) {
      error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
      return;
    }
    JsonObject o = new JsonObject();
    o.addProperty("_id", "0123456789abcdef01234567");
    o.addProperty("id", repo.id);
    o.addProperty("sha", commit);
    o.addProperty("gated", repo.gated ? "auto" : "false");
    JsonArray siblings = new JsonArray();
    for (String f : repo.files.keySet()) {
      JsonObject s = new JsonObject();
      s.addProperty("rfilename", f);
      siblings.add(s);
    }
    o.add("siblings", siblings);
    Headers h = new Headers();
    h.set("Content-Type", "application/json");
    send(ex, 200, h, o.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void resolve(HttpExchange ex, String rawPath) throws IOException {
    int at = rawPath.indexOf("/resolve/");
    String id = rawPath.substring(1, at);
    String[] revAndFile = rawPath.substring(at + "/resolve/".length()).split("/", 2);
    String revision = decode(revAndFile[0]);
    String file = revAndFile.length > 1 ? decode(revAndFile[1]) : "";
    if (renamed.containsKey(id)) {
      Headers h = new Headers();
      h.set("Location", "/" + renamed.get(id) + rawPath.substring(at));
      send(ex, 307, h, new byte[0]);
      return;
    }
    Repo repo = repos.get(id);
    if (repo == null) {
      error(ex, 404, "RepoNotFound", "Repository Not Found");
      return;
    }
    if (repo.gated && !("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      error(ex, 401, "GatedRepo", "Access to model " + id + " is restricted. You must have access to it and be "
          + "authenticated to access it. Please log in.");
      return;
    }
    String commit = commitOf(repo, revision);
    if (commit == null) {
      error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
      return;
    }
    byte[] content = repo.files.get(file);
    if (content == null) {
      error(ex, 404, "EntryNotFound", file + " does not exist on \"" + revision + "\"");
      return;
    }
    Headers h = new Headers();
    h.set("X-Repo-Commit", commit);
    if (isLfs(file)) {
      String sha256 = sha256(content);
      h.set("ETag", "\"" + gitSha1(("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256 + "\nsize "
          + content.length + "\n").getBytes(StandardCharsets.UTF_8)) + "\""); // the pointer file's, as the hub
      h.set("X-Linked-Etag", "\"" + sha256 + "\"");
      h.set("X-Linked-Size", String.valueOf(content.length));
      h.set("Location", storageBase() + "/lfs/" + sha256 + "?X-Amz-Signature=abc&response-content-disposition="
          + "attachment");
      send(ex, 302, h, new byte[0]);
      return;
    }
    h.set("ETag", "\"" + gitSha1(content) + "\"");
    ranged(ex, h, content, ex.getRequestMethod().equals("GET") ? takeFault(sha256(content)) : null);
  }

  private static String commitOf(Repo repo, String revision) {
    if (revision.equals(repo.commit)) {
      return repo.commit;
    }
    return repo.refs.get(revision);
  }

  // ---- the storage

  private void storage(HttpExchange ex) throws IOException {
    try (ex) {
      record(ex, "storage");
      String path = ex.getRequestURI().getRawPath();
      String sha = path.startsWith("/lfs/") ? path.substring("/lfs/".length()) : "";
      byte[] content = null;
      for (Repo r : repos.values()) {
        for (byte[] c : r.files.values()) {
          if (sha256(c).equals(sha)) {
            content = c;
          }
        }
      }
      if (content == null) {
        send(ex, 404, new Headers(), new byte[0]);
        return;
      }
      Plan plan = ex.getRequestMethod().equals("GET") ? takeFault(sha) : null;
      Headers h = new Headers();
      h.set("ETag", "\"" + sha + "\"");
      h.set("Content-Disposition", "attachment; filename=\"model.safetensors\";");
      ranged(ex, h, content, plan);
    }
  }

  private synchronized Plan takeFault(String sha) {
    Plan plan = faults.get(sha);
    if (plan != null) {
      if (plan.times <= 1) {
        faults.remove(sha);
      } else {
        faults.put(sha, new Plan(plan.fault, plan.times - 1, plan.bytes));
      }
    }
    return plan;
  }

  // ---- HTTP details

  private void ranged(HttpExchange ex, Headers h, byte[] content, Plan plan) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    long start = 0;
    int status = 200;
    if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
      start = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
      if (start >= content.length) {
        h.set("Content-Range", "bytes */" + content.length);
        send(ex, 416, h, new byte[0]);
        return;
      }
      status = 206;
      h.set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
    }
    byte[] body = java.util.Arrays.copyOfRange(content, (int) start, content.length);
    h.set("Accept-Ranges", "bytes");
    if (ex.getRequestMethod().equals("HEAD")) {
      h.set("Content-Length", String.valueOf(body.length));
      ex.getResponseHeaders().putAll(h);
      ex.sendResponseHeaders(status, -1);
      return;
    }
    if (plan == null) {
      send(ex, status, h, body);
      return;
    }
    int cut = (int) Math.min(plan.bytes, body.length);
    switch (plan.fault) {
      case CORRUPT -> {
        byte[] bad = body.clone();
        bad[cut] ^= 0x5a;
        send(ex, status, h, bad);
      }
      case SHORT -> send(ex, status, h, java.util.Arrays.copyOf(body, cut)); // a valid response, short
      case CUT -> { // promises everything, sends part, then the connection closes
        ex.getResponseHeaders().putAll(h);
        ex.sendResponseHeaders(status, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, cut);
        out.flush(); // closing the exchange with the rest unsent drops the connection
      }
      case STALL -> {
        ex.getResponseHeaders().putAll(h);
        ex.sendResponseHeaders(status, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, cut);
        out.flush();
        try {
          Thread.sleep(3000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    Headers h = new Headers();
    h.set("X-Error-Code", code);
    h.set("X-Error-Message", message);
    h.set("Content-Type", "application/json");
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    send(ex, status, h, o.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, Headers h, byte[] body) throws IOException {
    ex.getResponseHeaders().putAll(h);
    if (ex.getRequestMethod().equals("HEAD") || body.length == 0) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private void record(HttpExchange ex, String server) {
    Headers h = ex.getRequestHeaders();
    requests.add(new Request(server, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), h.getFirst("Range"),
        h.getFirst("Authorization")));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public static String sha256(byte[] content) {
    return hex("SHA-256", content, null);
  }

  /** Git's blob id: sha1 of "blob SIZE\0" followed by the content (what the hub's ETag is for regular files). */
  public static String gitSha1(byte[] content) {
    return hex("SHA-1", content, ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
  }

  private static String sha1(byte[] content) {
    return hex("SHA-1", content, null);
  }

  private static String hex(String algorithm, byte[] content, byte[] prefix) {
    try {
      MessageDigest d = MessageDigest.getInstance(algorithm);
      if (prefix != null) {
        d.update(prefix);
      }
      return HexFormat.of().formatHex(d.digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
