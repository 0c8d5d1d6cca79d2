package dev.glimpse.recipes;

import dev.glimpse.data.ImageTransform;

/**
 * Where a recipe's examples come from.
 *
 * @param source "synthetic" (the built-in scene generator) or a dataset spec such as
 *     {@code coco:captions_train2017.json,images=train2017} (see docs/data.md#training-on-your-own-data)
 * @param testSource dataset spec of the held-out split for real data (null for synthetic, whose
 *     test split is drawn from its own seed stream)
 * @param trainSize training examples (synthetic: distinct items drawn by seed; real data: at most
 *     this many, 0 = all)
 * @param testSize held-out examples evaluated at the end of training (real data: 0 = all)
 * @param seed data seed (scene generation and split streams)
 * @param firstTargetProbability chance that a training example uses its first reference (the
 *     canonical caption of synthetic data) instead of one drawn uniformly from all references; a
 *     small model learns content faster when less of its capacity goes to modelling wording; for
 *     references with repeats (VQA's ten answers) the consensus one, the majority answer
 * @param captionMix share of training examples that are captions of synthetic scenes, mixed into a
 *     task whose own targets are short (VQA: one answer word): 0 = none; the held-out split is
 *     never mixed
 * @param cleanTextMix share of training examples that are clean close-ups of a sign (square canvas,
 *     large upright lower-case text in one plain font; {@code SceneTextGenerator.Layout.CLEAN_CLOSE_UP}),
 *     mixed into synthetic scene-text reading as recognition data of cropped words is: letters are
 *     learned from them far sooner than from the varied signs; 0 = none; the held-out split is never
 *     mixed
 * @param cleanTextMixEnd the share of clean close-ups at the last training step, when it should
 *     change over the run: the share moves linearly from {@code cleanTextMix} at the first step to
 *     this ({@link dev.glimpse.data.ScheduledMixture}), so that reading starts on close-ups and the
 *     later steps go to the varied signs; null (the default) keeps {@code cleanTextMix} throughout
 * @param cleanTextMixRamp the fraction of the run, in (0, 1], over which the share moves to {@code
 *     cleanTextMixEnd} (it stays there afterwards); null (the default) is 1, the whole run
 * @param cleanTextMixHold the fraction of the run, in [0, {@code cleanTextMixRamp}), over which the
 *     share stays at {@code cleanTextMix} before it starts to move: reading starts on close-ups alone
 *     and at a step that varies from run to run, so the close-ups are kept until it has; null (the
 *     default) is 0, the share moves from the first step
 * @param packTexts train every text about an image in one row (synthetic VQA: all its questions, and
 *     its caption when {@code captionMix} > 0), each text with its own positions and attending only to
 *     itself and the image, so the image is encoded once for all of them; {@code trainSize} then
 *     counts images. The held-out split is one question per row as always
 * @param resize how an image is brought to the model's square input ({@code ImageTransform}):
 *     {@code fit} (the default: the whole image, aspect ratio kept, padded), {@code stretch} (each
 *     axis scaled to the input: a wide or tall image keeps the resolution of its longer axis), or
 *     {@code crop} (the centre square); saved with the checkpoint, so evaluation and captioning use it
 *     (with {@code --init}, the starting checkpoint's is kept)
 * @param flatMix share of training examples that are flat drawings ({@code SceneConfig.flat()}: plain
 *     light, pastel, mid and near-black backgrounds of any tone, no noise, white and black objects
 *     next to near-white and near-black backgrounds), mixed into synthetic captioning so that a
 *     captioner also names what simple drawing programs make; 0 = none (recipes saved before the
 *     option load as 0); the held-out split is never mixed
 * @param fewShotMix share of training examples that are few-shot sequences (several image-text pairs
 *     in one sequence, for interleaved designs such as Flamingo); null or 0 = none
 */
