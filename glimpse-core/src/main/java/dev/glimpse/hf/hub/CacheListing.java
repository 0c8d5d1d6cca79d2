package dev.glimpse.hf.hub;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.hf.HfModel;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The models in a HuggingFace cache, one entry per snapshot, with whether Glimpse can load it and
 * why not. Reads the cache as huggingface_hub's {@code scan_cache_dir} does (refs name commits,
 * snapshot files are followed to their blobs, each blob counted once per snapshot) but never
 * fails on a damaged repository: that becomes an entry's reason.
 */
public final class CacheListing {
  private CacheListing() {}

  /**
   * One snapshot.
   *
   * @param refs the branches and tags that point to it (empty: only reachable by its commit)
   * @param architecture {@code architectures[0]} of config.json, else its model_type; null without a config
   * @param sizeBytes bytes on disk of the files it links, each blob once
   * @param reason why Glimpse cannot load it, or null when it can
   */
  public record Entry(String repo, String commit, List<String> refs, String modelType, String architecture,
      long sizeBytes, int files, Path dir, String reason) {
    public boolean loadable() {
      return reason == null;
    }

    /** The id to give where a checkpoint goes: at {@code main} when that points here, else the first ref or the commit. */
    public String spec() {
      String rev = refs.contains(HubId.DEFAULT_REVISION) ? HubId.DEFAULT_REVISION : refs.isEmpty() ? commit : refs.get(0);
      return new HubId(repo, rev).toString();
    }

    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("id", spec());
      o.addProperty("repo", repo);
      JsonArray r = new JsonArray();
      refs.forEach(r::add);
      o.add("revisions", r);
      o.addProperty("commit", commit);
      o.addProperty("model_type", modelType);
      o.addProperty("architecture", architecture);
      o.addProperty("size_bytes", sizeBytes);
      o.addProperty("files", files);
      o.addProperty("path", dir.toString());
      o.addProperty("loadable", loadable());
      if (reason != null) {
        o.addProperty("reason", reason);
      }
      return o;
    }
  }

  /** Every model snapshot in the cache, sorted by repository then commit. */
  public static List<Entry> scan(Path cacheDir) {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(cacheDir)) {
      return entries;
    }
    List<Path> repos;
    try (Stream<Path> list = Files.list(cacheDir)) {
      repos = list.filter(p -> p.getFileName().toString().startsWith("models--") && Files.isDirectory(p)).sorted()
          .toList();
    } catch (IOException e) {
      throw new GlimpseException("cannot list the HuggingFace cache " + cacheDir + ": " + e.getMessage(), e);
    }
    for (Path repoDir : repos) {
      String folder = repoDir.getFileName().toString().substring("models--".length());
      String repo = String.join("/", folder.split("--"));
      Map<String, List<String>> refsByCommit = refs(repoDir.resolve("refs"));
      Path snapshots = repoDir.resolve("snapshots");
      if (!Files.isDirectory(snapshots)) {
        continue;
      }
      try (Stream<Path> list = Files.list(snapshots)) {
        for (Path snap : list.filter(Files::isDirectory).sorted().toList()) {
          String commit = snap.getFileName().toString();
          entries.add(entry(repo, commit, refsByCommit.getOrDefault(commit, List.of()), snap));
        }
      } catch (IOException e) {
        throw new GlimpseException("cannot list " + snapshots + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }

  private static Map<String, List<String>> refs(Path refsDir) {
    Map<String, List<String>> byCommit = new TreeMap<>();
    if (!Files.isDirectory(refsDir)) {
      return byCommit;
    }
    try (Stream<Path> walk = Files.walk(refsDir)) {
      for (Path ref : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = refsDir.relativize(ref).toString().replace('\\', '/');
        String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        byCommit.computeIfAbsent(commit, c -> new ArrayList<>()).add(name);
      }
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + refsDir + ": " + e.getMessage(), e);
    }
    byCommit.values().forEach(l -> l.sort(Comparator.comparing((String r) -> !r.equals(HubId.DEFAULT_REVISION))
        .thenComparing(Comparator.naturalOrder())));
    return byCommit;
  }

  private static Entry entry(String repo, String commit, List<String> refs, Path snap) {
    long size = 0;
    int files = 0;
    Set<Path> seen = new HashSet<>();
    try (Stream<Path> walk = Files.walk(snap)) {
      for (Path f : walk.filter(p -> !Files.isDirectory(p)).toList()) {
        files++;
        if (Files.exists(f)) {
          Path real = f.toRealPath();
          if (seen.add(real)) {
            size += Files.size(real);
          }
        }
      }
    } catch (IOException e) {
      return new Entry(repo, commit, refs, null, null, size, files, snap, "unreadable: " + e.getMessage());
    }
    String modelType = null;
    String architecture = null;
    String reason = null;
    Path config = snap.resolve(HfModel.CONFIG);
    if (!Files.isRegularFile(config)) {
      reason = "no " + HfModel.CONFIG;
    } else {
      try {
        JsonObject o = JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8)).getAsJsonObject();
        boolean glimpse = "glimpse".equals(string(o.get("format"))) || o.has("model") && o.get("model").isJsonObject();
        modelType = string(o.get("model_type"));
        JsonElement arch = o.get("architectures");
        architecture = arch != null && arch.isJsonArray() && !arch.getAsJsonArray().isEmpty()
            ? string(arch.getAsJsonArray().get(0)) : glimpse ? "glimpse " + modelType : modelType;
        if (!glimpse && (modelType == null || !HfModel.supportsModelType(modelType))) {
          reason = modelType == null ? "config.json has no model_type" : "model_type '" + modelType
              + "' is not one Glimpse reads (" + String.join(", ", HfModel.supportedModelTypes()) + ")";
        } else {
          List<String> missing = glimpse ? (Files.isRegularFile(snap.resolve(HfModel.WEIGHTS)) ? List.of()
              : List.of(HfModel.WEIGHTS)) : HfModel.missingWeightFiles(snap);
          if (!missing.isEmpty()) {
            reason = "missing " + String.join(", ", missing);
          } else if (glimpse && !Files.isRegularFile(snap.resolve(HfTokenizer.FILE))) {
            reason = "missing " + HfTokenizer.FILE;
          }
        }
      } catch (IOException | RuntimeException e) {
        reason = "unreadable config.json (" + e.getMessage() + ")";
      }
    }
    return new Entry(repo, commit, refs, modelType, architecture, size, files, snap, reason);
  }

  /** Bytes in B, KiB, MiB, GiB or TiB. */
  public static String humanSize(long bytes) {
    if (bytes < 0) {
      return "?";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }

  private static String string(JsonElement e) {
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
