package dev.glimpse.data.loaders;

import dev.glimpse.data.Dataset;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A dataset named in one string, as on a command line ({@code train --data SPEC}):
 *
 * <pre>
 * FORMAT:PATH[,key=value]...
 *
 * coco:captions_val2017.json,images=val2017
 * vqa2:v2_OpenEnded_mscoco_val2014_questions.json,annotations=v2_mscoco_val2014_annotations.json,images=val2014
 * vqa2:questions.json,images=imgs,pattern=%d.png             (no annotations: test-dev, empty targets)
 * msrvtt:train_val_videodatainfo.json,frames=frames,num_frames=8,split=train
 * imagefolder:imagenet/val,mapping=LOC_synset_mapping.txt
 * jsonl:data/train.jsonl,strict=true
 * vg:region_descriptions.json,images=VG_100K,image_data=image_data.json
 * wds:shards/train-{000000..000099}.tar,shuffle=2000,seed=1,threads=2,size=224,fit=crop
 * </pre>
 *
 * Keys per format: coco {@code images} (required); vqa2 {@code images} (required), {@code
 * annotations}, {@code pattern}; msrvtt (alias video) {@code frames} (required), {@code num_frames}
 * (default 8), {@code split}; imagefolder {@code mapping}; jsonl {@code strict} (default false);
 * vg (alias visualgenome; region descriptions) {@code images} (required), {@code image_data};
 * wds (alias webdataset) {@code shuffle} (buffer size; also shuffles shards; default 0), {@code
 * seed}, {@code threads} (default: processors), {@code size} (square resize, default none), {@code
 * fit} (crop, pad, stretch; default crop), {@code ordered} (default true). Relative paths are
 * resolved against the working directory; paths cannot contain commas.
 *
 * @param format the canonical format name (aliases resolved)
 * @param path the main file or folder
 * @param options the key=value options, in the order given
 */
public record DatasetSpec(String format, Path path, Map<String, String> options) {
  private static final Map<String, Set<String>> KEYS =
      Map.of(
          "coco", Set.of("images"),
          "vqa2", Set.of("images", "annotations", "pattern"),
          "msrvtt", Set.of("frames", "num_frames", "split"),
          "imagefolder", Set.of("mapping"),
          "jsonl", Set.of("strict"),
          "vg", Set.of("images", "image_data"),
          "wds", Set.of("shuffle", "seed", "threads", "size", "fit", "ordered"));
  private static final Map<String, String> ALIASES =
      Map.of("video", "msrvtt", "webdataset", "wds", "vqa", "vqa2", "image-folder", "imagefolder", "visualgenome", "vg");
  private static final List<String> FORMATS = List.of("coco", "vqa2", "msrvtt", "imagefolder", "jsonl", "vg", "wds");

  public DatasetSpec {
    options = Map.copyOf(options);
  }

