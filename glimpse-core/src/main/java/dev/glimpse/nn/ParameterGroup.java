package dev.glimpse.nn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Optimizer settings for the parameters whose names start with one of {@code prefixes}: a learning
 * rate multiplier, weight decay on or off, frozen or trained. This is how a recipe says "the
 * projections learn at 5e-4 and the backbones at 5e-5" (MM-GEM), "only the projector trains" (LLaVA
 * stage 1) or "the language model is frozen" (BLIP-2, Flamingo). A parameter takes the group with the
 * longest matching prefix; one that matches none trains at the base rate, decayed by its {@link
 * Parameter.Kind}.
 *
 * <p>The prefix {@value #ALL} matches every parameter and loses to any other matching prefix: a
 * frozen {@code "*"} group with a trained {@code "projector."} group says "only the projector
 * trains", whatever else the model holds (a language model swapped in with an untied head, say).
 *
 * @param name what the group is, for logs and messages (defaults to its first prefix)
 * @param prefixes parameter-name prefixes, e.g. {@code "vision."}; each must match some parameter
 * @param lrScale multiplier of the run's learning rate (schedule included); null means 1
 * @param weightDecay true or false to force decay on or off for the group; null decays weight
 *     matrices only, as every parameter without a group
 * @param frozen kept fixed: no gradient is computed for it and the optimizer keeps no state for it
 */
public record ParameterGroup(String name, List<String> prefixes, Double lrScale, Boolean weightDecay, boolean frozen) {
  /** The prefix that matches every parameter, with the lowest precedence. */
  public static final String ALL = "*";

  public ParameterGroup {
    if (prefixes == null || prefixes.isEmpty()) {
      throw new IllegalArgumentException("a parameter group needs at least one name prefix" + (name == null ? ""
          : " (group '" + name + "')"));
    }
    for (String prefix : prefixes) {
      if (prefix == null || prefix.isBlank()) {
        throw new IllegalArgumentException("parameter group prefixes must be non-empty, got " + prefixes);
      }
    }
    prefixes = List.copyOf(prefixes);
    if (name == null || name.isBlank()) {
      name = prefixes.get(0);
    }
    if (lrScale != null && !(lrScale >= 0 && Double.isFinite(lrScale))) {
      throw new IllegalArgumentException("lrScale of parameter group '" + name + "' must be >= 0, got " + lrScale);
    }
  }

  /** A frozen group (what {@code train.freeze} lists). */
  public static ParameterGroup frozen(String prefix) {
    return new ParameterGroup(prefix, List.of(prefix), null, null, true);
  }

  /**
   * The groups of "only these parts train": every parameter frozen ({@value #ALL}) except those under
   * {@code trainedPrefixes}, which train at the run's rate.
   */
  public static List<ParameterGroup> onlyTraining(String... trainedPrefixes) {
    List<ParameterGroup> out = new ArrayList<>();
    out.add(new ParameterGroup("frozen", List.of(ALL), null, null, true));
    out.add(new ParameterGroup("trained", List.of(trainedPrefixes), null, null, false));
    return List.copyOf(out);
  }

  /** A trained group whose learning rate is {@code scale} times the run's. */
  public static ParameterGroup scaled(String name, double scale, String... prefixes) {
    return new ParameterGroup(name, List.of(prefixes), scale, null, false);
  }

  /** The learning rate multiplier (1 when unset). */
  public double learningRateScale() {
    return lrScale == null ? 1 : lrScale;
  }

  /** Whether {@code parameter} decays under this group. */
  public boolean decays(Parameter parameter) {
    return weightDecay == null ? parameter.kind().decays() : weightDecay;
  }

  /** The length of this group's longest prefix that {@code name} starts with, or -1. */
  int match(String parameterName) {
    int best = -1;
    for (String prefix : prefixes) {
      if (prefix.equals(ALL)) {
        best = Math.max(best, 0);
      } else if (parameterName.startsWith(prefix)) {
        best = Math.max(best, prefix.length());
      }
    }
    return best;
  }

  /** The group of {@code parameterName} among {@code groups}: the longest matching prefix wins; null for none. */
  public static ParameterGroup of(String parameterName, Collection<ParameterGroup> groups) {
    ParameterGroup best = null;
    int bestLength = -1;
    for (ParameterGroup g : groups) {
      int length = g.match(parameterName);
      if (length > bestLength) {
        best = g;
        bestLength = length;
      }
    }
    return best;
  }

  /** Problems with {@code groups} over these parameter names: prefixes that match nothing, names used twice. */
  public static List<String> check(Collection<ParameterGroup> groups, Collection<String> parameterNames) {
    List<String> problems = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (ParameterGroup g : groups) {
      if (names.contains(g.name())) {
        problems.add("two parameter groups are named '" + g.name() + "'");
      }
      names.add(g.name());
      for (String prefix : g.prefixes()) {
        if (!prefix.equals(ALL) && parameterNames.stream().noneMatch(n -> n.startsWith(prefix))) {
          problems.add("group '" + g.name() + "': no parameter starts with '" + prefix + "'");
        }
      }
    }
    return problems;
  }
}
