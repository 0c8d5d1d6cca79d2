package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One named, trainable tensor. The {@link Kind} decides its optimizer group: only {@code WEIGHT}
 * matrices get weight decay (norms, biases, embeddings and free tokens do not).
 */
public final class Parameter {
  /** What a parameter is, which decides weight decay. */
  public enum Kind {
    WEIGHT,
    BIAS,
    NORM,
    EMBEDDING,
    /** Free tensors such as CLS tokens, query tokens, position tables, gates. */
    TOKEN;

    public boolean decays() {
      return this == WEIGHT;
    }
  }

  private final String name;
  private final Kind kind;
  private NDArray array;
  private boolean frozen;

  Parameter(String name, Kind kind, NDArray array) {
    this.name = name;
    this.kind = kind;
    this.array = array;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The live tensor; its identity stays the same for the life of the store. */
  public NDArray array() {
    return array;
  }

  public Shape shape() {
    return array.getShape();
  }

  public boolean frozen() {
    return frozen;
  }

  /** Frozen parameters keep their values: no gradient is computed or applied. */
  public void setFrozen(boolean frozen) {
    this.frozen = frozen;
    array.setRequiresGradient(!frozen);
  }

  /** Copies new values in place (the tensor object, and so every reference to it, stays). */
  public void assign(NDArray values) {
    if (!values.getShape().equals(array.getShape())) {
      throw new IllegalArgumentException(
          "parameter " + name + ": expected shape " + array.getShape() + ", got " + values.getShape());
    }
    InPlace.assign(array, values);
  }

  public long size() {
    return array.getShape().size();
  }

  @Override
  public String toString() {
    return name + " " + array.getShape() + " " + kind + (frozen ? " frozen" : "");
  }
}
