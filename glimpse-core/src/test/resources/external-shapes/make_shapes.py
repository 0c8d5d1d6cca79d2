#!/usr/bin/env python3
"""Draws plain shapes on plain backgrounds as PNG files, independently of Glimpse.

Standard library only (zlib + struct PNG writer); no antialiasing: a pixel takes the shape's color
when its centre is inside the shape. Writes shape_NNN.png and labels.json into the folder given as
the first argument (default: the folder of this script).

Usage: python3 make_shapes.py [OUT_DIR]

The ground truth uses Glimpse's caption vocabulary: shapes circle/square/triangle/star; colors
red/green/blue/yellow/purple/orange/white/black (the CSS color of that name); sizes small/large;
positions left/right/top/bottom/center for one object; "to the left of"/"to the right of"/"above"/
"below" for two. Geometry (by design a little different from Glimpse's own renderer):
  - nominal radius r: small 0.115, large 0.21 of the shorter image side;
  - circle radius r; square half-side 0.85 r; triangle circumradius 1.2 r (pointing up);
    star outer radius 1.2 r, inner radius 0.42 of that;
  - single objects: center within 0.04 of the middle, or 0.17..0.30 off-centre along one axis and
    within 0.04 along the other; pairs: about 0.44 apart along the relation's axis, within 0.04 on
    the other, so the relation is never in doubt.
"""
import json
import math
import os
import random
import struct
import sys
import zlib

COLORS = {
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "purple": (128, 0, 128),
    "orange": (255, 165, 0),
    "white": (255, 255, 255),
    "black": (0, 0, 0),
}
BACKGROUNDS = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "gray": (128, 128, 128),
    "light gray": (211, 211, 211),
    "misty rose": (255, 228, 225),
    "light cyan": (224, 255, 255),
    "lemon chiffon": (255, 250, 205),
    "lavender": (230, 230, 250),
}
SHAPES = ["circle", "square", "triangle", "star"]
SIZES = {"small": 0.115, "large": 0.21}
MIN_CONTRAST = 100.0


def png_bytes(width, height, pixels):
    """pixels: list of rows, each a bytearray of RGB triples."""
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def polygon(shape, cx, cy, r):
    if shape == "square":
        h = 0.85 * r
        return [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    if shape == "triangle":
        R = 1.2 * r
        return [(cx + R * math.sin(math.radians(a)), cy - R * math.cos(math.radians(a))) for a in (0, 120, 240)]
    if shape == "star":
        outer = 1.2 * r
        inner = 0.42 * outer
        pts = []
        for i in range(10):
            rad = outer if i % 2 == 0 else inner
            a = math.radians(i * 36)
            pts.append((cx + rad * math.sin(a), cy - rad * math.cos(a)))
        return pts
    raise ValueError(shape)


def inside_polygon(x, y, pts):
    """Even-odd rule."""
    inside = False
    n = len(pts)
    for i in range(n):
        x1, y1 = pts[i]
        x2, y2 = pts[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xs = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xs:
                inside = not inside
    return inside


def bounds(shape, cx, cy, r):
    if shape == "circle":
        return cx - r, cy - r, cx + r, cy + r
    pts = polygon(shape, cx, cy, r)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def draw(width, height, background, objects):
    rows = [bytearray(background * width) for _ in range(height)]
    for obj in objects:
        cx = obj["center_x"] * width
        cy = obj["center_y"] * height
        r = obj["radius"]
        x0, y0, x1, y1 = bounds(obj["shape"], cx, cy, r)
        pts = None if obj["shape"] == "circle" else polygon(obj["shape"], cx, cy, r)
        color = COLORS[obj["color"]]
        for y in range(max(0, int(y0)), min(height, int(math.ceil(y1)) + 1)):
            for x in range(max(0, int(x0)), min(width, int(math.ceil(x1)) + 1)):
                px, py = x + 0.5, y + 0.5
                if pts is None:
                    hit = (px - cx) ** 2 + (py - cy) ** 2 <= r * r
                else:
                    hit = inside_polygon(px, py, pts)
                if hit:
                    rows[y][3 * x:3 * x + 3] = bytes(color)
    return rows


def distance(a, b):
    return math.sqrt(sum((p - q) ** 2 for p, q in zip(a, b)))


def image_size(rng, index):
    side = rng.randint(64, 224)
    if index % 3 != 2:
        return side, side
    other = max(64, round(side / rng.uniform(1.1, 1.33)))
    return (side, other) if rng.random() < 0.5 else (other, side)


def make_object(rng, width, height, shape, color, size, u, v):
    r = SIZES[size] * min(width, height)
    x0, y0, x1, y1 = bounds(shape, u * width, v * height, r)
    bbox = [max(0, math.floor(x0)), max(0, math.floor(y0))]
    bbox += [min(width, math.ceil(x1)) - bbox[0], min(height, math.ceil(y1)) - bbox[1]]
    return {"shape": shape, "color": color, "rgb": "#%02x%02x%02x" % COLORS[color], "size": size,
            "center_x": round(u, 4), "center_y": round(v, 4), "radius": round(r, 3), "bbox": bbox}


def fits(obj, width, height):
    margin = max(2, 0.03 * min(width, height))
    x, y, w, h = obj["bbox"]
    return x >= margin and y >= margin and x + w <= width - margin and y + h <= height - margin


def pick_colors(rng, count, background_rgb):
    names = [c for c in COLORS if distance(COLORS[c], background_rgb) >= MIN_CONTRAST]
    return rng.sample(names, count)


POSITION_OFFSETS = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1), "center": (0, 0)}
RELATION_WORDS = {"left": "to the left of", "right": "to the right of", "top": "above", "bottom": "below"}


