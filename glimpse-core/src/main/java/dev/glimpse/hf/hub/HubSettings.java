package dev.glimpse.hf.hub;

import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where the hub and the cache are, read from the environment variables the Python tools use, so that
 * Glimpse and {@code transformers} share one cache and one login:
 * <ul>
 *   <li>{@code HF_ENDPOINT}: the hub's base URL (default {@code https://huggingface.co});
 *   <li>{@code HF_HUB_CACHE} (older name {@code HUGGINGFACE_HUB_CACHE}): the cache folder, default
 *       {@code $HF_HOME/hub}; {@code HF_HOME} defaults to {@code $XDG_CACHE_HOME/huggingface}, else
 *       {@code ~/.cache/huggingface};
 *   <li>{@code HF_TOKEN} (older name {@code HUGGING_FACE_HUB_TOKEN}), else the file
 *       {@code HF_TOKEN_PATH} (default {@code $HF_HOME/token}, written by {@code huggingface-cli login});
 *   <li>{@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) = 1/true/yes/on: never use the network;
 *   <li>{@code HF_HUB_ETAG_TIMEOUT} (seconds to wait for a metadata answer, default 10) and
 *       {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds a download may go without receiving a byte, default 10).
 * </ul>
 * A Java system property of the same name ({@code -DHF_ENDPOINT=...}) takes precedence over the
 * environment variable; an empty one counts as unset but still hides the variable. This is how
 * in-process callers (the tests) point Glimpse at another hub or cache, since a running JVM cannot
 * change its environment.
 *
 * @param endpoint base URL, without a trailing slash
 * @param cacheDir the hub cache folder (holds {@code models--ORG--NAME} folders)
 * @param token bearer token, or null
 * @param offline true: the cache only
 * @param metadataTimeout longest wait for the answer to a metadata request (file list, HEAD)
 * @param stallTimeout longest a download may receive nothing before it is given up (and resumed)
 */
public record HubSettings(URI endpoint, Path cacheDir, String token, boolean offline, Duration metadataTimeout,
    Duration stallTimeout) {
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  public HubSettings {
    if (endpoint == null || cacheDir == null || metadataTimeout == null || stallTimeout == null) {
      throw new IllegalArgumentException("endpoint, cacheDir and timeouts are required");
    }
    token = token == null || token.isBlank() ? null : token.strip();
  }

  /** Settings from system properties and environment variables (see the class comment). */
  public static HubSettings fromEnvironment() {
    return from(HubSettings::lookup);
  }

  /** Settings from a lookup of the variable names above (null or empty: unset). */
  static HubSettings from(UnaryOperator<String> variables) {
    UnaryOperator<String> get = name -> {
      String v = variables.apply(name);
      return v == null || v.isBlank() ? null : v.strip();
    };
    Path home = get.apply("HF_HOME") != null ? Path.of(expandHome(get.apply("HF_HOME")))
        : get.apply("XDG_CACHE_HOME") != null ? Path.of(expandHome(get.apply("XDG_CACHE_HOME")), "huggingface")
        : Path.of(System.getProperty("user.home"), ".cache", "huggingface");
    String cache = first(get.apply("HF_HUB_CACHE"), get.apply("HUGGINGFACE_HUB_CACHE"));
    Path cacheDir = cache != null ? Path.of(expandHome(cache)) : home.resolve("hub");
    String token = first(get.apply("HF_TOKEN"), get.apply("HUGGING_FACE_HUB_TOKEN"));
    if (token == null) {
      String tokenPath = get.apply("HF_TOKEN_PATH");
      token = readToken(tokenPath != null ? Path.of(expandHome(tokenPath)) : home.resolve("token"));
    }
    boolean offline = truthy(get.apply("HF_HUB_OFFLINE")) || truthy(get.apply("TRANSFORMERS_OFFLINE"));
    return new HubSettings(endpoint(first(get.apply("HF_ENDPOINT"), DEFAULT_ENDPOINT)), cacheDir, token, offline,
        seconds(get.apply("HF_HUB_ETAG_TIMEOUT"), "HF_HUB_ETAG_TIMEOUT"),
        seconds(get.apply("HF_HUB_DOWNLOAD_TIMEOUT"), "HF_HUB_DOWNLOAD_TIMEOUT"));
  }

  /** The same settings with downloads switched off (the {@code --offline} flag). */
  public HubSettings withOffline(boolean off) {
    return new HubSettings(endpoint, cacheDir, token, offline || off, metadataTimeout, stallTimeout);
  }

  public HubSettings withToken(String newToken) {
    return new HubSettings(endpoint, cacheDir, newToken, offline, metadataTimeout, stallTimeout);
  }

  public HubSettings withTimeouts(Duration metadata, Duration stall) {
    return new HubSettings(endpoint, cacheDir, token, offline, metadata, stall);
  }

  private static String lookup(String name) {
    String property = System.getProperty(name);
    return property != null ? property : System.getenv(name);
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  private static String expandHome(String path) {
    return path.equals("~") || path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }

  static URI endpoint(String value) {
    String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    try {
      URI uri = new URI(v);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new URISyntaxException(v, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new GlimpseException("HF_ENDPOINT '" + value + "' is not an http(s) URL (e.g. https://huggingface.co)");
    }
  }

  // as huggingface_hub reads its boolean variables: 1, ON, YES, TRUE in any case; anything else is false
  private static boolean truthy(String value) {
    return value != null && Set.of("1", "on", "yes", "true").contains(value.toLowerCase(Locale.ROOT));
  }

  private static Duration seconds(String value, String name) {
    if (value == null) {
      return Duration.ofSeconds(10);
    }
    try {
      double s = Double.parseDouble(value);
      if (s > 0 && s < 86_400) {
        return Duration.ofMillis(Math.round(s * 1000));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new GlimpseException(name + "='" + value + "': expected a number of seconds > 0");
  }

  private static String readToken(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      return t.isEmpty() ? null : t;
    } catch (IOException e) {
      throw new GlimpseException("cannot read the HuggingFace token file " + file + ": " + e.getMessage());
    }
  }
}
