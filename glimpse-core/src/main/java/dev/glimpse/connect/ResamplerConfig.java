package dev.glimpse.connect;

/**
 * Flamingo's Perceiver Resampler (Alayrac et al. 2022, section 2.1 and appendix A.1.1).
 *
 * @param layers blocks of latent cross-attention + feed-forward
 * @param heads attention heads (must divide the vision width it runs at)
 * @param latents learned latent queries: the visual tokens one image or video becomes, whatever its size
 * @param frames frames of a video the time embeddings cover (1 for images)
 */
public record ResamplerConfig(int layers, int heads, int latents, int frames) {
  public ResamplerConfig {
    if (layers <= 0 || heads <= 0 || latents <= 0 || frames <= 0) {
      throw new IllegalArgumentException("resampler layers, heads, latents and frames must be > 0, got " + layers + ", "
          + heads + ", " + latents + ", " + frames);
    }
  }
}
