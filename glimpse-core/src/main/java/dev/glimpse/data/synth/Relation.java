package dev.glimpse.data.synth;

/** Spatial relation of one object (the subject) to another, as said in captions. */
public enum Relation {
  LEFT_OF("to the left of"),
  RIGHT_OF("to the right of"),
  ABOVE("above"),
  BELOW("below");

  private final String phrase;

  Relation(String phrase) {
    this.phrase = phrase;
  }

  /** "to the left of", "to the right of", "above", "below". */
  public String phrase() {
    return phrase;
  }

  /** The relation of the object to the subject: LEFT_OF ↔ RIGHT_OF, ABOVE ↔ BELOW. */
  public Relation inverse() {
    return switch (this) {
      case LEFT_OF -> RIGHT_OF;
      case RIGHT_OF -> LEFT_OF;
      case ABOVE -> BELOW;
      case BELOW -> ABOVE;
    };
  }

  public boolean horizontal() {
    return this == LEFT_OF || this == RIGHT_OF;
  }

  /** The relation with this phrase, or null. */
  public static Relation fromPhrase(String phrase) {
    for (Relation r : values()) {
      if (r.phrase.equals(phrase)) {
        return r;
      }
    }
    return null;
  }
}
