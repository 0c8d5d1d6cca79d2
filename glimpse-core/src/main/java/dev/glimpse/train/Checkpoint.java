package dev.glimpse.train;

import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.hf.HfModel;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint folder: {@code config.json} ({@link CheckpointConfig}: model type and config, image
 * preprocessing, tokenizer, parameter groups, recipe), {@code model.safetensors}, {@code tokenizer.json}
 * + {@code special_tokens.json}, and for
 * resuming {@code optimizer.safetensors} + {@code trainer_state.json}. The folder is written beside its
 * final place and renamed into it, so an interrupted write leaves the previous checkpoint intact.
 */
public final class Checkpoint {
  public static final String CONFIG = CheckpointConfig.FILE;
  public static final String WEIGHTS = "model.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String STATE = "trainer_state.json";
  /** Name of the latest checkpoint inside a run folder. */
  public static final String RUN_CHECKPOINT = "checkpoint";
  /**
   * File-name prefix of the second tokenizer a checkpoint may carry: the one its image decoder reads
   * prompts with when the model's own tokenizer is another ({@code decoder_tokenizer.json}, {@code
   * decoder_special_tokens.json}; {@link dev.glimpse.model.GeneratesImages#decoderHasOwnTokenizer}).
   */
  public static final String DECODER_TOKENIZER_PREFIX = "decoder_";
  /** The image decoder's tokenizer file, when the checkpoint has one. */
  public static final String DECODER_TOKENIZER = DECODER_TOKENIZER_PREFIX + HfTokenizer.FILE;

  private Checkpoint() {}

  /**
   * Writes a complete checkpoint to {@code dir} atomically. Optimizer and state may be null; so may the
   * tokenizer (an imported model without one can be exported and verified but not used for text).
   */
  public static void write(Path dir, CheckpointConfig config, ParameterStore params, Tokenizer tokenizer,
      AdamW optimizer, TrainerState state) {
    write(dir, config, params, tokenizer, null, optimizer, state);
  }

  /**
   * As {@link #write(Path, CheckpointConfig, ParameterStore, Tokenizer, AdamW, TrainerState)}, with the
   * tokenizer the model's image decoder reads prompts with when it is not the model's ({@value
   * #DECODER_TOKENIZER}; null for none).
   */
  public static void write(Path dir, CheckpointConfig config, ParameterStore params, Tokenizer tokenizer,
      Tokenizer decoderTokenizer, AdamW optimizer, TrainerState state) {
    Path parent = dir.toAbsolutePath().getParent();
    Path staged = parent.resolve("." + dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + System.nanoTime());
    try {
      Files.createDirectories(staged);
      config.withTokenizer(tokenizer == null ? null
          : new CheckpointConfig.TokenizerInfo(HfTokenizer.FILE, tokenizer.vocabSize())).write(staged);
      params.save(staged.resolve(WEIGHTS), Map.of("format", "pt", "producer", "glimpse"));
      if (tokenizer != null) {
        tokenizer.save(staged);
      }
      if (decoderTokenizer != null) {
        decoderTokenizer.save(staged, DECODER_TOKENIZER_PREFIX);
      }
      if (optimizer != null) {
        SafeTensors.write(staged.resolve(OPTIMIZER), optimizer.stateTensors(), Map.of("format", "glimpse-adamw"));
      }
      if (state != null) {
        Json.write(staged.resolve(STATE), state);
      }
      AtomicFiles.replaceDirectory(staged, dir);
    } catch (java.io.IOException e) {
      throw new GlimpseException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
    } finally {
      if (Files.exists(staged)) {
        AtomicFiles.deleteRecursively(staged);
      }
    }
  }

  /**
   * The checkpoint folder for a user-given path: a checkpoint folder itself, a run folder holding
   * {@code checkpoint/}, or a HuggingFace model folder ({@link HfModel#isHfDir}). Checks that the
   * needed files are there.
   */
  public static Path resolve(Path path) {
    if (!Files.exists(path)) {
      throw new GlimpseException("checkpoint not found: " + path);
    }
    if (HfModel.isHfDir(path)) {
      List<String> missing = new ArrayList<>(HfModel.missingWeightFiles(path)); // model.safetensors, or shards
      if (!Files.isRegularFile(path.resolve(HfTokenizer.FILE))) {
        missing.add(HfTokenizer.FILE + " (Glimpse needs the model's tokenizer to read and write text)");
      }
      if (!missing.isEmpty()) {
        throw new GlimpseException("incomplete HuggingFace model folder " + path + ": missing " + String.join(", ", missing));
      }
      return path;
    }
    Path dir = path;
    if (Files.isDirectory(path) && !Files.exists(path.resolve(CONFIG)) && Files.isDirectory(path.resolve(RUN_CHECKPOINT))) {
      dir = path.resolve(RUN_CHECKPOINT);
    }
    if (!Files.isDirectory(dir)) {
      throw new GlimpseException("a checkpoint is a folder, got a file: " + path);
    }
    List<String> missing = new ArrayList<>();
    for (String f : new String[] {CONFIG, WEIGHTS, HfTokenizer.FILE}) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new GlimpseException("incomplete checkpoint " + dir + ": missing " + String.join(", ", missing));
    }
    return dir;
  }

  /** The image decoder's own tokenizer saved in a checkpoint folder ({@value #DECODER_TOKENIZER}), or null. */
  public static HfTokenizer readDecoderTokenizer(Path dir) {
    return Files.isRegularFile(dir.resolve(DECODER_TOKENIZER)) ? HfTokenizer.load(dir, DECODER_TOKENIZER_PREFIX) : null;
  }

  /** The checkpoint's {@code config.json} ({@link CheckpointConfig#read}). */
  public static CheckpointConfig readConfig(Path dir) {
    return CheckpointConfig.read(dir);
  }

  public static TrainerState readState(Path dir) {
    Path file = dir.resolve(STATE);
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException("cannot resume: " + dir + " has no " + STATE + " (it is not a training checkpoint)");
    }
    return Json.read(file, TrainerState.class);
  }

  public static void loadOptimizer(Path dir, AdamW optimizer, long step) {
    Path file = dir.resolve(OPTIMIZER);
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException("cannot resume: " + dir + " has no " + OPTIMIZER);
    }
    optimizer.loadState(SafeTensors.read(file).tensors(), step, file.toString());
  }
}
