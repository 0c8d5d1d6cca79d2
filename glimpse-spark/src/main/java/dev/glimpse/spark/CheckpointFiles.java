package dev.glimpse.spark;

import dev.glimpse.hf.hub.HubId;
import dev.glimpse.hf.hub.ModelResolver;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Turns the checkpoint a transformer was given into a folder on this machine. In order:
 * <ul>
 *   <li>{@code hf:ORG/NAME[@REV]}: the HuggingFace cache (downloaded into it when missing);
 *   <li>a path on the local file system ({@code /models/run}, {@code file:/models/run}), including a
 *       folder unpacked into the working directory by {@code --archives ckpt.zip#ckpt};
 *   <li>a name shipped with {@code --files} / {@code SparkContext.addFile(dir, true)} ({@link SparkFiles});
 *   <li>anything else is a Hadoop path ({@code hdfs://}, {@code s3a://}, {@code abfs://}, {@code gs://}, or
 *       a scheme-less path on the default file system): copied once into a local temporary folder, which
 *       is deleted when the JVM exits.
 * </ul>
 * A run folder counts as its {@code checkpoint/} folder; optimizer state is never copied.
 */
final class CheckpointFiles {
  /** Files of a checkpoint folder that inference never reads. */
  private static final Set<String> NOT_NEEDED = Set.of(Checkpoint.OPTIMIZER, Checkpoint.STATE);

  private CheckpointFiles() {}

  /** A local folder holding the checkpoint {@code spec} (a copy where it is remote). */
  static java.nio.file.Path local(String spec, Configuration conf) {
    if (spec == null || spec.isBlank()) {
      throw new GlimpseException("no checkpoint set (setCheckpoint / --checkpoint)");
    }
    if (HubId.isHubId(spec)) {
      return ModelResolver.resolve(spec, false, System.err);
    }
    String scheme = scheme(spec);
    if (scheme == null || scheme.equals("file")) {
      java.nio.file.Path path = localPath(spec);
      if (Files.exists(path)) {
        return path;
      }
      java.nio.file.Path shipped = shipped(spec);
      if (shipped != null) {
        return shipped;
      }
      if (scheme != null) {
        throw new GlimpseException("checkpoint not found: " + spec);
      }
    }
    return copy(spec, conf);
  }

  /**
   * Why {@code spec} cannot be a checkpoint, checked on the driver before a job starts; null if it can.
   * A plain path must be readable from the driver (its disk, the shipped files or the default file
   * system); a {@code file:} URI is not checked, since it may name a folder on the executors' own disks.
   */
  static String problem(String spec, Configuration conf) {
    if (spec == null || spec.isBlank()) {
      return "no checkpoint set (setCheckpoint / --checkpoint)";
    }
    if (HubId.isHubId(spec)) {
      return null; // resolved (and downloaded when missing) on each executor
    }
    String scheme = scheme(spec);
    if (scheme == null || scheme.equals("file")) {
      if (Files.exists(localPath(spec)) || shipped(spec) != null) {
        return null;
      }
      if (scheme != null) {
        return null; // an explicit file: URI may name a folder that only the executors' disks hold
      }
    }
    try {
      Path path = new Path(spec);
      FileSystem fs = path.getFileSystem(conf);
      return fs.exists(path) ? null : "checkpoint not found: " + spec + " (looked on the local disk, in the files "
          + "shipped with --files/addFile and on " + fs.getUri() + ")";
    } catch (IOException | RuntimeException e) {
      return "cannot reach checkpoint " + spec + ": " + e.getMessage();
    }
  }

  /** The URI scheme of {@code spec} ("hdfs", "s3a", "file"...), or null for a plain path. */
  static String scheme(String spec) {
    java.util.regex.Matcher m = SCHEME.matcher(spec);
    return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
  }

  private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):");

  /** The local path of a plain path or a {@code file:} URI. */
  private static java.nio.file.Path localPath(String spec) {
    return scheme(spec) == null ? java.nio.file.Path.of(spec) : java.nio.file.Path.of(new Path(spec).toUri().getPath());
  }

  /** A file or folder shipped to the executors under this name, or null. */
  private static java.nio.file.Path shipped(String name) {
    if (SparkEnv.get() == null || name.contains("/")) {
      return null;
    }
    try {
      java.nio.file.Path p = java.nio.file.Path.of(SparkFiles.get(name));
      return Files.exists(p) ? p : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static java.nio.file.Path copy(String spec, Configuration conf) {
    Path remote = new Path(spec);
    java.nio.file.Path local = null;
    try {
      FileSystem fs = remote.getFileSystem(conf);
      FileStatus status;
      try {
        status = fs.getFileStatus(remote);
      } catch (FileNotFoundException e) {
        throw new GlimpseException("checkpoint not found: " + spec + " (on " + fs.getUri() + ")");
      }
      if (!status.isDirectory()) {
        throw new GlimpseException("a checkpoint is a folder, got a file: " + spec);
      }
      Path folder = remote;
      Path inRun = new Path(remote, Checkpoint.RUN_CHECKPOINT);
      if (!fs.exists(new Path(remote, Checkpoint.CONFIG)) && fs.exists(new Path(inRun, Checkpoint.CONFIG))) {
        folder = inRun;
      }
      local = Files.createTempDirectory("glimpse-checkpoint-");
      AtomicFilesCleanup.deleteOnExit(local);
      FileSystem raw = FileSystem.getLocal(conf).getRaw(); // no .crc side files
      for (FileStatus f : fs.listStatus(folder)) {
        String name = f.getPath().getName();
        if (NOT_NEEDED.contains(name)) {
          continue;
        }
        Path target = new Path(local.toUri().toString(), name);
        if (!FileUtil.copy(fs, f.getPath(), raw, target, false, true, conf)) {
          throw new GlimpseException("cannot copy " + f.getPath() + " from the checkpoint " + spec);
        }
      }
      return local;
    } catch (IOException e) {
      if (local != null) {
        AtomicFiles.deleteRecursively(local);
      }
      throw new GlimpseException("cannot read checkpoint " + spec + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (local != null) {
        AtomicFiles.deleteRecursively(local);
      }
      throw e;
    }
  }

  /** Local copies are removed when the executor's JVM exits. */
  private static final class AtomicFilesCleanup {
    private static final java.util.List<java.nio.file.Path> FOLDERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FOLDERS.forEach(f -> {
        try {
          AtomicFiles.deleteRecursively(f);
        } catch (RuntimeException e) {
          // best effort at exit
        }
      }), "glimpse-checkpoint-cleanup"));
    }

    static void deleteOnExit(java.nio.file.Path folder) {
      FOLDERS.add(folder);
    }
  }
}
