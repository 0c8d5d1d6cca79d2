package dev.glimpse.hf.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.hf.HfModel;
import dev.glimpse.hf.HfVerify;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub ids resolved against a hub on loopback ({@link FakeHub}): the cache layout huggingface_hub
 * reads, offline use, gated and missing repositories, resumed, corrupt and short downloads, sharded
 * weights, and loading a cached model with no network at all.
 */
class HubDownloadTest {
  static NDManager manager;
  @TempDir Path tmp;
  FakeHub hub;
  HubSettings settings;
  ByteArrayOutputStream logBytes;
  PrintStream log;

  @BeforeAll
  static void engine() {
    manager = NDManager.newBaseManager();
    FileDownload.retryWaitSeconds = 0.01;
  }

  @AfterAll
  static void close() {
    manager.close();
    FileDownload.retryWaitSeconds = 1.0;
  }

  @BeforeEach
  void start() {
    hub = new FakeHub();
    settings = new HubSettings(hub.endpoint(), tmp.resolve("cache"), null, false, Duration.ofSeconds(10),
        Duration.ofSeconds(10));
    logBytes = new ByteArrayOutputStream();
    log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  static Path resource(String name) {
    return HubFixtures.resource(name);
  }

  FakeHub.Repo gitRepo(String id) throws IOException {
    return HubFixtures.gitRepo(hub, id);
  }

  FakeHub.Repo shardedLlava(String id) throws IOException {
    return HubFixtures.shardedLlava(hub, id, tmp);
  }

  Path repoDir(String id) {
    return settings.cacheDir().resolve("models--" + id.replace("/", "--"));
  }

  List<FakeHub.Request> gets(String server) {
    return hub.requests().stream().filter(r -> r.server().equals(server) && r.method().equals("GET")).toList();
  }

  @Test
  void downloadsIntoTheLayoutOfTheHuggingFaceCache() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    settings = settings.withToken(FakeHub.TOKEN);
    Path dir = ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);

