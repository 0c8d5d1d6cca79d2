package dev.glimpse.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HF tokenizer.json files in model folders (WordPiece, LLaMA-style BPE, byte-level BPE; made by
 * {@code fixtures/hf-tokenizers/make_tokenizers.py}): loaded through the tokenizers library, special
 * ids as HF's generate() uses them (generation_config.json, then config.json).
 */
class HfTokenizerTest {
  static NDManager manager;
  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /** A copy of a parity fixture with a tokenizer folder's files added: an HF folder as users have them. */
  static Path withTokenizer(Path tmp, String fixture, String tokenizer) throws IOException {
    Path dir = tmp.resolve(fixture + "+" + tokenizer);
    Files.createDirectories(dir);
    copyFiles(HfFixtures.dir(fixture), dir);
    copyFiles(HfFixtures.resource("/fixtures/hf-tokenizers/" + tokenizer), dir);
    return dir;
  }

  // the model files of a fixture folder (its reference inputs and outputs stay behind)
  private static void copyFiles(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.startsWith("inputs.") && !name.startsWith("outputs.")) {
          Files.copy(f, to.resolve(name));
        }
      }
    }
  }

  @Test
  void wordPieceForGit() throws IOException {
    try (HfModel m = HfModel.load(withTokenizer(tmp, "git", "wordpiece-99"), manager)) {
      Tokenizer t = m.tokenizer();
      assertEquals(new SpecialTokens(1, 2, 0, 3), t.special());
      assertEquals(99, t.vocabSize());
      int[] ids = t.encode("A red Circle.");
      assertEquals("a red circle.", t.decode(ids));
      assertEquals(t.encode("red")[0], ids[1]);
      assertEquals("right", m.paddingSide());
    }
  }

  @Test
  void llamaStyleBpeForLlava() throws IOException {
    try (HfModel m = HfModel.load(withTokenizer(tmp, "llava", "llama-bpe-120"), manager)) {
      Tokenizer t = m.tokenizer();
      // llava config: text bos 1, eos 2, pad 0 (top level); unk from tokenizer.json
      assertEquals(new SpecialTokens(1, 2, 0, 0), t.special());
      assertArrayEquals(new int[] {119}, t.encode("<image>"));
      assertEquals("a red circle on the left", t.decode(t.encode("a red circle on the left")));
      assertEquals("left", m.paddingSide());
    }
  }

  @Test
  void idsTheConfigsLeaveOutComeFromTheTokenizerFiles() throws IOException {
    Path dir = withTokenizer(tmp, "llava", "llama-bpe-120");
    for (String file : new String[] {"config.json", "generation_config.json"}) {
      JsonObject o = JsonParser.parseString(Files.readString(dir.resolve(file))).getAsJsonObject();
      o.remove("pad_token_id");
      if (o.has("text_config")) {
        o.getAsJsonObject("text_config").remove("pad_token_id");
      }
      Files.writeString(dir.resolve(file), o.toString());
    }
    try (HfModel m = HfModel.load(dir, manager)) {
      // special_tokens_map.json: pad_token "<unk>" (id 0), not the EOS fallback (2)
      assertEquals(new SpecialTokens(1, 2, 0, 0), m.tokenizer().special());
    }
  }

  @Test
  void byteLevelBpeForBlip2() throws IOException {
    try (HfModel m = HfModel.load(withTokenizer(tmp, "blip2", "opt-bpe-120"), manager)) {
      Tokenizer t = m.tokenizer();
      // OPT: generation_config bos 2, eos 2, pad 1; no unk token in a byte-level BPE
      assertEquals(new SpecialTokens(2, 2, 1, -1), t.special());
      assertEquals("two shapes: a purple circle", t.decode(t.encode("two shapes: a purple circle")));
    }
  }

  @Test
  void aFolderWithoutTokenizerStillLoads() {
    try (HfModel m = HfModel.load(HfFixtures.dir("clip"), manager)) {
      assertNull(m.tokenizer());
      assertEquals(new SpecialTokens(97, 98, 1, -1), m.specialTokens());
    }
  }
}
