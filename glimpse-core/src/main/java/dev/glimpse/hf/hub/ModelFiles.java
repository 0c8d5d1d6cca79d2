package dev.glimpse.hf.hub;

import dev.glimpse.hf.HfModel;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The files of a hub repository that Glimpse reads: {@code config.json}, the safetensors weights
 * ({@code model.safetensors}, or {@code model.safetensors.index.json} and the shards it names), the
 * tokenizer files, {@code preprocessor_config.json} and {@code generation_config.json}. Never
 * {@code .bin} pickles, other weight variants ({@code model.fp16.safetensors}, adapters) or sub-folders.
 */
final class ModelFiles {
  /**
   * Read when present, in this order; {@code special_tokens.json} is a Glimpse checkpoint's own, and so
   * are the {@code decoder_} tokenizer files of a model whose image decoder has a tokenizer of its own (a
   * VLV stage-2 checkpoint).
   */
  static final List<String> SIDE_FILES = List.of(HfModel.GENERATION_CONFIG, HfModel.PREPROCESSOR_CONFIG,
      HfTokenizer.FILE, HfModel.TOKENIZER_CONFIG, HfModel.SPECIAL_TOKENS_MAP, HfTokenizer.SPECIAL_FILE,
      "decoder_" + HfTokenizer.FILE, "decoder_" + HfTokenizer.SPECIAL_FILE);

  /**
   * Side files whose absence changes what the model does (no text without a tokenizer; default
   * preprocessing without the processor config): a cached snapshot that lacks one, without knowing
   * that the repository has none ({@code .no_exist}), is completed from the hub when online.
   */
  static final Set<String> CHECKED = Set.of(HfTokenizer.FILE, HfModel.PREPROCESSOR_CONFIG);

  private static final List<String> PICKLES = List.of("pytorch_model.bin", "pytorch_model.bin.index.json",
      "tf_model.h5", "flax_model.msgpack");

  private ModelFiles() {}

  /** What a cached snapshot lacks: files it cannot load without, and checked side files of unknown status. */
  record Missing(List<String> required, List<String> unknown) {
    boolean none() {
      return required.isEmpty() && unknown.isEmpty();
    }
  }

  /**
   * @param knownAbsent side files the cache records as not in the repository at this commit
   */
  static Missing missing(Path snapshot, Predicate<String> knownAbsent) {
    List<String> required = new ArrayList<>();
    if (!Files.isRegularFile(snapshot.resolve(HfModel.CONFIG))) {
      required.add(HfModel.CONFIG);
    }
    required.addAll(HfModel.missingWeightFiles(snapshot));
    List<String> unknown = new ArrayList<>();
    for (String f : SIDE_FILES) {
      if (CHECKED.contains(f) && !Files.isRegularFile(snapshot.resolve(f)) && !knownAbsent.test(f)) {
        unknown.add(f);
      }
    }
    return new Missing(required, unknown);
  }

  /**
   * The files to fetch from a repository's file list, before the shards: config, side files, then
   * {@code model.safetensors} or the index (whose shards are known only once it is read).
   */
  static List<String> toFetch(HubId id, List<String> repoFiles) {
    if (!repoFiles.contains(HfModel.CONFIG)) {
      throw new GlimpseException(id + " has no " + HfModel.CONFIG + " at its top level: not a transformers model "
          + "repository");
    }
    List<String> files = new ArrayList<>();
    files.add(HfModel.CONFIG);
    for (String f : SIDE_FILES) {
      if (repoFiles.contains(f)) {
        files.add(f);
      }
    }
    if (repoFiles.contains(HfModel.WEIGHTS)) {
      files.add(HfModel.WEIGHTS);
    } else if (repoFiles.contains(HfModel.WEIGHTS_INDEX)) {
      files.add(HfModel.WEIGHTS_INDEX);
    } else {
      List<String> pickles = repoFiles.stream().filter(PICKLES::contains).toList();
      throw new GlimpseException(id + " has no safetensors weights (" + HfModel.WEIGHTS + " or "
          + HfModel.WEIGHTS_INDEX + ")" + (pickles.isEmpty() ? "" : "; it has " + String.join(", ", pickles)
          + ", which Glimpse does not read (pickles can run code). The hub often has a converted copy on a "
          + "pull-request branch: hf:" + id.repo() + "@refs/pr/N"));
    }
    return files;
  }

  /** Side files the repository does not have (recorded in the cache so later runs need not ask). */
  static List<String> absentSideFiles(List<String> repoFiles) {
    return SIDE_FILES.stream().filter(f -> !repoFiles.contains(f)).toList();
  }
}
