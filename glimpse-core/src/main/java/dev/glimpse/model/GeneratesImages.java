package dev.glimpse.model;

/**
 * A model that generates images from text: a diffusion model, or a model that holds one as its
 * decoder (VLV). {@code glimpse generate} and the text-to-image evaluation take any of them.
 */
public interface GeneratesImages {
  /** The text-to-image diffusion model. */
  DiffusionModel imageDecoder();
}