    Path repoDir = repoDir("tiny-org/git-tiny");
    assertEquals(repoDir.resolve("snapshots").resolve(repo.commit()), dir);
    // refs/main holds the commit, exactly (huggingface_hub reads it without stripping)
    assertEquals(repo.commit(), Files.readString(repoDir.resolve("refs/main")));
    for (String file : new String[] {"config.json", "generation_config.json", "tokenizer.json", "model.safetensors"}) {
      Path link = dir.resolve(file);
      assertTrue(Files.isSymbolicLink(link), file + " is a symlink");
      byte[] content = repo.bytes(file);
      String etag = file.endsWith(".safetensors") ? FakeHub.sha256(content) : FakeHub.gitSha1(content);
      assertEquals(Path.of("..", "..", "blobs", etag), Files.readSymbolicLink(link), file);
      assertArrayEquals(content, Files.readAllBytes(repoDir.resolve("blobs").resolve(etag)), file);
    }
    // only what Glimpse reads: no pickles, other weights, sub-folders or READMEs
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    for (FakeHub.Request r : hub.requests()) {
      assertFalse(r.path().endsWith(".bin") || r.path().contains("fp16") || r.path().contains("onnx")
          || r.path().endsWith("README.md"), r.toString());
    }
    // side files the repository lacks are recorded as absent, as huggingface_hub records them
    assertTrue(Files.exists(repoDir.resolve(".no_exist").resolve(repo.commit()).resolve("preprocessor_config.json")));
    assertFalse(Files.exists(repoDir.resolve(".no_exist").resolve(repo.commit()).resolve("tokenizer.json")));
    try (Stream<Path> blobs = Files.list(repoDir.resolve("blobs"))) {
      assertTrue(blobs.noneMatch(p -> p.getFileName().toString().startsWith(".")
          || p.toString().endsWith(".incomplete")), "no temporary files left");
    }
    // the token goes to the hub, never to the storage host an LFS file redirects to
    assertTrue(gets("hub").stream().allMatch(r -> ("Bearer " + FakeHub.TOKEN).equals(r.authorization())));
    List<FakeHub.Request> storage = gets("storage");
    assertEquals(1, storage.size());
    assertNull(storage.get(0).authorization());
    assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("model.safetensors: 207 KiB in"),
        logBytes.toString(StandardCharsets.UTF_8));

    // the cached snapshot loads as any HF folder
    try (LoadedModel m = LoadedModel.load(dir, manager)) {
      assertEquals("git", m.config().modelType());
    }
  }

  @Test
  void aCachedModelLoadsWithNoNetworkAtAll() throws IOException {
    gitRepo("tiny-org/git-tiny");
    ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    hub.close(); // nothing listens any more
    hub.clearRequests();
    Path again = ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    try (LoadedModel m = LoadedModel.load(again, manager)) {
      assertEquals(99, m.tokenizer().vocabSize());
    }
    assertTrue(hub.requests().isEmpty());
    // and offline, by the commit hash too
    String commit = Files.readString(repoDir("tiny-org/git-tiny").resolve("refs/main"));
    assertEquals(again, ModelResolver.resolve("hf:tiny-org/git-tiny@" + commit, settings.withOffline(true), log));
  }

  @Test
  void offlineModeUsesTheCacheOnly() throws IOException {
    gitRepo("tiny-org/git-tiny");
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny", settings.withOffline(true), log));
    assertTrue(e.getMessage().contains("is not in the HuggingFace cache") && e.getMessage().contains("--offline")
        && e.getMessage().contains("glimpse hf download hf:tiny-org/git-tiny"), e.getMessage());
    assertTrue(hub.requests().isEmpty(), "offline: no request at all");

    ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    hub.clearRequests();
    ModelResolver.resolve("hf:tiny-org/git-tiny", settings.withOffline(true), log);
    assertTrue(hub.requests().isEmpty());
    GlimpseException other = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny@v2", settings.withOffline(true), log));
    assertTrue(other.getMessage().contains("not in the HuggingFace cache"), other.getMessage());
  }

  @Test
  void aCacheWrittenByThePythonToolsIsUsedAsItIs() throws IOException {
    // huggingface_hub's layout written by hand: no .no_exist record, no preprocessor_config.json
    String commit = "0123456789abcdef0123456789abcdef01234567";
    Path repoDir = repoDir("someone/git-py");
    Path snapshot = Files.createDirectories(repoDir.resolve("snapshots").resolve(commit));
    Files.createDirectories(repoDir.resolve("blobs"));
    Files.createDirectories(repoDir.resolve("refs"));
    Files.writeString(repoDir.resolve("refs/main"), commit);
    for (Path source : new Path[] {resource("hf/git/config.json"), resource("hf/git/model.safetensors"),
        resource("hf-tokenizers/wordpiece-99/tokenizer.json")}) {
      byte[] content = Files.readAllBytes(source);
      String name = source.getFileName().toString();
      String etag = name.endsWith(".safetensors") ? FakeHub.sha256(content) : FakeHub.gitSha1(content);
      Files.write(repoDir.resolve("blobs").resolve(etag), content);
      Files.createSymbolicLink(snapshot.resolve(name), Path.of("..", "..", "blobs", etag));
    }
    // offline: used with a warning that the preprocessor config is unknown
    assertEquals(snapshot, ModelResolver.resolve("hf:someone/git-py", settings.withOffline(true), log));
    assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("preprocessor_config.json"));
    // online with the hub unreachable: the same, with the reason
    hub.close();
    assertEquals(snapshot, ModelResolver.resolve("hf:someone/git-py", settings, log));
    assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("cannot reach the hub"),
        logBytes.toString(StandardCharsets.UTF_8));
    try (LoadedModel m = LoadedModel.load(snapshot, manager)) {
      assertEquals("git", m.config().modelType());
    }
  }

  @Test
  void gatedRepositoriesNeedAToken() throws IOException {
    gitRepo("tiny-org/gated").gated();
    GlimpseException noToken = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/gated", settings, log));
    assertTrue(noToken.getMessage().contains("gated") && noToken.getMessage().contains("HF_TOKEN")
        && noToken.getMessage().contains("HTTP 401") && noToken.getMessage().contains(hub.endpoint() + "/tiny-org/gated"),
        noToken.getMessage());
    assertEquals(1, noToken.getMessage().lines().count());
    assertFalse(Files.exists(repoDir("tiny-org/gated").resolve("snapshots")), "nothing cached");

    GlimpseException wrong = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/gated", settings.withToken("hf_wrong"), log));
    assertTrue(wrong.getMessage().contains("no access"), wrong.getMessage());

    // the token file the Python tools write is found through HF_HOME
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(home.resolve("token"), FakeHub.TOKEN + "\n");
    HubSettings fromEnv = HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_HUB_CACHE",
        settings.cacheDir().toString(), "HF_ENDPOINT", hub.endpoint().toString())::get);
    Path dir = ModelResolver.resolve("hf:tiny-org/gated", fromEnv, log);
    assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
  }

  @Test
  void missingRepositoriesRevisionsAndFilesSayWhich() throws IOException {
    gitRepo("tiny-org/git-tiny");
    GlimpseException repo = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/nothing", settings, log));
    assertTrue(repo.getMessage().contains("no such model") && repo.getMessage().contains("HTTP 404"), repo.getMessage());
    GlimpseException rev = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny@v9", settings, log));
    assertTrue(rev.getMessage().contains("no revision 'v9'"), rev.getMessage());
    GlimpseException local = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("tiny-org/git-tiny", settings, log));
    assertTrue(local.getMessage().contains("hf:tiny-org/git-tiny"), local.getMessage());

    hub.close();
    GlimpseException down = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log));
    assertTrue(down.getMessage().contains("cannot reach the hub at " + hub.endpoint()), down.getMessage());
  }

  @Test
  void anInterruptedDownloadContinuesWithARange() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    hub.fault(repo, "model.safetensors", FakeHub.Fault.CUT, 1, 100_000);
    Path dir = ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    List<FakeHub.Request> storage = gets("storage");
    assertEquals(2, storage.size(), storage.toString());
    assertNull(storage.get(0).range());
    assertEquals("bytes=100000-", storage.get(1).range());
    assertArrayEquals(repo.bytes("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
  }

  @Test
  void aPartialDownloadIsKeptAndTheNextRunContinuesIt() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    hub.fault(repo, "model.safetensors", FakeHub.Fault.CUT, FileDownload.ATTEMPTS, 10_000);
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log));
    assertTrue(e.getMessage().contains("failed " + FileDownload.ATTEMPTS + " times")
        && e.getMessage().contains("next run continues"), e.getMessage());
    String sha = FakeHub.sha256(repo.bytes("model.safetensors"));
    Path partial = repoDir("tiny-org/git-tiny").resolve("blobs").resolve(sha + ".incomplete");
    assertEquals(50_000, Files.size(partial)); // five attempts, each cut after 10,000 bytes
    assertEquals(java.util.Arrays.asList(null, "bytes=10000-", "bytes=20000-", "bytes=30000-", "bytes=40000-"),
        gets("storage").stream().map(FakeHub.Request::range).toList());
    assertFalse(Files.exists(repoDir("tiny-org/git-tiny").resolve("refs/main")), "no ref to a broken snapshot");
    assertFalse(Files.exists(repoDir("tiny-org/git-tiny").resolve("snapshots")), "no snapshot yet");

    hub.clearRequests();
    Path dir = ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    assertEquals(List.of("bytes=50000-"), gets("storage").stream().map(FakeHub.Request::range).toList());
    assertEquals(1, gets("hub").stream().filter(r -> r.path().endsWith("/api/models/tiny-org/git-tiny/revision/main"))
        .count());
    assertArrayEquals(repo.bytes("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
    assertFalse(Files.exists(partial));
  }

  @Test
  void aStalledDownloadIsGivenUpAndContinued() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    hub.fault(repo, "model.safetensors", FakeHub.Fault.STALL, 1, 80_000);
    Path dir = ModelResolver.resolve("hf:tiny-org/git-tiny",
        settings.withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300)), log);
    assertEquals("bytes=80000-", gets("storage").get(1).range());
    assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("no data for"));
    assertArrayEquals(repo.bytes("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
  }

  @Test
  void aCorruptDownloadIsCaughtByItsHashAndNothingIsCached() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    hub.fault(repo, "model.safetensors", FakeHub.Fault.CORRUPT, 1, 12_345);
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log));
    String sha = FakeHub.sha256(repo.bytes("model.safetensors"));
    assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("sha256")
        && e.getMessage().contains(sha) && e.getMessage().contains("nothing was added"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    Path repoDir = repoDir("tiny-org/git-tiny");
    assertFalse(Files.exists(repoDir.resolve("blobs").resolve(sha)));
    assertFalse(Files.exists(repoDir.resolve("blobs").resolve(sha + ".incomplete")));
    assertFalse(Files.exists(repoDir.resolve("snapshots")));
    assertFalse(Files.exists(repoDir.resolve("refs")));
    // the fault was once: the next run gets the right bytes
    Path dir = ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    assertArrayEquals(repo.bytes("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
  }

  @Test
  void aShortDownloadIsCaughtByItsSize() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    hub.fault(repo, "model.safetensors", FakeHub.Fault.SHORT, 1, 1000);
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log));
    assertTrue(e.getMessage().contains("has 1000 bytes where the hub announced "
        + repo.bytes("model.safetensors").length), e.getMessage());
    assertFalse(Files.exists(repoDir("tiny-org/git-tiny").resolve("snapshots")));
  }

  @Test
  void aRegularFileIsCheckedByItsGitBlobId() throws IOException {
    FakeHub.Repo repo = gitRepo("tiny-org/git-tiny");
    hub.fault(repo, "config.json", FakeHub.Fault.CORRUPT, 1, 40);
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("git blob sha1")
        && e.getMessage().contains(FakeHub.gitSha1(repo.bytes("config.json"))), e.getMessage());
    assertEquals(0, gets("storage").size(), "stopped at the config, before the weights");
  }

  @Test
  void shardedWeightsDownloadAndMatchTransformers() throws IOException {
    FakeHub.Repo repo = shardedLlava("tiny-org/llava-sharded");
    ModelResolver.Snapshot s = ModelResolver.snapshot(HubId.parse("hf:tiny-org/llava-sharded"), settings, log);
    assertTrue(s.fetched().containsAll(List.of("model.safetensors.index.json", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors")), s.fetched().toString());
    assertEquals(List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"),
        HfModel.shardFiles(s.dir().resolve("model.safetensors.index.json")));
    JsonObject report = HfVerify.run(s.dir(), resource("hf/llava/inputs.safetensors"),
        resource("hf/llava/outputs.safetensors"), new HfVerify.Options(null, HfVerify.DEFAULT_TOLERANCE), manager);
    assertTrue(report.get("ok").getAsBoolean(), report.toString());
    assertEquals(repo.commit(), s.commit());

    // a shard gone from the cache: the model is incomplete, offline says which file, online fetches it again
    Files.delete(s.dir().resolve("model-00002-of-00002.safetensors"));
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/llava-sharded", settings.withOffline(true), log));
    assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
    hub.clearRequests();
    ModelResolver.resolve("hf:tiny-org/llava-sharded", settings, log);
    assertEquals(0, gets("storage").size(), "the blob was still there: only the link is written again");
    assertTrue(Files.isRegularFile(s.dir().resolve("model-00002-of-00002.safetensors")));
  }

  @Test
  void reposWithoutUsableWeightsOrOfAnotherArchitectureStopEarly() throws IOException {
    hub.repo("tiny-org/pickles").file("config.json", Files.readAllBytes(resource("hf/git/config.json")))
        .file("pytorch_model.bin", new byte[] {1, 2, 3});
    GlimpseException pickles = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/pickles", settings, log));
    assertTrue(pickles.getMessage().contains("pytorch_model.bin") && pickles.getMessage().contains("@refs/pr/N"),
        pickles.getMessage());

    JsonObject t5 = new JsonObject();
    t5.addProperty("model_type", "t5");
    hub.repo("tiny-org/t5").file("config.json", t5.toString().getBytes(StandardCharsets.UTF_8))
        .file("model.safetensors", Files.readAllBytes(resource("hf/git/model.safetensors")));
    GlimpseException other = assertThrows(GlimpseException.class,
        () -> ModelResolver.resolve("hf:tiny-org/t5", settings, log));
    assertTrue(other.getMessage().contains("'t5' model") && other.getMessage().contains("nothing more"),
        other.getMessage());
    assertEquals(0, gets("storage").size(), "the weights were never requested");
  }

  @Test
  void aRenamedRepositoryIsFollowed() throws IOException {
    gitRepo("tiny-org/git-new");
    hub.rename("tiny-org/git-tiny", "tiny-org/git-new"); // relative redirects, as the hub answers for old names
    Path dir = ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
    assertTrue(hub.requests().stream().anyMatch(r -> r.path().startsWith("/tiny-org/git-new/resolve/")));
  }

  @Test
  void theCacheListingShowsWhatGlimpseCanLoad() throws IOException {
    gitRepo("tiny-org/git-tiny");
    shardedLlava("tiny-org/llava-sharded");
    ModelResolver.resolve("hf:tiny-org/git-tiny", settings, log);
    ModelResolver.resolve("hf:tiny-org/llava-sharded", settings, log);
    Path t5 = Files.createDirectories(repoDir("other/t5-small").resolve("snapshots/abc"));
    Files.writeString(t5.resolve("config.json"), "{\"model_type\": \"t5\", \"architectures\": [\"T5Model\"]}");

    List<CacheListing.Entry> entries = CacheListing.scan(settings.cacheDir());
    assertEquals(List.of("other/t5-small", "tiny-org/git-tiny", "tiny-org/llava-sharded"),
        entries.stream().map(CacheListing.Entry::repo).toList());
    CacheListing.Entry git = entries.get(1);
    assertTrue(git.loadable());
    assertEquals("hf:tiny-org/git-tiny", git.spec());
    assertEquals(List.of("main"), git.refs());
    assertEquals("GitForCausalLM", git.architecture());
    long expected = 0;
    for (String f : new String[] {"config.json", "generation_config.json", "tokenizer.json", "model.safetensors"}) {
      expected += Files.size(resource(f.equals("tokenizer.json") ? "hf-tokenizers/wordpiece-99/" + f : "hf/git/" + f));
    }
    assertEquals(expected, git.sizeBytes());
    assertEquals("LlavaForConditionalGeneration", entries.get(2).architecture());
    assertTrue(entries.get(2).loadable());
    assertFalse(entries.get(0).loadable());
    assertTrue(entries.get(0).reason().contains("'t5'"), entries.get(0).reason());
    assertEquals("hf:other/t5-small@abc", entries.get(0).spec());
    Json.GSON.toJson(git.toJson()); // serialisable
  }
}
