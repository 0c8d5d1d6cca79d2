package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.ModelDesign;
import dev.glimpse.model.Models;
import dev.glimpse.model.TakesParts;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parts of a model taken from other checkpoints ({@code glimpse train --part NAME=DIR}), as the
 * recipe's design says it can take them ({@link TakesParts}): a diffusion model's text encoder from a
 * CLIP checkpoint, VLV's decoder from a diffusion checkpoint. Owns the checkpoints it opened.
 */
final class Parts implements AutoCloseable {
  /** One part: its name, the checkpoint it came from and how it goes into the model. */
  record Taken(String name, LoadedModel source, TakesParts.Part part) {}

  private final List<Taken> taken;
  private final ModelConfig config;

  private Parts(List<Taken> taken, ModelConfig config) {
    this.taken = taken;
    this.config = config;
  }

  /**
   * Opens the named checkpoints and puts their parts into the recipe's model config, in the order
   * given. Unknown part names and checkpoints of the wrong kind are errors naming them.
   */
  static Parts open(ModelConfig model, Map<String, Path> given, NDManager manager) {
    TakesParts design = designOf(model);
    List<String> names = design.parts(model).stream().map(TakesParts.Slot::name).toList();
    List<Taken> taken = new ArrayList<>();
    ModelConfig config = model;
    try {
      for (Map.Entry<String, Path> e : given.entrySet()) {
        if (!names.contains(e.getKey())) {
          throw new GlimpseException("--part " + e.getKey() + ": a " + model.modelType() + " model takes "
              + String.join(", ", names));
        }
        LoadedModel source = LoadedModel.load(e.getValue(), manager);
        taken.add(new Taken(e.getKey(), source, null));
        TakesParts.Part part;
        try {
          part = design.part(e.getKey(), config, source.config());
        } catch (GlimpseException | IllegalArgumentException ex) { // a config the part does not fit: one line
          throw new GlimpseException("--part " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage());
        }
        taken.set(taken.size() - 1, new Taken(e.getKey(), source, part));
        config = part.config();
      }
      for (TakesParts.Slot slot : design.parts(model)) {
        if (slot.required() && !given.containsKey(slot.name())) {
          throw new GlimpseException("a " + model.modelType() + " model is trained from a pre-trained " + slot.name()
              + " too: give --part " + slot.name() + "=DIR (" + slot.description() + ")");
        }
      }
    } catch (RuntimeException ex) {
      taken.forEach(t -> t.source().close());
      throw ex;
    }
    return new Parts(List.copyOf(taken), config);
  }

  /** Refuses a fresh start of a model whose design needs parts that were not given. */
  static void requireNone(ModelConfig model) {
    ModelDesign design = Models.design(model.modelType());
    if (design instanceof TakesParts parts) {
      for (TakesParts.Slot slot : parts.parts(model)) {
        if (slot.required()) {
          throw new GlimpseException("a " + model.modelType() + " model is trained from a pre-trained " + slot.name()
              + ": give --part " + slot.name() + "=DIR (" + slot.description() + ")");
        }
      }
    }
  }

  /**
   * Warns, for a new run, of each optional part that was not given: the recipe's own stands in, with
   * fresh weights (a diffusion model without {@code --part text-encoder=} conditions on a random frozen
   * text encoder, which is not the recipe).
   */
  static void warnMissing(ModelConfig model, java.util.Set<String> given, PrintStream info) {
    if (Models.design(model.modelType()) instanceof TakesParts parts) {
      for (TakesParts.Slot slot : parts.parts(model)) {
        if (!slot.required() && !given.contains(slot.name())) {
          info.printf("warning: no --part %s=DIR: the recipe's own %s starts from fresh weights (the part is %s)%n",
              slot.name(), slot.name(), slot.description());
        }
      }
    }
  }

  private static TakesParts designOf(ModelConfig model) {
    ModelDesign design = Models.design(model.modelType());
    if (!(design instanceof TakesParts parts)) {
      throw new GlimpseException("--part: a " + model.modelType() + " model takes no parts from other checkpoints");
    }
    return parts;
  }

  /** The recipe's model config with every part in place. */
  ModelConfig config() {
    return config;
  }

  /** The checkpoint whose tokenizer the run takes (the first part that reads text), or null. */
  LoadedModel tokenizerSource() {
    for (Taken t : taken) {
      if (t.part().tokenizer()) {
        return t.source();
      }
    }
    return null;
  }

  /**
   * The checkpoint whose image decoder comes with the tokenizer the run's decoder keeps as its own
   * ({@link TakesParts.Part#decoderTokenizer}), or null.
   */
  LoadedModel decoderTokenizerSource() {
    for (Taken t : taken) {
      if (t.part().decoderTokenizer()) {
        return t.source();
      }
    }
    return null;
  }

  /** Copies every part's weights into the run's parameters; each checkpoint's own copy is freed at once. */
  void load(ParameterStore store, List<ParameterGroup> groups, PrintStream info) {
    for (Taken t : taken) {
      Map<String, SafeTensors.Tensor> tensors = new HashMap<>();
      for (SafeTensors.Tensor tensor : t.source().store().toTensors()) {
        tensors.put(tensor.name(), tensor);
      }
      List<String> targets = new ArrayList<>();
      for (Map.Entry<String, String> p : t.part().prefixes().entrySet()) {
        Map<String, SafeTensors.Tensor> under = new HashMap<>();
        tensors.forEach((name, tensor) -> {
          if (name.startsWith(p.getKey())) {
            under.put(name.substring(p.getKey().length()), tensor);
          }
        });
        store.loadUnder(p.getValue(), under, t.source().source() + " (" + p.getKey() + "*)");
        targets.add(p.getValue() + "*");
      }
      t.source().store().close();
      boolean frozen = t.part().prefixes().values().stream().allMatch(prefix -> {
        ParameterGroup g = ParameterGroup.of(prefix + "x", groups);
        return g != null && g.frozen();
      });
      info.printf("part %s: %s from the %s model in %s (%s)%n", t.name(), String.join(", ", targets),
          t.source().config().modelType(), t.source().source(), frozen ? "frozen" : "trained with the rest");
    }
  }

  @Override
  public void close() {
    taken.forEach(t -> t.source().close());
  }
}
