package dev.glimpse.spark.cli;

import ai.djl.ndarray.NDManager;
import dev.glimpse.nn.Devices;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.cli.CommonOptions;
import dev.glimpse.data.Images;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.generate.Captioner;
import dev.glimpse.hf.hub.ModelResolver;
import dev.glimpse.spark.Decoding;
import dev.glimpse.spark.GlimpseCaptioner;
import dev.glimpse.spark.SparkJob;
import dev.glimpse.spark.TaskStats;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glimpse bench spark}: on the same images and checkpoint, images/s of the Spark caption job
 * (listing, decoding, captioning and the committed Parquet write) against {@code glimpse caption}'s
 * loop in one process with as many native threads as the Spark master has cores. Both are timed warm
 * (model loaded, one untimed pass first), alternately, and the median of the repeats is kept; the
 * ratio is Spark / one process. Memory: the peak resident size of the JVM that runs the tasks (in
 * local mode the driver is the executor) while the Spark job runs, and its heap.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = "Images/s of the Spark caption job (local[2] by default) vs one-process captioning, and "
        + "per-executor memory.")
final class BenchSparkCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID", description = "The captioning model.")
  String checkpoint;

  @Option(names = "--images", paramLabel = "DIR",
      description = "A folder of images (default: --count synthetic scenes written to a temporary folder).")
  Path images;

  @Option(names = "--count", description = "Synthetic images to draw (default 1000: enough that a job's fixed "
      + "cost, about half a second of scheduling and committing, is not what is measured).")
  int count = 1000;

  @Option(names = "--masters", split = ",", paramLabel = "URL",
      description = "Spark masters to measure, comma-separated (default local[2]; e.g. local[1],local[2] for scaling).")
  List<String> masters = List.of("local[2]");

  @Option(names = "--batch-size", description = "Batch size of both sides (default 16).")
  int batchSize = 16;

  @Option(names = "--max-tokens", description = "Most tokens per caption (default 32).")
  int maxTokens = 32;

  @Option(names = "--partitions", description = "Spark partitions (default as glimpse spark caption).")
  int partitions;

  @Option(names = "--single-threads", paramLabel = "N",
      description = "Native threads of the one-process side (default: the master's cores, as glimpse caption "
          + "uses every core).")
  Integer singleThreads;

  @Option(names = "--repeats", description = "Timed repetitions of each side (median; default 3).")
  int repeats = 3;

  @Override
  public Integer call() throws Exception {
    if (repeats < 1 || batchSize < 1 || count < 1) {
      throw new GlimpseException("--repeats, --batch-size and --count must be >= 1");
    }
    Path work = Files.createTempDirectory("glimpse-bench-spark-");
    try {
      Path folder = images != null ? images : synthesize(work.resolve("images"), count);
      List<Path> files = imageFiles(folder);
      Path model = ModelResolver.resolve(checkpoint, false, System.err);
      Decoding decoding = new Decoding(maxTokens, 1, 1.0, false, false, 1.0, 0, 1.0, 0, true);
      JsonObject out = new JsonObject();
      out.addProperty("checkpoint", checkpoint);
      out.addProperty("images", files.size());
      out.addProperty("batch_size", batchSize);
      out.addProperty("max_tokens", maxTokens);
      out.addProperty("repeats", repeats);
      out.addProperty("cores", Runtime.getRuntime().availableProcessors());
      JsonArray runs = new JsonArray();
      for (String master : masters) {
        runs.add(measure(master, folder, files, model, decoding, work));
      }
      out.add("runs", runs);
      JsonObject first = runs.get(0).getAsJsonObject();
      out.addProperty("ratio", first.get("ratio").getAsDouble());
      common.printJson(out);
      return 0;
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
  }

  private JsonObject measure(String master, Path folder, List<Path> files, Path model, Decoding decoding, Path work) {
    boolean running = Sessions.running() != null;
    int cores = singleThreads != null ? singleThreads
        : cores(running ? Sessions.running().sparkContext().master() : master);
    if (cores < 1) {
      throw new GlimpseException("--single-threads must be >= 1, got " + cores);
    }
    double[] single = new double[repeats];
    double[] spark = new double[repeats];
    double[][] singleSplit = new double[repeats][];
    double[][] sparkSplit = new double[repeats][];
    long[] peak = new long[repeats];
    JsonObject r = new JsonObject();
    r.addProperty("master", master);
    try (NDManager manager = Devices.cpuManager(); LoadedModel loaded = LoadedModel.load(model, manager)) {
      int before = JniUtils.getNumThreads();
      JniUtils.setNumThreads(cores);
      // a running session (a test's) is used as it is and left running; otherwise one per master
      SparkSession session = running ? Sessions.running() : SparkSession.builder().master(master)
          .appName("glimpse bench spark").config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false").getOrCreate();
      try {
        GlimpseCaptioner captioner = new GlimpseCaptioner().setCheckpoint(model.toString()).setImageCol(SparkJob.PATH)
            .setBatchSize(batchSize).setDecoding(decoding);
        // warm-up, untimed: loads the model into the executor and compiles the hot paths on both sides
        captionInProcess(loaded, files.subList(0, Math.min(files.size(), 2 * batchSize)), decoding);
        sparkJob(session, captioner, folder.toString(), work.resolve("warmup-" + runs(master)));
        for (int i = 0; i < repeats; i++) {
          JniUtils.setNumThreads(cores); // the Spark tasks set theirs; the setting is partly process-wide
          long t0 = System.nanoTime();
          double[] split = captionInProcess(loaded, files, decoding);
          double singleSeconds = (System.nanoTime() - t0) / 1e9;
          single[i] = files.size() / singleSeconds;
          singleSplit[i] = new double[] {singleSeconds, split[0], split[1]};
          try (RssSampler rss = new RssSampler()) {
            double input0 = TaskStats.inputSeconds();
            double model0 = TaskStats.modelSeconds();
            long t1 = System.nanoTime();
            Path out = work.resolve("out-" + runs(master) + "-" + i);
            sparkJob(session, captioner, folder.toString(), out);
            double sparkSeconds = (System.nanoTime() - t1) / 1e9;
            spark[i] = files.size() / sparkSeconds;
            sparkSplit[i] = new double[] {sparkSeconds, TaskStats.inputSeconds() - input0,
                TaskStats.modelSeconds() - model0};
            peak[i] = rss.peak();
            long rows = session.read().parquet(out.toUri().toString()).count();
            if (rows != files.size()) {
              throw new IllegalStateException("the Spark job wrote " + rows + " rows for " + files.size() + " images");
            }
          }
          common.info().printf(Locale.ROOT, "%s run %d: one process %.2f images/s, Spark %.2f images/s%n", master, i + 1,
              single[i], spark[i]);
        }
        r.addProperty("partitions", SparkJob.input(session, folder.toString(), false, partitions, List.of())
            .rdd().getNumPartitions());
        r.addProperty("master", session.sparkContext().master());
      } finally {
        if (!running) {
          Sessions.stop(session);
        }
        JniUtils.setNumThreads(before);
      }
    }
    double s = median(single);
    double p = median(spark);
    r.add("single_seconds", split(singleSplit, single, s));
    r.add("spark_seconds", split(sparkSplit, spark, p));
    r.addProperty("single_threads", cores);
    r.addProperty("single_images_per_second", s);
    r.addProperty("spark_images_per_second", p);
    r.addProperty("ratio", p / s);
    Runtime rt = Runtime.getRuntime();
    r.addProperty("executor_peak_rss_mb", Arrays.stream(peak).max().orElse(0) / 1048576.0);
    r.addProperty("executor_heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    r.addProperty("executor_heap_max_mb", rt.maxMemory() / 1048576.0);
    common.info().printf(Locale.ROOT, "%s: Spark %.2f images/s vs one process %.2f images/s (%d threads) -> ratio %.2f; "
            + "executor peak RSS %.0f MB%n", master, p, s, cores, p / s, r.get("executor_peak_rss_mb").getAsDouble());
    JsonObject a = r.getAsJsonObject("single_seconds");
    JsonObject b = r.getAsJsonObject("spark_seconds");
    common.info().printf(Locale.ROOT, "  one process: %.2f s (read %.2f, model %.2f); Spark: %.2f s (tasks: read %.2f, "
        + "model %.2f)%n", a.get("wall").getAsDouble(), a.get("read").getAsDouble(), a.get("model").getAsDouble(),
        b.get("wall").getAsDouble(), b.get("read").getAsDouble(), b.get("model").getAsDouble());
    return r;
  }

  /** The whole job as glimpse spark caption runs it: list, caption, commit the Parquet output. */
  private void sparkJob(SparkSession session, GlimpseCaptioner captioner, String folder, Path out) {
    Dataset<Row> inputs = SparkJob.input(session, folder, false, partitions, List.of());
    SparkJob.write(captioner.transform(inputs), out.toUri().toString(), SparkJob.Format.PARQUET, false);
  }

  private int measured;

  // a fresh output folder name for every job of this run
  private String runs(String master) {
    return master.replaceAll("[^A-Za-z0-9]", "") + "-" + (measured++);
  }

  /** As {@code glimpse caption} does it: read every file, then caption in batches; {read, model} seconds. */
  private double[] captionInProcess(LoadedModel loaded, List<Path> files, Decoding decoding) {
    long t0 = System.nanoTime();
    List<List<BufferedImage>> clips = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (Path f : files) {
      clips.add(List.of(Images.read(f)));
      prompts.add("");
    }
    long t1 = System.nanoTime();
    Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
    captioner.generate(clips, prompts, decoding.config(loaded.model().maxTextLength()), batchSize, null);
    return new double[] {(t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9};
  }

  /**
   * The run whose images/s is the median: its wall time, and the time spent reading images and in the
   * model (on the Spark side summed over tasks, so with several task threads it can exceed the wall time).
   */
  private static JsonObject split(double[][] splits, double[] rates, double median) {
    int at = 0;
    for (int i = 0; i < rates.length; i++) {
      if (Math.abs(rates[i] - median) < Math.abs(rates[at] - median)) {
        at = i;
      }
    }
    JsonObject o = new JsonObject();
    o.addProperty("wall", splits[at][0]);
    o.addProperty("read", splits[at][1]);
    o.addProperty("model", splits[at][2]);
    return o;
  }

  static Path synthesize(Path dir, int n) {
    try {
      Files.createDirectories(dir);
      SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(11));
      for (int i = 0; i < n; i++) {
        BufferedImage image = generator.render(generator.scene(Split.TEST, i));
        ImageIO.write(image, "png", dir.resolve(String.format(Locale.ROOT, "scene-%05d.png", i)).toFile());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> imageFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new GlimpseException("--images must be a folder of images: " + folder);
    }
    try (var list = Files.list(folder)) {
      List<Path> files = list.filter(Files::isRegularFile).filter(Images::isImageFile).sorted().toList();
      if (files.isEmpty()) {
        throw new GlimpseException("no image files in " + folder);
      }
      return files;
    }
  }

  static int cores(String master) {
    Matcher m = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
    if (m.matches()) {
      return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }
    if (master.equals("local")) {
      return 1;
    }
    throw new GlimpseException("bench spark measures local masters (local[N]); got " + master);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The largest resident set size of this process while open (Linux /proc; 0 elsewhere). */
  static final class RssSampler implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler() {
      thread = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(rss(), Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long peak() {
      peak.accumulateAndGet(rss(), Math::max);
      return peak.get();
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }

    static long rss() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        return 0;
      }
      return 0;
    }
  }
}
