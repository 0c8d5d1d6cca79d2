package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.connect.AnyRes;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.ImageViews;
import java.util.List;

/**
 * The images of a batch of interleaved sequences, without padding: every view of every image, rows
 * in order ({@code pixels} [V, 3, H, W]), how many images each row has, and each image's AnyRes layout
 * (null for a one-view image).
 */
public record ImageSequence(NDArray pixels, int[] imagesPerRow, AnyRes.Layout[] layouts) {
  public ImageSequence {
    int images = 0;
    for (int n : imagesPerRow) {
      images += n;
    }
    if (images != layouts.length) {
      throw new IllegalArgumentException(images + " images in the rows, " + layouts.length + " layouts");
    }
  }

  /** Images in all rows. */
  public int images() {
    return layouts.length;
  }

  /** Views image {@code i} has (1, or 1 + its tiles). */
  public int views(int image) {
    return layouts[image] == null ? 1 : 1 + layouts[image].grid().tiles();
  }

  /** The sequence of viewed images, row by row, as a tensor on {@code manager}. */
  public static ImageSequence of(List<List<ImageViews.Viewed>> rows, ImageTransform transform, NDManager manager) {
    int views = 0;
    int images = 0;
    for (List<ImageViews.Viewed> row : rows) {
      for (ImageViews.Viewed v : row) {
        views += v.views();
        images++;
      }
    }
    float[] pixels = new float[views * transform.floats()];
    int[] perRow = new int[rows.size()];
    AnyRes.Layout[] layouts = new AnyRes.Layout[images];
    int at = 0;
    int image = 0;
    for (int r = 0; r < rows.size(); r++) {
      perRow[r] = rows.get(r).size();
      for (ImageViews.Viewed v : rows.get(r)) {
        System.arraycopy(v.pixels(), 0, pixels, at, v.pixels().length);
        at += v.pixels().length;
        layouts[image++] = v.layout();
      }
    }
    return new ImageSequence(manager.create(pixels, new Shape(views, 3, transform.height(), transform.width())), perRow,
        layouts);
  }

  /** Uniform rows of one-view images: pixels [B, 3, H, W] (one each) or [B, M, 3, H, W]. */
  public static ImageSequence uniform(NDArray pixels) {
    Shape s = pixels.getShape();
    int b = (int) s.get(0);
    int m = s.dimension() == 5 ? (int) s.get(1) : 1;
    int[] perRow = new int[b];
    java.util.Arrays.fill(perRow, m);
    return new ImageSequence(ImageTokens.images(pixels), perRow, new AnyRes.Layout[b * m]);
  }
}
