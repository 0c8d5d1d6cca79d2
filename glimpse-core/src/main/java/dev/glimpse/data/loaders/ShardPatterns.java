package dev.glimpse.data.loaders;

import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Expands shard names the way WebDataset users write them: brace ranges {@code
 * train-{000000..000099}.tar} (zero padding kept), brace lists {@code {train,extra}-0.tar}, and
 * globs in the file name {@code shards/train-*.tar} (matches sorted by name). Several braces
 * multiply out left to right.
 */
public final class ShardPatterns {
  private static final Pattern RANGE = Pattern.compile("(\\d+)\\.\\.(\\d+)");
  private static final int MAX_SHARDS = 1_000_000;

  private ShardPatterns() {}

  /** The shard files of all patterns, in order, without duplicates; missing files are an error. */
  public static List<Path> expand(List<String> patterns) {
    Set<Path> shards = new LinkedHashSet<>();
    for (String pattern : patterns) {
      shards.addAll(expand(pattern));
    }
    return List.copyOf(shards);
  }

  public static List<Path> expand(String pattern) {
    List<Path> shards = new ArrayList<>();
    for (String name : braces(pattern)) {
      if (isGlob(name)) {
        shards.addAll(glob(name));
      } else {
        Path shard = Path.of(name);
        if (!Files.isRegularFile(shard)) {
          throw new GlimpseException("shard not found: " + shard + (name.equals(pattern) ? "" : " (from " + pattern + ")"));
        }
        shards.add(shard);
      }
    }
    return shards;
  }

  /** Brace expansion only (no file system access). */
  static List<String> braces(String pattern) {
    int open = pattern.indexOf('{');
    if (open < 0) {
      if (pattern.indexOf('}') >= 0) {
        throw new GlimpseException("unbalanced '}' in shard pattern: " + pattern);
      }
      return List.of(pattern);
    }
    int close = pattern.indexOf('}', open);
    if (close < 0) {
      throw new GlimpseException("unbalanced '{' in shard pattern: " + pattern);
    }
    String head = pattern.substring(0, open);
    String body = pattern.substring(open + 1, close);
    List<String> tails = braces(pattern.substring(close + 1));
    List<String> choices = new ArrayList<>();
    Matcher range = RANGE.matcher(body);
    if (range.matches()) {
      String from = range.group(1);
      String to = range.group(2);
      long first = Long.parseLong(from);
      long last = Long.parseLong(to);
      if (last < first) {
        throw new GlimpseException("empty range {" + body + "} in shard pattern: " + pattern);
      }
      if (last - first >= MAX_SHARDS) {
        throw new GlimpseException("range {" + body + "} in shard pattern " + pattern + " is too large");
      }
      int width = from.startsWith("0") || to.length() == from.length() ? from.length() : 0;
      for (long i = first; i <= last; i++) {
        String number = Long.toString(i);
        choices.add(number.length() < width ? "0".repeat(width - number.length()) + number : number);
      }
    } else if (body.contains(",")) {
      choices.addAll(List.of(body.split(",", -1)));
    } else {
      throw new GlimpseException("cannot expand {" + body + "} in shard pattern " + pattern
          + " (expected {000..099} or {a,b})");
    }
    List<String> out = new ArrayList<>();
    for (String choice : choices) {
      for (String tail : tails) {
        out.add(head + choice + tail);
        if (out.size() > MAX_SHARDS) {
          throw new GlimpseException("shard pattern " + pattern + " expands to too many names");
        }
      }
    }
    return out;
  }

  private static boolean isGlob(String name) {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
  }

  private static List<Path> glob(String name) {
    Path path = Path.of(name);
    Path dir = path.getParent() == null ? Path.of("") : path.getParent();
    if (isGlob(dir.toString())) {
      throw new GlimpseException("wildcards are supported in the shard file name only, not in folders: " + name);
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.getFileName());
    List<Path> matches;
    try (Stream<Path> files = Files.list(dir.toString().isEmpty() ? Path.of(".") : dir)) {
      matches =
          files
              .filter(f -> matcher.matches(f.getFileName()) && Files.isRegularFile(f))
              .map(f -> dir.resolve(f.getFileName()))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new GlimpseException("cannot list " + dir + " for shard pattern " + name + ": " + e.getMessage(), e);
    }
    if (matches.isEmpty()) {
      throw new GlimpseException("no shard matches " + name);
    }
    return matches;
  }
}
