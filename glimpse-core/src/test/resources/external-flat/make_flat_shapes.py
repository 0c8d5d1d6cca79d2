#!/usr/bin/env python3
"""Draws flat-filled shapes on plain light, pastel, gray and near-black backgrounds with ImageMagick.

A second external check set for captioners trained on Glimpse's synthetic scenes, made by a program
that has nothing in common with Glimpse's renderer (Java2D) nor with ../external-shapes/make_shapes.py
(a pure-Python rasteriser): every image is one ImageMagick `convert` call with `-draw` primitives
(`circle`, `polygon`), antialiased in half of the images (ImageMagick's own coverage-based edges) and
aliased (`+antialias`) in the others. Writes flat_NNN.png and labels.json into the folder given as
the first argument (default: the folder of this script).

Usage: python3 make_flat_shapes.py [OUT_DIR]
       MAGICK=/path/to/convert python3 make_flat_shapes.py   # another ImageMagick binary
                                                              # (default: `magick` if found, else `convert`)

What it draws (fixed seed, so the output is the same on every run with the same ImageMagick):
  - 320 images: 160 with one object (positions left/right/top/bottom/center in turn, shapes in
    turn, each of the eight colors 20 times), 160 with two (side by side or one above the other);
  - object colors: several CSS colors per name, all inside Glimpse's color ranges
    (dev.glimpse.data.synth.ColorName), e.g. red #ff0000/#e60000, green #008000/#228b22/#32cd32,
    white #ffffff/#fafafa/snow, black #000000/#1a1a1a;
  - backgrounds: plain CSS tones, light and pastel (white, gainsboro, light gray, lavender, light
    blue, powder blue, misty rose, peach puff, wheat, thistle, pale green, light pink, ...), mid
    grays and near-black (#2f2f2f, #333333, dark slate gray, midnight blue, ...);
  - white and black objects sit on a near-white or near-black background in 60% of their images,
    where the object-background RGB distance may be as small as MIN_CONTRAST = 60 (e.g. white on
    gainsboro), far below the 100 kept by Glimpse's default scenes;
  - proportions differ from both other renderers on purpose: square half-side 0.88 r, triangle and
    star circumradius 1.25 r, star inner ratio 0.45; small r = 0.105-0.125, large r = 0.195-0.23 of
    the shorter side; a third of the squares, triangles and stars are rotated by up to 12 degrees;
  - sizes 64-224 px; every third image is non-square (aspect 1.1-1.33).

Labels use Glimpse's caption vocabulary (see ../external-shapes/README.md for the format).
"""
import colorsys
import json
import math
import os
import random
import shutil
import subprocess
import sys

COLORS = {
    "red": ["#ff0000", "#e60000", "#d40000", "#ff1a1a"],
    "green": ["#008000", "#228b22", "#32cd32", "#00a000", "#00ff00"],
    "blue": ["#0000ff", "#0000cd", "#0066ff", "#4169e1", "#0047ab"],
    "yellow": ["#ffff00", "#ffd700", "#f5e100", "#ffeb3b"],
    "purple": ["#800080", "#9400d3", "#8a2be2", "#9932cc", "#663399"],
    "orange": ["#ffa500", "#ff8c00", "#ff7f00", "#f28500"],
    "white": ["#ffffff", "#fafafa", "#fffafa", "#f8f8f8"],
    "black": ["#000000", "#1a1a1a", "#101010", "#0a0a0a"],
}
# Glimpse's ranges (ColorName): hue degrees (min may be negative), saturation, value.
RANGES = {
    "red": (-8, 8, 0.75, 1.0, 0.75, 1.0),
    "green": (100, 140, 0.6, 1.0, 0.45, 1.0),
    "blue": (210, 240, 0.7, 1.0, 0.65, 1.0),
    "yellow": (50, 62, 0.75, 1.0, 0.9, 1.0),
    "purple": (268, 308, 0.55, 1.0, 0.45, 0.95),
    "orange": (24, 40, 0.85, 1.0, 0.9, 1.0),
    "white": (0, 360, 0.0, 0.05, 0.93, 1.0),
    "black": (0, 360, 0.0, 0.2, 0.0, 0.14),
}
LIGHT = {
    "white": "#ffffff", "gainsboro": "#dcdcdc", "light gray": "#d3d3d3", "silver": "#c0c0c0",
    "lavender": "#e6e6fa", "light blue": "#add8e6", "powder blue": "#b0e0e6", "light steel blue": "#b0c4de",
    "misty rose": "#ffe4e1", "light pink": "#ffb6c1", "pink": "#ffc0cb", "peach puff": "#ffdab9",
    "wheat": "#f5deb3", "thistle": "#d8bfd8", "pale green": "#98fb98", "lemon chiffon": "#fffacd",
    "light yellow": "#ffffe0", "honeydew": "#f0fff0", "alice blue": "#f0f8ff", "beige": "#f5f5dc",
    "linen": "#faf0e6", "light cyan": "#e0ffff",
}
MID = {"gray": "#808080", "dark gray": "#a9a9a9", "dim gray": "#696969", "slate gray": "#708090"}
DARK = {
    "black": "#000000", "near black": "#111111", "charcoal": "#2f2f2f", "dark charcoal": "#333333",
    "dark slate gray": "#2f4f4f", "midnight blue": "#191970", "dark navy": "#1b1b2f", "very dark gray": "#242424",
}
BACKGROUNDS = {**LIGHT, **MID, **DARK}
SHAPES = ["circle", "square", "triangle", "star"]
SIZES = {"small": (0.105, 0.125), "large": (0.195, 0.23)}
MIN_CONTRAST = 60.0
SQUARE_HALF_SIDE = 0.88
POINTY_RADIUS = 1.25
STAR_INNER = 0.45


