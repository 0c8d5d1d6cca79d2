package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Constants used by autograd must survive until the backward pass even when the garbage collector
 * runs in between (DJL's Number overloads do not guarantee that; see {@link Scalars}).
 */
class ScalarsTest {
  /** The ops whose backward reads the constant operand (in place or not). */
  static final Set<String> READ_BY_BACKWARD = Set.of("mul", "div", "pow", "maximum", "minimum", "rdiv", "rpow",
      "muli", "divi", "powi", "maximumi", "minimumi", "rdivi", "rpowi");

  /** Classes that only run without a graph (the optimizer's update, the diffusion samplers). */
  static final Set<String> NO_GRAPH = Set.of("dev/glimpse/train/AdamW", "dev/glimpse/generate/DdimSampler",
      "dev/glimpse/model/Guidance");

  @Test
  void gradientsThroughConstantsSurviveGarbageCollection() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 20; trial++) {
        NDArray x = manager.create(new float[] {1, 2, 3});
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = Scalars.pow(Scalars.add(Scalars.mul(x, 3), 1), 2).sum(); // sum((3x + 1)^2)
          collectAndRefill(manager);
          collector.backward(y);
        }
        // d/dx (3x + 1)^2 = 6 (3x + 1)
        assertArrayEquals(new float[] {24, 42, 60}, x.getGradient().toFloatArray(), 1e-4f, "trial " + trial);
      }
    }
  }

  /** The same floor, clamp and division as the losses use: a freed constant would change these gradients. */
  @Test
  void floorsCeilingsAndDivisionsSurviveGarbageCollection() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 40; trial++) {
        NDArray x = manager.create(new float[] {0.03f, 0.04f});
        x.setRequiresGradient(true);
        NDArray s = manager.create(new float[] {2f});
        s.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          // x0 / max(|x|, 0.01) / 2 + min(exp(s), 100): the floor and the ceiling are not active
          NDArray norm = Scalars.maximum(x.square().sum().sqrt(), 0.01);
          NDArray y = Scalars.div(x.get(0).div(norm), 2).add(Scalars.minimum(s.exp(), 100).sum());
          collectAndRefill(manager);
          collector.backward(y);
        }
        // d/dx0 x0/|x| = (1 - x0^2/|x|^2)/|x| = 12.8, halved; d/dx1 = -x0 x1/|x|^3 = -9.6, halved
        assertArrayEquals(new float[] {6.4f, -4.8f}, x.getGradient().toFloatArray(), 1e-3f, "trial " + trial);
        assertArrayEquals(new float[] {(float) Math.exp(2)}, s.getGradient().toFloatArray(), 1e-3f, "trial " + trial);
      }
    }
  }

  // Collect garbage, then hand freed memory out again before the backward pass: direct buffers filled
  // with NaNs, and many small native scalars.
  private static void collectAndRefill(NDManager manager) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
      while (b.hasRemaining()) {
        b.putFloat(Float.NaN);
      }
      buffers.add(b);
    }
    List<NDArray> junk = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      junk.add(manager.create(1000f + i));
    }
    junk.forEach(NDArray::close);
    for (int i = 0; i < 2000; i++) {
      junk.add(manager.create(1000f + i));
    }
  }

  /**
   * No code that autograd may record calls DJL's Number overloads of an op whose backward reads the
   * constant: read from the compiled classes' constant pools, so a call through any expression is seen.
   */
  @Test
  void graphCodeUsesScalarsForConstants() throws Exception {
    Path classes = Path.of(Scalars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
        String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        if (NO_GRAPH.contains(outer)) {
          continue;
        }
        try (InputStream in = Files.newInputStream(file)) {
          for (String call : numberCalls(in)) {
            found.add(name + " calls NDArray." + call + "(Number)");
          }
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(found.isEmpty(),
        "use dev.glimpse.nn.Scalars instead (the constant must outlive the backward pass): " + found);
  }

  // The NDArray (and NDArrays) methods taking a Number, among READ_BY_BACKWARD, that a class file refers to.
  private static List<String> numberCalls(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNames = new int[count];
    int[][] refs = new int[count][];
    int[][] nameAndTypes = new int[count][];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNames[i] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 9, 10, 11 -> refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
        case 12 -> nameAndTypes[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 17, 18 -> in.readInt();
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    List<String> out = new ArrayList<>();
    for (int[] ref : refs) {
      if (ref == null || ref[0] == 9) {
        continue;
      }
      String owner = utf8[classNames[ref[1]]];
      String method = utf8[nameAndTypes[ref[2]][0]];
      String descriptor = utf8[nameAndTypes[ref[2]][1]];
      if (owner.startsWith("ai/djl/") && (owner.endsWith("NDArray") || owner.endsWith("NDArrays"))
          && descriptor.contains("Ljava/lang/Number;") && READ_BY_BACKWARD.contains(method)) {
        out.add(method);
      }
    }
    return out;
  }
}
