package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class InPlaceTest {
  @Test
  void overwritesValuesAndKeepsTheTensorAndItsGradientFlag() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray target = manager.zeros(new Shape(2, 3));
      target.setRequiresGradient(true);
      InPlace.assign(target, new float[] {1, 2, 3, 4, 5, 6});
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, target.toFloatArray());
      assertTrue(target.hasGradient());
      // Still a leaf that learns: the gradient of sum(x * x) is 2x.
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(target.mul(target).sum());
      }
      assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, target.getGradient().toFloatArray());

      NDArray frozen = manager.ones(new Shape(3));
      NDArray doubles = manager.create(new double[] {0.5, -1.5, 2.5});
      InPlace.assign(frozen, doubles);
      assertArrayEquals(new float[] {0.5f, -1.5f, 2.5f}, frozen.toFloatArray());
      assertEquals(DataType.FLOAT32, frozen.getDataType());
      assertFalse(frozen.hasGradient());
      NDArray same = frozen;
      InPlace.assign(frozen, new float[] {7, 8, 9});
      assertSame(same, frozen);
      assertArrayEquals(new float[] {7, 8, 9}, same.toFloatArray());
    }
  }

  @Test
  void refusesAnotherShapeOrCount() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray target = manager.zeros(new Shape(2, 2));
      assertThrows(IllegalArgumentException.class, () -> InPlace.assign(target, new float[] {1, 2, 3}));
      assertThrows(IllegalArgumentException.class, () -> InPlace.assign(target, manager.zeros(new Shape(4))));
    }
  }
}
