package dev.glimpse.train.design;

import dev.glimpse.data.QFormerBatcher;
import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.Blip2Model;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.VisionTower;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;

/**
 * BLIP-2: a vision tower, a Q-Former and a language model, trained in the paper's two stages by the
 * objective the run names ({@code train.objective}): {@value #REPRESENTATION} (stage 1: ITC, ITM and ITG
 * on image-caption pairs, {@link QFormerObjective}; the Q-Former needs its text branch) or {@value
 * #GENERATIVE} (stage 2, the default: the query outputs, projected, are soft visual prompts of the
 * language model, trained by language modelling of conversations).
 */
public final class Blip2Design extends CaptionerDesign<Blip2Config> implements HasVisionTower {
  /** Stage 1: vision-language representation learning. */
  public static final String REPRESENTATION = "representation";
  /** Stage 2: vision-to-language generative learning. */
  public static final String GENERATIVE = "generative";

  public Blip2Design() {
    super(Blip2Config.TYPE, Blip2Config.class, Blip2Model::new);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    Blip2Model blip = (Blip2Model) model;
    String objective = setup.train().objective();
    if (REPRESENTATION.equals(objective)) {
      if (!blip.config().qformer().hasTextBranch()) {
        throw new GlimpseException("train.objective 'representation' trains the Q-Former's text branch, which this "
            + "BLIP-2 model has none of (model qformer.textVocabSize is 0)");
      }
      if (setup.packTexts()) {
        throw new GlimpseException("data.packTexts: BLIP-2's first stage trains on one caption per image; set it to "
            + "false");
      }
      QFormerBatcher batcher = new QFormerBatcher(setup.tokenizer(), setup.transform(), setup.train().maxTextTokens(),
          setup.firstTargetProbability());
      return new Training<>(batcher, new QFormerObjective(blip));
    }
    if (objective != null && !objective.equals(GENERATIVE)) {
      throw new GlimpseException("train.objective '" + objective + "' is not a BLIP-2 objective (known: "
          + REPRESENTATION + ", " + GENERATIVE + ")");
    }
    return LlavaDesign.conversationTraining(blip, setup.withObjective(null));
  }

  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(((Blip2Config) config).tower(), "vision.");
  }
}
