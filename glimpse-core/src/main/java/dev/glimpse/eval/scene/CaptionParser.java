package dev.glimpse.eval.scene;

import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.ColorName;
import dev.glimpse.data.synth.Position;
import dev.glimpse.data.synth.Relation;
import dev.glimpse.data.synth.ShapeKind;
import dev.glimpse.data.synth.SizeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a caption back into scene attributes. Parses every wording of {@link CaptionGrammar} and is
 * lenient with generated text that is slightly off-grammar: whatever it cannot read is null.
 *
 * <p>How it reads:
 *
 * <ul>
 *   <li><b>Object phrases</b> are anchored on shape words (circle, square, triangle, star, and their
 *       plurals): the size and color words right before the shape belong to it, as do a following
 *       {@code ", large,"} or {@code "that is red"}. Color (and size) words not followed by a shape
 *       make a phrase without a shape ("a large red" in a cut-off caption). Plurals after a number
 *       ("two red circles") give that many phrases.
 *   <li><b>Count</b>: a number word (one…ten) followed within three words by a shape word or by
 *       shapes/objects/things/items is the explicit count. {@link ParsedCaption#count()} is that
 *       number, or the number of object phrases when there is none; null when the two disagree.
 *   <li><b>Relation</b>: between two consecutive phrases, "left of" / "right of" (with or without
 *       "to the"), "above"/"over"/"on top of", "below"/"under"/"beneath" state that the first is the
 *       subject; after a phrase, "to its left", "to its right", "above it", "below it" state it of
 *       that phrase relative to the one before. Otherwise, with exactly two phrases whose positions
 *       are left/right or top/bottom ("a … on the left and a … on the right"), the relation follows
 *       from the positions.
 *   <li><b>Position</b> of a phrase: left, right, top, bottom, center/centre/middle in the words
 *       after it (before the next phrase) that are not part of a relation; null if there are two
 *       different ones. "from left to right" and "from right to left" are not positions.
 * </ul>
 */
public final class CaptionParser {
  private static final Set<String> DETERMINERS = Set.of("a", "an", "the", "one", "another");
  private static final Set<String> COUNT_NOUNS =
      Set.of("shapes", "objects", "things", "items", "shape", "object", "figures");
  private static final List<String> NUMBERS =
      List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");
  private static final int MAX_PLURAL_COPIES = 10;

  private CaptionParser() {}

  /** One object as described: any field the caption does not say is null. */
  public record ParsedObject(ColorName color, ShapeKind shape, SizeKind size, Position position) {}

  /** "objects[subject] is {@code relation} objects[object]". */
  public record ParsedRelation(int subject, Relation relation, int object) {}

  /**
   * What a caption says.
   *
   * @param text the caption as given
   * @param explicitCount the number word's value, or null if there is none
   * @param objects the object phrases in caption order
   * @param relation the first relation stated between two phrases, or null
   */
  public record ParsedCaption(
      String text, Integer explicitCount, List<ParsedObject> objects, ParsedRelation relation) {
    public ParsedCaption {
      objects = List.copyOf(objects);
    }

    /**
     * The number of objects the caption describes: the explicit count if any (null if it
     * contradicts a non-empty list of phrases), else the number of phrases (null if none).
     */
    public Integer count() {
      if (explicitCount != null) {
        return objects.isEmpty() || objects.size() == explicitCount ? explicitCount : null;
      }
      return objects.isEmpty() ? null : objects.size();
    }
  }

  /** A phrase under construction, with its token span. */
  private static final class Phrase {
    int start;
    int end;
    ColorName color;
    ShapeKind shape;
    SizeKind size;
    Position position;
    boolean positionConflict;

    ParsedObject toParsed() {
      return new ParsedObject(color, shape, size, positionConflict ? null : position);
    }
  }

  public static ParsedCaption parse(String caption) {
    String text = caption == null ? "" : caption;
    List<String> tokens = tokenize(text);
    List<Phrase> phrases = phrases(tokens);
    Integer explicitCount = explicitCount(tokens);
    ParsedRelation relation = null;
    for (int k = 0; k < phrases.size(); k++) {
      int from = phrases.get(k).end + 1;
      boolean last = k + 1 == phrases.size();
      int to = last ? tokens.size() : phrases.get(k + 1).start;
      List<String> window = tokens.subList(Math.min(from, to), to);
      ParsedRelation found = null;
      if (k > 0) {
        Relation r = pronounRelation(window);
        if (r != null) {
          found = new ParsedRelation(k, r, k - 1);
        }
      }
      if (found == null && !last) {
        Relation r = betweenRelation(window);
        if (r != null) {
          found = new ParsedRelation(k, r, k + 1);
        }
      }
      if (found != null) {
        if (relation == null) {
          relation = found;
        }
      } else {
        assignPosition(phrases.get(k), window);
      }
    }
    if (!phrases.isEmpty() && phrases.get(0).position == null) {
      List<String> leading = tokens.subList(0, phrases.get(0).start);
      if (pronounRelation(leading) == null && betweenRelation(leading) == null) {
        assignPosition(phrases.get(0), leading);
      }
    }
    List<ParsedObject> objects = phrases.stream().map(Phrase::toParsed).toList();
    if (relation == null && objects.size() == 2) {
      relation = relationFromPositions(objects.get(0).position(), objects.get(1).position());
    }
    return new ParsedCaption(text, explicitCount, objects, relation);
  }

  /** Lower-case words; ",", ":", ";" and "." become "," tokens; "from left to right" is dropped. */
  static List<String> tokenize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder cleaned = new StringBuilder();
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        cleaned.append(c);
      } else if (c == ',' || c == ':' || c == ';' || c == '.' || c == '!' || c == '?') {
        cleaned.append(" , ");
      } else if (c == '\'') {
        continue;
      } else {
        cleaned.append(' ');
      }
    }
    List<String> words = new ArrayList<>();
    for (String w : cleaned.toString().trim().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      if (i + 2 < words.size() && words.get(i + 1).equals("to")
          && isSide(words.get(i)) && isSide(words.get(i + 2)) && !words.get(i).equals(words.get(i + 2))) {
        if (!out.isEmpty() && out.get(out.size() - 1).equals("from")) {
          out.remove(out.size() - 1);
        }
        i += 2;
        continue;
      }
      out.add(words.get(i));
    }
    return out;
  }

  private static boolean isSide(String w) {
    return w.equals("left") || w.equals("right");
  }

  private static List<Phrase> phrases(List<String> tokens) {
    List<Phrase> out = new ArrayList<>();
    Phrase pending = null;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      SizeKind size = SizeKind.fromWord(t);
      ColorName color = ColorName.fromWord(t);
      ShapeKind shape = ShapeKind.fromWord(t);
      if (size != null || color != null) {
        if (pending != null && ((size != null && pending.size != null) || (color != null && pending.color != null))) {
          flushShapeless(pending, out);
          pending = null;
        }
        if (pending == null) {
          pending = new Phrase();
          pending.start = startOf(tokens, i);
        }
        if (size != null) {
          pending.size = size;
        } else {
          pending.color = color;
        }
        pending.end = i;
      } else if (shape != null) {
        Phrase phrase = pending != null ? pending : new Phrase();
        if (pending == null) {
          phrase.start = startOf(tokens, i);
        }
        pending = null;
        phrase.shape = shape;
        i = postModifiers(tokens, i, phrase);
        phrase.end = i;
        int copies = 1;
        int number = NUMBERS.indexOf(tokens.get(phrase.start));
        if (!t.equals(shape.word()) && number > 1) {
          copies = Math.min(MAX_PLURAL_COPIES, number);
        }
        for (int c = 0; c < copies; c++) {
          out.add(phrase);
        }
      } else if (pending != null) {
        flushShapeless(pending, out);
        pending = null;
      }
    }
    if (pending != null) {
      flushShapeless(pending, out);
    }
    return out;
  }

  /** A phrase without a shape counts only if it names a color. */
  private static void flushShapeless(Phrase pending, List<Phrase> out) {
    if (pending.color != null) {
      out.add(pending);
    }
  }

  /** The phrase starts at a determiner or number just before its first word, if any. */
  private static int startOf(List<String> tokens, int first) {
    if (first > 0) {
      String before = tokens.get(first - 1);
      if (DETERMINERS.contains(before) || NUMBERS.contains(before)) {
        return first - 1;
      }
    }
    return first;
  }

  /** Consumes ", large," / ", red" and "that is red" after a shape; returns the last index used. */
  private static int postModifiers(List<String> tokens, int shapeIndex, Phrase phrase) {
    int i = shapeIndex;
    while (true) {
      if (i + 2 < tokens.size() && tokens.get(i + 1).equals(",")) {
        String w = tokens.get(i + 2);
        String after = i + 3 < tokens.size() ? tokens.get(i + 3) : ",";
        boolean endsHere = after.equals(",") || !(isAttribute(after) || ShapeKind.fromWord(after) != null);
        SizeKind size = SizeKind.fromWord(w);
        ColorName color = ColorName.fromWord(w);
        if (endsHere && size != null && phrase.size == null) {
          phrase.size = size;
          i += 2;
          continue;
        }
        if (endsHere && color != null && phrase.color == null) {
          phrase.color = color;
          i += 2;
          continue;
        }
      }
      if (i + 3 < tokens.size()
          && (tokens.get(i + 1).equals("that") || tokens.get(i + 1).equals("which"))
          && tokens.get(i + 2).equals("is")) {
        String w = tokens.get(i + 3);
        SizeKind size = SizeKind.fromWord(w);
        ColorName color = ColorName.fromWord(w);
        if (color != null && phrase.color == null) {
          phrase.color = color;
          i += 3;
          continue;
        }
        if (size != null && phrase.size == null) {
          phrase.size = size;
          i += 3;
          continue;
        }
      }
      return i;
    }
  }

  private static boolean isAttribute(String w) {
    return SizeKind.fromWord(w) != null || ColorName.fromWord(w) != null;
  }

  private static Integer explicitCount(List<String> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      int n = NUMBERS.indexOf(tokens.get(i));
      if (n < 0 && tokens.get(i).matches("\\d{1,2}")) {
        n = Integer.parseInt(tokens.get(i));
      }
      if (n < 0) {
        continue;
      }
      for (int j = i + 1; j <= i + 3 && j < tokens.size(); j++) {
        String w = tokens.get(j);
        if (COUNT_NOUNS.contains(w) || ShapeKind.fromWord(w) != null) {
          return n;
        }
      }
    }
    return null;
  }

  /** "to its left", "to its right", "above it", "below it" (and "under it", "over it"). */
  private static Relation pronounRelation(List<String> window) {
    for (int i = 0; i < window.size(); i++) {
      String w = window.get(i);
      if (w.equals("its") && i + 1 < window.size()) {
        if (window.get(i + 1).equals("left")) {
          return Relation.LEFT_OF;
        }
        if (window.get(i + 1).equals("right")) {
          return Relation.RIGHT_OF;
        }
      }
      if (w.equals("it") && i > 0) {
        Relation r = verticalWord(window.get(i - 1));
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** "left of", "right of", "above", "over", "on top of", "below", "under", "beneath". */
  private static Relation betweenRelation(List<String> window) {
    for (int i = 0; i < window.size(); i++) {
      String w = window.get(i);
      String next = i + 1 < window.size() ? window.get(i + 1) : "";
      if (isSide(w) && next.equals("of")) {
        return w.equals("left") ? Relation.LEFT_OF : Relation.RIGHT_OF;
      }
      if (w.equals("on") && next.equals("top") && i + 2 < window.size() && window.get(i + 2).equals("of")) {
        return Relation.ABOVE;
      }
      Relation r = verticalWord(w);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static Relation verticalWord(String w) {
    return switch (w) {
      case "above", "over" -> Relation.ABOVE;
      case "below", "under", "beneath", "underneath" -> Relation.BELOW;
      default -> null;
    };
  }

  private static void assignPosition(Phrase phrase, List<String> window) {
    for (String w : window) {
      Position p = Position.fromWord(w);
      if (p == null) {
        continue;
      }
      if (phrase.position == null) {
        phrase.position = p;
      } else if (phrase.position != p) {
        phrase.positionConflict = true;
      }
    }
  }

  private static ParsedRelation relationFromPositions(Position a, Position b) {
    if (a == null || b == null) {
      return null;
    }
    if (a == Position.LEFT && b == Position.RIGHT) {
      return new ParsedRelation(0, Relation.LEFT_OF, 1);
    }
    if (a == Position.RIGHT && b == Position.LEFT) {
      return new ParsedRelation(0, Relation.RIGHT_OF, 1);
    }
    if (a == Position.TOP && b == Position.BOTTOM) {
      return new ParsedRelation(0, Relation.ABOVE, 1);
    }
    if (a == Position.BOTTOM && b == Position.TOP) {
      return new ParsedRelation(0, Relation.BELOW, 1);
    }
    return null;
  }
}