  public static DatasetSpec parse(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new GlimpseException("dataset '" + spec + "' should be FORMAT:PATH[,key=value...], FORMAT one of "
          + String.join(", ", FORMATS));
    }
    String given = spec.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String format = ALIASES.getOrDefault(given, given);
    if (!KEYS.containsKey(format)) {
      throw new GlimpseException("unknown dataset format '" + given + "' in '" + spec + "' (known: "
          + String.join(", ", FORMATS) + ")");
    }
    String[] parts = spec.substring(colon + 1).split(",", -1);
    if (parts[0].isBlank()) {
      throw new GlimpseException("dataset '" + spec + "' has no path after '" + given + ":'");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0 || eq == parts[i].length() - 1) {
        throw new GlimpseException("dataset option '" + parts[i] + "' in '" + spec + "' should be key=value");
      }
      String key = parts[i].substring(0, eq).strip();
      if (!KEYS.get(format).contains(key)) {
        throw new GlimpseException("unknown option '" + key + "' for " + format + " in '" + spec + "' (known: "
            + String.join(", ", KEYS.get(format).stream().sorted().toList()) + ")");
      }
      if (options.put(key, parts[i].substring(eq + 1).strip()) != null) {
        throw new GlimpseException("option '" + key + "' given twice in '" + spec + "'");
      }
    }
    return new DatasetSpec(format, Path.of(parts[0].strip()), options);
  }

  /** Whether this is a stream of shards ({@link #webDataset}) rather than a random-access {@link #open}. */
  public boolean isStreaming() {
    return format.equals("wds");
  }

  /** Opens a random-access dataset; annotation problems are {@link GlimpseException}s. */
  public Dataset open() {
    return switch (format) {
      case "coco" -> CocoCaptions.open(path, required("images"));
      case "vqa2" -> Vqa2.open(path, optionalPath("annotations"), required("images"), options.get("pattern"));
      case "msrvtt" -> VideoCaptions.open(
          path, required("frames"), intOption("num_frames", VideoCaptions.DEFAULT_NUM_FRAMES), options.get("split"));
      case "imagefolder" -> ImageFolder.open(path, optionalPath("mapping"));
      case "jsonl" -> JsonlDataset.open(
          path, boolOption("strict", false), new SkipLog(path.getFileName().toString()));
      case "vg" -> VisualGenomeRegions.open(path, required("images"), optionalPath("image_data"));
      case "wds" -> throw new GlimpseException("'wds' datasets are streamed, not indexed: use a WebDataset");
      default -> throw new IllegalStateException(format);
    };
  }

  /** For {@code wds}: a builder with this spec's options; the caller adds rank and world size. */
  public WebDataset.Builder webDataset() {
    if (!isStreaming()) {
      throw new GlimpseException("'" + format + "' is not a shard format; open() it instead");
    }
    int shuffle = intOption("shuffle", 0);
    WebDataset.Builder builder =
        WebDataset.builder()
            .shards(path.toString())
            .shuffleBuffer(shuffle)
            .shuffleShards(shuffle > 1)
            .seed(longOption("seed", 0))
            .ordered(boolOption("ordered", true))
            .name("wds/" + path.getFileName());
    if (options.containsKey("threads")) {
      builder.decodeThreads(intOption("threads", 1));
    }
    if (options.containsKey("size")) {
      String fit = options.getOrDefault("fit", "crop").toUpperCase(Locale.ROOT);
      Resize.Fit mode;
      try {
        mode = Resize.Fit.valueOf(fit);
      } catch (IllegalArgumentException e) {
        throw new GlimpseException("fit must be crop, pad or stretch, got '" + options.get("fit") + "'");
      }
      int size = intOption("size", 0);
      builder.resize(new Resize(size, size, mode));
    } else if (options.containsKey("fit")) {
      throw new GlimpseException("option 'fit' needs 'size'");
    }
    return builder;
  }

  private Path required(String key) {
    String value = options.get(key);
    if (value == null) {
      throw new GlimpseException(format + " needs option '" + key + "=...' (e.g. " + example() + ")");
    }
    return Path.of(value);
  }

  private Path optionalPath(String key) {
    String value = options.get(key);
    return value == null ? null : Path.of(value);
  }

  private int intOption(String key, int fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new GlimpseException("option '" + key + "' should be an integer, got '" + value + "'");
    }
  }

  private long longOption(String key, long fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new GlimpseException("option '" + key + "' should be an integer, got '" + value + "'");
    }
  }

  private boolean boolOption(String key, boolean fallback) {
    String value = options.get(key);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new GlimpseException("option '" + key + "' should be true or false, got '" + value + "'");
    };
  }

  private String example() {
    return switch (format) {
      case "coco" -> "coco:captions_val2017.json,images=val2017";
      case "vqa2" -> "vqa2:questions.json,annotations=annotations.json,images=val2014";
      case "msrvtt" -> "msrvtt:videodatainfo.json,frames=frames";
      case "vg" -> "vg:region_descriptions.json,images=VG_100K";
      default -> format + ":PATH";
    };
  }
}
