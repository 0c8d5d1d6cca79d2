package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * RoIAlign (He et al., Mask R-CNN), computed as torchvision's {@code roi_align}: each box is cut into
 * {@code outputHeight x outputWidth} bins, each bin averages {@code gridH x gridW} bilinear samples
 * of the feature map at the centres of its sub-cells. With {@code aligned} the box is shifted by
 * half a pixel first (pixel centres sit at +0.5, so a box's continuous coordinates map exactly onto
 * the feature grid); without it, boxes are at least one cell wide, as in Detectron's original. A
 * {@code samplingRatio} of 0 or less takes {@code ceil(box size / bins)} samples per bin along each
 * axis (adaptive), else that many.
 *
 * <p>Every sample is a fixed weighted sum of at most four cells, so the whole operation is one
 * sparse linear map per box, built here on the heap from the box coordinates and applied as a
 * matrix product: gradients reach the features through autograd (boxes get none, as in
 * torchvision). Samples outside {@code [-1, size]} along an axis contribute zero.
 */
public final class RoiAlign {
  private final int outputHeight;
  private final int outputWidth;
  private final double spatialScale;
  private final int samplingRatio;
  private final boolean aligned;

  /**
   * @param spatialScale feature cells per box unit (a ViT's features with boxes in pixels: 1 / patch size)
   */
  public RoiAlign(int outputHeight, int outputWidth, double spatialScale, int samplingRatio, boolean aligned) {
    if (outputHeight <= 0 || outputWidth <= 0) {
      throw new IllegalArgumentException("RoIAlign output size must be > 0, got " + outputHeight + "x" + outputWidth);
    }
    if (!(spatialScale > 0)) {
      throw new IllegalArgumentException("RoIAlign spatial scale must be > 0, got " + spatialScale);
    }
    this.outputHeight = outputHeight;
    this.outputWidth = outputWidth;
    this.spatialScale = spatialScale;
    this.samplingRatio = samplingRatio;
    this.aligned = aligned;
  }

  /**
   * @param features [N, C, H, W]
   * @param boxes [K][5]: image index, x1, y1, x2, y2 (in box units, scaled by {@code spatialScale})
   * @return [K, C, outputHeight, outputWidth]
   */
  public NDArray forward(NDArray features, float[][] boxes) {
    Shape s = features.getShape();
    int n = (int) s.get(0);
    long c = s.get(1);
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    int k = boxes.length;
    int bins = outputHeight * outputWidth;
    NDManager manager = features.getManager();
    float[] weights = new float[k * bins * h * w];
    long[] images = new long[k];
    for (int r = 0; r < k; r++) {
      if (boxes[r].length != 5) {
        throw new IllegalArgumentException("box " + r + " must be [image, x1, y1, x2, y2], got " + boxes[r].length
            + " values");
      }
      int image = (int) boxes[r][0];
      if (image < 0 || image >= n || image != boxes[r][0]) {
        throw new IllegalArgumentException("box " + r + " names image " + boxes[r][0] + " of " + n);
      }
      images[r] = image;
      fill(boxes[r], h, w, weights, r * bins * h * w);
    }
    NDArray map = manager.create(weights, new Shape(k, bins, (long) h * w));          // [K, bins, H*W]
    NDArray cells = features.reshape(n, c, (long) h * w).transpose(0, 2, 1);          // [N, H*W, C]
    NDArray perBox = cells.get(manager.create(images));                               // [K, H*W, C]
    return map.matMul(perBox).transpose(0, 2, 1).reshape(k, c, outputHeight, outputWidth); // [K, C, ph, pw]
  }

  /** The sampling weights of one box over the {@code h x w} cells, per output bin, into {@code out} at {@code at}. */
  private void fill(float[] box, int h, int w, float[] out, int at) {
    double offset = aligned ? 0.5 : 0;
    double startW = box[1] * spatialScale - offset;
    double startH = box[2] * spatialScale - offset;
    double endW = box[3] * spatialScale - offset;
    double endH = box[4] * spatialScale - offset;
    double roiW = endW - startW;
    double roiH = endH - startH;
    if (!aligned) { // force malformed boxes to be 1x1
      roiW = Math.max(roiW, 1);
      roiH = Math.max(roiH, 1);
    }
    double binH = roiH / outputHeight;
    double binW = roiW / outputWidth;
    int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / outputHeight);
    int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / outputWidth);
    double count = Math.max(gridH * gridW, 1);
    int cells = h * w;
    for (int py = 0; py < outputHeight; py++) {
      for (int px = 0; px < outputWidth; px++) {
        int row = at + (py * outputWidth + px) * cells;
        for (int iy = 0; iy < gridH; iy++) {
          double y = startH + py * binH + (iy + 0.5) * binH / gridH;
          for (int ix = 0; ix < gridW; ix++) {
            double x = startW + px * binW + (ix + 0.5) * binW / gridW;
            bilinear(y, x, h, w, out, row, 1 / count);
          }
        }
      }
    }
  }

  // torchvision's bilinear_interpolate, as weights on the four neighbouring cells
  private static void bilinear(double y, double x, int h, int w, float[] out, int row, double scale) {
    if (y < -1.0 || y > h || x < -1.0 || x > w) {
      return; // empty
    }
    y = Math.max(y, 0);
    x = Math.max(x, 0);
    int yLow = (int) y;
    int xLow = (int) x;
    int yHigh;
    int xHigh;
    if (yLow >= h - 1) {
      yHigh = yLow = h - 1;
      y = yLow;
    } else {
      yHigh = yLow + 1;
    }
    if (xLow >= w - 1) {
      xHigh = xLow = w - 1;
      x = xLow;
    } else {
      xHigh = xLow + 1;
    }
    double ly = y - yLow;
    double lx = x - xLow;
    double hy = 1 - ly;
    double hx = 1 - lx;
    out[row + yLow * w + xLow] += (float) (hy * hx * scale);
    out[row + yLow * w + xHigh] += (float) (hy * lx * scale);
    out[row + yHigh * w + xLow] += (float) (ly * hx * scale);
    out[row + yHigh * w + xHigh] += (float) (ly * lx * scale);
  }

  public int outputHeight() {
    return outputHeight;
  }

  public int outputWidth() {
    return outputWidth;
  }
}
