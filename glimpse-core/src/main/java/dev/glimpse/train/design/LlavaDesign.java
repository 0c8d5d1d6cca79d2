package dev.glimpse.train.design;

import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.LlavaModel;

/** LLaVA: a vision tower, a projector and a language model, trained by language modelling. */
public final class LlavaDesign extends CaptionerDesign<LlavaConfig> {
  public LlavaDesign() {
    super(LlavaConfig.TYPE, LlavaConfig.class, LlavaModel::new);
  }
}
