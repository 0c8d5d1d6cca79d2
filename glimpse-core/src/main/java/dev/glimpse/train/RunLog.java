package dev.glimpse.train;

import com.google.gson.JsonObject;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends one JSON object per line to a run's {@code metrics.jsonl}; keeps the losses (the total and
 * each named part, {@code loss_*}) for the plot.
 */
public final class RunLog implements AutoCloseable {
  public static final String FILE = "metrics.jsonl";
  private static final String LOSS = "loss";

  private final Path file;
  private BufferedWriter writer;
  private final Map<String, List<double[]>> curves = new LinkedHashMap<>(); // name -> (step, value)

  /** Opens (appending) {@code dir/metrics.jsonl}; a resumed run first reloads earlier losses. */
  public RunLog(Path dir) {
    this.file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          keep(com.google.gson.JsonParser.parseString(line).getAsJsonObject());
        }
      }
      this.writer = open(file);
    } catch (IOException | RuntimeException e) {
      throw new GlimpseException("cannot open the metrics log " + file + ": " + e.getMessage(), e);
    }
  }

  private static BufferedWriter open(Path file) throws IOException {
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** A run log that writes nowhere (benchmarks, tests). */
  public static RunLog none() {
    return new RunLog();
  }

  private RunLog() {
    this.file = null;
    this.writer = null;
  }

  /** Drops records after {@code step} (a resume from an earlier checkpoint rewrites them). */
  public void truncateAfter(long step) {
    if (file == null) {
      return;
    }
    curves.values().forEach(points -> points.removeIf(l -> l[0] > step));
    try {
      writer.close();
      List<String> kept = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
        if (!o.has("step") || o.get("step").getAsLong() <= step) {
          kept.add(line);
        }
      }
      dev.glimpse.util.AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
      writer = open(file); // the rewrite replaced the file: append to the new one
    } catch (IOException e) {
      throw new GlimpseException("cannot rewrite " + file + ": " + e.getMessage(), e);
    }
  }

  // The total loss and its parts of a record with a step.
  private void keep(JsonObject record) {
    if (!record.has("step")) {
      return;
    }
    double step = record.get("step").getAsDouble();
    for (String key : record.keySet()) {
      if ((key.equals(LOSS) || key.startsWith(LOSS + "_")) && record.get(key).isJsonPrimitive()) {
        curves.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {step, record.get(key).getAsDouble()});
      }
    }
  }

  public void write(JsonObject record) {
    keep(record);
    if (writer == null) {
      return;
    }
    try {
      writer.write(Json.COMPACT.toJson(record));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new GlimpseException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** (step, loss) pairs logged so far, including those of earlier runs in the same folder. */
  public List<double[]> losses() {
    return curves.getOrDefault(LOSS, List.of());
  }

  /**
   * Every loss curve logged so far: {@code loss} (the total) first, then each named part ({@code
   * loss_lm}, {@code loss_itc}, ...), as (step, value) pairs.
   */
  public Map<String, List<double[]>> lossCurves() {
    Map<String, List<double[]>> out = new LinkedHashMap<>();
    if (curves.containsKey(LOSS)) {
      out.put(LOSS, curves.get(LOSS));
    }
    curves.forEach(out::putIfAbsent);
    return out;
  }

  @Override
  public void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new GlimpseException("cannot close " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
