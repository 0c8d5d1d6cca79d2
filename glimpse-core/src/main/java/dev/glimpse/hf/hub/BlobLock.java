package dev.glimpse.hf.hub;

import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Excludes other downloads of the same blob while one writes its {@code .incomplete} file: threads of
 * this JVM by an in-process lock, other Glimpse processes by a lock on the file huggingface_hub uses
 * ({@code .locks/models--ORG--NAME/ETAG.lock}). Python's filelock takes a BSD {@code flock}, which on
 * Linux does not see the POSIX lock the JVM takes, so a Python download of the very same blob at the
 * very same moment is not excluded.
 */
final class BlobLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private BlobLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  static BlobLock acquire(Path lockFile) {
    ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    local.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(lockFile.getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new BlobLock(local, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // closing a channel we could not lock
      }
      local.unlock();
      throw new GlimpseException("cannot lock " + lockFile + " in the HuggingFace cache: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the lock goes with the channel
    } finally {
      local.unlock();
    }
  }
}
