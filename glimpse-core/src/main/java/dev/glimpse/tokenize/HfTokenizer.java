package dev.glimpse.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A tokenizer defined by a HuggingFace {@code tokenizer.json} (BPE, byte-level BPE, WordPiece...),
 * run by the HuggingFace tokenizers library. Our own trained tokenizers are written in this format
 * too, so every checkpoint carries a file any HF-compatible tool can read.
 */
public final class HfTokenizer implements Tokenizer {
  public static final String FILE = "tokenizer.json";
  public static final String SPECIAL_FILE = "special_tokens.json";

  private final String json;
  private final HuggingFaceTokenizer tokenizer;
  private final SpecialTokens special;
  private final int vocabSize;
  private final Map<String, Integer> tokenIds;
  private final ChatTemplate chatTemplate; // null when the tokenizer has none

  /** Builds from the text of a tokenizer.json; special ids are detected when {@code special} is null. */
  public static HfTokenizer fromJson(String json, SpecialTokens special, String source) {
    return new HfTokenizer(json, special, source, null);
  }

  /**
   * Loads {@code dir/tokenizer.json} (or a tokenizer.json file). Special ids come from
   * {@code special_tokens.json} next to it when present, else from the usual token names; a
   * {@value ChatTemplate#FILE} next to it is its chat template.
   */
  public static HfTokenizer load(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
    return load(file, file.resolveSibling(SPECIAL_FILE), file.resolveSibling(ChatTemplate.FILE));
  }

  /**
   * Loads the tokenizer saved in {@code dir} with {@code prefix} before its file names ({@link
   * #save(Path, String)}).
   */
  public static HfTokenizer load(Path dir, String prefix) {
    return load(dir.resolve(prefix + FILE), dir.resolve(prefix + SPECIAL_FILE), dir.resolve(prefix + ChatTemplate.FILE));
  }

