"""Reference outputs for Glimpse's transformer blocks, computed independently with NumPy (float64).

Run from this folder:  python3 make_reference.py   (needs numpy; writes blocks.json)
Each case lists named parameters (Glimpse's parameter names), inputs and the expected output.
The Java tests load the parameters into the block by name and compare outputs (tolerance 1e-4).
"""
import json
import math

import numpy as np

rng = np.random.default_rng(1234)
erf = np.vectorize(math.erf)


def rand(*shape, scale=1.0):
    return rng.normal(0.0, scale, size=shape)


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / np.sqrt((x ** 2).mean(-1, keepdims=True) + eps) * w


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def quick_gelu(x):
    return x / (1.0 + np.exp(-1.702 * x))


def silu(x):
    return x / (1.0 + np.exp(-x))


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def rope_tables(positions, head_dim, theta):
    inv = 1.0 / theta ** (np.arange(0, head_dim, 2) / head_dim)
    ang = positions[..., None] * inv  # [B, T, hd/2]
    ang = np.concatenate([ang, ang], -1)
    return np.cos(ang)[:, None], np.sin(ang)[:, None]  # [B, 1, T, hd]


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    rot = np.concatenate([-x[..., half:], x[..., :half]], -1)
    return x * cos + rot * sin


def attention(p, prefix, x, mask, heads, kv_heads, rope=None):
    B, T, D = x.shape
    hd = D // heads
    q = linear(x, p[prefix + ".query.weight"], p.get(prefix + ".query.bias"))
    k = linear(x, p[prefix + ".key.weight"], p.get(prefix + ".key.bias"))
    v = linear(x, p[prefix + ".value.weight"], p.get(prefix + ".value.bias"))
    q = q.reshape(B, T, heads, hd).transpose(0, 2, 1, 3)
    k = k.reshape(B, T, kv_heads, hd).transpose(0, 2, 1, 3)
    v = v.reshape(B, T, kv_heads, hd).transpose(0, 2, 1, 3)
    if rope is not None:
        q, k = rotate(q, *rope), rotate(k, *rope)
    group = heads // kv_heads
    k = np.repeat(k, group, axis=1)
    v = np.repeat(v, group, axis=1)
    s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)
    if mask is not None:
        s = s + mask
    out = softmax(s) @ v
    out = out.transpose(0, 2, 1, 3).reshape(B, T, D)
    return linear(out, p[prefix + ".output.weight"], p.get(prefix + ".output.bias"))


def mlp(p, prefix, x, act, gated=False):
    if gated:
        h = act(linear(x, p[prefix + ".gate.weight"])) * linear(x, p[prefix + ".up.weight"])
        return linear(h, p[prefix + ".down.weight"])
    h = act(linear(x, p[prefix + ".fc1.weight"], p[prefix + ".fc1.bias"]))
    return linear(h, p[prefix + ".fc2.weight"], p[prefix + ".fc2.bias"])


def block(p, prefix, x, mask, heads, pre_norm, eps=1e-6, act=gelu):
    ln = lambda name, y: layer_norm(y, p[prefix + "." + name + ".weight"], p[prefix + "." + name + ".bias"], eps)
    if pre_norm:
        x = x + attention(p, prefix + ".attention", ln("attention_norm", x), mask, heads, heads)
        return x + mlp(p, prefix + ".mlp", ln("mlp_norm", x), act)
    x = ln("attention_norm", x + attention(p, prefix + ".attention", x, mask, heads, heads))
    return ln("mlp_norm", x + mlp(p, prefix + ".mlp", x, act))


