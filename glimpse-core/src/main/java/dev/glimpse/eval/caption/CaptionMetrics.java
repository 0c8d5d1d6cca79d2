package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The COCO caption evaluation (pycocoevalcap {@code COCOEvalCap.evaluate}) in-process: PTB
 * tokenization of the raw captions, then BLEU-1..4, METEOR, ROUGE-L and CIDEr-D with the toolkit's
 * keys. BLEU, ROUGE-L and CIDEr-D give the toolkit's numbers (to about 1e-15); METEOR is the
 * exact+stem variant ({@link Meteor}); SPICE is reported as unavailable.
 *
 * <pre>{@code
 * CaptionScores s = CaptionMetrics.evaluate(refsByImage, candidateByImage);
 * double cider = s.get("CIDEr");
 * }</pre>
 *
 * <p>Captions are raw (untokenized). Images are scored in the iteration order of {@code refs} (use
 * a {@code LinkedHashMap} for a stable order); tokenization depends slightly on that order, exactly
 * as in the toolkit, which tokenizes all references in one call and all candidates in another.
 */
public final class CaptionMetrics {
  /** The corpus keys, in the toolkit's order. */
  public static final List<String> KEYS =
      List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr", "SPICE");

  public static final String SPICE_UNAVAILABLE =
      "not implemented: SPICE needs the SPICE 1.0 jar and its scene-graph parser, which are not on"
          + " Maven Central";
  public static final String METEOR_SKIPPED = "skipped (not requested)";

  private CaptionMetrics() {}

  /** All metrics (METEOR included). */
  public static CaptionScores evaluate(
      Map<String, List<String>> refs, Map<String, String> candidates) {
    return evaluate(refs, candidates, true);
  }

  /**
   * @param refs raw reference captions per image id (at least one per image)
   * @param candidates one raw candidate caption per image id; the same ids as {@code refs}
   * @param withMeteor whether to compute METEOR (the slowest metric)
   * @throws IllegalArgumentException when the ids differ or an image has no reference
   */
  public static CaptionScores evaluate(
      Map<String, List<String>> refs, Map<String, String> candidates, boolean withMeteor) {
    List<String> ids = new ArrayList<>(refs.keySet());
    checkIds(ids, refs, candidates);
    List<String> flatRefs = new ArrayList<>();
    List<String> rawCandidates = new ArrayList<>(ids.size());
    for (String id : ids) {
      flatRefs.addAll(refs.get(id));
      rawCandidates.add(candidates.get(id));
    }
    List<String> tokenizedFlat = PtbTokenizer.tokenize(flatRefs);
    List<String> tokenizedCandidates = PtbTokenizer.tokenize(rawCandidates);
    List<List<String>> tokenizedRefs = new ArrayList<>(ids.size());
    int offset = 0;
    for (String id : ids) {
      int n = refs.get(id).size();
      tokenizedRefs.add(tokenizedFlat.subList(offset, offset + n));
      offset += n;
    }
    return score(ids, tokenizedRefs, tokenizedCandidates, withMeteor);
  }

  /** Scores already PTB-tokenized captions ({@code refs.get(i)} for {@code candidates.get(i)}). */
  public static CaptionScores score(
      List<String> imageIds, List<List<String>> refs, List<String> candidates, boolean withMeteor) {
    Checks.aligned(refs, candidates);
    CorpusGrams grams = CorpusGrams.of(refs, candidates);
    Map<String, Double> corpus = new LinkedHashMap<>();
    Map<String, double[]> perImage = new LinkedHashMap<>();
    Bleu.Result bleu = Bleu.scoreGrams(grams);
    for (int k = 0; k < bleu.scores().size(); k++) {
      put(corpus, perImage, "Bleu_" + (k + 1), bleu.scores().get(k));
    }
    Map<String, String> unavailable = new LinkedHashMap<>();
    if (withMeteor) {
      put(corpus, perImage, "METEOR", Meteor.score(refs, candidates));
    } else {
      unavailable.put("METEOR", METEOR_SKIPPED);
    }
    put(corpus, perImage, "ROUGE_L", RougeL.score(refs, candidates));
    put(corpus, perImage, "CIDEr", CiderD.scoreGrams(grams));
    unavailable.put("SPICE", SPICE_UNAVAILABLE);
    return new CaptionScores(
        List.copyOf(imageIds),
        corpus,
        perImage,
        unavailable,
        withMeteor ? Meteor.VARIANT : null,
        bleu.stats());
  }

  private static void put(
      Map<String, Double> corpus, Map<String, double[]> perImage, String key, CorpusScore score) {
    corpus.put(key, score.corpus());
    perImage.put(key, score.perImage());
  }

  private static void checkIds(
      List<String> ids, Map<String, List<String>> refs, Map<String, String> candidates) {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no images to score");
    }
    for (String id : ids) {
      if (candidates.get(id) == null) {
        throw new IllegalArgumentException("no candidate caption for image " + id);
      }
      if (refs.get(id) == null || refs.get(id).isEmpty()) {
        throw new IllegalArgumentException("image " + id + " has no reference caption");
      }
      for (String ref : refs.get(id)) {
        if (ref == null) {
          throw new IllegalArgumentException("image " + id + " has a null reference caption");
        }
      }
    }
    if (candidates.size() != refs.size()) {
      for (String id : candidates.keySet()) {
        if (!refs.containsKey(id)) {
          throw new IllegalArgumentException("candidate for image " + id + " has no references");
        }
      }
    }
  }
}
