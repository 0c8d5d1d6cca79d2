package dev.glimpse.eval.caption;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringTokenizer;

/**
 * METEOR as the COCO caption toolkit runs it (METEOR 1.5, {@code -l en -norm}), <b>restricted to
 * exact and stem matching</b>: the toolkit's METEOR also matches WordNet synonyms and paraphrases,
 * whose data files ({@code paraphrase-en.gz}, WordNet synsets) are not available from Maven
 * Central, so scores here are lower than the toolkit's (typically by 0.01-0.02 METEOR on COCO-style
 * captions) and are labelled with {@link #VARIANT}.
 *
 * <p>Everything else follows METEOR 1.5 for English: normalization ({@link MeteorNormalizer}),
 * alignment ({@link MeteorAligner}), function words weighted by {@code 1 - delta}, parameters alpha
 * 0.85, beta 0.2, gamma 0.6, delta 0.75, module weights exact 1.0 and stem 0.6, the best reference
 * per image, and a corpus score computed from the statistics pooled over all images (as the
 * toolkit's {@code EVAL} line), not the mean of the per-image scores. Checked against METEOR 1.5
 * compiled from source with the same two modules ({@code meteor_exact_stem.json}).
 */
public final class Meteor {
  /** What this METEOR is, for labels in output. */
  public static final String VARIANT = "exact+stem (no WordNet synonyms, no paraphrases)";

  private static final double ALPHA = 0.85;
  private static final double BETA = 0.2;
  private static final double GAMMA = 0.6;
  private static final double DELTA = 0.75;
  private static final double[] MODULE_WEIGHTS = {1.0, 0.6};
  private static final Set<String> FUNCTION_WORDS = loadFunctionWords();

  private Meteor() {}

  /**
   * Inputs are PTB-tokenized strings as the toolkit passes them ({@code refs.get(i)} for {@code
   * candidates.get(i)}); METEOR's own normalization is applied on top, as {@code -norm} does.
   */
  public static CorpusScore score(List<List<String>> refs, List<String> candidates) {
    Checks.aligned(refs, candidates);
    Stats[] best = new Stats[candidates.size()];
    Parallel.ranges(
        best.length,
        16,
        (from, to) -> {
          MeteorAligner aligner = new MeteorAligner(); // one per thread: the stemmer has state
          for (int i = from; i < to; i++) {
            best[i] = bestReference(aligner, refs.get(i), candidates.get(i));
          }
        });
    double[] perImage = new double[best.length];
    Stats pooled = new Stats();
    for (int i = 0; i < best.length; i++) {
      perImage[i] = best[i].score();
      pooled.add(best[i]);
    }
    return new CorpusScore(pooled.score(), perImage);
  }

  private static Stats bestReference(MeteorAligner aligner, List<String> refs, String candidate) {
    // pycocoevalcap's meteor.py writes "SCORE ||| ref1 ||| ... ||| hypothesis" (the hypothesis
    // cleaned of '|||' and double spaces) and METEOR splits that line on '|||' again.
    String hypothesis = candidate.replace("|||", "").replace("  ", " ");
    String[] parts =
        ("SCORE ||| " + String.join(" ||| ", refs) + " ||| " + hypothesis).split("\\|\\|\\|");
    List<String> candidateWords = words(MeteorNormalizer.normalize(parts[parts.length - 1].trim()));
    Stats best = null;
    for (int r = 1; r < parts.length - 1; r++) {
      List<String> refWords = words(MeteorNormalizer.normalize(parts[r].trim()));
      Stats stats = Stats.of(aligner.align(candidateWords, refWords), candidateWords, refWords);
      if (best == null || stats.score() > best.score()) {
        best = stats;
      }
    }
    return best;
  }

