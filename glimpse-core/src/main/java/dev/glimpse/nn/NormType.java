package dev.glimpse.nn;

/** Normalisation layer kinds: LayerNorm (BERT, CLIP, GIT, OPT) or RMSNorm (LLaMA). */
public enum NormType {
  LAYER_NORM,
  RMS_NORM
}
