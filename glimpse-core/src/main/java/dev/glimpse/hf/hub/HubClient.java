package dev.glimpse.hf.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hub's HTTP API as huggingface_hub uses it: {@code GET /api/models/ID/revision/REV} for the
 * commit and file list, {@code HEAD /ID/resolve/COMMIT/FILE} for a file's ETag and size (an LFS file
 * answers with a redirect to its storage, which is not followed for the HEAD), and a GET of the file
 * (see {@link FileDownload}). The token goes to the hub only: a redirect to another host is followed
 * without it. Answers the hub gives for gated, private or missing repositories become one line that
 * says what to do.
 */
final class HubClient {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final int MAX_REDIRECTS = 10;

  /** A revision of a repository: its commit and the files in it. */
  record RepoInfo(String commit, List<String> files) {}

  /**
   * One file at one commit.
   *
   * @param etag sha256 for LFS files, git sha1 for others (quotes and W/ removed)
   * @param size bytes, or -1 when the hub did not say
   * @param source where to GET it: the hub's resolve URL, or the storage URL an LFS file redirects to
   */
  record FileInfo(String file, String etag, long size, URI source) {}

  private final HubSettings settings;
  private final HttpClient http;

  HubClient(HubSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.metadataTimeout()).build();
  }

  HubSettings settings() {
    return settings;
  }

  HttpClient http() {
    return http;
  }

  RepoInfo repoInfo(HubId id) {
    URI uri = hubUri("/api/models/" + id.repo() + "/revision/" + encode(id.revision()));
    Answer<String> answer = sendFollowingRelative(id, "GET", uri, HttpResponse.BodyHandlers.ofString(), "the file list");
    HttpResponse<String> r = answer.response();
    uri = answer.uri();
    if (r.statusCode() != 200) {
      throw error(id, null, r.statusCode(), r.headers(), uri);
    }
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(r.body());
      if (!e.isJsonObject()) {
        throw new JsonParseException("not an object");
      }
      o = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new GlimpseException("the hub at " + settings.endpoint() + " answered " + uri.getPath()
          + " with something that is not a JSON object (is HF_ENDPOINT a HuggingFace hub?)");
    }
    String commit = o.has("sha") && o.get("sha").isJsonPrimitive() ? o.get("sha").getAsString() : null;
    if (commit == null || !COMMIT.matcher(commit).matches()) {
      throw new GlimpseException("the hub's answer for " + id + " has no commit hash (\"sha\": "
          + HubCache.printable(String.valueOf(commit)) + ")");
    }
    List<String> files = new ArrayList<>();
    if (o.has("siblings") && o.get("siblings").isJsonArray()) {
      for (JsonElement s : o.getAsJsonArray("siblings")) {
        if (s.isJsonObject() && s.getAsJsonObject().has("rfilename")) {
          files.add(s.getAsJsonObject().get("rfilename").getAsString());
        }
      }
    }
    return new RepoInfo(commit, files);
  }

  /**
   * The ETag, size and download address of a file. Relative redirects (a renamed repository) are
   * followed; an absolute one (LFS storage) is where the file will be fetched from.
   */
  FileInfo fileInfo(HubId id, String commit, String file) {
    URI uri = hubUri("/" + id.repo() + "/resolve/" + encode(commit) + "/" + encodePath(file));
    Answer<Void> answer = sendFollowingRelative(id, "HEAD", uri, HttpResponse.BodyHandlers.discarding(), file);
    HttpResponse<Void> r = answer.response();
    int status = r.statusCode();
    Optional<String> location = r.headers().firstValue("Location");
    boolean redirect = status >= 300 && status < 400 && location.isPresent();
    if (!redirect && status != 200) {
      throw error(id, file, status, r.headers(), answer.uri());
    }
    HttpHeaders h = r.headers();
    String repoCommit = h.firstValue("X-Repo-Commit").orElse(null);
    if (repoCommit != null && !repoCommit.equals(commit)) {
      throw new GlimpseException("the hub served " + file + " of " + id + " from commit "
          + HubCache.printable(repoCommit) + " when asked for " + commit);
    }
    String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
    if (etag == null || !HubCache.isSafeName(etag)) {
      throw new GlimpseException("the hub gave no usable ETag for " + file + " of " + id + " ("
          + HubCache.printable(etag) + "), so the download cannot be checked");
    }
    long size = h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")).map(HubClient::parseSize)
        .orElse(-1L);
    return new FileInfo(file, etag, size, redirect ? resolveLocation(answer.uri(), location.get()) : answer.uri());
  }

  private record Answer<T>(HttpResponse<T> response, URI uri) {}

  /**
   * A request whose relative redirects (the hub's answer for a renamed repository) are followed, as
   * huggingface_hub does; an absolute redirect (to another host) is returned as the answer.
   */
  private <T> Answer<T> sendFollowingRelative(HubId id, String method, URI uri, HttpResponse.BodyHandler<T> body,
      String what) {
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<T> r = send(id, method, uri, body, what);
      Optional<String> location = r.headers().firstValue("Location");
      if (r.statusCode() < 300 || r.statusCode() >= 400 || location.isEmpty()) {
        return new Answer<>(r, uri);
      }
      URI target = resolveLocation(uri, location.get());
      if (URI.create(location.get()).getHost() != null) {
        return new Answer<>(r, uri);
      }
      uri = target;
    }
    throw new GlimpseException("more than " + MAX_REDIRECTS + " redirects for " + what + " of " + id);
  }

  /** One request; a network failure is a {@link HubUnreachableException}. */
  <T> HttpResponse<T> send(HubId id, String method, URI uri, HttpResponse.BodyHandler<T> body, String what) {
    HttpRequest request = request(uri).method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(settings.metadataTimeout()).build();
    try {
      return http.send(request, body);
    } catch (HttpTimeoutException e) {
      throw new HubUnreachableException("the hub at " + settings.endpoint() + " did not answer within "
          + seconds(settings.metadataTimeout()) + " (asking for " + what + " of " + id + "; HF_HUB_ETAG_TIMEOUT "
          + "sets the wait)", e);
    } catch (IOException e) {
      throw new HubUnreachableException("cannot reach the hub at " + settings.endpoint() + " ("
          + describe(e) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GlimpseException("interrupted while asking the hub for " + what + " of " + id);
    }
  }

  /** A request with the user agent and, for the hub's own origin only, the token. */
  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", userAgent())
        .header("Accept-Encoding", "identity");
    if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
      b.header("Authorization", "Bearer " + settings.token());
    }
    return b;
  }

  /** One line for an HTTP error, explaining what the hub's answer means for the user. */
  GlimpseException error(HubId id, String file, int status, HttpHeaders headers, URI uri) {
    String code = headers.firstValue("X-Error-Code").orElse("");
    String said = headers.firstValue("X-Error-Message").map(m -> " (the hub says: " + HubCache.printable(m) + ")")
        .orElse("");
    String page = settings.endpoint() + "/" + id.repo();
    String what = file == null ? id.toString() : file + " of " + id;
    if (code.equals("GatedRepo") || (status == 401 || status == 403) && said.toLowerCase(Locale.ROOT).contains("gated")) {
      return new GlimpseException(settings.token() == null
          ? id + " is a gated model (HTTP " + status + "): accept its conditions at " + page + ", then set HF_TOKEN "
              + "(or run 'huggingface-cli login') to a token of that account"
          : id + " is a gated model and the token's account has no access (HTTP " + status + "): accept its "
              + "conditions at " + page);
    }
    if (code.equals("RepoNotFound") || status == 404 && file == null && !code.equals("RevisionNotFound")) {
      return new GlimpseException(id + ": no such model on the hub at " + settings.endpoint() + " (HTTP " + status
          + "); check the id" + (settings.token() == null ? ", and if it is a private model set HF_TOKEN to a token "
          + "that can read it" : " and that the token can read it"));
    }
    if (code.equals("RevisionNotFound")) {
      return new GlimpseException(id + ": the model has no revision '" + id.revision() + "' (HTTP " + status
          + "); give a branch, tag or commit that exists (see " + page + "/tree/main)");
    }
    if (status == 404) {
      return new GlimpseException(what + " is not on the hub (HTTP 404)" + said);
    }
    if (status == 401) {
      return new GlimpseException(settings.token() == null
          ? id + " needs a login (HTTP 401): it is private or gated; set HF_TOKEN (or run 'huggingface-cli login')"
          : id + ": the hub refused the token (HTTP 401); check HF_TOKEN or the token file" + said);
    }
    if (status == 403) {
      return new GlimpseException(id + ": access denied (HTTP 403); the token cannot read this model" + said);
    }
    if (status == 429) {
      return new GlimpseException("the hub at " + settings.endpoint() + " is limiting the request rate (HTTP 429); "
          + "wait a few minutes" + (settings.token() == null ? " or set HF_TOKEN (logged-in users get more)" : ""));
    }
    if (status >= 500) {
      return new GlimpseException("the hub at " + settings.endpoint() + " failed (HTTP " + status + ") for " + what
          + "; try again later" + said);
    }
    return new GlimpseException("unexpected answer HTTP " + status + " from " + uri + said);
  }

  /** A redirect's target, resolved against the request's address. */
  static URI resolveLocation(URI from, String location) {
    try {
      URI target = from.resolve(new URI(location));
      if (!"http".equalsIgnoreCase(target.getScheme()) && !"https".equalsIgnoreCase(target.getScheme())) {
        throw new java.net.URISyntaxException(location, "not http(s)");
      }
      return target;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new GlimpseException("the hub redirected " + from.getPath() + " to an unusable address '"
          + HubCache.printable(location) + "'");
    }
  }

  URI hubUri(String path) {
    return URI.create(settings.endpoint() + path);
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** huggingface_hub's {@code quote(revision, safe="")}: every reserved character escaped, '/' too. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String file) {
    List<String> parts = new ArrayList<>();
    for (String p : file.split("/")) {
      parts.add(encode(p));
    }
    return String.join("/", parts);
  }

  /** ETag header to blob name: quotes and a weak-validator prefix removed. */
  static String normalizeEtag(String etag) {
    if (etag == null) {
      return null;
    }
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e.isEmpty() ? null : e;
  }

  private static long parseSize(String value) {
    try {
      long v = Long.parseLong(value.strip());
      return v >= 0 ? v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "host not found";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "connection refused or no route";
      }
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + HubCache.printable(m));
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.0f s", d.toMillis() / 1000.0);
  }

  private static String userAgent() {
    String v = HubClient.class.getPackage().getImplementationVersion();
    return "glimpse/" + (v == null ? "dev" : v) + "; java/" + System.getProperty("java.version");
  }
}