  private static HfTokenizer load(Path file, Path specialFile, Path templateFile) {
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException("tokenizer file not found: " + file);
    }
    SpecialTokens special = Files.isRegularFile(specialFile) ? Json.read(specialFile, SpecialTokens.class) : null;
    ChatTemplate template = null;
    if (Files.isRegularFile(templateFile)) {
      Json.requireKnownKeys(Json.parse(templateFile).getAsJsonObject(), ChatTemplate.class, templateFile.toString(),
          "chat template");
      try {
        template = Json.read(templateFile, ChatTemplate.class);
      } catch (RuntimeException e) {
        throw new GlimpseException("invalid chat template " + templateFile + ": " + Json.rootMessage(e));
      }
    }
    return new HfTokenizer(Json.readUtf8(file), special, file.toString(), template);
  }

  private HfTokenizer(String json, SpecialTokens special, String source, ChatTemplate chatTemplate) {
    this.json = json;
    this.chatTemplate = chatTemplate;
    JsonObject root;
    try {
      root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new GlimpseException("invalid tokenizer JSON in " + source + ": " + e.getMessage());
    }
    this.tokenIds = readVocabulary(root, source);
    int max = -1;
    for (int id : tokenIds.values()) {
      max = Math.max(max, id);
    }
    this.vocabSize = max + 1;
    this.special = special != null ? special : detectSpecial(tokenIds, source);
    Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), options);
    } catch (IOException | RuntimeException e) {
      throw new GlimpseException("the tokenizers library cannot load " + source + ": " + e.getMessage());
    }
  }

  private static Map<String, Integer> readVocabulary(JsonObject root, String source) {
    Map<String, Integer> ids = new HashMap<>();
    JsonObject model = root.has("model") ? root.getAsJsonObject("model") : null;
    if (model == null || !model.has("vocab")) {
      throw new GlimpseException(source + ": tokenizer.json has no model.vocab");
    }
    JsonElement vocab = model.get("vocab");
    if (vocab.isJsonObject()) {
      for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
        ids.put(e.getKey(), e.getValue().getAsInt());
      }
    } else {
      // Unigram: [[piece, score], ...], id = index
      int i = 0;
      for (JsonElement piece : vocab.getAsJsonArray()) {
        ids.put(piece.getAsJsonArray().get(0).getAsString(), i++);
      }
    }
    if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
      for (JsonElement t : root.getAsJsonArray("added_tokens")) {
        JsonObject o = t.getAsJsonObject();
        ids.put(o.get("content").getAsString(), o.get("id").getAsInt());
      }
    }
    return ids;
  }

  private static SpecialTokens detectSpecial(Map<String, Integer> ids, String source) {
    Integer bos = first(ids, "<bos>", "[CLS]", "<s>", "<|startoftext|>", "<|endoftext|>");
    Integer eos = first(ids, "<eos>", "[SEP]", "</s>", "<|endoftext|>");
    Integer pad = first(ids, "<pad>", "[PAD]", "<|endoftext|>", "</s>");
    Integer unk = first(ids, "<unk>", "[UNK]");
    if (bos == null || eos == null || pad == null) {
      throw new GlimpseException(source + ": cannot tell the BOS/EOS/PAD tokens; add a " + SPECIAL_FILE
          + " with {\"bos\":…, \"eos\":…, \"pad\":…, \"unk\":…}");
    }
    return new SpecialTokens(bos, eos, pad, unk == null ? -1 : unk);
  }

  private static Integer first(Map<String, Integer> ids, String... names) {
    for (String n : names) {
      if (ids.containsKey(n)) {
        return ids.get(n);
      }
    }
    return null;
  }

  @Override
  public int[] encode(String text) {
    Encoding encoding = tokenizer.encode(text, false, false);
    long[] ids = encoding.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] kept = java.util.Arrays.stream(ids).filter(id -> !special.isSpecial(id)).asLongStream().toArray();
    for (long id : kept) {
      if (id < 0 || id >= vocabSize) {
        throw new GlimpseException("token id " + id + " is outside the vocabulary (size " + vocabSize + ")");
      }
    }
    return tokenizer.decode(kept, true).trim();
  }

  /** An independent copy with its own native tokenizer, for a holder that outlives this one's owner. */
  public HfTokenizer copy() {
    return new HfTokenizer(json, special, "copied tokenizer", chatTemplate);
  }

  /** This tokenizer with a chat template (saved with it). */
  public HfTokenizer withChatTemplate(ChatTemplate template) {
    return new HfTokenizer(json, special, "tokenizer with a chat template", template);
  }

  /**
   * This tokenizer with {@code tokens} added as special tokens after its last id (those it already
   * has keep their ids), as HuggingFace's {@code add_tokens} does for LLaVA's {@code <image>}: the
   * text {@code <image>} then encodes to one id, which decoding drops.
   */
  public HfTokenizer withAddedTokens(java.util.List<String> tokens) {
    JsonObject root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    com.google.gson.JsonArray added = root.has("added_tokens") && root.get("added_tokens").isJsonArray()
        ? root.getAsJsonArray("added_tokens") : new com.google.gson.JsonArray();
    int next = vocabSize;
    for (String token : tokens) {
      if (tokenIds.containsKey(token)) {
        continue;
      }
      JsonObject t = new JsonObject();
      t.addProperty("id", next++);
      t.addProperty("content", token);
      t.addProperty("single_word", false);
      t.addProperty("lstrip", false);
      t.addProperty("rstrip", false);
      t.addProperty("normalized", false);
      t.addProperty("special", true);
      added.add(t);
    }
    root.add("added_tokens", added);
    return new HfTokenizer(Json.GSON.toJson(root), special, "tokenizer with added tokens " + tokens, chatTemplate);
  }

  @Override
  public ChatTemplate chatTemplate() {
    return chatTemplate;
  }

  /** Id of a token string, or -1. */
  public int tokenId(String token) {
    return tokenIds.getOrDefault(token, -1);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public SpecialTokens special() {
    return special;
  }

  @Override
  public void save(Path dir, String prefix) {
    AtomicFiles.writeString(dir.resolve(prefix + FILE), json);
    Json.write(dir.resolve(prefix + SPECIAL_FILE), special);
    if (chatTemplate != null) {
      Json.write(dir.resolve(prefix + ChatTemplate.FILE), chatTemplate);
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
