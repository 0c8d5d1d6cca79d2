"""Reference values for Glimpse's losses, computed independently with NumPy (float64).

Run from this folder:  python3 make_losses.py   (needs numpy; writes losses.json)
- infonce_*: symmetric InfoNCE (CLIP) on raw embeddings that are L2-normalised first, with a learned
  log logit scale clipped at 100; loss, both directions and the analytic gradients with respect to
  the raw image and text embeddings and the log scale.
- lm_*: next-token cross-entropy with label smoothing e (as torch's CrossEntropyLoss(label_smoothing=e):
  (1 - e) * nll + e * mean_v(-log p_v)), weighted per token, divided by max(sum of weights, 1); the loss
  and its gradient with respect to the logits.
"""
import json

import numpy as np

rng = np.random.default_rng(2026)


def log_softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def infonce(image, text, log_scale, max_scale=100.0):
    n = image.shape[0]
    image_norm = np.linalg.norm(image, axis=1, keepdims=True)
    text_norm = np.linalg.norm(text, axis=1, keepdims=True)
    u, v = image / image_norm, text / text_norm
    clipped = np.exp(log_scale) > max_scale
    s = min(np.exp(log_scale), max_scale)
    cos = u @ v.T
    logits = s * cos
    rows = log_softmax(logits, 1)
    cols = log_softmax(logits.T, 1)
    i2t = -np.mean(np.diag(rows))
    t2i = -np.mean(np.diag(cols))
    loss = (i2t + t2i) / 2
    eye = np.eye(n)
    g_rows = (np.exp(rows) - eye) / n          # d i2t / d logits
    g_cols = ((np.exp(cols) - eye) / n).T      # d t2i / d logits
    g = (g_rows + g_cols) / 2                  # d loss / d logits
    g_u = s * g @ v
    g_v = s * g.T @ u
    g_s = np.sum(g * cos)
    g_log_scale = 0.0 if clipped else g_s * s
    g_image = (g_u - u * np.sum(u * g_u, axis=1, keepdims=True)) / image_norm
    g_text = (g_v - v * np.sum(v * g_v, axis=1, keepdims=True)) / text_norm
    return {
        "image": image.tolist(), "text": text.tolist(), "log_scale": log_scale,
        "loss": loss, "image_to_text": i2t, "text_to_image": t2i,
        "grad_image": g_image.tolist(), "grad_text": g_text.tolist(), "grad_log_scale": g_log_scale,
    }


def lm(logits, targets, weights, e):
    v = logits.shape[-1]
    logp = log_softmax(logits, -1)
    nll = -np.take_along_axis(logp, targets[..., None], -1)[..., 0]
    per_token = (1 - e) * nll + e * (-logp.mean(-1))
    total_w = max(weights.sum(), 1.0)
    loss = (per_token * weights).sum() / total_w
    p = np.exp(logp)
    onehot = np.eye(v)[targets]
    grad = (p - (1 - e) * onehot - e / v) * (weights / total_w)[..., None]
    return {
        "logits": logits.tolist(), "targets": targets.tolist(), "weights": weights.tolist(), "smoothing": e,
        "loss": loss, "grad_logits": grad.tolist(),
    }


cases = {
    "infonce_learned": infonce(rng.normal(size=(5, 4)), rng.normal(size=(5, 4)), float(np.log(1 / 0.07))),
    "infonce_clipped": infonce(rng.normal(size=(3, 6)), rng.normal(size=(3, 6)), 5.0),
}
targets = rng.integers(0, 7, size=(2, 4))
weights = np.array([[0, 1, 1, 1], [1, 1, 0, 0]], dtype=float)
logits = rng.normal(size=(2, 4, 7)) * 2
cases["lm_smoothing_0"] = lm(logits, targets, weights, 0.0)
cases["lm_smoothing_0.1"] = lm(logits, targets, weights, 0.1)
cases["lm_smoothing_0.3_no_weights"] = lm(logits, targets, np.zeros((2, 4)), 0.3)
with open("losses.json", "w") as f:
    json.dump(cases, f, indent=1)
print("wrote losses.json:", ", ".join(f"{k} loss={c['loss']:.6f}" for k, c in cases.items()))
