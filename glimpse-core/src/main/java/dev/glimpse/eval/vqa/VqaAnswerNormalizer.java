package dev.glimpse.eval.vqa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer normalization of the official VQA evaluation ({@code vqaEval.py}, GT-Vision-Lab/VQA,
 * run under Python 2), quirks included:
 *
 * <ul>
 *   <li>{@link #processPunctuation}: each punctuation character is deleted when the ORIGINAL string
 *       has it next to a space or contains digit,digit anywhere, else replaced by a space; then at
 *       most 32 periods not followed by a digit are deleted ({@code re.UNICODE} = 32 is passed as
 *       the count). {@code % : ' & *} are not punctuation.
 *   <li>{@link #processDigitArticle}: lower-case, split on whitespace, map {@code none, zero,
 *       one..ten} to digits (nothing else), drop {@code a an the}, expand the contraction table
 *       (whose key {@code Im} is capitalised and never matches).
 * </ul>
 */
public final class VqaAnswerNormalizer {
  private static final String[] PUNCTUATION = {
    ";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@", "`", ",",
    "?", "!"
  };
  // (?!<=\d) is a typo for a look-behind in the original; as a look-ahead it never fails here.
  private static final Pattern PERIOD_STRIP = Pattern.compile("(?!<=\\d)(\\.)(?!\\d)");
  private static final Pattern COMMA_STRIP = Pattern.compile("(\\d)(,)(\\d)");
  private static final int PERIOD_STRIP_COUNT = 32;
  private static final Set<String> ARTICLES = Set.of("a", "an", "the");
  private static final Map<String, String> NUMBER_WORDS =
      Map.ofEntries(
          Map.entry("none", "0"),
          Map.entry("zero", "0"),
          Map.entry("one", "1"),
          Map.entry("two", "2"),
          Map.entry("three", "3"),
          Map.entry("four", "4"),
          Map.entry("five", "5"),
          Map.entry("six", "6"),
          Map.entry("seven", "7"),
          Map.entry("eight", "8"),
          Map.entry("nine", "9"),
          Map.entry("ten", "10"));

  private VqaAnswerNormalizer() {}

  /**
   * The full normalization {@code evaluate()} applies to an answer when the ground-truth answers of
   * a question disagree: newlines and tabs to spaces, strip, {@link #processPunctuation}, {@link
   * #processDigitArticle}. Use it for exact-match scoring of generated answers.
   */
  public static String normalize(String answer) {
    return processDigitArticle(processPunctuation(strip(answer)));
  }

  /** {@code s.replace('\n', ' ').replace('\t', ' ').strip()}, as applied to every answer. */
  public static String strip(String answer) {
    String s = answer.replace('\n', ' ').replace('\t', ' ');
    int start = 0;
    int end = s.length();
    while (start < end && isPython2Space(s.charAt(start))) {
      start++;
    }
    while (end > start && isPython2Space(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  public static String processPunctuation(String in) {
    boolean digitCommaDigit = COMMA_STRIP.matcher(in).find();
    String out = in;
    for (String p : PUNCTUATION) {
      if (in.contains(p + " ") || in.contains(" " + p) || digitCommaDigit) {
        out = out.replace(p, "");
      } else {
        out = out.replace(p, " ");
      }
    }
    Matcher m = PERIOD_STRIP.matcher(out);
    StringBuilder sb = new StringBuilder();
    int replaced = 0;
    while (replaced < PERIOD_STRIP_COUNT && m.find()) {
      m.appendReplacement(sb, "");
      replaced++;
    }
    m.appendTail(sb);
    return sb.toString();
  }

  public static String processDigitArticle(String in) {
    List<String> words = new ArrayList<>();
    for (String word : splitPython2(lowerPython2(in))) {
      word = NUMBER_WORDS.getOrDefault(word, word);
      if (!ARTICLES.contains(word)) {
        words.add(VqaContractions.TABLE.getOrDefault(word, word));
      }
    }
    return String.join(" ", words);
  }

  /** Python 2 {@code unicode.lower()}: the simple per-code-point mapping. */
  private static String lowerPython2(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
    return sb.toString();
  }

  /** Python 2 {@code unicode.split()}. */
  private static List<String> splitPython2(String s) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && isPython2Space(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < s.length() && !isPython2Space(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        words.add(s.substring(start, i));
      }
    }
    return words;
  }

  /** {@code unicode.isspace()} in Python 2.7 (Unicode 5.2: includes U+180E). */
  static boolean isPython2Space(char c) {
    switch (c) {
      case '\t',
          '\n',
          '\u000B',
          '\u000C',
          '\r',
          '\u001C',
          '\u001D',
          '\u001E',
          '\u001F',
          ' ',
          '\u0085',
          '\u00A0',
          '\u1680',
          '\u180E',
          '\u2028',
          '\u2029',
          '\u202F',
          '\u205F',
          '\u3000':
        return true;
      default:
        return c >= '\u2000' && c <= '\u200A';
    }
  }
}
