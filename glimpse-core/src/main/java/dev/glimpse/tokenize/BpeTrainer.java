package dev.glimpse.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer (GPT-2 style: lower-cased text, the GPT-2 split pattern, bytes
 * mapped to printable characters, merges learned greedily by pair frequency) and emits it as a
 * HuggingFace {@code tokenizer.json}, so the same file is used by the tokenizers library at run time.
 * Ids 0-3 are {@code <pad> <bos> <eos> <unk>}, then the 256 byte symbols, then one id per merge.
 */
public final class BpeTrainer {
  /** The pre-tokenization pattern of GPT-2, which HuggingFace's ByteLevel pre-tokenizer uses. */
  static final Pattern SPLIT = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
  static final String[] SPECIAL = {"<pad>", "<bos>", "<eos>", "<unk>"};
  /** The smallest vocabulary: the specials and the 256 bytes, no merges. */
  public static final int BYTE_VOCAB = SPECIAL.length + 256;

  private final int vocabSize;
  private final int minFrequency;

  /**
   * @param vocabSize upper bound on the vocabulary (specials + 256 bytes + merges)
   * @param minFrequency a pair must occur at least this often to be merged
   */
  public BpeTrainer(int vocabSize, int minFrequency) {
    if (vocabSize < BYTE_VOCAB) {
      throw new IllegalArgumentException("vocabSize must be >= " + BYTE_VOCAB + ", got " + vocabSize);
    }
    if (minFrequency < 1) {
      throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
    }
    this.vocabSize = vocabSize;
    this.minFrequency = minFrequency;
  }

  /** Trains on the texts and returns a ready tokenizer. */
  public HfTokenizer train(Iterable<String> texts) {
    String json = trainJson(texts);
    return HfTokenizer.fromJson(json, new SpecialTokens(1, 2, 0, 3), "trained BPE tokenizer");
  }

