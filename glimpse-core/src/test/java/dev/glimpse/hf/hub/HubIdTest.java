package dev.glimpse.hf.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model ids and the settings read from the environment, as the Python tools read them. */
class HubIdTest {
  @Test
  void idsParseWithAndWithoutRevision() {
    HubId id = HubId.parse("hf:microsoft/git-base-coco");
    assertEquals("microsoft/git-base-coco", id.repo());
    assertEquals("main", id.revision());
    assertEquals("models--microsoft--git-base-coco", id.cacheFolderName());
    assertEquals("hf:microsoft/git-base-coco", id.toString());
    assertFalse(id.isCommit());

    HubId pr = HubId.parse("hf:llava-hf/llava-1.5-7b-hf@refs/pr/1");
    assertEquals("refs/pr/1", pr.revision());
    assertEquals("hf:llava-hf/llava-1.5-7b-hf@refs/pr/1", pr.toString());

    HubId commit = HubId.parse("Salesforce/blip2-opt-2.7b@51572668da0eb669e01a189dc22abe6088589a24");
    assertTrue(commit.isCommit());
    assertEquals("models--gpt2", HubId.parse("hf:gpt2").cacheFolderName()); // legacy ids without an org
  }

  @Test
  void badIdsAreOneClearError() {
    for (String bad : new String[] {"hf:", "hf:a/b/c", "hf:org--x/name", "hf:org/name@", "hf:../name", "hf:org/na me",
        "hf:org/name@../../x", "hf:org/name@/abs", "hf:-org/name", "hf:org/name."}) {
      GlimpseException e = assertThrows(GlimpseException.class, () -> HubId.parse(bad), bad);
      assertTrue(e.getMessage().contains("hf:") || e.getMessage().contains("revision"), e.getMessage());
    }
  }

  @Test
  void settingsFollowThePythonToolsVariables(@TempDir Path tmp) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("hfhome"));
    Files.writeString(home.resolve("token"), "hf_from_file\n");
    HubSettings s = HubSettings.from(Map.of("HF_HOME", home.toString())::get);
    assertEquals(home.resolve("hub"), s.cacheDir());
    assertEquals("hf_from_file", s.token()); // the file huggingface-cli login writes
    assertEquals("https://huggingface.co", s.endpoint().toString());
    assertFalse(s.offline());
    assertEquals(Duration.ofSeconds(10), s.stallTimeout());

    HubSettings env = HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_HUB_CACHE", tmp.resolve("c").toString(),
        "HF_TOKEN", "hf_env", "HF_ENDPOINT", "http://127.0.0.1:9/", "HF_HUB_OFFLINE", "1",
        "HF_HUB_DOWNLOAD_TIMEOUT", "2.5")::get);
    assertEquals(tmp.resolve("c"), env.cacheDir());
    assertEquals("hf_env", env.token());
    assertEquals("http://127.0.0.1:9", env.endpoint().toString());
    assertTrue(env.offline());
    assertEquals(Duration.ofMillis(2500), env.stallTimeout());

    assertEquals(Path.of("x", "huggingface", "hub"), HubSettings.from(Map.of("XDG_CACHE_HOME", "x")::get).cacheDir());
    assertTrue(HubSettings.from(Map.of("HF_HOME", home.toString(), "TRANSFORMERS_OFFLINE", "yes")::get).offline());
    assertFalse(HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_HUB_OFFLINE", "0")::get).offline());
    assertThrows(GlimpseException.class, () -> HubSettings.from(Map.of("HF_ENDPOINT", "ftp://x")::get));
    assertThrows(GlimpseException.class, () -> HubSettings.from(Map.of("HF_HUB_ETAG_TIMEOUT", "soon")::get));
  }

  @Test
  void systemPropertiesOverrideTheEnvironment(@TempDir Path tmp) {
    System.setProperty("HF_HUB_CACHE", tmp.toString());
    System.setProperty("HF_TOKEN", ""); // empty: unset, but hides a token the environment may have
    System.setProperty("HF_HOME", tmp.resolve("home").toString());
    try {
      HubSettings s = HubSettings.fromEnvironment();
      assertEquals(tmp, s.cacheDir());
      assertEquals(null, s.token());
    } finally {
      System.clearProperty("HF_HUB_CACHE");
      System.clearProperty("HF_TOKEN");
      System.clearProperty("HF_HOME");
    }
  }

  @Test
  void gitBlobIdsAreGitsOwn() {
    // `printf 'hello\n' | git hash-object --stdin` prints this id
    assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", FakeHub.gitSha1("hello\n".getBytes()));
    FileDownload.Checksum c = new FileDownload.Checksum("ce013625030ba8dba906f756967f9e9ca394464a", 6);
    assertEquals("git blob sha1", c.algorithm());
  }

  @Test
  void etagsAreNormalizedAsHuggingfaceHubDoes() {
    assertEquals("abc", HubClient.normalizeEtag("\"abc\""));
    assertEquals("abc", HubClient.normalizeEtag("W/\"abc\""));
    assertEquals("refs%2Fpr%2F1", HubClient.encode("refs/pr/1"));
    assertEquals("a%20b", HubClient.encode("a b"));
  }
}
