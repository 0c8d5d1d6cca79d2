package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.bench.DataBench;
import dev.glimpse.data.loaders.Resize;
import dev.glimpse.data.loaders.ShardPatterns;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench data}: WebDataset decoding and resizing speed, one thread against all. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = {
      "Images per second read from WebDataset shards, decoded and resized, with 1 decoding thread and with all.",
      "Without --shards, writes synthetic shards (JPEGs of 224-640 px with captions) to a temporary folder."
    })
public final class BenchDataCommand implements Runnable {
  @Mixin CommonOptions common;

  @Option(names = "--shards", paramLabel = "PATTERN", split = ",",
      description = "Shards to read: files, brace ranges (train-{000..009}.tar) or globs in the file name.")
  List<String> shards;

  @Option(names = "--generate", paramLabel = "N", description = "Synthetic samples to write when no --shards (default: 2000, in 4 shards).")
  Integer generate;

  @Option(names = "--threads", paramLabel = "N", description = "Decoding threads for the parallel run (default: available processors).")
  Integer threads;

  @Option(names = "--size", paramLabel = "PX", defaultValue = "64", description = "Square resize target (center crop), default 64.")
  int size;

  @Override
  public void run() {
    if (shards != null && generate != null) {
      throw new GlimpseException("give --shards or --generate, not both");
    }
    int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (parallel < 1) {
      throw new GlimpseException("--threads must be at least 1, got " + parallel);
    }
    Resize resize = Resize.square(size);
    PrintStream out = common.info();
    Path temp = null;
    try {
      List<Path> files;
      if (shards != null) {
        files = ShardPatterns.expand(shards);
      } else {
        int samples = generate != null ? generate : 2000;
        temp = Files.createTempDirectory("glimpse-bench-data");
        out.printf("writing %d synthetic samples in 4 shards...%n", samples);
        long t0 = System.nanoTime();
        files = DataBench.writeShards(temp, samples, Math.min(4, samples), 1);
        out.printf("  written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      // Warm-up (JIT compilation of the decode and resize loops, ImageIO plugin loading): not measured.
      DataBench.measure(files, parallel, resize, 500);
      TreeSet<Integer> counts = new TreeSet<>(List.of(1, parallel));
      for (int t = 2; t < parallel; t *= 2) {
        counts.add(t);
      }
      // Best of two passes per thread count, alternating: other processes on a shared machine only
      // ever slow a pass down.
      Map<Integer, DataBench.Measurement> best = new TreeMap<>();
      for (int pass = 0; pass < 2; pass++) {
        for (int t : counts) {
          DataBench.Measurement m = DataBench.measure(files, t, resize, 0);
          best.merge(t, m, (a, b) -> a.imagesPerSecond() >= b.imagesPerSecond() ? a : b);
        }
      }
      List<DataBench.Measurement> runs = new ArrayList<>(best.values());
      out.printf("decoding + resizing to %dx%d, %d shards (best of 2 passes):%n", size, size, files.size());
      for (DataBench.Measurement m : runs) {
        int t = m.threads();
        double scaling = m.imagesPerSecond() / runs.get(0).imagesPerSecond();
        out.printf("  %2d thread%s  %7.1f images/s  (%d images in %.2f s, x%.2f vs 1 thread, %.0f%% per thread,"
                + " %.2f CPU ms per image)%s%n",
            t, t == 1 ? " " : "s", m.imagesPerSecond(), m.images(), m.seconds(), scaling, 100 * scaling / t,
            m.cpuMsPerImage(), m.skipped() > 0 ? ", " + m.skipped() + " skipped" : "");
      }
      DataBench.Measurement one = runs.get(0);
      DataBench.Measurement all = runs.get(runs.size() - 1);
      double msPerBatch = 32_000 / all.imagesPerSecond();
      double cpuMsPerBatch = 32 * one.cpuMsPerImage();
      out.printf("batch of 32: %.1f ms with %d threads, %.1f ms with 1; %.1f ms of CPU time%n", msPerBatch, parallel,
          32_000 / one.imagesPerSecond(), cpuMsPerBatch);
      out.printf("loading keeps up while a training step on 32 images takes longer than %.0f ms; sharing the cores"
          + " with training, it costs about %.0f ms of CPU per batch%n", msPerBatch, cpuMsPerBatch);

      JsonObject json = new JsonObject();
      json.addProperty("images_per_s", round(all.imagesPerSecond()));
      json.addProperty("images_per_s_1thread", round(one.imagesPerSecond()));
      json.addProperty("threads", parallel);
      json.addProperty("ms_per_batch32", round(msPerBatch));
      json.addProperty("ms_per_batch32_1thread", round(32_000 / one.imagesPerSecond()));
      json.addProperty("cpu_ms_per_batch32", round(cpuMsPerBatch));
      json.addProperty("scaling", round(all.imagesPerSecond() / one.imagesPerSecond()));
      json.addProperty("images", all.images());
      json.addProperty("size", size);
      json.addProperty("shards", files.size());
      JsonObject perThreads = new JsonObject();
      for (DataBench.Measurement m : runs) {
        perThreads.addProperty(String.valueOf(m.threads()), round(m.imagesPerSecond()));
      }
      json.add("images_per_s_by_threads", perThreads);
      common.printJson(json);
    } catch (IOException e) {
      throw new GlimpseException("cannot create a temporary folder for the shards: " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        AtomicFiles.deleteRecursively(temp);
      }
    }
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
