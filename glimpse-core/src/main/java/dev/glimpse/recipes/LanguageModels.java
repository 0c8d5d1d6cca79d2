package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.ConnectorConfig;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pre-trained language model as the text part of a connector model ({@code glimpse train
 * --language-model DIR}): a Glimpse language-model checkpoint ({@code lm-quick}, {@code lm-tiny}), the
 * language model inside a connector checkpoint, or a HuggingFace {@code LlamaForCausalLM} /
 * {@code OPTForCausalLM} folder. Its config replaces the recipe's, its weights go to {@value
 * #EMBEDDING}, {@value #STACK} and {@value #HEAD}, its tokenizer becomes the run's (with an image
 * placeholder added after its last id when it has none, and the embedding rows grown to hold it).
 */
public final class LanguageModels {
  /** Parameter-name prefixes of a language model, in its own checkpoint and inside every connector model. */
  public static final String EMBEDDING = dev.glimpse.model.LanguageModel.EMBEDDING;
  public static final String STACK = dev.glimpse.model.LanguageModel.STACK;
  public static final String HEAD = dev.glimpse.model.LanguageModel.HEAD;

  private LanguageModels() {}

  /** A language model read from a checkpoint: its config, tokenizer (owned by the caller) and weights. */
  public record Pretrained(Path source, LanguageModelConfig config, HfTokenizer tokenizer,
      Map<String, SafeTensors.Tensor> weights) {}

  /** Whether a parameter belongs to the language model. */
  public static boolean isLanguageModel(String parameterName) {
    return parameterName.startsWith(EMBEDDING) || parameterName.startsWith(STACK) || parameterName.startsWith(HEAD);
  }

  /** Reads a language model from a checkpoint or HuggingFace folder. */
  public static Pretrained read(Path path) {
    Path dir = Checkpoint.resolve(path);
    if (HfModel.isHfDir(dir)) {
      try (NDManager manager = Devices.cpuManager(); HfModel hf = HfModel.load(dir, manager)) {
        LanguageModelConfig config = languageModelOf(hf.config(), path);
        // a copy: the folder's own tokenizer is closed with the HfModel here
        return new Pretrained(dir, config, hfTokenizer(hf.tokenizer(), path).copy(), part(hf.store().toTensors()));
      }
    }
    CheckpointConfig saved = CheckpointConfig.read(dir);
    LanguageModelConfig config = languageModelOf(saved.model(), path);
    List<SafeTensors.Tensor> tensors = List.copyOf(SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS)).tensors().values());
    return new Pretrained(dir, config, HfTokenizer.load(dir), part(tensors));
  }

  private static LanguageModelConfig languageModelOf(ModelConfig model, Path path) {
    if (model instanceof LanguageModelConfig lm) {
      return lm;
    }
    if (model instanceof ConnectorConfig connector) {
      return connector.languageModel();
    }
    throw new GlimpseException("--language-model " + path + " holds a '" + model.modelType() + "' model; a language "
        + "model comes from an 'lm' checkpoint (recipes lm-quick, lm-tiny), a llava, blip-2 or flamingo checkpoint, "
        + "or a HuggingFace LlamaForCausalLM / OPTForCausalLM folder");
  }

  private static HfTokenizer hfTokenizer(Tokenizer tokenizer, Path path) {
    if (tokenizer instanceof HfTokenizer hf) {
      return hf;
    }
    throw new GlimpseException("--language-model " + path + " has no tokenizer.json");
  }

  private static Map<String, SafeTensors.Tensor> part(List<SafeTensors.Tensor> tensors) {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (SafeTensors.Tensor t : tensors) {
      if (isLanguageModel(t.name())) {
        out.put(t.name(), t);
      }
    }
    return out;
  }

  /**
   * Loads a language model into a connector model's store. The token embedding (and an untied head)
   * may have more rows in the model than in the checkpoint (the image placeholder added after the
   * tokenizer's ids): those rows keep their initial values.
   */
  public static void load(ParameterStore store, Pretrained lm) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(lm.weights());
    for (Parameter p : store.all()) {
      SafeTensors.Tensor t = tensors.get(p.name());
      boolean rows = p.name().equals(EMBEDDING + "token_embedding") || p.name().equals(HEAD + "weight");
      if (t == null || !rows || t.shape().length != 2 || p.shape().dimension() != 2) {
        continue;
      }
      long have = t.shape()[0];
      long need = p.shape().get(0);
      if (have < need && t.shape()[1] == p.shape().get(1)) {
        float[] grown = p.array().toFloatArray();
        float[] values = t.toFloats();
        System.arraycopy(values, 0, grown, 0, values.length);
        tensors.put(p.name(), SafeTensors.Tensor.ofFloats(p.name(), new long[] {need, t.shape()[1]}, grown));
      }
    }
    store.loadPart(LanguageModels::isLanguageModel, tensors, lm.source().toString());
  }
}
