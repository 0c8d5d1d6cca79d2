package dev.glimpse.recipes;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.Images;
import dev.glimpse.data.Subset;
import dev.glimpse.data.loaders.DatasetSpec;
import dev.glimpse.data.loaders.ImageFolder;
import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.ExternalShapes;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticClassification;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data the retrieval and zero-shot commands take ({@code --data}): a dataset spec ({@code
 * coco:...}, {@code jsonl:...}, {@code vg:...}, {@code imagefolder:DIR}, docs/data.md), or
 * {@code synthetic[:SPLIT]} (the built-in scenes of the recipes, seed {@value #SYNTHETIC_SEED}: captions
 * for retrieval, the classification suite for zero-shot) or {@code external-shapes} (the bundled
 * images drawn by another program, with the caption grammar's references).
 */
public final class RetrievalData {
  /** The data seed of the recipes ({@link DataConfig#synthetic}). */
  public static final long SYNTHETIC_SEED = 2024;
  public static final String SYNTHETIC = "synthetic";
  public static final String EXTERNAL = "external-shapes";

  private RetrievalData() {}

  /** Whether a spec names the built-in synthetic scenes. */
  public static boolean isSynthetic(String spec) {
    return spec.equals(SYNTHETIC) || spec.startsWith(SYNTHETIC + ":");
  }

  private static Split split(String spec) {
    return spec.contains(":") ? Split.parse(spec.substring(spec.indexOf(':') + 1)) : Split.TEST;
  }

  /** Captioned images: {@code count} of them (0: all; synthetic: 1000). */
  public static Dataset captions(String spec, int count) {
    if (isSynthetic(spec)) {
      return new SyntheticCaptions(new SceneGenerator(SceneConfig.defaults().withSeed(SYNTHETIC_SEED)), split(spec),
          count > 0 ? count : 1000);
    }
    if (spec.equals(EXTERNAL)) {
      return Subset.limit(external(), count);
    }
    DatasetSpec parsed = DatasetSpec.parse(spec);
    if (parsed.isStreaming()) {
      throw new GlimpseException("'" + spec + "' is a WebDataset stream; retrieval needs an indexed dataset (coco, "
          + "jsonl, vg, ...)");
    }
    Dataset data = Subset.limit(parsed.open(), count);
    if (data.size() == 0) {
      throw new GlimpseException(spec + " holds no examples");
    }
    return data;
  }

  /**
   * The readable examples of a dataset, in order: unreadable ones (missing or corrupt images) are left
   * out and counted in {@code skipped} (a retrieval pool must not hold an image twice).
   */
  public static List<Example> readable(Dataset data, int[] skipped, java.io.PrintStream info) {
    List<Example> out = new ArrayList<>();
    String last = null;
    for (int i = 0; i < data.size(); i++) {
      try {
        out.add(data.get(i));
      } catch (dev.glimpse.data.SampleException e) {
        skipped[0]++;
        last = e.getMessage();
      }
    }
    if (skipped[0] > 0) {
      info.printf("warning: left out %d unreadable examples of %s (last: %s)%n", skipped[0], data.name(), last);
    }
    if (out.isEmpty()) {
      throw new GlimpseException("no example of " + data.name() + " could be read");
    }
    return out;
  }

  private static Dataset external() {
    List<ExternalShapes.Item> items = ExternalShapes.load(ExternalShapes.locate().orElseThrow(() ->
        new GlimpseException("the bundled external shapes (" + ExternalShapes.BUNDLED + ") are not found from here; "
            + "run from the Glimpse checkout")));
    return new Dataset() {
      @Override
      public String name() {
        return EXTERNAL;
      }

      @Override
      public int size() {
        return items.size();
      }

      @Override
      public Example get(int index) {
        ExternalShapes.Item item = items.get(index);
        return Example.caption(item.image().getFileName().toString(), Images.read(item.image()),
            CaptionGrammar.captions(item.scene()));
      }
    };
  }

  /**
   * Images labelled with classes for zero-shot classification, and the templates that suit them.
   *
   * @param templates the default prompt templates for this data (the caption grammar's words for the
   *     synthetic classes, CLIP's "a photo of a {}." otherwise)
   */
  public record Labelled(Dataset data, int[] labels, List<String> classes, List<String> templates) {
    public BufferedImage image(int index) {
      return data.get(index).image();
    }
  }

  /** Labelled images: {@code synthetic[:SPLIT]} (the classification suite) or {@code imagefolder:DIR}. */
  public static Labelled labelled(String spec, int count) {
    if (isSynthetic(spec)) {
      SyntheticClassification data = new SyntheticClassification(
          new SceneGenerator(SceneConfig.defaults().withSeed(SYNTHETIC_SEED)), split(spec), count > 0 ? count : 1000);
      int[] labels = new int[data.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.label(data.scene(i));
      }
      return new Labelled(data, labels, data.labels(), EmbeddingEval.SYNTHETIC_TEMPLATES);
    }
    DatasetSpec parsed = DatasetSpec.parse(spec);
    if (!parsed.format().equals("imagefolder")) {
      throw new GlimpseException("zero-shot classification reads labelled images: imagefolder:DIR or synthetic, got '"
          + spec + "'");
    }
    ImageFolder folder = (ImageFolder) parsed.open();
    if (folder.size() == 0) {
      throw new GlimpseException("no images in " + parsed.path());
    }
    int n = count > 0 ? Math.min(count, folder.size()) : folder.size();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = folder.label(i);
    }
    List<String> classes = new ArrayList<>();
    for (String c : folder.classes()) {
      classes.add(c.replace('_', ' ').toLowerCase(Locale.ROOT));
    }
    return new Labelled(Subset.limit(folder, n), labels, classes, EmbeddingEval.PHOTO_TEMPLATES);
  }
}
