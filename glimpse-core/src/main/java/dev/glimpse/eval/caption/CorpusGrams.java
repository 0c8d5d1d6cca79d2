package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.List;

/**
 * The n-grams of a whole corpus, interned by one {@link NGrams.Vocabulary}: shared by BLEU and
 * CIDEr.
 */
final class CorpusGrams {
  final List<List<NGrams>> refs;
  final List<NGrams> candidates;
  final int vocabularySize;

  private CorpusGrams(List<List<NGrams>> refs, List<NGrams> candidates, int vocabularySize) {
    this.refs = refs;
    this.candidates = candidates;
    this.vocabularySize = vocabularySize;
  }

  /** From PTB-tokenized strings. */
  static CorpusGrams of(List<List<String>> refs, List<String> candidates) {
    NGrams.Vocabulary vocabulary = new NGrams.Vocabulary();
    List<List<NGrams>> refGrams = new ArrayList<>(refs.size());
    for (List<String> imageRefs : refs) {
      List<NGrams> list = new ArrayList<>(imageRefs.size());
      for (String ref : imageRefs) {
        list.add(vocabulary.count(ref));
      }
      refGrams.add(list);
    }
    List<NGrams> candidateGrams = new ArrayList<>(candidates.size());
    for (String candidate : candidates) {
      candidateGrams.add(vocabulary.count(candidate));
    }
    return new CorpusGrams(refGrams, candidateGrams, vocabulary.size());
  }
}
