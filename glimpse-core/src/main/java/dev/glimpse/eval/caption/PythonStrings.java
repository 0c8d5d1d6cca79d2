package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.List;

/**
 * Python 3 {@code str.split()} / {@code str.rstrip()} whitespace rules, which the toolkit relies on
 * (they differ from Java's: U+00A0, U+2000.., U+001C..U+001F are whitespace, and PTB tokens may
 * contain U+00A0).
 */
final class PythonStrings {
  private PythonStrings() {}

  /** {@code c.isspace()} in Python 3. */
  static boolean isSpace(char c) {
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

  /** {@code s.split()}: runs of whitespace separate words; no empty words. */
  static List<String> split(String s) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        words.add(s.substring(start, i));
      }
    }
    return words;
  }

  /** {@code s.rstrip()}. */
  static String rstrip(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}
