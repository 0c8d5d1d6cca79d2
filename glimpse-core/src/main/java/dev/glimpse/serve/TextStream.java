package dev.glimpse.serve;

import dev.glimpse.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One choice's text as its tokens arrive: detokenises the whole sequence each time (so characters that
 * span tokens come out whole), ends it at the first stop sequence (which is not part of the text, as in
 * the OpenAI API), and hands out only text that can no longer change: a trailing partial character and
 * a tail that may still grow into a stop sequence are held back until the next token decides.
 */
final class TextStream {
  private final Tokenizer tokenizer;
  private final List<String> stops;
  private final List<Integer> ids = new ArrayList<>();
  private String text = "";
  private String sent = "";
  private boolean stopped;

  TextStream(Tokenizer tokenizer, List<String> stops) {
    this.tokenizer = tokenizer;
    this.stops = stops;
  }

  /** Adds a token; returns the text that may be sent now (possibly empty). */
  String add(int id) {
    if (stopped) {
      return "";
    }
    ids.add(id);
    int[] all = new int[ids.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = ids.get(i);
    }
    String decoded = tokenizer.decode(all);
    int cut = -1;
    for (String stop : stops) {
      int at = decoded.indexOf(stop, Math.max(0, sent.length() - stop.length()));
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      decoded = decoded.substring(0, cut);
      stopped = true;
    }
    text = decoded;
    return advance(stopped ? decoded : settled(decoded));
  }

  /** Whether a stop sequence has appeared (the choice is over). */
  boolean stopped() {
    return stopped;
  }

  /** The rest of the text once the choice is over. */
  String finish() {
    return advance(text);
  }

  /** The whole text so far (stop sequence excluded). */
  String text() {
    return text;
  }

  private String advance(String upTo) {
    if (!upTo.startsWith(sent) || upTo.length() == sent.length()) {
      return ""; // the decoder rewrote earlier text (rare): the final message holds the whole text
    }
    String delta = upTo.substring(sent.length());
    sent = upTo;
    return delta;
  }

  // The text minus a trailing replacement character (a character cut between tokens) and minus the
  // longest tail that is the start of a stop sequence.
  private String settled(String decoded) {
    int end = decoded.length();
    while (end > 0 && decoded.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    String s = decoded.substring(0, end);
    int hold = 0;
    for (String stop : stops) {
      for (int k = Math.min(stop.length() - 1, s.length()); k > hold; k--) {
        if (s.endsWith(stop.substring(0, k))) {
          hold = k;
          break;
        }
      }
    }
    return s.substring(0, s.length() - hold);
  }
}
