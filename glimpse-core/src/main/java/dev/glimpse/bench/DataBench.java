package dev.glimpse.bench;

import dev.glimpse.data.loaders.Resize;
import dev.glimpse.data.loaders.TarShardWriter;
import dev.glimpse.data.loaders.WebDataset;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Measures WebDataset loading speed: images read from shards, decoded and resized per second, with
 * one decoding thread and with several. Also writes a synthetic shard set to measure on: photo-like
 * JPEGs (gradients, shapes, fine texture) of 224 to 640 pixels a side, with captions.
 */
public final class DataBench {
  /**
   * One timed pass over the shards.
   *
   * @param cpuSeconds CPU time of the loading threads: unlike wall time, not inflated when other
   *     processes take the cores
   */
  public record Measurement(int threads, long images, long skipped, double seconds, long bytes, double cpuSeconds) {
    public double imagesPerSecond() {
      return images / seconds;
    }

    /** Milliseconds of CPU per image (read, decode, resize). */
    public double cpuMsPerImage() {
      return 1000 * cpuSeconds / images;
    }
  }

  private static final String[] COLORS = {"red", "green", "blue", "yellow", "purple", "orange", "white", "black"};
  private static final Color[] PAINT = {
    Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, new Color(128, 0, 128), Color.ORANGE, Color.WHITE, Color.BLACK
  };
  private static final String[] SHAPES = {"circle", "square", "bar"};

  private DataBench() {}

  /** Writes {@code samples} samples (key.jpg + key.txt) in {@code shards} shards under {@code dir}. */
  public static List<Path> writeShards(Path dir, int samples, int shards, long seed) {
    if (samples < 1 || shards < 1) {
      throw new GlimpseException("need at least one sample and one shard, got " + samples + " and " + shards);
    }
    List<Path> files = new ArrayList<>();
    int perShard = (samples + shards - 1) / shards;
    for (int s = 0; s < shards; s++) {
      int first = s * perShard;
      int last = Math.min(samples, first + perShard);
      if (first >= last) {
        break;
      }
      // Images of one shard are drawn and encoded in parallel, then written in key order.
      List<Map<String, byte[]>> parts =
          IntStream.range(first, last).parallel().mapToObj(i -> syntheticSample(seed, i)).toList();
      Path file = dir.resolve(String.format("bench-%06d.tar", s));
      try (TarShardWriter writer = new TarShardWriter(file)) {
        for (int i = first; i < last; i++) {
          writer.write(String.format("sample%07d", i), parts.get(i - first));
        }
      }
      files.add(file);
    }
    return files;
  }

  private static Map<String, byte[]> syntheticSample(long seed, int index) {
    Random random = new Random(seed * 1_000_003L + index);
    int width = 224 + random.nextInt(417);
    int height = 224 + random.nextInt(417);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, randomColor(random), width, height, randomColor(random)));
    g.fillRect(0, 0, width, height);
    List<String> phrases = new ArrayList<>();
    int objects = 1 + random.nextInt(3);
    for (int k = 0; k < objects; k++) {
      int c = random.nextInt(COLORS.length);
      int shape = random.nextInt(SHAPES.length);
      int w = width / 6 + random.nextInt(width / 3);
      int h = shape == 2 ? w / 4 : shape == 1 ? w : height / 6 + random.nextInt(height / 3);
      int x = random.nextInt(Math.max(1, width - w));
      int y = random.nextInt(Math.max(1, height - h));
      g.setColor(PAINT[c]);
      if (shape == 0) {
        g.fillOval(x, y, w, h);
      } else {
        g.fillRect(x, y, w, h);
      }
      phrases.add("a " + COLORS[c] + " " + SHAPES[shape]);
    }
    g.dispose();
    // Fine texture, so the JPEG has high-frequency content like a photograph, not flat areas.
    for (int y = 0; y < height; y += 2) {
      for (int x = (y / 2) % 3; x < width; x += 3) {
        int rgb = image.getRGB(x, y);
        int d = random.nextInt(25) - 12;
        int r = clamp(((rgb >> 16) & 0xff) + d);
        int gr = clamp(((rgb >> 8) & 0xff) + d);
        int b = clamp((rgb & 0xff) + d);
        image.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    String caption = String.join(" and ", phrases) + " on a gradient background";
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpg", jpeg);
    } catch (IOException e) {
      throw new GlimpseException("cannot encode a synthetic JPEG: " + e.getMessage(), e);
    }
    return Map.of("jpg", jpeg.toByteArray(), "txt", caption.getBytes(StandardCharsets.UTF_8));
  }

  private static Color randomColor(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /**
   * Reads every sample of {@code shards} once with {@code threads} decoding threads, resizing to
   * {@code resize}; at most {@code limit} images are taken (0: all).
   */
  public static Measurement measure(List<Path> shards, int threads, Resize resize, long limit) {
    try (WebDataset data =
        WebDataset.builder()
            .shards(shards)
            .decodeThreads(threads)
            .resize(resize)
            .name("bench")
            .build()) {
      long start = System.nanoTime();
      long images = 0;
      try (WebDataset.Epoch epoch = data.epoch(0)) {
        while ((limit <= 0 || images < limit) && epoch.hasNext()) {
          epoch.next();
          images++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      WebDataset.Stats stats = data.stats();
      return new Measurement(threads, images, data.skippedCount(), seconds, stats.bytesRead(), stats.cpuNanos() / 1e9);
    }
  }
}
