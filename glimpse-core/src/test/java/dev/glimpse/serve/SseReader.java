package dev.glimpse.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads Server-Sent Events one at a time as they arrive: the data of each event (comments skipped). */
final class SseReader implements AutoCloseable {
  private final BufferedReader reader;

  SseReader(InputStream in) {
    reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** The next event's data, or null at the end of the stream. */
  String next() throws IOException {
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          return data.toString();
        }
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
      }
    }
    return data.length() > 0 ? data.toString() : null;
  }

  static List<String> events(InputStream in) throws IOException {
    List<String> out = new ArrayList<>();
    try (SseReader r = new SseReader(in)) {
      String e;
      while ((e = r.next()) != null) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
