package dev.glimpse.testing.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Images and their texts as token ids, on the heap (built on the loader thread). */
record ProbeBatch(int size, int side, float[] pixels, int length, long[] ids, float[] weights) {
  NDArray pixels(NDManager manager) {
    return manager.create(pixels, new Shape(size, 3, side, side));
  }

  NDArray ids(NDManager manager) {
    return manager.create(ids, new Shape(size, length)).toType(DataType.INT64, false);
  }

  NDArray weights(NDManager manager) {
    return manager.create(weights, new Shape(size, length));
  }
}
