package dev.glimpse.data.loaders;

import dev.glimpse.util.GlimpseException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes one WebDataset shard: a tar of {@code <key>.<ext>} files, the parts of each sample
 * together. A name ending in {@code .tar.gz} or {@code .tgz} is gzip-compressed. The shard appears
 * under its name only when closed (written to a temp file, then renamed).
 */
public final class TarShardWriter implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final TarArchiveOutputStream tar;
  private int samples;

  public TarShardWriter(Path target) {
    this.target = target;
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      this.temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
      String name = target.getFileName().toString();
      if (name.endsWith(".gz") || name.endsWith(".tgz")) {
        out = new GZIPOutputStream(out, 1 << 16);
      }
      this.tar = new TarArchiveOutputStream(out);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    } catch (IOException e) {
      throw new GlimpseException("cannot write shard " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes one sample: {@code parts} maps extensions ("jpg", "txt", "json") to file contents. */
  public void write(String key, Map<String, byte[]> parts) {
    if (key.isEmpty() || key.contains(".")) {
      throw new IllegalArgumentException("sample key must be non-empty and without '.': " + key);
    }
    try {
      for (Map.Entry<String, byte[]> part : new TreeMap<>(parts).entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(key + "." + part.getKey());
        entry.setSize(part.getValue().length);
        entry.setModTime(0); // reproducible shards
        tar.putArchiveEntry(entry);
        tar.write(part.getValue());
        tar.closeArchiveEntry();
      }
      samples++;
    } catch (IOException e) {
      throw new GlimpseException("cannot write shard " + target + ": " + e.getMessage(), e);
    }
  }

  public int samples() {
    return samples;
  }

  @Override
  public void close() {
    try {
      tar.close();
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new GlimpseException("cannot write shard " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // the temp file is hidden and harmless
      }
    }
  }
}
