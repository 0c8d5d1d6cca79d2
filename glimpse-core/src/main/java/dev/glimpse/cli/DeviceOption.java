package dev.glimpse.cli;

import ai.djl.Device;
import dev.glimpse.nn.Devices;
import picocli.CommandLine.Option;

/** {@code --device cpu|cuda|cuda:N}: where a command's tensors live. Mixed into the commands that run models. */
public final class DeviceOption {
  @Option(names = "--device", paramLabel = "cpu|cuda[:N]", defaultValue = Devices.CPU,
      description = "Where tensors live (default: cpu). CUDA needs the engine's CUDA natives (docs/gpu.md).")
  String device;

  /** The device, checked against the loaded engine. */
  public Device device() {
    return Devices.parse(device);
  }
}
