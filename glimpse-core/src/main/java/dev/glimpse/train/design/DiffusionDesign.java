package dev.glimpse.train.design;

import dev.glimpse.data.DenoisingBatcher;
import dev.glimpse.model.ClipConfig;
import dev.glimpse.model.ClipTextConfig;
import dev.glimpse.model.ClipTextTower;
import dev.glimpse.model.DiffusionConfig;
import dev.glimpse.model.DiffusionModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.TakesParts;
import dev.glimpse.model.VlvConfig;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.train.DenoisingObjective;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text-to-image diffusion model: trained with the denoising loss on images and their captions
 * (condition dropout for classifier-free guidance); its text encoder comes from a CLIP checkpoint
 * ({@code --part text-encoder=DIR}: a CLIP model, or the text encoder of a diffusion or VLV model).
 */
public final class DiffusionDesign implements TrainableDesign, TakesParts {
  /** The part name of the text encoder. */
  public static final String TEXT_ENCODER = "text-encoder";

  @Override
  public String type() {
    return DiffusionConfig.TYPE;
  }

  @Override
  public Class<DiffusionConfig> configClass() {
    return DiffusionConfig.class;
  }

  @Override
  public DiffusionModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new DiffusionModel(scope, (DiffusionConfig) config);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    DiffusionModel diffusion = (DiffusionModel) model;
    DiffusionConfig config = diffusion.config();
    DenoisingBatcher batcher = new DenoisingBatcher(setup.transform(), config.schedule().timesteps(),
        new DenoisingBatcher.Captions(setup.tokenizer(), config.textEncoder().maxPositions(), config.conditionDropout(),
            setup.firstTargetProbability()));
    return new Training<>(batcher, new DenoisingObjective(diffusion, t -> diffusion.encodePrompts(t.ids(), t.valid())));
  }

  @Override
  public List<Slot> parts(ModelConfig config) {
    return List.of(new Slot(TEXT_ENCODER, "a CLIP checkpoint (its text tower), or a diffusion or VLV model's text encoder",
        false));
  }

  @Override
  public Part part(String name, ModelConfig into, ModelConfig from) {
    if (!TEXT_ENCODER.equals(name)) {
      throw new GlimpseException("a diffusion model has no part '" + name + "' (it takes " + TEXT_ENCODER + ")");
    }
    return textEncoder((DiffusionConfig) into, from, "text_encoder.");
  }

  /**
   * A text encoder taken into {@code into} at {@code target} (its prefix in the model) from a CLIP,
   * diffusion or VLV checkpoint's model.
   */
  static Part textEncoder(DiffusionConfig into, ModelConfig from, String target) {
    Map<String, String> prefixes = new LinkedHashMap<>();
    ClipTextConfig encoder;
    if (from instanceof ClipConfig clip) {
      encoder = ClipTextConfig.of(clip);
      for (String prefix : ClipTextTower.PREFIXES) {
        prefixes.put(prefix, target + prefix);
      }
    } else if (from instanceof DiffusionConfig diffusion) {
      encoder = diffusion.textEncoder();
      prefixes.put("text_encoder.", target);
    } else if (from instanceof VlvConfig vlv) {
      encoder = vlv.decoder().textEncoder();
      prefixes.put("decoder.text_encoder.", target);
    } else {
      throw new GlimpseException("a " + from.modelType() + " model has no CLIP text encoder (give a clip, diffusion or "
          + "vlv checkpoint)");
    }
    return new Part(into.withTextEncoder(encoder), prefixes, true);
  }
}
