package dev.glimpse.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.glimpse.util.GlimpseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device a command runs on ({@code --device cpu|cuda|cuda:N}). Every tensor of a run is created
 * through the root {@link NDManager} this class opens on that device (parameters, batches, caches,
 * metrics all come from its sub-managers), never on an implicit default. The CPU natives Glimpse's
 * launcher ships have no CUDA: asking for it there is one clear error (docs/gpu.md says how to run
 * on a GPU).
 */
public final class Devices {
  public static final String CPU = "cpu";
  private static final Pattern CUDA = Pattern.compile("(?:cuda|gpu)(?::(\\d+))?");

  private Devices() {}

  /** The device named by {@code spec}; CUDA must exist in the loaded engine. */
  public static Device parse(String spec) {
    String s = spec == null ? CPU : spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals(CPU)) {
      return Device.cpu();
    }
    Matcher m = CUDA.matcher(s);
    if (!m.matches()) {
      throw new GlimpseException("--device " + spec + ": expected cpu, cuda or cuda:N");
    }
    int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
    int gpus = Engine.getInstance().getGpuCount();
    if (gpus == 0) {
      throw new GlimpseException("--device " + spec + ": the PyTorch engine loaded here has no CUDA support (the "
          + "launcher ships CPU natives; see docs/gpu.md for running on a GPU)");
    }
    if (index >= gpus) {
      throw new GlimpseException("--device " + spec + ": there " + (gpus == 1 ? "is 1 GPU" : "are " + gpus + " GPUs")
          + " (cuda:0" + (gpus > 1 ? " to cuda:" + (gpus - 1) : "") + ")");
    }
    return Device.gpu(index);
  }

  /** A root manager on {@code device}: everything created from it and its sub-managers lives there. */
  public static NDManager manager(Device device) {
    return NDManager.newBaseManager(device);
  }

  /** A root manager on the CPU (tests, benchmarks that compare CPU figures). */
  public static NDManager cpuManager() {
    return NDManager.newBaseManager(Device.cpu());
  }
}
