package dev.glimpse.train.design;

import dev.glimpse.data.DenoisingBatcher;
import dev.glimpse.model.DiffusionConfig;
import dev.glimpse.model.LanguageModel;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.TakesParts;
import dev.glimpse.model.VlvCaptionConfig;
import dev.glimpse.model.VlvConfig;
import dev.glimpse.model.VlvModel;
import dev.glimpse.nn.ParameterGroup;
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
 * VLV. Stage 1 (a model without caption decoder): images alone, the denoising loss of the frozen
 * diffusion decoder conditioned on the image's own caption embedding; only the encoder learns. Stage 2
 * (with a caption decoder): captions, the language-modelling loss of the caption decoder reading the
 * caption embedding's context, with the prefix masked out of the loss; which parts learn is the
 * recipe's parameter groups (MLP, + language model, + encoder). Parts: stage 1 takes its {@value
 * #DECODER} from a diffusion checkpoint; stage 2 its {@value #AUTOENCODER} (encoder and decoder, with
 * the decoder's tokenizer) from a stage-1 run and its {@value TakesParts#LANGUAGE_MODEL} (config,
 * weights and tokenizer, which the captions are then written with) from a language-model checkpoint.
 *
 * <p>The language model is a part ({@code --part language-model=DIR}) rather than {@code
 * --language-model DIR}: VLV's other pre-trained pieces already come as parts, and {@code
 * --language-model} starts a connector model (an image placeholder in the tokenizer, a chat template),
 * none of which a VLV has.
 */
public final class VlvDesign implements TrainableDesign, TakesParts {
  public static final String DECODER = "decoder";
  public static final String AUTOENCODER = "autoencoder";
  /** The parameter prefix of the frozen decoder. */
  public static final String DECODER_PREFIX = "decoder.";
  /** The parameter prefix of the caption decoder's language model. */
  public static final String LM_PREFIX = "caption.lm.";

  @Override
  public String type() {
    return VlvConfig.TYPE;
  }

  @Override
  public Class<VlvConfig> configClass() {
    return VlvConfig.class;
  }

  @Override
  public VlvModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new VlvModel(scope, (VlvConfig) config);
  }

  /** A stage-2 config of the GIT-style caption decoder that stage 2 trained from scratch before. */
  @Override
  public void checkConfigJson(com.google.gson.JsonObject config, String where) {
    if (config.has("captioner") && config.get("captioner").isJsonObject()
        && config.getAsJsonObject("captioner").has("lm")) {
      throw new GlimpseException(where + " is a VLV stage-2 model of the GIT-style caption decoder, which this Glimpse "
          + "no longer reads: stage 2 now captions with a pre-trained language model (train it again with --part "
          + LANGUAGE_MODEL + "=DIR, docs/vlv.md)");
    }
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    VlvModel vlv = (VlvModel) model;
    if (vlv.captions()) {
      return CaptionerDesign.lmTraining(vlv, setup);
    }
    ParameterGroup decoderGroup = ParameterGroup.of(DECODER_PREFIX + "x", setup.train().parameterGroups());
    if (decoderGroup == null || !decoderGroup.frozen()) {
      throw new GlimpseException("VLV stage 1 trains the encoder through a frozen decoder: freeze '" + DECODER_PREFIX
          + "' (train.freeze)");
    }
    DenoisingBatcher images = DenoisingBatcher.imagesOnly(setup.transform(), vlv.config().decoder().schedule().timesteps());
    return new Training<>(images, new DenoisingObjective(vlv.imageDecoder(), t -> vlv.condition(t.pixels())));
  }

  @Override
  public List<Slot> parts(ModelConfig config) {
    VlvConfig vlv = (VlvConfig) config;
    return vlv.captioner() == null
        ? List.of(new Slot(DECODER, "a diffusion checkpoint, the frozen text-to-image decoder", true))
        : List.of(new Slot(AUTOENCODER, "a VLV stage-1 run: its encoder and decoder", true),
            new Slot(LANGUAGE_MODEL, "a language-model run (recipe lm-quick): the pre-trained language model that "
                + "writes the captions, with its tokenizer", true));
  }

  @Override
  public Part part(String name, ModelConfig into, ModelConfig from) {
    Part part = taken(name, (VlvConfig) into, from);
    try {
      ((VlvConfig) part.config()).checkFitsDecoder();
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(e.getMessage());
    }
    return part;
  }

  private static Part taken(String name, VlvConfig vlv, ModelConfig from) {
    Map<String, String> prefixes = new LinkedHashMap<>();
    switch (name) {
      case DECODER -> {
        if (from instanceof DiffusionConfig diffusion) {
          prefixes.put("text_encoder.", DECODER_PREFIX + "text_encoder.");
          prefixes.put("denoiser.", DECODER_PREFIX + "denoiser.");
          return new Part(vlv.withDecoder(diffusion), prefixes, true);
        }
        if (from instanceof VlvConfig other) {
          prefixes.put(DECODER_PREFIX, DECODER_PREFIX);
          return new Part(vlv.withDecoder(other.decoder()), prefixes, true);
        }
        throw new GlimpseException("the VLV decoder comes from a diffusion (or VLV) checkpoint, not a "
            + from.modelType() + " model");
      }
      case AUTOENCODER -> {
        if (!(from instanceof VlvConfig other)) {
          throw new GlimpseException("the VLV autoencoder comes from a VLV stage-1 run, not a " + from.modelType()
              + " model");
        }
        prefixes.put("encoder.", "encoder.");
        prefixes.put(DECODER_PREFIX, DECODER_PREFIX);
        // the decoder reads prompts with its own tokenizer; the captions are the language model's
        return new Part(vlv.withEncoderOf(other), prefixes, false, true);
      }
      case LANGUAGE_MODEL -> {
        if (!(from instanceof LanguageModelConfig lm)) {
          throw new GlimpseException("the VLV language model comes from a language-model ('lm') checkpoint (recipes "
              + "lm-quick, lm-tiny), not a " + from.modelType() + " model");
        }
        for (String p : List.of(LanguageModel.EMBEDDING, LanguageModel.STACK, LanguageModel.HEAD)) {
          if (!p.equals(LanguageModel.HEAD) || !lm.tieWordEmbeddings()) {
            prefixes.put(p, LM_PREFIX + p);
          }
        }
        return new Part(vlv.withCaptioner(new VlvCaptionConfig(lm)), prefixes, true);
      }
      default -> throw new GlimpseException("a VLV model has no part '" + name + "' (it takes " + DECODER + " in stage 1, "
          + AUTOENCODER + " and " + LANGUAGE_MODEL + " in stage 2)");
    }
  }
}
