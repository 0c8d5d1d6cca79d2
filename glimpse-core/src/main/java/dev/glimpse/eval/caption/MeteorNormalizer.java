package dev.glimpse.eval.caption;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringTokenizer;
import java.util.regex.Pattern;

/**
 * METEOR 1.5's {@code -norm} text normalization for English with punctuation kept (what
 * pycocoevalcap runs: {@code -l en -norm}): Moses-style tokenization, quote and dash normalization,
 * dashes between words split, English contractions split, sentence-final dots split unless a
 * nonbreaking prefix, then lower-casing. Re-implemented from the behaviour of METEOR's {@code
 * Normalizer.normalizeLine}; the regular expressions are the same.
 */
final class MeteorNormalizer {
  // Letters (and digits) as METEOR lists them: Latin-1, Latin Extended-A subset, Cyrillic.
  private static final String ALPHA =
      "A-Za-z\u0160\u017D\u0161\u017E\u0178\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017E"
          + "\u0400-\u04FF\u0500-\u0527\uA640-\uA66E\uA67E-\uA697\u1D00-\u1D7F";
  private static final String ALNUM = "0-9" + ALPHA;

  private static final Pattern SEPARATE_SYMBOLS =
      Pattern.compile("([^" + ALNUM + "\\s\\.\\'\\`\\,\\-\\\u2018\\\u2019])");
  private static final Pattern MULTI_DOT = Pattern.compile("\\.([\\.]+)");
  private static final Pattern MULTI_DOT_NEXT = Pattern.compile("DOTMULTI\\.([^\\.])");
  private static final Pattern COMMA_NON_DIGITS =
      Pattern.compile("([^\\p{Digit}])[,]([^\\p{Digit}])");
  private static final Pattern COMMA_AFTER_DIGIT =
      Pattern.compile("([\\p{Digit}])[,]([^\\p{Digit}])");
  private static final Pattern COMMA_BEFORE_DIGIT =
      Pattern.compile("([^\\p{Digit}])[,]([\\p{Digit}])");
  private static final Pattern SINGLE_QUOTES = Pattern.compile("([`\u2018\u2019])");
  private static final Pattern DOUBLE_QUOTES = Pattern.compile("([\u201C\u201D]|'')");
  private static final Pattern DASH_BETWEEN_WORDS =
      Pattern.compile("([" + ALNUM + "\\.])[\\-]([" + ALNUM + "])");
  private static final Pattern APOSTROPHE_ALONE =
      Pattern.compile("([^" + ALPHA + "])[']([^" + ALPHA + "])");
  private static final Pattern APOSTROPHE_BEFORE_WORD =
      Pattern.compile("([^" + ALPHA + "\\p{Digit}])[']([" + ALPHA + "])");
  private static final Pattern APOSTROPHE_AFTER_WORD =
      Pattern.compile("([" + ALPHA + "])[']([^" + ALPHA + "])");
  private static final Pattern APOSTROPHE_INSIDE_WORD =
      Pattern.compile("([" + ALPHA + "])[']([" + ALPHA + "])");
  private static final Pattern APOSTROPHE_S_AFTER_DIGIT = Pattern.compile("([\\p{Digit}])[']([s])");
  private static final Pattern HAS_LETTER = Pattern.compile("[" + ALPHA + "]");
  private static final Pattern STARTS_LOWER = Pattern.compile("^[\\p{Lower}]");
  private static final Pattern STARTS_DIGIT = Pattern.compile("^[0-9]+");
  private static final Pattern WHITESPACE =
      Pattern.compile("[ \u2000-\u200A\u202F\u205F\u3000\u00A0]+");

  /** Prefix -> true when it is nonbreaking only before a number ({@code #NUMERIC_ONLY#}). */
  private static final Map<String, Boolean> NONBREAKING = loadNonbreakingPrefixes();

  private MeteorNormalizer() {}