def rgb(hex_color):
    return tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))


def in_range(name, hex_color):
    h, s, v = colorsys.rgb_to_hsv(*[c / 255 for c in rgb(hex_color)])
    lo, hi, smin, smax, vmin, vmax = RANGES[name]
    hue = h * 360
    hue_ok = hi - lo >= 360 or s < 1e-9 or (lo <= hue <= hi) or (lo <= hue - 360 <= hi)
    return hue_ok and smin - 0.01 <= s <= smax + 0.01 and vmin - 0.01 <= v <= vmax + 0.01


def distance(a, b):
    return math.sqrt(sum((p - q) ** 2 for p, q in zip(rgb(a), rgb(b))))


def polygon(shape, cx, cy, r, rotation):
    if shape == "square":
        corners, start, outer, inner = 4, 45, SQUARE_HALF_SIDE * math.sqrt(2) * r, 0
    elif shape == "triangle":
        corners, start, outer, inner = 3, 0, POINTY_RADIUS * r, 0
    elif shape == "star":
        corners, start, outer, inner = 5, 0, POINTY_RADIUS * r, STAR_INNER * POINTY_RADIUS * r
    else:
        raise ValueError(shape)
    n = 2 * corners if inner else corners
    pts = []
    for i in range(n):
        radius = inner if inner and i % 2 == 1 else outer
        a = math.radians(start + rotation + i * 360 / n)
        pts.append((cx + radius * math.sin(a), cy - radius * math.cos(a)))
    return pts


def bounds(shape, cx, cy, r, rotation):
    if shape == "circle":
        return cx - r, cy - r, cx + r, cy + r
    pts = polygon(shape, cx, cy, r, rotation)
    return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


def image_size(rng, index):
    side = rng.randint(64, 224)
    if index % 3 != 2:
        return side, side
    other = max(64, round(side / rng.uniform(1.1, 1.33)))
    return (side, other) if rng.random() < 0.5 else (other, side)


def make_object(rng, width, height, shape, color, size, u, v):
    r = rng.uniform(*SIZES[size]) * min(width, height)
    rotation = rng.uniform(-12, 12) if shape != "circle" and rng.random() < 1 / 3 else 0.0
    hex_color = rng.choice(COLORS[color])
    x0, y0, x1, y1 = bounds(shape, u * width, v * height, r, rotation)
    bbox = [max(0, math.floor(x0)), max(0, math.floor(y0))]
    bbox += [min(width, math.ceil(x1)) - bbox[0], min(height, math.ceil(y1)) - bbox[1]]
    return {"shape": shape, "color": color, "rgb": hex_color, "size": size,
            "center_x": round(u, 4), "center_y": round(v, 4), "radius": round(r, 3),
            "rotation": round(rotation, 2), "bbox": bbox}


def fits(obj, width, height):
    margin = max(2, 0.03 * min(width, height))
    x, y, w, h = obj["bbox"]
    return x >= margin and y >= margin and x + w <= width - margin and y + h <= height - margin


def pick_background(rng, objects):
    """White and black objects get a near-white / near-black tone in 60% of draws."""
    names = [o["color"] for o in objects]
    pool = BACKGROUNDS
    if "white" in names and rng.random() < 0.6:
        pool = LIGHT
    elif "black" in names and rng.random() < 0.6:
        pool = DARK
    options = [n for n in pool if all(distance(BACKGROUNDS[n], o["rgb"]) >= MIN_CONTRAST for o in objects)]
    return rng.choice(options) if options else None


POSITION_OFFSETS = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1), "center": (0, 0)}
RELATION_WORDS = {"left": "to the left of", "right": "to the right of", "top": "above", "bottom": "below"}
COLOR_NAMES = list(COLORS)


