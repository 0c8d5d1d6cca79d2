package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.CliRun;
import dev.glimpse.testing.HfFolders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that reads image files refuses a cut-off one the same way: exit code 2, one line
 * {@code error: truncated JPEG image FILE: ...} and nothing on stdout; {@code index build}, which reads
 * a folder as a loader does, counts it as a skip. ImageIO alone decodes such a JPEG with the rest
 * filled gray and no error, so each of these commands would otherwise have used half a picture. The
 * models are the tiny HuggingFace fixtures (git, llava, clip), loaded directly; {@code generate
 * --from-image} is checked with a real image model in {@code VlvPipelineTest}, the server in
 * {@code ServeApiTest}, Spark jobs in glimpse-spark's {@code TransformersTest}.
 */
class ImageReadersCliTest {
  @TempDir static Path tmp;
  static Path git;
  static Path llava;
  static Path clip;
  static Path whole;
  static Path cutJpeg;

  @BeforeAll
  static void folders() throws IOException {
    git = HfFolders.make(tmp, "git");
    llava = HfFolders.make(tmp, "llava");
    clip = HfFolders.make(tmp, "clip");
    whole = tmp.resolve("whole.jpg");
    Files.write(whole, photo());
    cutJpeg = tmp.resolve("cut-off.jpg");
    Files.write(cutJpeg, Arrays.copyOf(photo(), photo().length * 2 / 3));
  }

  static byte[] photo() throws IOException {
    try (InputStream in = ImageReadersCliTest.class.getResourceAsStream("/images/grace_hopper.jpg")) {
      return in.readAllBytes();
    }
  }

  private static byte[] encode(String format) throws IOException {
    BufferedImage small = new BufferedImage(128, 150, BufferedImage.TYPE_INT_RGB);
    small.createGraphics().drawImage(ImageIO.read(whole.toFile()), 0, 0, 128, 150, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(small, format, out), format);
    return out.toByteArray();
  }

  /** Exit code 2, nothing on stdout, one stderr line that names the file and says truncated. */
  private static void assertTruncated(CliRun r, String format, Path file) {
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.out() + r.err());
    assertEquals("", r.out(), "stdout");
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("error: truncated " + format + " image " + file), lines.get(0));
  }

  @Test
  void captionRefusesCutJpegPngAndGif() throws IOException {
    assertEquals(0, CliRun.of("caption", "--checkpoint", git.toString(), whole.toString()).exitCode());
    assertTruncated(CliRun.of("caption", "--checkpoint", git.toString(), whole.toString(), cutJpeg.toString()),
        "JPEG", cutJpeg);
    for (String format : List.of("png", "gif")) {
      byte[] bytes = encode(format);
      Path cut = tmp.resolve("cut-off." + format);
      Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
      assertTruncated(CliRun.of("caption", "--checkpoint", git.toString(), cut.toString()),
          format.toUpperCase(java.util.Locale.ROOT), cut);
    }
  }

  @Test
  void chatRefusesACutImage() {
    CliRun ok = CliRun.of("chat", "--checkpoint", llava.toString(), "--message", "what is it?", whole.toString());
    assertEquals(0, ok.exitCode(), ok.err());
    assertTruncated(CliRun.of("chat", "--checkpoint", llava.toString(), "--message", "what is it?", cutJpeg.toString()),
        "JPEG", cutJpeg);
  }

  @Test
  void embedRefusesACutImageAndWritesNothing() {
    Path out = tmp.resolve("embeddings.safetensors");
    assertTruncated(CliRun.of("embed", "--checkpoint", clip.toString(), "--images", whole.toString(),
        cutJpeg.toString(), "--out", out.toString()), "JPEG", cutJpeg);
    assertFalse(Files.exists(out), "no embeddings file");
    assertEquals(0, CliRun.of("embed", "--checkpoint", clip.toString(), "--images", whole.toString(), "--out",
        out.toString()).exitCode());
  }

  @Test
  void indexBuildCountsACutImageAsASkipAndSearchRefusesIt() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("folder"));
    Files.copy(whole, folder.resolve("a.jpg"));
    Files.copy(whole, folder.resolve("b.jpg"));
    Files.copy(cutJpeg, folder.resolve("c-cut.jpg"));
    Path index = tmp.resolve("index");
    CliRun build = CliRun.of("index", "build", "--checkpoint", clip.toString(), "--images", folder.toString(),
        "--out", index.toString(), "--json");
    assertEquals(0, build.exitCode(), build.err());
    JsonObject json = build.json();
    assertEquals(2, json.get("count").getAsInt(), build.out());
    assertEquals(1, json.get("skipped").getAsInt(), build.out());

    CliRun found = CliRun.of("search", "--index", index.toString(), "--image", whole.toString(), "--k", "2", "--json");
    assertEquals(0, found.exitCode(), found.err());
    assertFalse(found.out().contains("c-cut.jpg"), found.out());
    assertTruncated(CliRun.of("search", "--index", index.toString(), "--image", cutJpeg.toString()), "JPEG", cutJpeg);
  }

  /**
   * In a process of its own, as a user runs it, a command that loads an HF folder (the importer's
   * path, not the checkpoint loader's) and reads images prints Glimpse's lines only: no PyTorch C++
   * warning, no library log lines.
   */
  @Test
  void embedInItsOwnProcessPrintsOnlyGlimpseLines() throws Exception {
    Path out = tmp.resolve("process.safetensors");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "dev.glimpse.cli.Main", "embed", "--checkpoint", clip.toString(), "--images", whole.toString(), "--out",
        out.toString(), "--json"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("OMP_NUM_THREADS", "1");
    Path stdout = tmp.resolve("process.out");
    Path stderr = tmp.resolve("process.err");
    Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "process finished");
    String err = Files.readString(stderr);
    assertEquals(0, process.exitValue(), err);
    assertEquals(1, JsonParser.parseString(Files.readString(stdout)).getAsJsonObject().get("count").getAsInt());
    // --json leaves only the progress line of the embedding loop on stderr
    List<String> lines = err.lines().filter(l -> !l.startsWith("embed 1/1 ")).toList();
    assertEquals(List.of(), lines, err);
  }
}
