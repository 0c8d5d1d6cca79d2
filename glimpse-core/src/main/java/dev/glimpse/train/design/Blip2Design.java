package dev.glimpse.train.design;

import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.Blip2Model;

/** BLIP-2: a vision tower, a Q-Former and a language model, trained by language modelling (stage 2). */
public final class Blip2Design extends CaptionerDesign<Blip2Config> {
  public Blip2Design() {
    super(Blip2Config.TYPE, Blip2Config.class, Blip2Model::new);
  }
}
