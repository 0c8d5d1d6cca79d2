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
 * @param startStep the step (0-based) from which the group trains; before it the group is kept fixed as
 *     a frozen one (no gradient, its optimizer moments stay zero) and its own Adam step count starts
 *     there, as a PyTorch parameter that first receives a gradient then: an unfreezing schedule in one
 *     run (VLV stage 2: the MLP, then the language model, then the encoder). null (the default) trains it
 *     from the start
 */
public record ParameterGroup(String name, List<String> prefixes, Double lrScale, Boolean weightDecay, boolean frozen,
    Integer startStep) {
  /** The prefix that matches every parameter, with the lowest precedence. */
  public static final String ALL = "*";

  /** A group that trains from the start (or not at all). */
  public ParameterGroup(String name, List<String> prefixes, Double lrScale, Boolean weightDecay, boolean frozen) {
    this(name, prefixes, lrScale, weightDecay, frozen, null);
  }

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
    if (startStep != null && startStep < 0) {
      throw new IllegalArgumentException("startStep of parameter group '" + name + "' must be >= 0, got " + startStep);
    }
    if (startStep != null && frozen) {
      throw new IllegalArgumentException("parameter group '" + name + "' is frozen and has a startStep: a group that "
          + "starts training at a step is not frozen");
    }
  }

  /** A group that trains from step {@code step} on (frozen before it). */
  public static ParameterGroup from(String name, int step, String... prefixes) {
    return new ParameterGroup(name, List.of(prefixes), null, null, false, step);
  }

  /** Whether the group is kept fixed at step {@code step} (0-based): frozen, or not started yet. */
  public boolean fixedAt(long step) {
    return frozen || (startStep != null && step < startStep);
  }

  /** The step the group starts training at (0 when it trains from the start). */
  public int firstStep() {
    return startStep == null ? 0 : startStep;
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
