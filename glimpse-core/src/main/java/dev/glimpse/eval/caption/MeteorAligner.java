package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tartarus.snowball.ext.englishStemmer;

/**
 * METEOR 1.5's word aligner restricted to its exact and stem stages: every candidate/reference word
 * pair that matches exactly (stage 0) or has the same Snowball stem (stage 1) is a possible match;
 * unambiguous one-to-one matches are fixed, the rest is resolved by METEOR's left-to-right beam
 * search (beam 40) that prefers more matched words, then fewer chunks, then a smaller distance.
 *
 * <p>The search keeps METEOR's quirks, since they decide ties: the running match total is an {@code
 * int} that adds {@code length * weight} with weights 1.0 (exact) and 0.5 (stem) and so truncates
 * stem matches away, and the distance of a newly extended path is added to the path it branched
 * from.
 *
 * <p>Not thread-safe (the Snowball stemmer keeps state); {@link Meteor} makes one per call.
 */
final class MeteorAligner {
  static final int EXACT = 0;
  static final int STEM = 1;
  static final int STAGES = 2;

  private static final int BEAM_SIZE = 40;
  private static final double[] SEARCH_WEIGHTS = {1.0, 0.5};
  private static final Comparator<Path> BEST_FIRST =
      Comparator.<Path>comparingInt(p -> -(p.matches1 + p.matches2))
          .thenComparingInt(p -> p.chunks)
          .thenComparingInt(p -> p.distance);

  private final englishStemmer stemmer = new englishStemmer();
  private final Map<String, String> stemCache = new HashMap<>();

  /** One word of the candidate (line 1) matched to one word of the reference (line 2). */
  record Match(int stage, int refIndex, int candidateIndex) {}

  /** The chosen matches, indexed by reference position (null where unmatched). */
  record Alignment(Match[] byRefIndex) {}

  Alignment align(List<String> candidate, List<String> reference) {
    List<List<Match>> options = new ArrayList<>(reference.size());
    int[] candidateCoverage = new int[candidate.size()];
    int[] refCoverage = new int[reference.size()];
    for (int j = 0; j < reference.size(); j++) {
      options.add(new ArrayList<>());
    }
    addExactMatches(candidate, reference, options, candidateCoverage, refCoverage);
    // Identical sentences need only exact matches (METEOR: "prevents beam search errors").
    if (!candidate.equals(reference)) {
      addStemMatches(candidate, reference, options, candidateCoverage, refCoverage);
    }
    Path start = new Path(candidate.size(), reference.size());
    for (int j = 0; j < options.size(); j++) {
      if (options.get(j).size() == 1) {
        Match m = options.get(j).get(0);
        if (refCoverage[j] == 1 && candidateCoverage[m.candidateIndex()] == 1) {
          start.matches[j] = m;
          start.use(m);
        }
      }
    }
    return new Alignment(search(options, start).matches);
  }

  private static void addExactMatches(
      List<String> candidate,
      List<String> reference,
      List<List<Match>> options,
      int[] cc,
      int[] rc) {
    for (int j = 0; j < reference.size(); j++) {
      for (int i = 0; i < candidate.size(); i++) {
        if (candidate.get(i).equals(reference.get(j))) {
          options.get(j).add(new Match(EXACT, j, i));
          cc[i]++;
          rc[j]++;
        }
      }
    }
  }

  private void addStemMatches(
      List<String> candidate,
      List<String> reference,
      List<List<Match>> options,
      int[] cc,
      int[] rc) {
    String[] candidateStems = stems(candidate);
    String[] refStems = stems(reference);
    for (int j = 0; j < reference.size(); j++) {
      for (int i = 0; i < candidate.size(); i++) {
        if (candidateStems[i].equals(refStems[j]) && !candidate.get(i).equals(reference.get(j))) {
          options.get(j).add(new Match(STEM, j, i));
          cc[i]++;
          rc[j]++;
        }
      }
    }
  }

  private String[] stems(List<String> words) {
    String[] out = new String[words.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = stemCache.computeIfAbsent(words.get(i), this::stem);
    }
    return out;
  }

  private String stem(String word) {
    stemmer.setCurrent(word);
    stemmer.stem();
    return stemmer.getCurrent();
  }

  /** Beam search over the reference positions, left to right (METEOR's {@code resolve}). */
  private static Path search(List<List<Match>> options, Path start) {
    List<Path> next = new ArrayList<>(List.of(start));
    int refLength = options.size();
    for (int current = 0; current <= refLength; current++) {
      List<Path> paths = next;
      next = new ArrayList<>();
      paths.sort(BEST_FIRST);
      for (int rank = 0; rank < BEAM_SIZE && rank < paths.size(); rank++) {
        Path path = paths.get(rank);
        if (current == refLength) {
          if (path.lastMatchEnd != -1) {
            path.chunks++;
          }
          next.add(path);
        } else if (path.refUsed[current]) {
          if (current < path.index) {
            next.add(path);
          } else if (path.matches[path.index] != null) {
            Match m = path.matches[path.index];
            path.extend(m);
            path.distance += Math.abs(m.refIndex() - m.candidateIndex());
            next.add(path);
          } // else: the path is dropped, as in METEOR
        } else {
          for (Match m : options.get(current)) {
            if (path.isUsed(m)) {
              continue;
            }
            Path extended = new Path(path);
            extended.use(m);
            extended.matches[current] = m;
            extended.extend(m);
            path.distance += Math.abs(m.refIndex() - m.candidateIndex()); // sic: the parent path
            next.add(extended);
          }
          if (path.lastMatchEnd != -1) {
            path.chunks++;
            path.lastMatchEnd = -1;
          }
          path.index++;
          next.add(path);
        }
      }
      if (next.isEmpty()) {
        next.add(paths.get(0));
      }
    }
    next.sort(BEST_FIRST);
    return next.get(0);
  }

  /** A partial alignment in the beam (METEOR's {@code PartialAlignment}). */
  private static final class Path {
    final Match[] matches;
    final boolean[] candidateUsed;
    final boolean[] refUsed;
    int matches1;
    int matches2;
    int chunks;
    int index;
    int lastMatchEnd = -1;
    int distance;

    Path(int candidateLength, int refLength) {
      matches = new Match[refLength];
      candidateUsed = new boolean[candidateLength];
      refUsed = new boolean[refLength];
    }

    Path(Path other) {
      matches = Arrays.copyOf(other.matches, other.matches.length);
      candidateUsed = Arrays.copyOf(other.candidateUsed, other.candidateUsed.length);
      refUsed = Arrays.copyOf(other.refUsed, other.refUsed.length);
      matches1 = other.matches1;
      matches2 = other.matches2;
      chunks = other.chunks;
      index = other.index;
      lastMatchEnd = other.lastMatchEnd;
      distance = other.distance;
    }

    boolean isUsed(Match m) {
      return refUsed[m.refIndex()] || candidateUsed[m.candidateIndex()];
    }

    void use(Match m) {
      refUsed[m.refIndex()] = true;
      candidateUsed[m.candidateIndex()] = true;
    }

    /** Counts match {@code m} as the next step of this path. */
    void extend(Match m) {
      double weight = SEARCH_WEIGHTS[m.stage()];
      // int += double in METEOR: the sum is truncated, so a stem match (0.5) adds nothing.
      matches1 = (int) (matches1 + weight);
      matches2 = (int) (matches2 + weight);
      if (lastMatchEnd != -1 && m.candidateIndex() != lastMatchEnd) {
        chunks++;
      }
      index = m.refIndex() + 1;
      lastMatchEnd = m.candidateIndex() + 1;
    }
  }
}
