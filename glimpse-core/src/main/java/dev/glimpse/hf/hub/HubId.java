package dev.glimpse.hf.hub;

import dev.glimpse.util.GlimpseException;
import java.util.regex.Pattern;

/**
 * A model on the HuggingFace hub as the user names it: {@code hf:ORG/NAME[@REVISION]}. The revision
 * is a branch, a tag or a commit hash ({@code main} when left out), as {@code from_pretrained}'s
 * {@code revision} argument.
 *
 * @param repo the repository id, {@code ORG/NAME} (or a bare legacy {@code NAME} such as {@code gpt2})
 * @param revision branch, tag or commit
 */
public record HubId(String repo, String revision) {
  /** What marks a hub id where a checkpoint path is expected. */
  public static final String PREFIX = "hf:";
  public static final String DEFAULT_REVISION = "main";

  // the hub's rules for a repository name part: letters, digits, '-', '_', '.'; no "--" or ".."
  // (so that the cache folder name models--ORG--NAME can be split back), not starting or ending with - or .
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  public HubId {
    checkRepo(repo, repo);
    checkRevision(revision, repo);
  }

  /** True for a string that names a hub model ({@code hf:...}) rather than a local path. */
  public static boolean isHubId(String spec) {
    return spec != null && spec.startsWith(PREFIX);
  }

  /** Parses {@code hf:ORG/NAME[@REV]}; the {@code hf:} prefix may be left out. */
  public static HubId parse(String spec) {
    String s = isHubId(spec) ? spec.substring(PREFIX.length()) : spec;
    if (s == null || s.isEmpty()) {
      throw new GlimpseException("empty HuggingFace model id; expected hf:ORG/NAME[@REVISION]");
    }
    int at = s.indexOf('@');
    String repo = at < 0 ? s : s.substring(0, at);
    String revision = at < 0 ? DEFAULT_REVISION : s.substring(at + 1);
    if (at >= 0 && revision.isEmpty()) {
      throw new GlimpseException("'" + spec + "': empty revision after '@' (expected hf:ORG/NAME@REVISION, e.g. @main)");
    }
    checkRepo(repo, spec);
    checkRevision(revision, spec);
    return new HubId(repo, revision);
  }

  private static void checkRepo(String repo, String spec) {
    String[] parts = repo == null ? new String[0] : repo.split("/", -1);
    boolean ok = parts.length >= 1 && parts.length <= 2 && repo.length() <= 96;
    for (String part : parts) {
      ok &= PART.matcher(part).matches() && !part.contains("--") && !part.contains("..");
    }
    if (!ok) {
      throw new GlimpseException("'" + spec + "' is not a HuggingFace model id; expected hf:ORG/NAME[@REVISION] "
          + "(letters, digits, '-', '_', '.'; e.g. hf:microsoft/git-base-coco)");
    }
  }

  // a revision becomes a file under refs/ (refs/pr/1 is a folder and a file): no way out of that folder
  private static void checkRevision(String revision, String spec) {
    boolean ok = revision != null && !revision.isEmpty() && revision.length() <= 255 && !revision.startsWith("/")
        && !revision.endsWith("/") && !revision.contains("\\") && !revision.contains("//");
    if (ok) {
      for (String part : revision.split("/")) {
        ok &= !part.equals(".") && !part.equals("..");
      }
      ok &= revision.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
    if (!ok) {
      throw new GlimpseException("'" + spec + "': invalid revision '" + revision + "' (a branch, tag or commit hash)");
    }
  }

  /** True when the revision is a full commit hash (its snapshot never changes). */
  public boolean isCommit() {
    return COMMIT.matcher(revision).matches();
  }

  /** The repository's folder in the cache: {@code models--ORG--NAME}, as huggingface_hub names it. */
  public String cacheFolderName() {
    return "models--" + repo.replace("/", "--");
  }

  /** The same model at another revision (e.g. the commit a branch pointed to). */
  public HubId at(String otherRevision) {
    return new HubId(repo, otherRevision);
  }

  /** {@code hf:ORG/NAME}, with {@code @REV} unless it is {@code main}. */
  @Override
  public String toString() {
    return PREFIX + repo + (revision.equals(DEFAULT_REVISION) ? "" : "@" + revision);
  }
}
