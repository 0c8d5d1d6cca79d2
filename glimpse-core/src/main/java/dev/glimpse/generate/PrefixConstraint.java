package dev.glimpse.generate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Constrains decoding to a fixed set of token sequences (each followed by EOS) with a prefix trie:
 * at every step only tokens that continue some allowed sequence keep their score. Used for
 * generative classification over a label set (GIT section 4.3).
 */
public final class PrefixConstraint implements LogitsProcessor {
  private final Node root = new Node();
  private final int eosId;

  private static final class Node {
    final Map<Integer, Node> children = new HashMap<>();
    boolean terminal;
  }

  /** @param sequences the allowed token sequences (without BOS/EOS) */
  public PrefixConstraint(List<int[]> sequences, int eosId) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("no allowed sequences");
    }
    this.eosId = eosId;
    for (int[] seq : sequences) {
      Node node = root;
      for (int token : seq) {
        node = node.children.computeIfAbsent(token, k -> new Node());
      }
      node.terminal = true;
    }
  }

  @Override
  public void process(int row, int[] generated, float[] scores) {
    Node node = root;
    for (int token : generated) {
      node = node == null ? null : node.children.get(token);
    }
    for (int v = 0; v < scores.length; v++) {
      boolean allowed = node != null && (node.children.containsKey(v) || (v == eosId && node.terminal));
      if (!allowed) {
        scores[v] = Float.NEGATIVE_INFINITY;
      }
    }
    if (node == null) {
      scores[eosId] = 0; // off the trie (cannot happen with this processor alone): end the sequence
    }
  }
}
