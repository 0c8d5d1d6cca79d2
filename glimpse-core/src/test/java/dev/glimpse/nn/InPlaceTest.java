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
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
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

  /**
   * What keeps every command quiet, those added later included (chat, generate, embed, index, search,
   * serve, hf, Spark): no class of the core calls DJL's {@code NDArray.set} with a buffer or a Java
   * array, whose native call enters PyTorch's deprecated AutoNonVariableTypeMode and prints its C++
   * warning. Read from the compiled classes' constant pools, so a call through any variable, chained
   * or not, is found; InPlace's own javadoc mention does not count.
   */
  @Test
  void noCoreClassCallsTheNativeSetThatWarns() throws Exception {
    Path classes = Path.of(InPlace.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isDirectory(classes.resolve("dev/glimpse")), classes.toString());
    Set<String> warns = Set.of("(Ljava/nio/Buffer;)V", "([F)V", "([I)V", "([D)V", "([J)V", "([B)V", "([Z)V");
    List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        scanned++;
        for (String[] call : methodRefs(file)) {
          boolean ndArray = call[0].equals("ai/djl/ndarray/NDArray") || call[0].equals("ai/djl/pytorch/engine/PtNDArray");
          boolean jniSet = call[0].equals("ai/djl/pytorch/jni/JniUtils") && call[1].equals("set");
          if (jniSet || ndArray && call[1].equals("set") && warns.contains(call[2])) {
            offenders.add(classes.relativize(file) + " calls " + call[0] + "." + call[1] + call[2]);
          }
        }
      }
    }
    assertTrue(scanned > 300, "scanned " + scanned + " classes");
    assertEquals(List.of(), offenders);
    // the scan sees such a call where there is one
    Path warning = Path.of(CallsTheWarningSet.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(CallsTheWarningSet.class.getName().replace('.', '/') + ".class");
    assertTrue(methodRefs(warning).stream().anyMatch(c -> c[0].equals("ai/djl/ndarray/NDArray") && c[1].equals("set")
        && c[2].equals("([F)V")), "the scan finds NDArray.set(float[])");
  }

  /** Never run: what the scan above must find (the old way of loading weights). */
  static final class CallsTheWarningSet {
    static void load(NDArray target, float[] values) {
      target.set(values);
    }
  }

  /** The (class, name, descriptor) of every method reference in a class file's constant pool. */
  static List<String[]> methodRefs(Path classFile) throws IOException {
    try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException("not a class file: " + classFile);
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[][] refs = new int[count][];
      int[] classNames = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7, 8, 16, 19, 20 -> classNames[i] = in.readUnsignedShort(); // Class (others: unused indices)
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++; // 8-byte constants take two slots
          }
          case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant tag " + tag + " in " + classFile);
        }
      }
      List<String[]> out = new ArrayList<>();
      for (int[] ref : refs) {
        if (ref != null && (ref[0] == 10 || ref[0] == 11)) { // Methodref, InterfaceMethodref
          int[] nameAndType = refs[ref[2]];
          out.add(new String[] {utf8[classNames[ref[1]]], utf8[nameAndType[1]], utf8[nameAndType[2]]});
        }
      }
      return out;
    }
  }
}
