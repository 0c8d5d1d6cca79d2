package dev.glimpse.data.loaders;

import dev.glimpse.data.Images;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one WebDataset shard into samples. Following the WebDataset convention, a file {@code
 * dir/name.ext1.ext2} belongs to sample key {@code dir/name} (everything up to the first dot of the
 * file name) with extension {@code ext1.ext2}; consecutive files with the same key form one sample.
 * Gzip-compressed shards are recognised by their first bytes, whatever their name.
 *
 * <p>Never throws for bad data: a sample without an image or without text is reported as skipped;
 * a damaged shard (truncated, bad header, bad gzip) is reported and its remaining content dropped,
 * including the sample being read at that point.
 */
final class ShardReader {
  /** Entries that carry a sample's text. */
  static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "text", "caption", "json", "cls");

  /** Image formats WebDataset users store that the JDK cannot decode: named in the skip message. */
  private static final Set<String> UNSUPPORTED_IMAGES = Set.of("webp", "tif", "tiff", "avif", "heic", "jxl");

  /** A single entry larger than this is not read into memory. */
  static final long MAX_ENTRY_BYTES = 512L << 20;

  /** One sample's raw parts: extension to bytes, in archive order. */
  record RawSample(String key, Path shard, Map<String, byte[]> parts) {}

  /** What reading reports. */
  interface Events {
    /** A complete, well-formed sample (it has an image and a text part). */
    void sample(RawSample sample) throws InterruptedException;

    void skipped(String reason);

    /** The shard is damaged at this point; nothing more is read from it. */
    void damaged(Path shard, String problem, int samplesBefore);
  }

  private ShardReader() {}

  /** Reads {@code shard}, counting the file's bytes into {@code bytesRead}. */
  static void read(Path shard, AtomicLong bytesRead, Events events) throws InterruptedException {
    int samples = 0;
    String key = null;
    Map<String, byte[]> parts = new LinkedHashMap<>();
    try (InputStream file = new Counting(Files.newInputStream(shard), bytesRead);
        InputStream raw = new BufferedInputStream(file, 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (!entry.isFile()) {
          continue;
        }
        String path = entry.getName();
        int slash = path.lastIndexOf('/');
        String fileName = path.substring(slash + 1);
        int dot = fileName.indexOf('.');
        if (fileName.startsWith(".") || dot < 0) {
          continue; // hidden files (macOS "._x") and files without extension belong to no sample
        }
        String entryKey = path.substring(0, slash + 1 + dot);
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (key != null && (!entryKey.equals(key) || parts.containsKey(extension))) {
          samples += finish(shard, key, parts, events);
          parts = new LinkedHashMap<>();
        }
        key = entryKey;
        if (entry.getSize() > MAX_ENTRY_BYTES) {
          events.skipped(shard + ": " + path + " is " + entry.getSize() + " bytes, larger than the "
              + MAX_ENTRY_BYTES + " bytes read per entry");
          parts.put(extension, null); // marks the sample as broken
          continue;
        }
        parts.put(extension, tar.readAllBytes());
      }
      if (key != null) {
        samples += finish(shard, key, parts, events);
      }
    } catch (ClosedByInterruptException | InterruptedIOException e) {
      throw new InterruptedException();
    } catch (IOException | RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      if (key != null) {
        events.skipped(shard + ": sample " + key + " is cut off by the damage");
      }
      events.damaged(shard, message(e), samples);
    }
  }

  /** Hands a complete sample on, or reports why it is skipped; returns 1 if handed on. */
  private static int finish(Path shard, String key, Map<String, byte[]> parts, Events events)
      throws InterruptedException {
    if (parts.containsValue(null)) {
      return 0; // already reported (oversized entry)
    }
    boolean hasImage = false;
    boolean hasText = false;
    String unsupported = null;
    for (String extension : parts.keySet()) {
      String last = extension.substring(extension.lastIndexOf('.') + 1);
      hasImage |= Images.EXTENSIONS.contains(last);
      hasText |= TEXT_EXTENSIONS.contains(extension);
      if (UNSUPPORTED_IMAGES.contains(last)) {
        unsupported = last;
      }
    }
    if (!hasImage) {
      events.skipped(shard + ": sample " + key + (unsupported != null
          ? " has a " + unsupported + " image, which the JDK cannot decode (supported: jpg, png, bmp, gif)"
          : " has no image (parts: " + String.join(", ", parts.keySet()) + ")"));
      return 0;
    }
    if (!hasText) {
      events.skipped(shard + ": sample " + key + " has no text (.txt, .json or .cls; parts: "
          + String.join(", ", parts.keySet()) + ")");
      return 0;
    }
    events.sample(new RawSample(key, shard, parts));
    return 1;
  }

  /** Gzip is recognised by its magic number, so a misnamed shard still reads. */
  private static InputStream decompressed(InputStream in) throws IOException {
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
  }

  private static String message(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e instanceof RuntimeException ? e.getClass().getSimpleName() + ": " + message : message;
  }

  /** Counts the bytes read from the file (compressed bytes for .tar.gz). */
  private static final class Counting extends FilterInputStream {
    private final AtomicLong count;

    Counting(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
}