def single(rng, index):
    position = list(POSITION_OFFSETS)[index % 5]
    while True:
        width, height = image_size(rng, index)
        bg_name = rng.choice(list(BACKGROUNDS))
        (color,) = pick_colors(rng, 1, BACKGROUNDS[bg_name])
        shape = SHAPES[index % 4]
        size = "large" if (index // 5) % 2 == 0 else "small"
        dx, dy = POSITION_OFFSETS[position]
        off = rng.uniform(0.17, 0.30)
        u = 0.5 + dx * off + (rng.uniform(-0.04, 0.04) if dx == 0 else 0)
        v = 0.5 + dy * off + (rng.uniform(-0.04, 0.04) if dy == 0 else 0)
        obj = make_object(rng, width, height, shape, color, size, u, v)
        if fits(obj, width, height):
            obj["position"] = position
            return width, height, bg_name, [obj], None


def pair(rng, index):
    horizontal = index % 2 == 0
    while True:
        width, height = image_size(rng, index)
        bg_name = rng.choice(list(BACKGROUNDS))
        colors = pick_colors(rng, 2, BACKGROUNDS[bg_name])
        shapes = rng.sample(SHAPES, 2)
        sizes = [rng.choice(["small", "large"]), "small"]
        rng.shuffle(sizes)
        a = 0.5 - 0.22
        b = 0.5 + 0.22
        cross = [0.5 + rng.uniform(-0.04, 0.04) for _ in range(2)]
        if horizontal:
            centres = [(a, cross[0]), (b, cross[1])]
        else:
            centres = [(cross[0], a), (cross[1], b)]
        objs = [make_object(rng, width, height, shapes[i], colors[i], sizes[i], *centres[i]) for i in range(2)]
        if not all(fits(o, width, height) for o in objs):
            continue
        ax, ay, aw, ah = objs[0]["bbox"]
        bx, by, bw, bh = objs[1]["bbox"]
        gap = 0.05 * min(width, height)
        apart = ax + aw + gap <= bx if horizontal else ay + ah + gap <= by
        if not apart:
            continue
        if rng.random() < 0.5:
            objs.reverse()  # the subject is sometimes the right / lower object
        first_is_a = objs[0]["center_x" if horizontal else "center_y"] < 0.5
        side = ("left" if first_is_a else "right") if horizontal else ("top" if first_is_a else "bottom")
        relation = {"subject": 0, "relation": RELATION_WORDS[side], "object": 1}
        return width, height, bg_name, objs, relation


def caption(objects, relation):
    def phrase(o):
        return "a %s %s %s" % (o["size"], o["color"], o["shape"])

    if relation is None:
        where = {"left": "on the left", "right": "on the right", "top": "at the top",
                 "bottom": "at the bottom", "center": "in the center"}[objects[0]["position"]]
        return "%s %s" % (phrase(objects[0]), where)
    return "%s %s %s" % (phrase(objects[0]), relation["relation"], phrase(objects[1]))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20240611)
    labels = []
    for index in range(40):
        width, height, bg_name, objects, relation = single(rng, index) if index < 20 else pair(rng, index - 20)
        name = "shape_%03d.png" % index
        rows = draw(width, height, BACKGROUNDS[bg_name], objects)
        with open(os.path.join(out, name), "wb") as f:
            f.write(png_bytes(width, height, rows))
        labels.append({
            "file": name, "width": width, "height": height,
            "background": bg_name, "background_rgb": "#%02x%02x%02x" % BACKGROUNDS[bg_name],
            "objects": objects, "relation": relation, "caption": caption(objects, relation),
        })
    doc = {
        "about": "Plain shapes drawn by make_shapes.py (Python standard library, no antialiasing); "
                 "ground truth in Glimpse's caption vocabulary. center_x/center_y are fractions of "
                 "width/height, radius and bbox ([x, y, w, h]) are pixels.",
        "images": labels,
    }
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
