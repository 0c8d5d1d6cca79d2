"""Reference table for AnyResTest: LLaVA-NeXT's best-fit grid and unpadded layout for a table of
image sizes, computed with the logic of HuggingFace transformers' image_processing_llava_next /
modeling_llava_next (select_best_resolution, get_anyres_image_grid_shape, unpad_image), written out
here in plain Python (no transformers import), independently of the Java code under test.

Run: python3 make_grids.py > grids.json
"""
import json
import math


def select_best_resolution(original_size, possible_resolutions):
    # transformers.image_processing_utils.select_best_resolution (v4.45)
    original_height, original_width = original_size
    best_fit = None
    max_effective_resolution = 0
    min_wasted_resolution = float("inf")
    for height, width in possible_resolutions:
        scale = min(width / original_width, height / original_height)
        downscaled_width, downscaled_height = int(original_width * scale), int(original_height * scale)
        effective_resolution = min(downscaled_width * downscaled_height, original_width * original_height)
        wasted_resolution = (width * height) - effective_resolution
        if effective_resolution > max_effective_resolution or (
            effective_resolution == max_effective_resolution and wasted_resolution < min_wasted_resolution
        ):
            max_effective_resolution = effective_resolution
            min_wasted_resolution = wasted_resolution
            best_fit = (height, width)
    return best_fit


def unpad(original_size, current_height, current_width):
    # modeling_llava_next.unpad_image, on sizes only: the kept rows and columns
    original_height, original_width = original_size
    original_aspect_ratio = original_width / original_height
    current_aspect_ratio = current_width / current_height
    if original_aspect_ratio > current_aspect_ratio:
        scale_factor = current_width / original_width
        new_height = int(round(original_height * scale_factor, 7))
        padding = (current_height - new_height) // 2
        return padding, current_height - padding, 0, current_width
    scale_factor = current_height / original_height
    new_width = int(round(original_width * scale_factor, 7))
    padding = (current_width - new_width) // 2
    return 0, current_height, padding, current_width - padding


TILE = 336
SIDE = 24  # tokens along a tile's side (CLIP ViT-L/14 at 336)
PINPOINTS = [[336, 672], [672, 336], [672, 672], [1008, 336], [336, 1008]]  # llava-v1.6 [height, width]
SIZES = [(336, 336), (480, 640), (640, 480), (1024, 768), (768, 1024), (200, 1000), (1000, 200), (700, 700),
         (336, 1200), (100, 100), (1080, 1920), (512, 512), (300, 800), (900, 400)]

rows = []
for h, w in SIZES:
    bh, bw = select_best_resolution((h, w), PINPOINTS)
    rows_, cols = bh // TILE, bw // TILE
    top, bottom, left, right = unpad((h, w), rows_ * SIDE, cols * SIDE)
    rows.append({"height": h, "width": w, "grid_height": bh, "grid_width": bw, "rows": rows_, "columns": cols,
                 "top": top, "bottom": bottom, "left": left, "right": right,
                 "tokens": SIDE * SIDE + (bottom - top) * (right - left + 1)})
print(json.dumps({"tile": TILE, "side": SIDE, "pinpoints": PINPOINTS, "cases": rows}, indent=1))