def single(rng, index):
    position = list(POSITION_OFFSETS)[index % 5]
    shape = SHAPES[index % 4]
    color = COLOR_NAMES[(index // 4) % 8]
    size = "large" if (index // 5) % 2 == 0 else "small"
    while True:
        width, height = image_size(rng, index)
        dx, dy = POSITION_OFFSETS[position]
        off = rng.uniform(0.17, 0.30)
        u = 0.5 + dx * off + (rng.uniform(-0.04, 0.04) if dx == 0 else 0)
        v = 0.5 + dy * off + (rng.uniform(-0.04, 0.04) if dy == 0 else 0)
        obj = make_object(rng, width, height, shape, color, size, u, v)
        background = pick_background(rng, [obj])
        if background and fits(obj, width, height):
            obj["position"] = position
            return width, height, background, [obj], None


def pair(rng, index):
    horizontal = index % 2 == 0
    while True:
        width, height = image_size(rng, index)
        colors = rng.sample(COLOR_NAMES, 2)
        shapes = [rng.choice(SHAPES), rng.choice(SHAPES)]
        sizes = [rng.choice(["small", "large"]), "small"]
        rng.shuffle(sizes)
        offset = rng.uniform(0.2, 0.24)
        cross = [0.5 + rng.uniform(-0.04, 0.04) for _ in range(2)]
        along = [0.5 - offset, 0.5 + offset]
        centres = [(along[i], cross[i]) if horizontal else (cross[i], along[i]) for i in range(2)]
        objs = [make_object(rng, width, height, shapes[i], colors[i], sizes[i], *centres[i]) for i in range(2)]
        if not all(fits(o, width, height) for o in objs):
            continue
        ax, ay, aw, ah = objs[0]["bbox"]
        bx, by, bw, bh = objs[1]["bbox"]
        gap = 0.05 * min(width, height)
        if not (ax + aw + gap <= bx if horizontal else ay + ah + gap <= by):
            continue
        background = pick_background(rng, objs)
        if not background:
            continue
        if rng.random() < 0.5:
            objs.reverse()  # the subject is sometimes the right / lower object
        first_is_a = objs[0]["center_x" if horizontal else "center_y"] < 0.5
        side = ("left" if first_is_a else "right") if horizontal else ("top" if first_is_a else "bottom")
        return width, height, background, objs, {"subject": 0, "relation": RELATION_WORDS[side], "object": 1}


def caption(objects, relation):
    def phrase(o):
        return "a %s %s %s" % (o["size"], o["color"], o["shape"])

    if relation is None:
        where = {"left": "on the left", "right": "on the right", "top": "at the top",
                 "bottom": "at the bottom", "center": "in the center"}[objects[0]["position"]]
        return "%s %s" % (phrase(objects[0]), where)
    return "%s %s %s" % (phrase(objects[0]), relation["relation"], phrase(objects[1]))


def draw_args(obj, width, height):
    cx, cy, r = obj["center_x"] * width, obj["center_y"] * height, obj["radius"]
    if obj["shape"] == "circle":
        primitive = "circle %.3f,%.3f %.3f,%.3f" % (cx, cy, cx + r, cy)
    else:
        pts = polygon(obj["shape"], cx, cy, r, obj["rotation"])
        primitive = "polygon " + " ".join("%.3f,%.3f" % p for p in pts)
    return ["-fill", obj["rgb"], "-draw", primitive]


def magick():
    chosen = os.environ.get("MAGICK") or shutil.which("magick") or shutil.which("convert")
    if not chosen:
        sys.exit("ImageMagick is needed (Debian: apt-get install imagemagick), or set MAGICK")
    return chosen


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    tool = magick()
    for name, shades in COLORS.items():
        for shade in shades:
            assert in_range(name, shade), (name, shade)
    rng = random.Random(20251207)
    labels = []
    for index in range(320):
        width, height, background, objects, relation = single(rng, index) if index < 160 else pair(rng, index - 160)
        antialias = index % 2 == 0
        name = "flat_%03d.png" % index
        command = [tool, "-size", "%dx%d" % (width, height), "xc:" + BACKGROUNDS[background],
                   "-antialias" if antialias else "+antialias", "-stroke", "none"]
        for obj in objects:
            command += draw_args(obj, width, height)
        command += ["-depth", "8", "-strip", "-define", "png:exclude-chunks=date,time", "-define", "png:compression-level=9", os.path.join(out, name)]
        subprocess.run(command, check=True)
        labels.append({
            "file": name, "width": width, "height": height, "antialias": antialias,
            "background": background, "background_rgb": BACKGROUNDS[background],
            "objects": objects, "relation": relation, "caption": caption(objects, relation),
        })
    doc = {
        "about": "Flat-filled shapes on plain light, pastel, gray and near-black backgrounds drawn by "
                 "ImageMagick (make_flat_shapes.py); ground truth in Glimpse's caption vocabulary. "
                 "center_x/center_y are fractions of width/height, radius and bbox ([x, y, w, h]) are "
                 "pixels, rotation degrees clockwise.",
        "images": labels,
    }
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