public record DataConfig(String source, String testSource, int trainSize, int testSize, long seed,
    double firstTargetProbability, double captionMix, double cleanTextMix, Double cleanTextMixEnd, Double cleanTextMixRamp,
    Double cleanTextMixHold, boolean packTexts, String resize, double flatMix, Double fewShotMix) {
  public DataConfig {
    resize = ImageTransform.resizeMode(resize); // null in recipes written before resize was an option
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("data source is required");
    }
    if (trainSize < 0) {
      throw new IllegalArgumentException("trainSize must be >= 0, got " + trainSize);
    }
    if (testSize < 0) {
      throw new IllegalArgumentException("testSize must be >= 0, got " + testSize);
    }
    if (firstTargetProbability < 0 || firstTargetProbability > 1) {
      throw new IllegalArgumentException("firstTargetProbability must be in [0, 1], got " + firstTargetProbability);
    }
    if (captionMix < 0 || captionMix >= 1) {
      throw new IllegalArgumentException("captionMix must be in [0, 1), got " + captionMix);
    }
    if (cleanTextMix < 0 || cleanTextMix >= 1) {
      throw new IllegalArgumentException("cleanTextMix must be in [0, 1), got " + cleanTextMix);
    }
    if (cleanTextMixEnd != null && !(cleanTextMixEnd >= 0 && cleanTextMixEnd < 1)) {
      throw new IllegalArgumentException("cleanTextMixEnd must be in [0, 1), got " + cleanTextMixEnd);
    }
    if (cleanTextMixRamp != null && !(cleanTextMixRamp > 0 && cleanTextMixRamp <= 1)) {
      throw new IllegalArgumentException("cleanTextMixRamp must be in (0, 1], got " + cleanTextMixRamp);
    }
    if (cleanTextMixHold != null && !(cleanTextMixHold >= 0 && cleanTextMixHold < 1)) {
      throw new IllegalArgumentException("cleanTextMixHold must be in [0, 1), got " + cleanTextMixHold);
    }
    double ramp = cleanTextMixRamp == null ? 1 : cleanTextMixRamp;
    if (cleanTextMixHold != null && cleanTextMixHold >= ramp) {
      throw new IllegalArgumentException("cleanTextMixHold (" + cleanTextMixHold + ") must be less than cleanTextMixRamp ("
          + ramp + "): the share moves between the two");
    }
    if (flatMix < 0 || flatMix >= 1) {
      throw new IllegalArgumentException("flatMix must be in [0, 1), got " + flatMix);
    }
    if (fewShotMix != null && !(fewShotMix >= 0 && fewShotMix < 1)) {
      throw new IllegalArgumentException("fewShotMix must be in [0, 1), got " + fewShotMix);
    }
    if (source.equals("synthetic") && trainSize == 0) {
      throw new IllegalArgumentException("trainSize must be > 0 for synthetic data");
    }
  }

  public static DataConfig synthetic(int trainSize, int testSize) {
    return new DataConfig("synthetic", null, trainSize, testSize, 2024, 0, 0, 0, null, null, null, false, ImageTransform.FIT, 0, null);
  }

  public DataConfig withFirstTargetProbability(double p) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, p, captionMix, cleanTextMix, cleanTextMixEnd,
        cleanTextMixRamp, cleanTextMixHold, packTexts, resize, flatMix, fewShotMix);
  }

  public DataConfig withCaptionMix(double share) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, share, cleanTextMix,
        cleanTextMixEnd, cleanTextMixRamp, cleanTextMixHold, packTexts, resize, flatMix, fewShotMix);
  }

  /** Clean close-ups at {@code share} of the examples throughout the run (no schedule). */
  public DataConfig withCleanTextMix(double share) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix, share,
        null, null, null, packTexts, resize, flatMix, fewShotMix);
  }

  /** Clean close-ups at {@code start} of the examples at the first step, {@code end} at the last. */
  public DataConfig withCleanTextMix(double start, double end) {
    return withCleanTextMix(start, end, 1);
  }

  /**
   * Clean close-ups at {@code start} of the examples at the first step, moving to {@code end} at
   * {@code ramp} of the run.
   */
  public DataConfig withCleanTextMix(double start, double end, double ramp) {
    return withCleanTextMix(start, end, 0, ramp);
  }

  /**
   * Clean close-ups at {@code start} of the examples until {@code hold} of the run, then moving to
   * {@code end} at {@code ramp} of the run.
   */
  public DataConfig withCleanTextMix(double start, double end, double hold, double ramp) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix, start,
        end, ramp, hold == 0 ? null : hold, packTexts, resize, flatMix, fewShotMix);
  }

  /** The fraction of the run over which the clean close-up share moves to {@code cleanTextMixEnd}. */
  public double cleanTextRamp() {
    return cleanTextMixRamp == null ? 1 : cleanTextMixRamp;
  }

  /** The fraction of the run over which the clean close-up share stays at {@code cleanTextMix}. */
  public double cleanTextHold() {
    return cleanTextMixHold == null ? 0 : cleanTextMixHold;
  }

  /** Flat drawings ({@code SceneConfig.flat()}) at {@code share} of the training examples. */
  public DataConfig withFlatMix(double share) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix,
        cleanTextMix, cleanTextMixEnd, cleanTextMixRamp, cleanTextMixHold, packTexts, resize, share, fewShotMix);
  }

  public DataConfig withPackedTexts(boolean pack) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix,
        cleanTextMix, cleanTextMixEnd, cleanTextMixRamp, cleanTextMixHold, pack, resize, flatMix, fewShotMix);
  }

  public DataConfig withResize(String mode) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix,
        cleanTextMix, cleanTextMixEnd, cleanTextMixRamp, cleanTextMixHold, packTexts, mode, flatMix, fewShotMix);
  }

  /** These settings with {@code share} of the training examples few-shot naming sequences. */
  public DataConfig withFewShotMix(double share) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix,
        cleanTextMix, cleanTextMixEnd, cleanTextMixRamp, cleanTextMixHold, packTexts, resize, flatMix, share);
  }

  /** The share of few-shot sequences (0 when unset). */
  public double fewShots() {
    return fewShotMix == null ? 0 : fewShotMix;
  }

  /** Whether the clean close-up share changes over the run ({@code cleanTextMixEnd} set and different). */
  public boolean schedulesCleanText() {
    return cleanTextMixEnd != null && cleanTextMixEnd != cleanTextMix;
  }

  public boolean isSynthetic() {
    return source.equals("synthetic");
  }
}
