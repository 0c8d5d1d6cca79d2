package dev.glimpse.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.RegionModel;
import dev.glimpse.tokenize.Tokenizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captions regions of images (dense captioning) with a {@link RegionModel}: each box is decoded from
 * the features under it, in batches of images, with any decoding the {@link Generator} offers.
 */
public final class RegionCaptioner {
  private final RegionModel model;
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final NDManager manager;

  public RegionCaptioner(RegionModel model, Tokenizer tokenizer, ImageTransform transform, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.manager = manager;
  }

  /**
   * @param boxes per image, its boxes {@code [x1, y1, x2, y2]} in the image's own pixels
   * @return one caption per box, images in order, boxes in order
   */
  public List<String> caption(List<BufferedImage> images, List<float[][]> boxes, GenerationConfig cfg, int batchSize) {
    List<String> out = new ArrayList<>();
    Generator generator = new Generator(model, tokenizer.special().eos(), tokenizer.special().pad());
    LogitsProcessor known = Captioner.withinTokenizer(null, tokenizer.vocabSize(), model.vocabSize(), -1);
    for (int start = 0; start < images.size(); start += batchSize) {
      int end = Math.min(images.size(), start + batchSize);
      float[] pixels = new float[(end - start) * transform.floats()];
      List<float[]> rois = new ArrayList<>();
      for (int i = start; i < end; i++) {
        BufferedImage image = images.get(i);
        transform.apply(image, pixels, (i - start) * transform.floats());
        for (float[] b : boxes.get(i)) {
          float[] m = transform.mapBox(b[0], b[1], b[2] - b[0], b[3] - b[1], image.getWidth(), image.getHeight());
          rois.add(new float[] {i - start, m[0], m[1], m[2], m[3]});
        }
      }
      if (rois.isEmpty()) {
        continue;
      }
      try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray x = batch.create(pixels, new Shape(end - start, 3, transform.height(), transform.width()));
        long[] bos = new long[rois.size()];
        Arrays.fill(bos, tokenizer.special().bos());
        float[] valid = new float[rois.size()];
        Arrays.fill(valid, 1);
        NDArray ids = batch.create(bos, new Shape(rois.size(), 1));
        NDArray mask = batch.create(valid, new Shape(rois.size(), 1));
        try (DecodeState state = model.prefillRegions(x, rois.toArray(new float[0][]), ids, mask, cfg.useCache())) {
          for (Generated g : generator.generate(state, cfg, known)) {
            out.add(tokenizer.decode(g.tokens()));
          }
        }
      }
    }
    return out;
  }
}