  private static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringTokenizer tokenizer = new StringTokenizer(line);
    while (tokenizer.hasMoreTokens()) {
      out.add(tokenizer.nextToken());
    }
    return out;
  }

  /** METEOR's sufficient statistics (word counts), summable over images. */
  static final class Stats {
    double testLength;
    double refLength;
    double testFunctionWords;
    double refFunctionWords;
    final double[] testContentMatches = new double[MeteorAligner.STAGES];
    final double[] refContentMatches = new double[MeteorAligner.STAGES];
    final double[] testFunctionMatches = new double[MeteorAligner.STAGES];
    final double[] refFunctionMatches = new double[MeteorAligner.STAGES];
    double chunks;
    double testMatches;
    double refMatches;

    static Stats of(MeteorAligner.Alignment alignment, List<String> candidate, List<String> ref) {
      Stats s = new Stats();
      s.testLength = candidate.size();
      s.refLength = ref.size();
      boolean[] candidateFunction = functionWords(candidate);
      boolean[] refFunction = functionWords(ref);
      for (boolean f : candidateFunction) {
        s.testFunctionWords += f ? 1 : 0;
      }
      for (boolean f : refFunction) {
        s.refFunctionWords += f ? 1 : 0;
      }
      int lastMatchEnd = -1;
      for (MeteorAligner.Match m : alignment.byRefIndex()) {
        if (m == null) {
          if (lastMatchEnd != -1) {
            s.chunks++;
            lastMatchEnd = -1;
          }
          continue;
        }
        (candidateFunction[m.candidateIndex()] ? s.testFunctionMatches : s.testContentMatches)
                [m.stage()] +=
            1;
        (refFunction[m.refIndex()] ? s.refFunctionMatches : s.refContentMatches)[m.stage()] += 1;
        if (lastMatchEnd != -1 && m.candidateIndex() != lastMatchEnd) {
          s.chunks++;
        }
        lastMatchEnd = m.candidateIndex() + 1;
      }
      if (lastMatchEnd != -1) {
        s.chunks++;
      }
      for (int i = 0; i < MeteorAligner.STAGES; i++) {
        s.testMatches += s.testContentMatches[i] + s.testFunctionMatches[i];
        s.refMatches += s.refContentMatches[i] + s.refFunctionMatches[i];
      }
      return s;
    }

    private static boolean[] functionWords(List<String> words) {
      boolean[] out = new boolean[words.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = FUNCTION_WORDS.contains(words.get(i));
      }
      return out;
    }

    boolean isPerfect() {
      return testMatches == testLength && refMatches == refLength && chunks == 1;
    }

    /** METEOR's {@code addStats}: a perfect image adds no chunks. */
    void add(Stats other) {
      testLength += other.testLength;
      refLength += other.refLength;
      testFunctionWords += other.testFunctionWords;
      refFunctionWords += other.refFunctionWords;
      for (int i = 0; i < MeteorAligner.STAGES; i++) {
        testContentMatches[i] += other.testContentMatches[i];
        refContentMatches[i] += other.refContentMatches[i];
        testFunctionMatches[i] += other.testFunctionMatches[i];
        refFunctionMatches[i] += other.refFunctionMatches[i];
      }
      if (!other.isPerfect()) {
        chunks += other.chunks;
      }
      testMatches += other.testMatches;
      refMatches += other.refMatches;
    }

    /** METEOR's {@code computeMetrics}: weighted F-mean times (1 - fragmentation penalty). */
    double score() {
      double testWeightedLength =
          DELTA * (testLength - testFunctionWords) + (1.0 - DELTA) * testFunctionWords;
      double refWeightedLength =
          DELTA * (refLength - refFunctionWords) + (1.0 - DELTA) * refFunctionWords;
      double testWeightedMatches = 0;
      double refWeightedMatches = 0;
      for (int i = 0; i < MODULE_WEIGHTS.length; i++) {
        testWeightedMatches += testContentMatches[i] * MODULE_WEIGHTS[i] * DELTA;
      }
      for (int i = 0; i < MODULE_WEIGHTS.length; i++) {
        refWeightedMatches += refContentMatches[i] * MODULE_WEIGHTS[i] * DELTA;
      }
      for (int i = 0; i < MODULE_WEIGHTS.length; i++) {
        testWeightedMatches += testFunctionMatches[i] * MODULE_WEIGHTS[i] * (1.0 - DELTA);
      }
      for (int i = 0; i < MODULE_WEIGHTS.length; i++) {
        refWeightedMatches += refFunctionMatches[i] * MODULE_WEIGHTS[i] * (1.0 - DELTA);
      }
      double precision = testWeightedMatches / testWeightedLength;
      double recall = refWeightedMatches / refWeightedLength;
      double fMean = 1.0 / (((1.0 - ALPHA) / precision) + (ALPHA / recall));
      double fragmentation = isPerfect() ? 0 : chunks / ((testMatches + refMatches) / 2);
      double score = fMean * (1.0 - GAMMA * Math.pow(fragmentation, BETA));
      return Double.isNaN(score) ? 0 : Math.max(score, 0.0);
    }
  }

  private static Set<String> loadFunctionWords() {
    Set<String> words = new HashSet<>();
    try (InputStream in = Meteor.class.getResourceAsStream("meteor-function-words-en.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.startsWith("#")) {
          words.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return words;
  }
}