def block_params(prefix, D, H, gated=False, bias=True, norm="layer"):
    p = {}
    for n in ["query", "key", "value", "output"]:
        p[f"{prefix}.attention.{n}.weight"] = rand(D, D, scale=0.3)
        if bias:
            p[f"{prefix}.attention.{n}.bias"] = rand(D, scale=0.1)
    for n in ["attention_norm", "mlp_norm"]:
        p[f"{prefix}.{n}.weight"] = 1 + rand(D, scale=0.2)
        if norm == "layer":
            p[f"{prefix}.{n}.bias"] = rand(D, scale=0.1)
    if gated:
        p[f"{prefix}.mlp.gate.weight"] = rand(H, D, scale=0.3)
        p[f"{prefix}.mlp.up.weight"] = rand(H, D, scale=0.3)
        p[f"{prefix}.mlp.down.weight"] = rand(D, H, scale=0.3)
    else:
        p[f"{prefix}.mlp.fc1.weight"] = rand(H, D, scale=0.3)
        p[f"{prefix}.mlp.fc1.bias"] = rand(H, scale=0.1)
        p[f"{prefix}.mlp.fc2.weight"] = rand(D, H, scale=0.3)
        p[f"{prefix}.mlp.fc2.bias"] = rand(D, scale=0.1)
    return p


def bilinear_resize(grid, out_h, out_w):
    """torch.nn.functional.interpolate(mode='bilinear', align_corners=False) on [C, H, W]."""
    C, H, W = grid.shape

    def coords(out, inp):
        scale = inp / out
        src = (np.arange(out) + 0.5) * scale - 0.5
        src = np.maximum(src, 0.0)
        lo = np.floor(src).astype(int)
        lo = np.minimum(lo, inp - 1)
        hi = np.minimum(lo + 1, inp - 1)
        frac = src - lo
        return lo, hi, frac

    y0, y1, fy = coords(out_h, H)
    x0, x1, fx = coords(out_w, W)
    top = grid[:, y0][:, :, x0] * (1 - fx) + grid[:, y0][:, :, x1] * fx
    bot = grid[:, y1][:, :, x0] * (1 - fx) + grid[:, y1][:, :, x1] * fx
    return top * (1 - fy)[None, :, None] + bot * fy[None, :, None]


def causal_mask(T):
    m = np.zeros((T, T))
    m[np.triu_indices(T, 1)] = -1e9
    return m[None, None]


def tolist(a):
    return {"shape": list(np.shape(a)), "data": np.asarray(a, dtype=np.float64).ravel().tolist()}


cases = {}

# 1. Multi-head attention with a causal mask and key padding.
B, T, D, heads = 2, 5, 16, 4
p = {k: v for k, v in block_params("attn", D, 32).items() if ".attention." in k}
p = {k.replace("attn.attention.", "attn."): v for k, v in p.items()}
x = rand(B, T, D)
mask = causal_mask(T) + np.where(np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]) > 0, 0.0, -1e9)[:, None, None, :]
cases["attention"] = {"params": {k: tolist(v) for k, v in p.items()}, "x": tolist(x), "mask": tolist(mask),
                      "heads": heads, "kv_heads": heads, "output": tolist(attention(p, "attn", x, mask, heads, heads))}

# 2. Grouped-query attention with rotary positions (no biases).
heads, kv = 4, 2
hd = D // heads
p = {"gqa.query.weight": rand(D, D, scale=0.3), "gqa.key.weight": rand(kv * hd, D, scale=0.3),
     "gqa.value.weight": rand(kv * hd, D, scale=0.3), "gqa.output.weight": rand(D, D, scale=0.3)}
positions = np.array([[0, 1, 2, 3, 4], [3, 4, 5, 6, 7]], dtype=np.float64)
rope = rope_tables(positions, hd, 10000.0)
cases["gqa_rope"] = {"params": {k: tolist(v) for k, v in p.items()}, "x": tolist(x), "mask": tolist(causal_mask(T)),
                     "positions": positions.astype(int).tolist(), "heads": heads, "kv_heads": kv, "theta": 10000.0,
                     "output": tolist(attention(p, "gqa", x, causal_mask(T), heads, kv, rope))}

# 3. GELU MLP and SwiGLU MLP.
p = {k.replace("b.mlp.", "mlp."): v for k, v in block_params("b", D, 32).items() if ".mlp." in k}
cases["mlp_gelu"] = {"params": {k: tolist(v) for k, v in p.items()}, "x": tolist(x),
                     "output": tolist(mlp(p, "mlp", x, gelu))}
