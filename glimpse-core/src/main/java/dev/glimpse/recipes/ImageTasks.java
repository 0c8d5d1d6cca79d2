package dev.glimpse.recipes;

import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.eval.ImageGrid;
import dev.glimpse.generate.ImageGenerator;
import dev.glimpse.model.EncodesImages;
import dev.glimpse.model.GeneratesImages;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Pieces the evaluations of image-generating tasks share (text-to-image, reconstruction, VLV). */
final class ImageTasks {
  /** Rows drawn in a task's sample grid. */
  static final int GRID_ROWS = 8;
  /** Side of a tile in the sample grids, in PNG pixels. */
  static final int TILE = 96;

  private ImageTasks() {}

  static GeneratesImages generator(LoadedModel model) {
    if (model.instance() instanceof GeneratesImages g) {
      return g;
    }
    throw new GlimpseException("the " + model.config().modelType() + " model in " + model.source()
        + " does not generate images");
  }

  static EncodesImages encoder(LoadedModel model) {
    if (model.instance() instanceof EncodesImages e) {
      return e;
    }
    throw new GlimpseException("the " + model.config().modelType() + " model in " + model.source()
        + " cannot reconstruct images through a condition of its own");
  }

  /** The model's image generator (its decoder's own sampling defaults). */
  static ImageGenerator imageGenerator(LoadedModel model) {
    return new ImageGenerator(generator(model).imageDecoder(), model.decoderTokenizer(), model.manager(), false);
  }

  static ImageGenerator.Settings settings(LoadedModel model) {
    return ImageGenerator.Settings.defaults(generator(model).imageDecoder().config());
  }

  /** The scene of every example (all synthetic), or null when some example has none. */
  static List<Scene> scenes(List<Example> examples) {
    List<Scene> scenes = new ArrayList<>();
    for (Example ex : examples) {
      Scene scene = ex.get(Scene.KEY);
      if (scene == null) {
        return null;
      }
      scenes.add(scene);
    }
    return scenes;
  }

  static List<BufferedImage> images(List<Example> examples) {
    return examples.stream().map(Example::image).toList();
  }

  /** The originals at the model's input size, as the model sees them (for grids and distances). */
  static List<BufferedImage> asModelSees(List<BufferedImage> images, ImageTransform transform) {
    List<BufferedImage> out = new ArrayList<>();
    for (BufferedImage image : images) {
      float[] pixels = transform.apply(image);
      int h = transform.height();
      int w = transform.width();
      BufferedImage shown = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int[] rgb = new int[3];
          for (int c = 0; c < 3; c++) {
            float v = pixels[c * h * w + y * w + x] * transform.std()[c] + transform.mean()[c];
            rgb[c] = Math.max(0, Math.min(255, Math.round(v * 255)));
          }
          shown.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
        }
      }
      out.add(shown);
    }
    return out;
  }

  /** Writes {@code samples.png}: the first rows of the given columns, one label per row. */
  static void grid(Path outDir, List<String> headings, List<List<BufferedImage>> columns, List<String> labels) {
    if (outDir == null || columns.isEmpty() || columns.get(0).isEmpty()) {
      return;
    }
    List<ImageGrid.Row> rows = new ArrayList<>();
    for (int i = 0; i < Math.min(GRID_ROWS, columns.get(0).size()); i++) {
      List<BufferedImage> tiles = new ArrayList<>();
      for (List<BufferedImage> column : columns) {
        tiles.add(column.get(i));
      }
      rows.add(new ImageGrid.Row(tiles, labels == null ? null : labels.get(i)));
    }
    ImageGrid.write(outDir.resolve("samples.png"), headings, rows, TILE);
  }
}
