package dev.glimpse.hf.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.hf.HfModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the files Glimpse needs of one revision of a hub model into the cache: asks the hub which
 * commit the revision is and which files it has, fetches the config first (a model of another
 * architecture stops there), then the side files, the weights or their index and its shards. Each
 * file becomes a verified blob; only when every blob is in place are the snapshot links written,
 * the side files the repository lacks recorded in {@code .no_exist}, and the revision's ref
 * updated, so a failed download never leaves a snapshot that looks complete.
 */
final class SnapshotDownload {
  private final HubClient client;
  private final HubCache cache;
  private final HubId id;
  private final PrintStream log;

  SnapshotDownload(HubSettings settings, HubId id, PrintStream log) {
    this.client = new HubClient(settings);
    this.cache = new HubCache(settings.cacheDir());
    this.id = id;
    this.log = log;
  }

  ModelResolver.Snapshot run() {
    HubClient.RepoInfo repo = client.repoInfo(id);
    String commit = repo.commit();
    Path snapshot = cache.snapshotDir(id, commit);
    List<String> wanted = ModelFiles.toFetch(id, repo.files());
    Map<String, HubClient.FileInfo> blobs = new LinkedHashMap<>(); // file -> its blob, for the links
    List<String> fetched = new ArrayList<>();
    long[] bytes = {0};

    if (log != null) {
      log.printf("%s: commit %s%s%n", id, commit, id.revision().equals(commit) ? "" : " (" + id.revision() + ")");
    }
    for (String file : wanted) {
      fetch(commit, snapshot, file, blobs, fetched, bytes);
      if (file.equals(HfModel.CONFIG)) {
        checkArchitecture(configPath(snapshot, blobs));
      }
    }
    if (wanted.contains(HfModel.WEIGHTS_INDEX)) {
      Path index = blobs.containsKey(HfModel.WEIGHTS_INDEX) ? cache.blob(id, blobs.get(HfModel.WEIGHTS_INDEX).etag())
          : snapshot.resolve(HfModel.WEIGHTS_INDEX);
      List<String> shards = HfModel.shardFiles(index);
      for (String shard : shards) {
        if (!repo.files().contains(shard)) {
          throw new GlimpseException(id + ": " + HfModel.WEIGHTS_INDEX + " names shard " + shard
              + ", which the repository does not have");
        }
      }
      List<HubClient.FileInfo> pending = new ArrayList<>();
      for (String shard : shards) {
        if (!Files.isRegularFile(snapshot.resolve(shard))) {
          pending.add(client.fileInfo(id, commit, shard));
        }
      }
      checkSpace(pending);
      for (HubClient.FileInfo shard : pending) {
        store(shard, blobs, fetched, bytes);
      }
    }

    for (Map.Entry<String, HubClient.FileInfo> e : blobs.entrySet()) {
      cache.link(id, commit, e.getKey(), e.getValue().etag());
    }
    for (String absent : ModelFiles.absentSideFiles(repo.files())) {
      cache.markAbsent(id, commit, absent);
    }
    cache.writeRef(id, commit);
    return new ModelResolver.Snapshot(id, commit, snapshot, List.copyOf(fetched), bytes[0]);
  }

  // one file: nothing when the snapshot has it, else its blob (downloaded unless already there)
  private void fetch(String commit, Path snapshot, String file, Map<String, HubClient.FileInfo> blobs,
      List<String> fetched, long[] bytes) {
    if (Files.isRegularFile(snapshot.resolve(file))) {
      return;
    }
    HubClient.FileInfo info = client.fileInfo(id, commit, file);
    if (file.equals(HfModel.WEIGHTS)) {
      checkSpace(List.of(info));
    }
    store(info, blobs, fetched, bytes);
  }

  private void store(HubClient.FileInfo info, Map<String, HubClient.FileInfo> blobs, List<String> fetched,
      long[] bytes) {
    Path blob = cache.blob(id, info.etag());
    if (!Files.isRegularFile(blob)) {
      BlobLock lock = BlobLock.acquire(cache.lockFile(id, info.etag()));
      try {
        if (!Files.isRegularFile(blob)) { // another process may have finished it while we waited
          Path partial = cache.incomplete(id, info.etag());
          long before = FileDownload.sizeOf(partial);
          new FileDownload(client, id, info, partial).run(log);
          cache.storeBlob(partial, id, info.etag());
          fetched.add(info.file());
          bytes[0] += FileDownload.sizeOf(blob) - before;
        }
      } finally {
        lock.close();
      }
    }
    blobs.put(info.file(), info);
  }

  private Path configPath(Path snapshot, Map<String, HubClient.FileInfo> blobs) {
    HubClient.FileInfo config = blobs.get(HfModel.CONFIG);
    return config != null ? cache.blob(id, config.etag()) : snapshot.resolve(HfModel.CONFIG);
  }

  /** Stops before the weights when the config is of a model Glimpse cannot load. */
  private void checkArchitecture(Path config) {
    JsonElement parsed = Json.parse(config);
    if (!parsed.isJsonObject()) {
      throw new GlimpseException(id + ": " + HfModel.CONFIG + " is not a JSON object");
    }
    JsonObject o = parsed.getAsJsonObject();
    boolean glimpse = o.has("format") && "glimpse".equals(string(o.get("format"))) || o.has("model")
        && o.get("model").isJsonObject();
    String type = string(o.get("model_type"));
    if (!glimpse && (type == null || !HfModel.supportsModelType(type))) {
      throw new GlimpseException(id + " is " + (type == null ? "a model without a model_type"
          : "a '" + type + "' model") + "; Glimpse reads " + String.join(", ", HfModel.supportedModelTypes())
          + " models (and Glimpse checkpoints), so nothing more was downloaded");
    }
  }

  private void checkSpace(List<HubClient.FileInfo> files) {
    long need = 0;
    for (HubClient.FileInfo f : files) {
      if (f.size() > 0 && !Files.isRegularFile(cache.blob(id, f.etag()))) {
        need += f.size() - FileDownload.sizeOf(cache.incomplete(id, f.etag()));
      }
    }
    if (need <= 0) {
      return;
    }
    try {
      Path dir = Files.createDirectories(cache.repoDir(id).resolve("blobs"));
      long free = Files.getFileStore(dir).getUsableSpace();
      if (free < need) {
        throw new GlimpseException(id + " needs " + DownloadProgress.size(need) + " in " + cache.root() + ", which has "
            + DownloadProgress.size(free) + " free (HF_HUB_CACHE or HF_HOME choose another place)");
      }
      if (log != null && need > (64L << 20)) {
        log.printf("%s: downloading %s of weights%n", id, DownloadProgress.size(need));
      }
    } catch (IOException e) {
      throw new GlimpseException("cannot create the HuggingFace cache folder in " + cache.root() + ": "
          + e.getMessage(), e);
    }
  }

  private static String string(JsonElement e) {
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
