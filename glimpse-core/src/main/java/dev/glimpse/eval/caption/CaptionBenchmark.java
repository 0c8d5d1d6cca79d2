package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times {@link CaptionMetrics} step by step on one corpus: PTB tokenization (one call for the
 * references, one for the candidates, as the toolkit), n-gram counting (shared by BLEU and CIDEr),
 * BLEU, ROUGE-L, CIDEr-D, and METEOR on its own. Uses all cores (see {@link Parallel}).
 */
public final class CaptionBenchmark {

  /**
   * Seconds per step; {@code core} = tokenization + n-grams + BLEU + ROUGE-L + CIDEr-D (the part
   * compared with the toolkit); {@code meteor} is NaN when skipped.
   */
  public record Timings(
      double tokenize,
      double ngrams,
      double bleu,
      double rouge,
      double cider,
      double meteor,
      double core) {}

  /** Timings plus the corpus scores computed while timing (to compare with the toolkit's). */
  public record Run(Timings seconds, Map<String, Double> scores) {}

  private CaptionBenchmark() {}

  public static Run run(
      Map<String, List<String>> refs, Map<String, String> candidates, boolean withMeteor) {
    Map<String, Double> scores = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    List<String> flat = new ArrayList<>();
    List<String> rawCandidates = new ArrayList<>(refs.size());
    for (Map.Entry<String, List<String>> e : refs.entrySet()) {
      flat.addAll(e.getValue());
      rawCandidates.add(candidates.get(e.getKey()));
    }
    List<String> flatTokenized = PtbTokenizer.tokenize(flat);
    List<String> candidatesTokenized = PtbTokenizer.tokenize(rawCandidates);
    List<List<String>> refsTokenized = new ArrayList<>(refs.size());
    int offset = 0;
    for (List<String> imageRefs : refs.values()) {
      refsTokenized.add(flatTokenized.subList(offset, offset + imageRefs.size()));
      offset += imageRefs.size();
    }
    long t1 = System.nanoTime();
    CorpusGrams grams = CorpusGrams.of(refsTokenized, candidatesTokenized);
    long t2 = System.nanoTime();
    Bleu.Result bleu = Bleu.scoreGrams(grams);
    for (int k = 0; k < bleu.scores().size(); k++) {
      scores.put("Bleu_" + (k + 1), bleu.scores().get(k).corpus());
    }
    long t3 = System.nanoTime();
    scores.put("ROUGE_L", RougeL.score(refsTokenized, candidatesTokenized).corpus());
    long t4 = System.nanoTime();
    scores.put("CIDEr", CiderD.scoreGrams(grams).corpus());
    long t5 = System.nanoTime();
    double meteorSeconds = Double.NaN;
    if (withMeteor) {
      scores.put("METEOR", Meteor.score(refsTokenized, candidatesTokenized).corpus());
      meteorSeconds = (System.nanoTime() - t5) / 1e9;
    }
    Timings timings =
        new Timings(
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            (t3 - t2) / 1e9,
            (t4 - t3) / 1e9,
            (t5 - t4) / 1e9,
            meteorSeconds,
            (t5 - t0) / 1e9);
    return new Run(timings, scores);
  }
}
