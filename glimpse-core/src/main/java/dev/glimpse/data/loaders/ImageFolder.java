package dev.glimpse.data.loaders;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.Images;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Classification images in the ImageNet / torchvision layout: {@code <root>/<class_folder>/**.jpg}.
 * Classes are the sub-folders sorted by name (label index = position); images are all image files
 * below each class folder, sorted by path; hidden files are ignored. The target is the class name:
 * the folder name, or its readable name from a mapping file.
 *
 * <p>Mapping files: a text file of {@code <folder> <readable name>} lines (ImageNet's {@code
 * LOC_synset_mapping.txt}: {@code n01440764 tench, Tinca tinca}; blank lines and {@code #} comments
 * ignored), a JSON object {@code {"n01440764": "tench"}}, or torchvision's {@code
 * imagenet_class_index.json} ({@code {"0": ["n01440764", "tench"]}}). Every class folder must have
 * an entry.
 */
public final class ImageFolder implements Dataset {
  private record Entry(int label, String relativePath) {}

  private final String name;
  private final Path root;
  private final List<String> classFolders;
  private final List<String> classes;
  private final List<Entry> entries;

  private ImageFolder(String name, Path root, List<String> classFolders, List<String> classes, List<Entry> entries) {
    this.name = name;
    this.root = root;
    this.classFolders = classFolders;
    this.classes = classes;
    this.entries = entries;
  }

  public static ImageFolder open(Path root) {
    return open(root, null);
  }

  /** @param mapping optional file mapping folder names to readable class names; null for none */
  public static ImageFolder open(Path root, Path mapping) {
    Loaders.requireDirectory(root, "image folder root");
    List<String> folders;
    try (Stream<Path> children = Files.list(root)) {
      folders =
          children
              .filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new GlimpseException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (folders.isEmpty()) {
      throw new GlimpseException("no class folders in " + root + " (expected <root>/<class>/<image>.jpg)");
    }
    List<String> classes = folders;
    if (mapping != null) {
      Map<String, String> names = readMapping(mapping);
      List<String> readable = new ArrayList<>();
      for (String folder : folders) {
        String readableName = names.get(folder);
        if (readableName == null) {
          throw new GlimpseException(mapping + " has no entry for class folder '" + folder + "' of " + root);
        }
        readable.add(readableName);
      }
      classes = List.copyOf(readable);
    }
    List<Entry> entries = new ArrayList<>();
    for (int label = 0; label < folders.size(); label++) {
      Path classDir = root.resolve(folders.get(label));
      int classLabel = label;
      try (Stream<Path> files = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
        files
            .filter(f -> Images.isImageFile(f) && !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f))
            .sorted()
            .forEach(f -> entries.add(new Entry(classLabel, root.relativize(f).toString())));
      } catch (IOException | UncheckedIOException e) {
        throw new GlimpseException("cannot list " + classDir + ": " + e.getMessage(), e);
      }
    }
    if (entries.isEmpty()) {
      throw new GlimpseException("no images (.jpg, .png...) in the class folders of " + root);
    }
    String name = "imagefolder/" + root.toAbsolutePath().normalize().getFileName();
    return new ImageFolder(name, root, folders, classes, List.copyOf(entries));
  }

  /** Folder name to readable name, from any of the three mapping formats. */
  static Map<String, String> readMapping(Path mapping) {
    Map<String, String> names = new LinkedHashMap<>();
    if (mapping.getFileName().toString().endsWith(".json")) {
      JsonElement root = AnnotationJson.parseSmall(mapping);
      if (!root.isJsonObject()) {
        throw new GlimpseException(mapping + ": expected a JSON object mapping class folders to names");
      }
      for (Map.Entry<String, JsonElement> e : ((JsonObject) root).entrySet()) {
        JsonElement value = e.getValue();
        if (value.isJsonPrimitive()) {
          names.put(e.getKey(), value.getAsString());
        } else if (value.isJsonArray() && value.getAsJsonArray().size() == 2) {
          names.put(value.getAsJsonArray().get(0).getAsString(), value.getAsJsonArray().get(1).getAsString());
        } else {
          throw new GlimpseException(mapping + ": entry \"" + e.getKey()
              + "\" should be a name or a [folder, name] pair, found " + value);
        }
      }
    } else {
      String[] lines = Json.readUtf8(mapping).split("\r?\n");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        if (parts.length < 2) {
          throw new GlimpseException(mapping + ":" + (i + 1) + ": expected '<folder> <readable name>', found '" + line
              + "'");
        }
        names.put(parts[0], parts[1].strip());
      }
    }
    if (names.isEmpty()) {
      throw new GlimpseException(mapping + ": no class names in the mapping file");
    }
    return names;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return entries.size();
  }

  /** Class names by label index: readable names with a mapping file, else the folder names. */
  public List<String> classes() {
    return classes;
  }

  /** Class folder names by label index. */
  public List<String> classFolders() {
    return classFolders;
  }

  /** The label index of example {@code index}, without reading its image. */
  public int label(int index) {
    return entries.get(index).label();
  }

  @Override
  public Example get(int index) {
    Entry entry = entries.get(index);
    Path file = root.resolve(entry.relativePath());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("label_index", entry.label());
    metadata.put("class_folder", classFolders.get(entry.label()));
    metadata.put("file_name", entry.relativePath());
    return Example.caption(
        entry.relativePath(), Loaders.readImage(file), List.of(classes.get(entry.label())), metadata);
  }
}
