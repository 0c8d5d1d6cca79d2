package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** --device: names, the refusal where the engine has no CUDA, and tensors that follow the root manager. */
class DevicesTest {
  @Test
  void parsesDeviceNamesAndRefusesCudaWithoutCudaNatives() {
    assertEquals(Device.cpu(), Devices.parse("cpu"));
    assertEquals(Device.cpu(), Devices.parse(" CPU "));
    GlimpseException bad = assertThrows(GlimpseException.class, () -> Devices.parse("tpu"));
    assertTrue(bad.getMessage().contains("expected cpu, cuda or cuda:N"), bad.getMessage());
    if (Engine.getInstance().getGpuCount() == 0) { // the CPU natives of the build
      for (String spec : List.of("cuda", "cuda:1", "gpu")) {
        GlimpseException e = assertThrows(GlimpseException.class, () -> Devices.parse(spec));
        assertTrue(e.getMessage().contains("no CUDA support") && e.getMessage().contains("docs/gpu.md"),
            e.getMessage());
      }
    }
  }

  @Test
  void parametersAndEverythingMadeFromThemLiveOnTheRootManagersDevice() {
    try (NDManager root = Devices.manager(Devices.parse("cpu"))) {
      ParameterStore store = new ParameterStore(root, 1);
      Parameter w = store.root().weight("w", Init.normal(0.1), 4, 3);
      try (NDManager step = store.manager().newSubManager()) {
        NDArray x = step.ones(new ai.djl.ndarray.types.Shape(2, 4));
        NDArray y = x.matMul(w.array());
        assertEquals(Device.cpu(), w.array().getDevice());
        assertEquals(Device.cpu(), y.getDevice());
        assertEquals(Device.cpu(), Scalars.constant(y, 2).getDevice());
      }
    }
  }

  /** Every root manager of the product is opened on a chosen device (benchmarks and HF conversion: the CPU). */
  @Test
  void noRootManagerIsOpenedOnAnImplicitDevice() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.endsWith("Devices.java"))
          .filter(p -> {
            try {
              return Files.readString(p).contains("NDManager.newBaseManager()");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).toList();
      assertTrue(offenders.isEmpty(), "root managers without a device in " + offenders);
    }
  }
}