  /** Trains and returns the tokenizer.json text. */
  public String trainJson(Iterable<String> texts) {
    String[] byteSymbols = byteToUnicode();
    // Count pre-tokenized words, as byte-symbol strings.
    Map<String, Long> wordCounts = new HashMap<>();
    for (String text : texts) {
      String normalized = " " + text.toLowerCase(Locale.ROOT); // add_prefix_space
      Matcher m = SPLIT.matcher(normalized);
      while (m.find()) {
        wordCounts.merge(toSymbols(m.group(), byteSymbols), 1L, Long::sum);
      }
    }
    // Deterministic word order.
    List<String> words = new ArrayList<>(wordCounts.keySet());
    words.sort(null);
    List<List<String>> pieces = new ArrayList<>();
    long[] counts = new long[words.size()];
    for (int i = 0; i < words.size(); i++) {
      List<String> symbols = new ArrayList<>();
      words.get(i).codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
      pieces.add(symbols);
      counts[i] = wordCounts.get(words.get(i));
    }

    Map<String, Long> pairCounts = new HashMap<>();
    Map<String, Set<Integer>> pairWords = new HashMap<>();
    for (int w = 0; w < pieces.size(); w++) {
      addPairs(w, pieces.get(w), counts[w], pairCounts, pairWords);
    }

    List<String> merges = new ArrayList<>();
    int maxMerges = vocabSize - BYTE_VOCAB;
    while (merges.size() < maxMerges) {
      String best = null;
      long bestCount = 0;
      for (Map.Entry<String, Long> e : pairCounts.entrySet()) {
        long c = e.getValue();
        if (c > bestCount || (c == bestCount && c > 0 && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          bestCount = c;
        }
      }
      if (best == null || bestCount < minFrequency) {
        break;
      }
      merges.add(best);
      int space = best.indexOf(' ');
      String left = best.substring(0, space);
      String right = best.substring(space + 1);
      for (int w : new ArrayList<>(pairWords.getOrDefault(best, Set.of()))) {
        List<String> symbols = pieces.get(w);
        removePairs(w, symbols, counts[w], pairCounts, pairWords);
        List<String> merged = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
          if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
            merged.add(left + right);
            i++;
          } else {
            merged.add(symbols.get(i));
          }
        }
        pieces.set(w, merged);
        addPairs(w, merged, counts[w], pairCounts, pairWords);
      }
    }
    return toJson(byteSymbols, merges);
  }

  private static void addPairs(int w, List<String> s, long count, Map<String, Long> pairCounts,
      Map<String, Set<Integer>> pairWords) {
    for (int i = 0; i + 1 < s.size(); i++) {
      String pair = s.get(i) + " " + s.get(i + 1);
      pairCounts.merge(pair, count, Long::sum);
      pairWords.computeIfAbsent(pair, k -> new HashSet<>()).add(w);
    }
  }

  private static void removePairs(int w, List<String> s, long count, Map<String, Long> pairCounts,
      Map<String, Set<Integer>> pairWords) {
    for (int i = 0; i + 1 < s.size(); i++) {
      String pair = s.get(i) + " " + s.get(i + 1);
      long left = pairCounts.merge(pair, -count, Long::sum);
      if (left <= 0) {
        pairCounts.remove(pair);
      }
      Set<Integer> where = pairWords.get(pair);
      if (where != null) {
        where.remove(w);
        if (where.isEmpty()) {
          pairWords.remove(pair);
        }
      }
    }
  }

  private static String toSymbols(String word, String[] byteSymbols) {
    StringBuilder sb = new StringBuilder();
    for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
      sb.append(byteSymbols[b & 0xff]);
    }
    return sb.toString();
  }

  /** GPT-2's reversible map from bytes to printable unicode characters. */
  static String[] byteToUnicode() {
    String[] out = new String[256];
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      out[b] = new String(Character.toChars(printable ? b : 256 + extra++));
    }
    return out;
  }

  private static String toJson(String[] byteSymbols, List<String> merges) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String s : SPECIAL) {
      vocab.put(s, vocab.size());
    }
    for (String s : byteSymbols) {
      vocab.put(s, vocab.size());
    }
    for (String merge : merges) {
      vocab.putIfAbsent(merge.replace(" ", ""), vocab.size());
    }
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", null);
    root.add("padding", null);
    JsonArray added = new JsonArray();
    for (int i = 0; i < SPECIAL.length; i++) {
      JsonObject t = new JsonObject();
      t.addProperty("id", i);
      t.addProperty("content", SPECIAL[i]);
      t.addProperty("single_word", false);
      t.addProperty("lstrip", false);
      t.addProperty("rstrip", false);
      t.addProperty("normalized", false);
      t.addProperty("special", true);
      added.add(t);
    }
    root.add("added_tokens", added);
    JsonObject normalizer = new JsonObject();
    normalizer.addProperty("type", "Lowercase");
    root.add("normalizer", normalizer);
    root.add("pre_tokenizer", byteLevel());
    root.add("post_processor", null);
    root.add("decoder", byteLevel());
    JsonObject model = new JsonObject();
    model.addProperty("type", "BPE");
    model.add("dropout", null);
    model.add("unk_token", null);
    model.add("continuing_subword_prefix", null);
    model.add("end_of_word_suffix", null);
    model.addProperty("fuse_unk", false);
    model.addProperty("byte_fallback", false);
    JsonObject vocabJson = new JsonObject();
    vocab.forEach(vocabJson::addProperty);
    model.add("vocab", vocabJson);
    JsonArray mergesJson = new JsonArray();
    merges.forEach(mergesJson::add);
    model.add("merges", mergesJson);
    root.add("model", model);
    return Json.GSON.toJson(root);
  }

  private static JsonObject byteLevel() {
    JsonObject o = new JsonObject();
    o.addProperty("type", "ByteLevel");
    o.addProperty("add_prefix_space", true);
    o.addProperty("trim_offsets", true);
    o.addProperty("use_regex", true);
    return o;
  }
}
