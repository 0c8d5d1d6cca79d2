package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.Scalars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weighted sum of objectives on the same batch is one objective: MM-GEM's {@code L_emb + L_gen},
 * BLIP-2's {@code ITC + ITM + ITG}. Every term's parts are logged under their own names (unweighted);
 * the total is {@code sum_i weight_i * loss_i}.
 */
public final class WeightedSum<B> implements Objective<B> {
  /** One term: an objective and its weight. */
  public record Term<B>(double weight, Objective<B> objective) {
    public Term {
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("objective weights must be >= 0, got " + weight);
      }
    }
  }

  private final List<Term<B>> terms;

  public WeightedSum(List<Term<B>> terms) {
    if (terms == null || terms.isEmpty()) {
      throw new IllegalArgumentException("a weighted sum needs at least one objective");
    }
    this.terms = List.copyOf(terms);
  }

  /** {@code a + b}, unweighted (as MM-GEM sums its two losses). */
  public static <B> WeightedSum<B> of(Objective<B> a, Objective<B> b) {
    return new WeightedSum<>(List.of(new Term<>(1, a), new Term<>(1, b)));
  }

  @Override
  public Loss loss(B batch, Step step) {
    NDArray total = null;
    long tokens = 0;
    Map<String, NDArray> components = new LinkedHashMap<>();
    Map<String, Double> stats = new LinkedHashMap<>();
    for (Term<B> term : terms) {
      Loss l = term.objective().loss(batch, step);
      NDArray weighted = term.weight() == 1 ? l.value() : Scalars.mul(l.value(), term.weight());
      total = total == null ? weighted : total.add(weighted);
      tokens = Math.max(tokens, l.tokens());
      for (Map.Entry<String, NDArray> c : l.components().entrySet()) {
        if (components.put(c.getKey(), c.getValue()) != null) {
          throw new IllegalStateException("two objectives of a sum both name a part '" + c.getKey() + "'");
        }
      }
      stats.putAll(l.stats());
    }
    return new Loss(total, tokens, components, stats);
  }
}