  static String normalize(String line) {
    if (isPlain(line)) {
      // Letters, digits and spaces only (most PTB output): every rule below is a no-op but the
      // whitespace collapse and lower-casing.
      return String.join(" ", line.trim().split(" +")).toLowerCase(Locale.ROOT);
    }
    String s = " " + line + " ";
    s = SEPARATE_SYMBOLS.matcher(s).replaceAll(" $1 ");
    // Runs of dots are escaped so that the dot splitting below leaves them alone.
    s = MULTI_DOT.matcher(s).replaceAll(" DOTMULTI$1");
    while (s.contains("DOTMULTI.")) {
      s = MULTI_DOT_NEXT.matcher(s).replaceAll("DOTDOTMULTI $1");
      s = s.replace("DOTMULTI.", "DOTDOTMULTI");
    }
    s = COMMA_NON_DIGITS.matcher(s).replaceAll("$1 , $2");
    s = COMMA_AFTER_DIGIT.matcher(s).replaceAll("$1 , $2");
    s = COMMA_BEFORE_DIGIT.matcher(s).replaceAll("$1 , $2");
    s = SINGLE_QUOTES.matcher(s).replaceAll("'");
    s = DOUBLE_QUOTES.matcher(s).replaceAll(" \" ");
    s = s.replace("\u2013", "-").replace("--", "-");
    s = DASH_BETWEEN_WORDS.matcher(s).replaceAll("$1 $2");
    s = APOSTROPHE_ALONE.matcher(s).replaceAll("$1 ' $2");
    s = APOSTROPHE_BEFORE_WORD.matcher(s).replaceAll("$1 ' $2");
    s = APOSTROPHE_AFTER_WORD.matcher(s).replaceAll("$1 ' $2");
    s = APOSTROPHE_INSIDE_WORD.matcher(s).replaceAll("$1 '$2");
    s = APOSTROPHE_S_AFTER_DIGIT.matcher(s).replaceAll("$1 '$2");
    s = splitFinalDots(s);
    while (s.contains("DOTDOTMULTI")) {
      s = s.replace("DOTDOTMULTI", "DOTMULTI.");
    }
    s = s.replace("DOTMULTI", ".");
    s = WHITESPACE.matcher(s).replaceAll(" ").trim();
    return s.toLowerCase(Locale.ROOT);
  }

  private static boolean isPlain(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == ' ')) {
        return false;
      }
    }
    return true;
  }

  /** A word ending in a dot loses it unless it is an abbreviation (U.S. -> US) or nonbreaking. */
  private static String splitFinalDots(String s) {
    StringTokenizer tokenizer = new StringTokenizer(s);
    String[] words = new String[tokenizer.countTokens()];
    for (int i = 0; i < words.length; i++) {
      words[i] = tokenizer.nextToken();
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      String next = i + 1 < words.length ? words[i + 1] : null;
      if (word.length() > 1 && word.endsWith(".")) {
        String prefix = word.substring(0, word.length() - 1);
        Boolean numericOnly = NONBREAKING.get(prefix);
        if (prefix.contains(".") && HAS_LETTER.matcher(prefix).find()) {
          out.append(word.replace(".", ""));
        } else if (Boolean.FALSE.equals(numericOnly)
            || (next != null && STARTS_LOWER.matcher(next).find())) {
          out.append(word);
        } else if (Boolean.TRUE.equals(numericOnly)
            && next != null
            && STARTS_DIGIT.matcher(next).find()) {
          out.append(word);
        } else {
          out.append(prefix).append(" .");
        }
      } else {
        out.append(word);
      }
      out.append(' ');
    }
    return out.toString();
  }

  private static Map<String, Boolean> loadNonbreakingPrefixes() {
    Map<String, Boolean> prefixes = new HashMap<>();
    try (InputStream in =
            MeteorNormalizer.class.getResourceAsStream("meteor-nonbreaking-prefixes-en.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        StringTokenizer fields = new StringTokenizer(line);
        if (!fields.hasMoreTokens()) {
          continue;
        }
        String prefix = fields.nextToken();
        if (!prefix.startsWith("#")) {
          prefixes.put(
              prefix, fields.hasMoreTokens() && fields.nextToken().equals("#NUMERIC_ONLY#"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return prefixes;
  }
}
