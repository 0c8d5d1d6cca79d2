package dev.glimpse.eval.caption;

import edu.stanford.nlp.ling.Word;
import edu.stanford.nlp.process.PTBTokenizer;
import edu.stanford.nlp.process.WordTokenFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The caption tokenizer of the COCO caption toolkit (pycocoevalcap {@code ptbtokenizer.py}), run
 * in-process.
 *
 * <p>The toolkit joins all captions of one call with newlines, runs {@code java
 * edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase} (CoreNLP 3.4.1) over them,
 * splits the output into lines and drops the punctuation tokens in {@link #PUNCTUATIONS}. This
 * class runs the same CoreNLP lexer with the same options, so the output is identical. Call {@link
 * #tokenize} once for all references and once for all candidates, as the toolkit does: the lexer
 * looks ahead across line ends (e.g. after "etc."), so a caption's tokens can depend on the next
 * caption.
 *
 * <p>Long lists are cut into chunks tokenized in parallel; each chunk is lexed together with the
 * following captions up to the second non-blank one (the lexer's look-ahead never reaches past the
 * first word of the next non-blank line) and only its own lines are kept, so the result equals one
 * pass over the whole text.
 *
 * <p>One deliberate difference: the toolkit only replaces {@code \n} inside a caption by a space,
 * so a caption holding another line break the lexer knows ({@code \r}, U+2028, U+2029, U+000B,
 * U+000C, U+0085) shifts every later caption onto the wrong image there. Here they all become
 * spaces.
 */
public final class PtbTokenizer {
  /** The tokens the toolkit removes after tokenization (exact, case-sensitive match). */
  public static final Set<String> PUNCTUATIONS =
      Set.of(
          "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-",
          "--", "...", ";");

  // Line breaks of PTBLexer 3.4.1 ({NEWLINE} in PTBLexer.flex); \n is the caption separator.
  private static final Pattern LINE_BREAKS =
      Pattern.compile("\r\n|[\n\r\u2028\u2029\u000B\u000C\u0085]");
  // -preserveLines adds tokenizeNLs; noneDelete drops untokenizable characters as the default
  // (firstDelete) does, without logging a warning.
  private static final String OPTIONS = "tokenizeNLs,untokenizable=noneDelete";
  private static final String NEWLINE_TOKEN = PTBTokenizer.getNewlineToken();
  private static final int MIN_CHUNK = 2000;

  private PtbTokenizer() {}

  /** Tokenizes one caption on its own (same as a one-element {@link #tokenize} call). */
  public static String tokenize(String caption) {
    return tokenize(List.of(caption)).get(0);
  }

  /**
   * Tokenizes captions exactly as one call of the toolkit's {@code PTBTokenizer.tokenize}: returns
   * one string per caption, lower-cased tokens joined by single spaces (empty when nothing is
   * left).
   */
  public static List<String> tokenize(List<String> captions) {
    int cores = Runtime.getRuntime().availableProcessors();
    int chunkSize = Math.max(MIN_CHUNK, (captions.size() + 2 * cores - 1) / (2 * cores));
    return tokenize(captions, chunkSize);
  }

  /** In chunks of {@code chunkSize} captions, tokenized in parallel (tests use tiny chunks). */
  static List<String> tokenize(List<String> captions, int chunkSize) {
    int n = captions.size();
    String[] lines = new String[n];
    int chunks = (int) ((n + (long) chunkSize - 1) / chunkSize);
    Parallel.ranges(
        chunks,
        1,
        (first, last) -> {
          for (int c = first; c < last; c++) {
            tokenizeChunk(
                captions,
                (int) ((long) c * chunkSize),
                (int) Math.min(n, (c + 1L) * chunkSize),
                lines);
          }
        });
    return List.of(lines);
  }

  /**
   * Tokenizes captions {@code from..to-1} into {@code lines}, with look-ahead context after them.
   */
  private static void tokenizeChunk(List<String> captions, int from, int to, String[] lines) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (i > from) {
        text.append('\n');
      }
      text.append(lineBreaksToSpaces(captions.get(i)));
    }
    for (int i = to, nonBlank = 0; i < captions.size() && nonBlank < 2; i++) {
      String caption = lineBreaksToSpaces(captions.get(i));
      text.append('\n').append(caption);
      nonBlank += caption.isBlank() ? 0 : 1;
    }
    StringBuilder line = new StringBuilder();
    int index = from;
    PTBTokenizer<Word> lexer =
        new PTBTokenizer<>(new StringReader(text.toString()), new WordTokenFactory(), OPTIONS);
    while (lexer.hasNext() && index < to) {
      String token = lexer.next().word();
      if (NEWLINE_TOKEN.equals(token)) {
        lines[index++] = filterPunctuation(line.toString());
        line.setLength(0);
      } else {
        if (line.length() > 0) {
          line.append(' ');
        }
        line.append(token.toLowerCase(Locale.ENGLISH));
      }
    }
    if (index < to) {
      lines[index++] = filterPunctuation(line.toString());
    }
    if (index != to) {
      throw new IllegalStateException(
          "PTB tokenizer returned " + (index - from) + " lines for " + (to - from) + " captions");
    }
  }

  private static String lineBreaksToSpaces(String caption) {
    for (int i = 0; i < caption.length(); i++) {
      char c = caption.charAt(i);
      if (c == '\n'
          || c == '\r'
          || c == '\u2028'
          || c == '\u2029'
          || c == '\u000B'
          || c == '\u000C'
          || c == '\u0085') {
        return LINE_BREAKS.matcher(caption).replaceAll(" ");
      }
    }
    return caption;
  }

  /** {@code ' '.join(w for w in line.rstrip().split(' ') if w not in PUNCTUATIONS)}. */
  private static String filterPunctuation(String line) {
    List<String> kept = new ArrayList<>();
    for (String word : PythonStrings.rstrip(line).split(" ", -1)) {
      if (!PUNCTUATIONS.contains(word)) {
        kept.add(word);
      }
    }
    return String.join(" ", kept);
  }
}
