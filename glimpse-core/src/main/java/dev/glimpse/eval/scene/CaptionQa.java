package dev.glimpse.eval.scene;

import dev.glimpse.data.synth.ColorName;
import dev.glimpse.data.synth.Position;
import dev.glimpse.data.synth.Relation;
import dev.glimpse.data.synth.ShapeKind;
import dev.glimpse.eval.scene.CaptionParser.ParsedCaption;
import dev.glimpse.eval.scene.CaptionParser.ParsedObject;
import dev.glimpse.eval.scene.CaptionParser.ParsedRelation;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text-only question answering (VLV section 4.3): a synthetic VQA question answered from a caption
 * alone, with the image never seen. The caption is read by {@link CaptionParser}; each question form
 * of the synthetic VQA data is answered from what the caption says:
 *
 * <ul>
 *   <li>"what color is the SHAPE?" and "what shape is the COLOR object?": the attribute of the object
 *       the caption names with that shape (color);
 *   <li>"how many shapes are there?": the caption's count; "how many COLOR shapes are there?": the
 *       number of objects it names with that color;
 *   <li>"where is the COLOR SHAPE?": the position it gives that object;
 *   <li>"is the A RELATION the B?": the relation it states between A and B (either way round), else
 *       the one their stated positions imply;
 *   <li>"is there a COLOR SHAPE?": whether it names such an object.
 * </ul>
 *
 * A question the caption gives no answer to is answered with null (scored wrong); questions of other
 * forms (scene text) too.
 */
public final class CaptionQa {
  private static final Pattern COLOR_OF = Pattern.compile("what color is the (\\w+)\\?");
  private static final Pattern SHAPE_OF = Pattern.compile("what shape is the (\\w+) object\\?");
  private static final Pattern HOW_MANY = Pattern.compile("how many shapes are there\\?");
  private static final Pattern HOW_MANY_COLOR = Pattern.compile("how many (\\w+) shapes are there\\?");
  private static final Pattern WHERE = Pattern.compile("where is the (\\w+) (\\w+)\\?");
  private static final Pattern RELATION = Pattern.compile(
      "is the (\\w+) (\\w+) (to the left of|to the right of|above|below) the (\\w+) (\\w+)\\?");
  private static final Pattern IS_THERE = Pattern.compile("is there an? (\\w+) (\\w+)\\?");

  private CaptionQa() {}

  /** The answer to {@code question} that {@code caption} gives, or null when it gives none. */
  public static String answer(String question, String caption) {
    String q = question.trim().toLowerCase(Locale.ROOT);
    ParsedCaption parsed = CaptionParser.parse(caption);
    List<ParsedObject> objects = parsed.objects();
    Matcher m;
    if ((m = COLOR_OF.matcher(q)).matches()) {
      ShapeKind shape = ShapeKind.fromWord(m.group(1));
      return objects.stream().filter(o -> o.shape() == shape && o.color() != null).findFirst()
          .map(o -> o.color().word()).orElse(null);
    }
    if ((m = SHAPE_OF.matcher(q)).matches()) {
      ColorName color = ColorName.fromWord(m.group(1));
      return objects.stream().filter(o -> o.color() == color && o.shape() != null).findFirst()
          .map(o -> o.shape().word()).orElse(null);
    }
    if (HOW_MANY.matcher(q).matches()) {
      Integer count = parsed.count();
      return count == null ? null : Integer.toString(count);
    }
    if ((m = HOW_MANY_COLOR.matcher(q)).matches()) {
      ColorName color = ColorName.fromWord(m.group(1));
      return objects.isEmpty() ? null : Long.toString(objects.stream().filter(o -> o.color() == color).count());
    }
    if ((m = WHERE.matcher(q)).matches()) {
      int i = find(objects, ColorName.fromWord(m.group(1)), ShapeKind.fromWord(m.group(2)));
      Position p = i < 0 ? null : objects.get(i).position();
      return p == null ? null : p.word();
    }
    if ((m = RELATION.matcher(q)).matches()) {
      int a = find(objects, ColorName.fromWord(m.group(1)), ShapeKind.fromWord(m.group(2)));
      int b = find(objects, ColorName.fromWord(m.group(4)), ShapeKind.fromWord(m.group(5)));
      Relation asked = Relation.fromPhrase(m.group(3));
      Relation stated = relation(parsed, objects, a, b);
      return stated == null ? null : stated == asked ? "yes" : "no";
    }
    if ((m = IS_THERE.matcher(q)).matches()) {
      if (objects.isEmpty()) {
        return null;
      }
      return find(objects, ColorName.fromWord(m.group(1)), ShapeKind.fromWord(m.group(2))) >= 0 ? "yes" : "no";
    }
    return null;
  }

  // the index of the object named with this color and shape, or -1
  private static int find(List<ParsedObject> objects, ColorName color, ShapeKind shape) {
    for (int i = 0; i < objects.size(); i++) {
      if (color != null && shape != null && objects.get(i).color() == color && objects.get(i).shape() == shape) {
        return i;
      }
    }
    return -1;
  }

  // the relation of object a to object b the caption states, or that their positions imply; null if none
  private static Relation relation(ParsedCaption parsed, List<ParsedObject> objects, int a, int b) {
    if (a < 0 || b < 0 || a == b) {
      return null;
    }
    ParsedRelation r = parsed.relation();
    if (r != null && r.subject() == a && r.object() == b) {
      return r.relation();
    }
    if (r != null && r.subject() == b && r.object() == a) {
      return r.relation().inverse();
    }
    Position pa = objects.get(a).position();
    Position pb = objects.get(b).position();
    if (pa == Position.LEFT && pb == Position.RIGHT) {
      return Relation.LEFT_OF;
    }
    if (pa == Position.RIGHT && pb == Position.LEFT) {
      return Relation.RIGHT_OF;
    }
    if (pa == Position.TOP && pb == Position.BOTTOM) {
      return Relation.ABOVE;
    }
    if (pa == Position.BOTTOM && pb == Position.TOP) {
      return Relation.BELOW;
    }
    return null;
  }
}
