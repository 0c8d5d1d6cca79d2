package dev.glimpse.data;

/**
 * A typed key of an example's annotations: {@code example.get(Scene.KEY)} is a {@code Scene}, without
 * casts or {@code instanceof} at the reader. Keys are compared by identity, so each is declared once,
 * next to the type it annotates (a synthetic scene, a VQA question's ids, a group's members).
 *
 * @param <T> the annotation's type
 */
public final class Annotation<T> {
  private final String name;

  private Annotation(String name) {
    this.name = name;
  }

  /** A new key; {@code name} is for messages and {@link Example#toString}. */
  public static <T> Annotation<T> named(String name) {
    return new Annotation<>(name);
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
