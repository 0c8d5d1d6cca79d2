package dev.glimpse.eval.caption;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
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
 * edu.stanford.nlp.process.PTBTokenizer -preserveLines -lowerCase} (CoreNLP 3.4.1) over them, splits
 * the output into lines and drops the punctuation tokens in {@link #PUNCTUATIONS}. This class does
 * the same with the same CoreNLP class and options, so the output is identical, including effects
 * that cross caption boundaries. Call {@link #tokenize} once for all references and once for all
 * candidates, as the toolkit does.
 *
 * <p>One deliberate difference: the toolkit only replaces {@code \n} inside a caption by a space, so
 * a caption holding another line break the lexer knows ({@code \r}, U+2028, U+2029, U+000B,
 * U+000C, U+0085) shifts every later caption onto the wrong image there. Here they all become
 * spaces.
 *
 * <p>Thread-safe (one lexer per call).
 */
public final class PtbTokenizer {
  /** The tokens the toolkit removes after tokenization (exact, case-sensitive match). */
  public static final Set<String> PUNCTUATIONS =
      Set.of(
          "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-",
          "--", "...", ";");

  // Line breaks of PTBLexer 3.4.1 ({NEWLINE} in PTBLexer.flex); \n is the caption separator.
  private static final Pattern LINE_BREAKS = Pattern.compile("\r\n|[\n\r\u2028\u2029\u000B\u000C\u0085]");
  // -preserveLines adds tokenizeNLs; noneDelete drops untokenizable characters as the default
  // (firstDelete) does, without logging a warning.
  private static final String OPTIONS = "tokenizeNLs,untokenizable=noneDelete";
  private static final String NEWLINE_TOKEN = PTBTokenizer.getNewlineToken();

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
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < captions.size(); i++) {
      if (i > 0) {
        text.append('\n');
      }
      text.append(LINE_BREAKS.matcher(captions.get(i)).replaceAll(" "));
    }
    List<String> lines = new ArrayList<>(captions.size());
    StringBuilder line = new StringBuilder();
    PTBTokenizer<CoreLabel> lexer =
        new PTBTokenizer<>(new StringReader(text.toString()), new CoreLabelTokenFactory(), OPTIONS);
    while (lexer.hasNext()) {
      String token = lexer.next().get(CoreAnnotations.TextAnnotation.class);
      if (NEWLINE_TOKEN.equals(token)) {
        lines.add(filterPunctuation(line.toString()));
        line.setLength(0);
      } else {
        if (line.length() > 0) {
          line.append(' ');
        }
        line.append(token.toLowerCase(Locale.ENGLISH));
      }
    }
    lines.add(filterPunctuation(line.toString()));
    if (lines.size() != captions.size()) {
      throw new IllegalStateException(
          "PTB tokenizer returned " + lines.size() + " lines for " + captions.size() + " captions");
    }
    return lines;
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
