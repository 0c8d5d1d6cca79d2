package dev.glimpse.recipes;

/**
 * Where a recipe's examples come from.
 *
 * @param source "synthetic" (the built-in scene generator) or a dataset spec such as
 *     {@code coco:captions_train2017.json,images=train2017} (see README "Loading real datasets")
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
 * @param packTexts train every text about an image in one row (synthetic VQA: all its questions, and
 *     its caption when {@code captionMix} > 0), each text with its own positions and attending only to
 *     itself and the image, so the image is encoded once for all of them; {@code trainSize} then
 *     counts images. The held-out split is one question per row as always
 */
public record DataConfig(String source, String testSource, int trainSize, int testSize, long seed,
    double firstTargetProbability, double captionMix, double cleanTextMix, boolean packTexts) {
  public DataConfig {
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
    if (source.equals("synthetic") && trainSize == 0) {
      throw new IllegalArgumentException("trainSize must be > 0 for synthetic data");
    }
  }

  public static DataConfig synthetic(int trainSize, int testSize) {
    return new DataConfig("synthetic", null, trainSize, testSize, 2024, 0, 0, 0, false);
  }

  public DataConfig withFirstTargetProbability(double p) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, p, captionMix, cleanTextMix, packTexts);
  }

  public DataConfig withCaptionMix(double share) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, share, cleanTextMix,
        packTexts);
  }

  public DataConfig withCleanTextMix(double share) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix, share,
        packTexts);
  }

  public DataConfig withPackedTexts(boolean pack) {
    return new DataConfig(source, testSource, trainSize, testSize, seed, firstTargetProbability, captionMix,
        cleanTextMix, pack);
  }

  public boolean isSynthetic() {
    return source.equals("synthetic");
  }
}
