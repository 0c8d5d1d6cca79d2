package dev.glimpse.hf.hub;

import dev.glimpse.util.GlimpseException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a user gives where a model is expected into a local folder: a path stays a path; a hub
 * id {@code hf:ORG/NAME[@REV]} becomes its snapshot folder in the HuggingFace cache, the way
 * {@code from_pretrained} finds it. Every command that takes a checkpoint calls this one resolver.
 *
 * <p>Order for a hub id: the cache ({@code refs/REV} to a snapshot that has the config, the weights
 * and the tokenizer and preprocessor files or a record that the repository has none); then, unless
 * offline ({@code HF_HUB_OFFLINE=1} or {@code --offline}), a download of the missing files (see
 * {@link SnapshotDownload}). A snapshot with config and weights is still used, with a warning, when
 * it lacks side files and the hub cannot be reached or downloads are off. A cached branch is not
 * checked for newer commits; {@code glimpse hf download} (which always asks the hub) updates it.
 */
public final class ModelResolver {
  private ModelResolver() {}

  /**
   * A revision of a hub model in the cache.
   *
   * @param dir the snapshot folder ({@code models--ORG--NAME/snapshots/COMMIT})
   * @param fetched files downloaded by this call (empty when everything was cached)
   * @param fetchedBytes bytes downloaded by this call
   */
  public record Snapshot(HubId id, String commit, Path dir, List<String> fetched, long fetchedBytes) {}

  /**
   * The local folder for a checkpoint argument: a hub id through the cache (settings from the
   * environment, downloads off when {@code offline}), anything else as a path.
   *
   * @param log where progress and notes go (stderr or stdout by the caller's choice); null for none
   */
  public static Path resolve(String spec, boolean offline, PrintStream log) {
    if (!HubId.isHubId(spec)) {
      return local(spec);
    }
    return resolve(spec, HubSettings.fromEnvironment().withOffline(offline), log);
  }

  public static Path resolve(String spec, HubSettings settings, PrintStream log) {
    if (!HubId.isHubId(spec)) {
      return local(spec);
    }
    return snapshot(HubId.parse(spec), settings, log).dir();
  }

  /** The cached snapshot of a hub model, completed or downloaded when it is missing and downloads are on. */
  public static Snapshot snapshot(HubId id, HubSettings settings, PrintStream log) {
    HubCache cache = new HubCache(settings.cacheDir());
    Optional<String> commit = cache.commitOf(id);
    ModelFiles.Missing missing = null;
    if (commit.isPresent() && Files.isDirectory(cache.snapshotDir(id, commit.get()))) {
      Path dir = cache.snapshotDir(id, commit.get());
      missing = ModelFiles.missing(dir, f -> cache.knownAbsent(id, commit.get(), f));
      Snapshot cached = new Snapshot(id, commit.get(), dir, List.of(), 0);
      if (missing.none()) {
        note(log, id + ": using the cached snapshot " + dir);
        return cached;
      }
      if (missing.required().isEmpty() && settings.offline()) {
        note(log, "warning: " + id + " is cached without " + String.join(", ", missing.unknown())
            + " and downloads are off; using it as it is");
        return cached;
      }
      if (!settings.offline()) {
        try {
          return download(id, settings, log);
        } catch (HubUnreachableException e) {
          if (!missing.required().isEmpty()) {
            throw e;
          }
          note(log, "warning: " + e.getMessage() + "; using the cached " + id + " without "
              + String.join(", ", missing.unknown()));
          return cached;
        }
      }
    }
    if (settings.offline()) {
      throw new GlimpseException(id + (missing == null ? " is not in the HuggingFace cache " + settings.cacheDir()
          : " is only partly in the HuggingFace cache (missing " + String.join(", ", missing.required()) + ")")
          + " and downloads are off (--offline or HF_HUB_OFFLINE); fetch it first with 'glimpse hf download " + id
          + "' where the hub can be reached");
    }
    return download(id, settings, log);
  }

  /** Asks the hub for the revision's current commit and brings its files into the cache. */
  public static Snapshot download(HubId id, HubSettings settings, PrintStream log) {
    if (settings.offline()) {
      throw new GlimpseException("cannot download " + id + ": downloads are off (--offline or HF_HUB_OFFLINE)");
    }
    return new SnapshotDownload(settings, id, log).run();
  }

  /** A local path; one that does not exist but reads as a hub id gets a hint. */
  static Path local(String spec) {
    Path path;
    try {
      path = Path.of(spec);
    } catch (InvalidPathException e) {
      throw new GlimpseException("'" + HubCache.printable(spec) + "' is not a valid path");
    }
    if (!Files.exists(path) && looksLikeRepoId(spec)) {
      throw new GlimpseException(spec + " not found; for the HuggingFace model write hf:" + spec);
    }
    return path;
  }

  private static boolean looksLikeRepoId(String spec) {
    if (spec.chars().filter(c -> c == '/').count() != 1 || spec.startsWith(".") || spec.startsWith("/")) {
      return false;
    }
    try {
      HubId.parse(spec);
      return true;
    } catch (GlimpseException e) {
      return false;
    }
  }

  private static void note(PrintStream log, String line) {
    if (log != null) {
      log.println(line);
    }
  }
}
