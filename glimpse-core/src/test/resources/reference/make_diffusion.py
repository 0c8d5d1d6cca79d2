"""Reference values for Glimpse's diffusion pieces, computed independently with NumPy (float64).

Run from this folder:  python3 make_diffusion.py   (needs numpy; writes diffusion.json)
- schedule_*: alpha_bar_t = prod_{s<=t} (1 - beta_s) of DDPM's linear schedule (T=1000, 1e-4..0.02) and of
  the cosine schedule (Nichol and Dhariwal 2021, s=0.008, betas clipped at 0.999), at a few steps.
- noising: x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps per row (T=20, linear 1e-3..0.2), and
  the denoising loss mean((eps_hat - eps)^2) of the toy predictor eps_hat = w x_t + 0.1 at w = 0.5 with its
  derivative with respect to w.
- ddim_*: DDIM (Song et al. 2021, eq. 12) with "trailing" steps t_i = round(T - i T/S) - 1 (T=20, S=5), the
  step after the last being the clean image (alpha_bar = 1), the toy predictor eps(x, t) = tanh(0.3 x + 0.05 t),
  with and without clipping x0 to [-1, 1] (eps then re-derived from the clipped x0), eta 0 and 0.5 (the z of
  each step given), and classifier-free guidance eps = u + s (c - u) with u(x, t) = tanh(0.2 x), s = 3.
- frechet: the Frechet distance between two Gaussian fits of feature sets (FID's formula).
"""
import json

import numpy as np

rng = np.random.default_rng(25)


def linear_alpha_bar(T, b0, b1):
    betas = np.linspace(b0, b1, T)
    return np.cumprod(1.0 - betas)


def cosine_alpha_bar(T, s=0.008):
    f = lambda t: np.cos((t / T + s) / (1 + s) * np.pi / 2) ** 2
    betas = np.array([min(0.999, 1 - f(t + 1) / f(t)) for t in range(T)])
    return np.cumprod(1.0 - betas)


def trailing(T, S):
    return (np.round(np.arange(T, 0, -T / S)).astype(np.int64) - 1).tolist()


def cond_eps(x, t):
    return np.tanh(0.3 * x + 0.05 * t)


def uncond_eps(x, t):
    return np.tanh(0.2 * x)


def ddim(ab, x, S, eta, clip, zs, model):
    T = len(ab)
    steps = trailing(T, S)
    for i, t in enumerate(steps):
        prev = steps[i + 1] if i + 1 < len(steps) else -1
        at = ab[t]
        ap = ab[prev] if prev >= 0 else 1.0
        eps = model(x, t)
        x0 = (x - np.sqrt(1 - at) * eps) / np.sqrt(at)
        if clip:
            x0 = np.clip(x0, -1, 1)
            eps = (x - np.sqrt(at) * x0) / np.sqrt(1 - at)
        sigma = eta * np.sqrt((1 - ap) / (1 - at)) * np.sqrt(1 - at / ap)
        x = np.sqrt(ap) * x0 + np.sqrt(max(0.0, 1 - ap - sigma ** 2)) * eps
        if sigma > 0:
            x = x + sigma * zs[i]
    return x, steps


out = {}
ab = linear_alpha_bar(1000, 1e-4, 0.02)
cab = cosine_alpha_bar(1000)
at = [0, 1, 10, 100, 500, 999]
out["schedule_linear"] = {"t": at, "alpha_bar": [ab[t] for t in at]}
out["schedule_cosine"] = {"t": at, "alpha_bar": [cab[t] for t in at]}

small = linear_alpha_bar(20, 1e-3, 0.2)
shape = [2, 3, 2, 2]
x0 = rng.uniform(-1, 1, shape)
eps = rng.standard_normal(shape)
ts = [3, 17]
xt = np.stack([np.sqrt(small[t]) * x0[i] + np.sqrt(1 - small[t]) * eps[i] for i, t in enumerate(ts)])
w = 0.5
pred = w * xt + 0.1
loss = np.mean((pred - eps) ** 2)
dloss_dw = np.mean(2 * (pred - eps) * xt)
out["noising"] = {"shape": shape, "x0": x0.ravel().tolist(), "eps": eps.ravel().tolist(), "t": ts,
                  "schedule": {"timesteps": 20, "beta_start": 1e-3, "beta_end": 0.2},
                  "x_t": xt.ravel().tolist(), "w": w, "loss": loss, "dloss_dw": dloss_dw}

start = rng.standard_normal(shape)
zs = rng.standard_normal([5] + shape)
cases = {}
for name, eta, clip, guided in [("ddim_eta0", 0.0, False, False), ("ddim_eta0_clip", 0.0, True, False),
                                ("ddim_eta05", 0.5, False, False), ("ddim_eta0_guided", 0.0, False, True)]:
    model = (lambda x, t: uncond_eps(x, t) + 3.0 * (cond_eps(x, t) - uncond_eps(x, t))) if guided else cond_eps
    result, steps = ddim(small, start, 5, eta, clip, zs, model)
    out[name] = {"eta": eta, "clip": clip, "guidance": 3.0 if guided else 1.0, "steps": 5, "timesteps": steps,
                 "sample": result.ravel().tolist()}
out["ddim_common"] = {"shape": shape, "start": start.ravel().tolist(), "z": zs.ravel().tolist(),
                      "schedule": {"timesteps": 20, "beta_start": 1e-3, "beta_end": 0.2}}
out["trailing_1000_50"] = trailing(1000, 50)

# Frechet distance of two Gaussian fits: |mu1 - mu2|^2 + tr(S1 + S2) - 2 sum sqrt(eig(S1 S2)) (eigenvalues of
# the product of two PSD matrices are real and >= 0), with the unbiased covariance of numpy.cov
fa = rng.standard_normal([10, 4])
fb = rng.standard_normal([12, 4]) * 1.5 + 0.3
s1, s2 = np.cov(fa, rowvar=False), np.cov(fb, rowvar=False)
roots = np.sqrt(np.clip(np.linalg.eigvals(s1 @ s2).real, 0, None))
fd = np.sum((fa.mean(0) - fb.mean(0)) ** 2) + np.trace(s1) + np.trace(s2) - 2 * roots.sum()
out["frechet"] = {"a": fa.tolist(), "b": fb.tolist(), "distance": fd}

with open("diffusion.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote diffusion.json")
