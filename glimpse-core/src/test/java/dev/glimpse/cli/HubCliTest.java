package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.hf.hub.FakeHub;
import dev.glimpse.hf.hub.HubFixtures;
import dev.glimpse.testing.CliRun;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands with HuggingFace hub ids, end to end against a hub on loopback: HF_ENDPOINT and the
 * cache are set as system properties, which take precedence over the environment.
 */
class HubCliTest {
  /** Every variable the hub settings read: set for the test (empty hides the environment's). */
  static final List<String> VARIABLES = List.of("HF_ENDPOINT", "HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE",
      "XDG_CACHE_HOME", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE",
      "HF_HUB_ETAG_TIMEOUT", "HF_HUB_DOWNLOAD_TIMEOUT");

  @TempDir Path tmp;
  FakeHub hub;
  Path cache;
  Path image;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("hf-home").resolve("hub");
    for (String v : VARIABLES) {
      System.setProperty(v, "");
    }
    System.setProperty("HF_ENDPOINT", hub.endpoint().toString());
    System.setProperty("HF_HOME", tmp.resolve("hf-home").toString());
    BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 80, 60);
    g.setColor(Color.BLUE);
    g.fillRect(20, 10, 30, 30);
    g.dispose();
    image = tmp.resolve("blue.png");
    ImageIO.write(img, "png", image.toFile());
  }

  @AfterEach
  void stop() {
    hub.close();
    VARIABLES.forEach(System::clearProperty);
  }

  /** The same files as a plain folder, to compare with. */
  static Path folder(FakeHub.Repo repo, Path dir, String... names) throws IOException {
    Files.createDirectories(dir);
    for (String n : names) {
      Files.write(dir.resolve(n), repo.bytes(n));
    }
    return dir;
  }

  @Test
  void captionsAHubModelEndToEnd() throws IOException {
    FakeHub.Repo repo = HubFixtures.gitRepo(hub, "tiny-org/git-tiny");
    CliRun run = CliRun.of("caption", "--checkpoint", "hf:tiny-org/git-tiny", image.toString(), "--max-tokens", "4",
        "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject out = run.json();
    String caption = out.getAsJsonArray("captions").get(0).getAsJsonObject().get("caption").getAsString();
    Path snapshot = cache.resolve("models--tiny-org--git-tiny").resolve("snapshots").resolve(repo.commit());
    assertEquals(snapshot.toString(), out.get("checkpoint").getAsString());
    assertTrue(run.err().contains("model.safetensors: 207 KiB in"), run.err()); // progress on stderr under --json

    Path local = folder(repo, tmp.resolve("local"), "config.json", "generation_config.json", "tokenizer.json",
        "model.safetensors");
    CliRun direct = CliRun.of("caption", "--checkpoint", local.toString(), image.toString(), "--max-tokens", "4",
        "--json");
    assertEquals(0, direct.exitCode(), direct.err());
    assertEquals(caption, direct.json().getAsJsonArray("captions").get(0).getAsJsonObject().get("caption")
        .getAsString());

    // again, offline and with the hub gone: from the cache
    hub.close();
    hub.clearRequests();
    CliRun offline = CliRun.of("caption", "--checkpoint", "hf:tiny-org/git-tiny", "--offline", image.toString(),
        "--max-tokens", "4", "--json");
    assertEquals(0, offline.exitCode(), offline.err());
    assertEquals(caption, offline.json().getAsJsonArray("captions").get(0).getAsJsonObject().get("caption")
        .getAsString());
    assertTrue(hub.requests().isEmpty());
  }

  @Test
  void downloadListVerifyAndImportAShardedModel() throws IOException {
    FakeHub.Repo repo = HubFixtures.shardedLlava(hub, "tiny-org/llava-sharded", tmp);
    CliRun download = CliRun.of("hf", "download", "tiny-org/llava-sharded", "--json");
    assertEquals(0, download.exitCode(), download.err());
    JsonObject d = download.json();
    assertEquals(repo.commit(), d.get("commit").getAsString());
    assertEquals("hf:tiny-org/llava-sharded", d.get("id").getAsString());
    List<String> fetched = d.getAsJsonArray("downloaded").asList().stream().map(e -> e.getAsString()).toList();
    assertTrue(fetched.containsAll(List.of("config.json", "model.safetensors.index.json",
        "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "tokenizer.json")), fetched.toString());

    CliRun again = CliRun.of("hf", "download", "hf:tiny-org/llava-sharded", "--json");
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(0, again.json().getAsJsonArray("downloaded").size(), "everything was cached");

    CliRun list = CliRun.of("hf", "list", "--json");
    assertEquals(0, list.exitCode(), list.err());
    JsonArray models = list.json().getAsJsonArray("models");
    assertEquals(1, models.size());
    JsonObject m = models.get(0).getAsJsonObject();
    assertEquals("hf:tiny-org/llava-sharded", m.get("id").getAsString());
    assertEquals("LlavaForConditionalGeneration", m.get("architecture").getAsString());
    assertEquals("llava", m.get("model_type").getAsString());
    assertEquals(List.of("main"), m.getAsJsonArray("revisions").asList().stream().map(e -> e.getAsString()).toList());
    long size = 0;
    for (String f : new String[] {"config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors"}) {
      size += repo.bytes(f).length;
    }
    assertEquals(size, m.get("size_bytes").getAsLong());
    CliRun human = CliRun.of("hf", "list");
    assertTrue(human.out().contains("hf:tiny-org/llava-sharded") && human.out().contains("LlavaForConditionalGeneration"),
        human.out());

    Path fixture = HubFixtures.resource("hf/llava");
    CliRun verify = CliRun.of("hf", "verify", "--model", "hf:tiny-org/llava-sharded", "--offline", "--inputs",
        fixture.resolve("inputs.safetensors").toString(), "--expected", fixture.resolve("outputs.safetensors").toString(),
        "--json");
    assertEquals(0, verify.exitCode(), verify.err());
    assertTrue(verify.json().get("ok").getAsBoolean());

    Path ckpt = tmp.resolve("llava-ckpt");
    CliRun imported = CliRun.of("import", "hf", "--from", "hf:tiny-org/llava-sharded", "--out", ckpt.toString(),
        "--json");
    assertEquals(0, imported.exitCode(), imported.err());
    assertEquals("llava", imported.json().get("hf_model_type").getAsString());
    assertTrue(Files.isRegularFile(ckpt.resolve("model.safetensors")));

    Path exported = tmp.resolve("llava-hf");
    CliRun export = CliRun.of("export", "hf", "--checkpoint", "hf:tiny-org/llava-sharded", "--out",
        exported.toString());
    assertEquals(0, export.exitCode(), export.err());
    assertTrue(Files.isRegularFile(exported.resolve("model.safetensors")), "the shards exported as one file");

    // a Glimpse checkpoint pushed to the hub is an id like any other
    FakeHub.addFolder(hub.repo("tiny-org/llava-glimpse"), ckpt);
    CliRun caption = CliRun.of("caption", "--checkpoint", "hf:tiny-org/llava-glimpse", image.toString(),
        "--max-tokens", "3", "--json");
    assertEquals(0, caption.exitCode(), caption.err());
    CliRun direct = CliRun.of("caption", "--checkpoint", ckpt.toString(), image.toString(), "--max-tokens", "3",
        "--json");
    assertEquals(direct.json().get("captions"), caption.json().get("captions"));

    // eval resolves the id too (an HF model has no recipe data to evaluate on: that is the error)
    CliRun eval = CliRun.of("eval", "--checkpoint", "hf:tiny-org/llava-sharded", "--offline");
    assertEquals(2, eval.exitCode(), eval.err());
    assertTrue(eval.err().contains("does not say which data it was trained on"), eval.err());
  }

  @Test
  void fineTunesFromAHubId() throws IOException {
    HubFixtures.gitRepo(hub, "tiny-org/git-tiny");
    Path out = tmp.resolve("run");
    CliRun train = CliRun.of("train", "--recipe", "quickstart", "--init", "hf:tiny-org/git-tiny", "--steps", "2",
        "--batch-size", "2", "--no-eval", "--out", out.toString(), "--json");
    assertEquals(0, train.exitCode(), train.err());
    assertEquals(2, train.json().get("steps").getAsInt());
    assertTrue(Files.isRegularFile(out.resolve("checkpoint/model.safetensors")));
  }

  @Test
  void gatedMissingAndMistypedModelsAreOneLine() throws IOException {
    HubFixtures.gitRepo(hub, "tiny-org/gated").gated();
    Map<String, String> cases = Map.of(
        "hf:tiny-org/gated", "is a gated model (HTTP 401)",
        "hf:nobody/nothing", "no such model on the hub",
        "tiny-org/git-tiny", "for the HuggingFace model write hf:tiny-org/git-tiny",
        "hf:tiny-org/gated@", "empty revision");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      CliRun run = CliRun.of("caption", "--checkpoint", c.getKey(), image.toString());
      assertEquals(2, run.exitCode(), run.err());
      List<String> lines = run.err().strip().lines().toList(); // progress notes may come first
      String last = lines.get(lines.size() - 1);
      assertTrue(last.startsWith("error: ") && last.contains(c.getValue()), run.err());
      assertEquals(1, lines.stream().filter(l -> l.startsWith("error") || l.contains("\tat ")).count(), run.err());
    }
    System.setProperty("HF_TOKEN", FakeHub.TOKEN);
    CliRun withToken = CliRun.of("caption", "--checkpoint", "hf:tiny-org/gated", image.toString(), "--max-tokens",
        "2");
    assertEquals(0, withToken.exitCode(), withToken.err());

    CliRun offline = CliRun.of("hf", "verify", "--model", "hf:tiny-org/other", "--offline", "--inputs", "x",
        "--expected", "y");
    assertEquals(2, offline.exitCode());
    assertTrue(offline.err().contains("not in the HuggingFace cache"), offline.err());
  }
}