cases["mlp_quick_gelu"] = {"params": {k: tolist(v) for k, v in p.items()}, "x": tolist(x),
                           "output": tolist(mlp(p, "mlp", x, quick_gelu))}
p = {k.replace("b.mlp.", "mlp."): v for k, v in block_params("b", D, 32, gated=True).items() if ".mlp." in k}
cases["mlp_swiglu"] = {"params": {k: tolist(v) for k, v in p.items()}, "x": tolist(x),
                       "output": tolist(mlp(p, "mlp", x, silu, gated=True))}

# 4. Norms.
w, b = 1 + rand(D, scale=0.2), rand(D, scale=0.1)
cases["layer_norm"] = {"params": {"norm.weight": tolist(w), "norm.bias": tolist(b)}, "x": tolist(x), "eps": 1e-5,
                       "output": tolist(layer_norm(x, w, b, 1e-5))}
cases["rms_norm"] = {"params": {"norm.weight": tolist(w)}, "x": tolist(x), "eps": 1e-6,
                     "output": tolist(rms_norm(x, w, 1e-6))}

# 5. Pre-LN and post-LN transformer blocks.
p = block_params("block", D, 32)
for pre in (True, False):
    cases["block_" + ("pre" if pre else "post")] = {
        "params": {k: tolist(v) for k, v in p.items()}, "x": tolist(x), "mask": tolist(causal_mask(T)),
        "heads": 4, "pre_norm": pre, "eps": 1e-6, "output": tolist(block(p, "block", x, causal_mask(T), 4, pre))}

# 6. Patch embedding + ViT embeddings with a CLS token and bilinear position interpolation.
C, P, Dv, G = 3, 4, 8, 2  # trained on 8x8 images: 2x2 grid
conv_w, conv_b = rand(Dv, C, P, P, scale=0.3), rand(Dv, scale=0.1)
cls, pos = rand(Dv, scale=0.5), rand(1 + G * G, Dv, scale=0.5)
img = rand(1, C, 12, 16)  # 3x4 grid at inference


def patches(images, w, b):
    Bn, Cn, H, W = images.shape
    gh, gw = H // P, W // P
    t = images.reshape(Bn, Cn, gh, P, gw, P).transpose(0, 2, 4, 1, 3, 5).reshape(Bn, gh * gw, Cn * P * P)
    return t @ w.reshape(w.shape[0], -1).T + b


grid = pos[1:].reshape(G, G, Dv).transpose(2, 0, 1)
resized = bilinear_resize(grid, 3, 4).transpose(1, 2, 0).reshape(12, Dv)
pos_new = np.concatenate([pos[:1], resized], 0)
emb = np.concatenate([cls[None, None], patches(img, conv_w, conv_b)], 1) + pos_new[None]
cases["vit_embed_interpolated"] = {
    "params": {"vit.patch_embed.weight": tolist(conv_w), "vit.patch_embed.bias": tolist(conv_b),
               "vit.class_token": tolist(cls), "vit.position_embedding": tolist(pos)},
    "image_size": 8, "patch_size": P, "width": Dv, "images": tolist(img), "output": tolist(emb)}

# 7. Token embedding + learned positions, tied LM head.
V, Dt = 11, 6
tok, posw = rand(V, Dt), rand(7, Dt)
ids = np.array([[1, 4, 9, 2], [3, 3, 10, 0]])
h = tok[ids] + posw[np.arange(4)][None]
cases["text_embedding_tied_head"] = {
    "params": {"text.token_embedding": tolist(tok), "text.position_embedding": tolist(posw)},
    "ids": ids.tolist(), "embedding": tolist(h), "logits": tolist(h @ tok.T)}

with open("blocks.json", "w") as f:
    json.dump({"generator": "make_reference.py (NumPy %s, float64)" % np.__version__, "cases": cases}, f)
print("wrote blocks.json with", len(cases), "cases")
