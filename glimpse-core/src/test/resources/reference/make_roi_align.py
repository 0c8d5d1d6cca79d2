"""Reference values for Glimpse's RoIAlign (nn/RoiAlign), computed independently with NumPy (float64).

Run from this folder:  python3 make_roi_align.py   (needs numpy; writes roi_align.json)

The function below transcribes torchvision's CPU kernel (torchvision/csrc/ops/cpu/roi_align_kernel.cpp,
roi_align_forward_kernel_impl and bilinear_interpolate) loop for loop: each box is shifted by half a
pixel when aligned, split into pooled_h x pooled_w bins, and every bin averages grid_h x grid_w
bilinear samples (grid = sampling_ratio, or ceil(roi size / bins) when sampling_ratio <= 0); samples
outside [-1, size] along an axis are zero; boxes are at least 1x1 when not aligned.
Each case also holds the gradient of sum(output * weights) with respect to the input, by the same
loops run backwards (every sample spreads its weight over its four cells), for the autograd check.
"""
import json
import math

import numpy as np

rng = np.random.default_rng(7)


def bilinear_weights(h, w, y, x):
    """The (row, col, weight) terms of one bilinear sample, as torchvision's bilinear_interpolate."""
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return []
    y = max(y, 0.0)
    x = max(x, 0.0)
    y_low = int(y)
    x_low = int(x)
    if y_low >= h - 1:
        y_high = y_low = h - 1
        y = float(y_low)
    else:
        y_high = y_low + 1
    if x_low >= w - 1:
        x_high = x_low = w - 1
        x = float(x_low)
    else:
        x_high = x_low + 1
    ly = y - y_low
    lx = x - x_low
    hy = 1.0 - ly
    hx = 1.0 - lx
    return [(y_low, x_low, hy * hx), (y_low, x_high, hy * lx), (y_high, x_low, ly * hx), (y_high, x_high, ly * lx)]


def roi_align(features, boxes, pooled_h, pooled_w, scale, sampling_ratio, aligned, out_weights=None):
    n, c, h, w = features.shape
    out = np.zeros((len(boxes), c, pooled_h, pooled_w))
    grad = np.zeros_like(features)
    for k, box in enumerate(boxes):
        b = int(box[0])
        offset = 0.5 if aligned else 0.0
        start_w = box[1] * scale - offset
        start_h = box[2] * scale - offset
        end_w = box[3] * scale - offset
        end_h = box[4] * scale - offset
        roi_w = end_w - start_w
        roi_h = end_h - start_h
        if not aligned:
            roi_w = max(roi_w, 1.0)
            roi_h = max(roi_h, 1.0)
        bin_h = roi_h / pooled_h
        bin_w = roi_w / pooled_w
        grid_h = sampling_ratio if sampling_ratio > 0 else int(math.ceil(roi_h / pooled_h))
        grid_w = sampling_ratio if sampling_ratio > 0 else int(math.ceil(roi_w / pooled_w))
        count = max(grid_h * grid_w, 1)
        for ph in range(pooled_h):
            for pw in range(pooled_w):
                total = np.zeros(c)
                for iy in range(grid_h):
                    y = start_h + ph * bin_h + (iy + 0.5) * bin_h / grid_h
                    for ix in range(grid_w):
                        x = start_w + pw * bin_w + (ix + 0.5) * bin_w / grid_w
                        for (r, q, wt) in bilinear_weights(h, w, y, x):
                            total += wt * features[b, :, r, q]
                            if out_weights is not None:
                                grad[b, :, r, q] += wt / count * out_weights[k, :, ph, pw]
                out[k, :, ph, pw] = total / count
    return out, grad


CASES = [
    # name, feature shape, boxes (image, x1, y1, x2, y2), output, spatial scale, sampling ratio, aligned
    ("aligned_adaptive", (2, 3, 6, 7), [[0, 1.0, 1.5, 5.0, 4.0], [1, 0.0, 0.0, 7.0, 6.0], [0, 2.3, 0.7, 3.1, 5.9]],
     (2, 2), 1.0, 0, True),
    ("aligned_ratio2", (2, 3, 6, 7), [[1, 0.5, 0.5, 6.5, 5.5], [0, 3.0, 2.0, 3.5, 2.5]], (3, 2), 1.0, 2, True),
    ("legacy_adaptive", (1, 4, 5, 5), [[0, 0.0, 0.0, 4.0, 4.0], [0, 2.2, 2.2, 2.4, 2.6]], (2, 3), 1.0, 0, False),
    ("scaled_pixels", (2, 2, 4, 4), [[0, 0.0, 0.0, 32.0, 32.0], [1, 8.0, 4.0, 24.0, 20.0], [1, 17.0, 3.0, 31.5, 12.0]],
     (2, 2), 1.0 / 8, 2, True),
    ("outside_edges", (1, 2, 4, 5), [[0, -3.0, -2.0, 2.0, 3.0], [0, 3.5, 2.5, 9.0, 7.0], [0, -6.0, -6.0, -2.5, -2.0]],
     (2, 2), 1.0, 0, True),
]


def main():
    out = {}
    for name, shape, boxes, (ph, pw), scale, ratio, aligned in CASES:
        features = rng.standard_normal(shape)
        weights = rng.standard_normal((len(boxes), shape[1], ph, pw))
        result, grad = roi_align(features, boxes, ph, pw, scale, ratio, aligned, weights)
        out[name] = {
            "features": features.tolist(), "boxes": boxes, "output_size": [ph, pw], "spatial_scale": scale,
            "sampling_ratio": ratio, "aligned": aligned, "output": result.tolist(),
            "output_weights": weights.tolist(), "grad_features": grad.tolist(),
        }
    with open("roi_align.json", "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
