package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Overwrites a tensor's values in place (the tensor object, and every reference to it, stays), for
 * loading weights and optimizer state. DJL's {@code NDArray.set(Buffer)} does this through a native
 * call that enters PyTorch's deprecated {@code AutoNonVariableTypeMode}, and PyTorch then prints a
 * C++ warning ("AutoNonVariableTypeMode is deprecated ...") on the first load of every process, which
 * no Java setting can silence. Here the values go in as a full-slice index assignment, an ordinary
 * tensor operation, with autograd tracking switched off for the copy (an in-place write to a leaf
 * that requires a gradient is refused otherwise) and back on after it.
 */
public final class InPlace {
  private InPlace() {}

  /** Copies {@code values} (same shape, any data type) into {@code target}. */
  public static void assign(NDArray target, NDArray values) {
    if (!values.getShape().equals(target.getShape())) {
      throw new IllegalArgumentException("expected shape " + target.getShape() + ", got " + values.getShape());
    }
    boolean tracked = target.hasGradient();
    if (tracked) {
      target.setRequiresGradient(false);
    }
    try (NDManager scratch = target.getManager().newSubManager()) {
      NDArray converted = values.getDataType() == target.getDataType()
          ? values : values.toType(target.getDataType(), false);
      if (converted != values) {
        converted.attach(scratch);
      }
      target.set(new NDIndex("..."), converted);
    } finally {
      if (tracked) {
        target.setRequiresGradient(true);
      }
    }
  }

  /** Copies {@code values} (row-major, {@code target}'s element count) into a float32 {@code target}. */
  public static void assign(NDArray target, float[] values) {
    if (values.length != target.size()) {
      throw new IllegalArgumentException("expected " + target.size() + " values for shape " + target.getShape()
          + ", got " + values.length);
    }
    try (NDManager scratch = target.getManager().newSubManager()) {
      assign(target, scratch.create(values, target.getShape()).toType(target.getDataType(), false));
    }
  }
}
