package dev.glimpse.hf.hub;

import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The HuggingFace hub cache in huggingface_hub's layout, so that Python tools and Glimpse share it:
 * <pre>
 * CACHE/models--ORG--NAME/
 *   blobs/ETAG                          file contents, named by their ETag (sha256 for LFS files, git sha1 else)
 *   blobs/ETAG.incomplete               a download under way (resumed from its length)
 *   snapshots/COMMIT/FILE -> ../../blobs/ETAG    one folder per commit, relative symlinks
 *   refs/REVISION                       the commit a branch or tag pointed to (no newline)
 *   .no_exist/COMMIT/FILE               empty: FILE is not in the repository at COMMIT
 * CACHE/.locks/models--ORG--NAME/ETAG.lock
 * </pre>
 * Everything appears whole: blobs are renamed into place once verified, links and refs are written
 * beside their place and renamed over it. Temporary files live in {@code blobs/} (which the Python
 * tools reach only through snapshot links), never in {@code refs/} or {@code snapshots/}.
 */
public final class HubCache {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private final Path root;

  public HubCache(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path repoDir(HubId id) {
    return root.resolve(id.cacheFolderName());
  }

  /** The commit the id's revision stands for in the cache: the hash itself, or {@code refs/REVISION}. */
  public Optional<String> commitOf(HubId id) {
    if (id.isCommit()) {
      return Optional.of(id.revision());
    }
    Path ref = repoDir(id).resolve("refs").resolve(id.revision());
    if (!Files.isRegularFile(ref)) {
      return Optional.empty();
    }
    try {
      String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
      return isSafeName(commit) ? Optional.of(commit) : Optional.empty();
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + ref + ": " + e.getMessage(), e);
    }
  }

  public Path snapshotDir(HubId id, String commit) {
    return repoDir(id).resolve("snapshots").resolve(checkedName(commit, "commit"));
  }

  public Path blob(HubId id, String etag) {
    return repoDir(id).resolve("blobs").resolve(checkedName(etag, "ETag"));
  }

  public Path incomplete(HubId id, String etag) {
    return repoDir(id).resolve("blobs").resolve(checkedName(etag, "ETag") + ".incomplete");
  }

  /** The lock file huggingface_hub takes for a blob (see {@link BlobLock} for what it excludes). */
  public Path lockFile(HubId id, String etag) {
    return root.resolve(".locks").resolve(id.cacheFolderName()).resolve(checkedName(etag, "ETag") + ".lock");
  }

  /** True when the cache records that {@code file} is not in the repository at {@code commit}. */
  public boolean knownAbsent(HubId id, String commit, String file) {
    return Files.exists(repoDir(id).resolve(".no_exist").resolve(checkedName(commit, "commit")).resolve(file));
  }

  public void markAbsent(HubId id, String commit, String file) {
    Path marker = repoDir(id).resolve(".no_exist").resolve(checkedName(commit, "commit")).resolve(file);
    try {
      Files.createDirectories(marker.getParent());
      if (!Files.exists(marker)) {
        Files.createFile(marker);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // written at the same time by another process
    } catch (IOException e) {
      throw new GlimpseException("cannot write " + marker + ": " + e.getMessage(), e);
    }
  }

  /**
   * Points {@code snapshots/COMMIT/FILE} at {@code blobs/ETAG} with a relative symlink (the cache
   * keeps working when moved), replacing whatever was there in one rename. Where the file system has
   * no symlinks the blob is copied instead, as huggingface_hub does.
   */
  public void link(HubId id, String commit, String file, String etag) {
    Path target = snapshotDir(id, commit).resolve(file);
    Path blob = blob(id, etag);
    Path staged = repoDir(id).resolve("blobs").resolve(".glimpse-link-" + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      Path relative = target.getParent().relativize(blob);
      try {
        Files.createSymbolicLink(staged, relative);
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.copy(blob, staged, StandardCopyOption.REPLACE_EXISTING);
      }
      move(staged, target);
    } catch (IOException e) {
      throw new GlimpseException("cannot write " + target + " in the HuggingFace cache: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException ignored) {
        // a stray temporary file in blobs/ harms nothing
      }
    }
  }

  /** Records that {@code revision} pointed to {@code commit} (nothing for a commit hash itself). */
  public void writeRef(HubId id, String commit) {
    if (id.revision().equals(commit)) {
      return;
    }
    Path ref = repoDir(id).resolve("refs").resolve(id.revision());
    Path staged = repoDir(id).resolve("blobs").resolve(".glimpse-ref-" + UUID.randomUUID() + ".tmp");
    try {
      if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).equals(commit)) {
        return; // unchanged: no write, so a read-only shared cache keeps working
      }
      Files.createDirectories(ref.getParent());
      Files.createDirectories(staged.getParent());
      Files.writeString(staged, commit, StandardCharsets.UTF_8); // no newline: huggingface_hub reads it as is
      move(staged, ref);
    } catch (IOException e) {
      throw new GlimpseException("cannot write " + ref + " in the HuggingFace cache: " + e.getMessage(), e);
    } finally {
      AtomicFiles.deleteRecursively(staged);
    }
  }

  /** Moves a verified download into {@code blobs/ETAG}. */
  void storeBlob(Path download, HubId id, String etag) {
    try {
      move(download, blob(id, etag));
    } catch (IOException e) {
      throw new GlimpseException("cannot move " + download + " into the HuggingFace cache: " + e.getMessage(), e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** True for a commit hash or ETag that can be used as a file name. */
  static boolean isSafeName(String name) {
    return name != null && SAFE_NAME.matcher(name).matches();
  }

  private static String checkedName(String name, String what) {
    if (!isSafeName(name)) {
      throw new GlimpseException("the hub gave an unusable " + what + " '" + printable(name) + "'");
    }
    return name;
  }

  /** A server-given string made safe for a one-line message. */
  static String printable(String s) {
    if (s == null) {
      return "null";
    }
    String clean = s.replaceAll("[\\p{Cntrl}]", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }
}
