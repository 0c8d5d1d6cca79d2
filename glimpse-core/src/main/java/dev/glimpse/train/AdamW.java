package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.glimpse.nn.InPlace;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) exactly as PyTorch's {@code torch.optim.AdamW} with parameter groups:
 * decoupled weight decay {@code p *= 1 - lr * wd} applied to weight matrices ({@link
 * Parameter.Kind#decays}) unless a group says otherwise, moments with bias correction, {@code p -= lr
 * / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)}, where a group's {@code lr} is the run's times its {@link
 * ParameterGroup#lrScale}. Frozen parameters get no gradient and no optimizer state. Moments are
 * saved with checkpoints so a resumed run continues exactly.
 */
public final class AdamW implements AutoCloseable {
  private final ParameterStore params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final NDManager manager;
  private final List<ParameterGroup> groups;
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>(); // trainable parameters only
  private final Map<String, Float> lrScales = new LinkedHashMap<>();
  private final Map<String, Boolean> decays = new LinkedHashMap<>();
  private final Map<String, Integer> firstSteps = new LinkedHashMap<>(); // parameters of groups with a start step
  private final Map<String, ParameterGroup> scheduled = new LinkedHashMap<>();
  private long step;

  /**
   * @param groups parameter groups (frozen flags are set on the store here); each prefix must match a
   *     parameter
   * @throws GlimpseException when a group matches nothing
   */
  public AdamW(ParameterStore params, double beta1, double beta2, double eps, double weightDecay,
      List<ParameterGroup> groups) {
    List<String> problems = ParameterGroup.check(groups, params.names());
    if (!problems.isEmpty()) {
      throw new GlimpseException("parameter groups: " + String.join("; ", problems));
    }
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.groups = List.copyOf(groups);
    this.manager = params.manager().newSubManager();
    for (Parameter p : params.all()) {
      ParameterGroup group = ParameterGroup.of(p.name(), groups);
      p.setFrozen(group != null && group.fixedAt(0));
      if (group != null && group.frozen()) {
        continue;
      }
      if (group != null && group.startStep() != null) {
        firstSteps.put(p.name(), group.startStep());
        scheduled.put(p.name(), group);
      }
      lrScales.put(p.name(), group == null ? 1f : (float) group.learningRateScale());
      decays.put(p.name(), group == null ? p.kind().decays() : group.decays(p));
      moments.put(p.name(), new NDArray[] {manager.zeros(p.shape()), manager.zeros(p.shape())});
    }
  }

  /**
   * Readies step {@code index} (0-based) of a run: the parameters of groups with a start step are fixed
   * before it and trained from it ({@link ParameterGroup#startStep}). The trainer calls it before each
   * step's forward pass.
   */
  public void beginStep(long index) {
    for (Map.Entry<String, ParameterGroup> e : scheduled.entrySet()) {
      Parameter p = params.get(e.getKey());
      boolean fixed = e.getValue().fixedAt(index);
      if (p.frozen() != fixed) {
        p.setFrozen(fixed);
      }
    }
  }

  /** Without groups: every parameter trains at the base rate. */
  public AdamW(ParameterStore params, double beta1, double beta2, double eps, double weightDecay) {
    this(params, beta1, beta2, eps, weightDecay, List.of());
  }

  /** The optimizer of a run: its betas, eps, weight decay and parameter groups ({@link TrainConfig#parameterGroups}). */
  public static AdamW of(ParameterStore params, TrainConfig cfg) {
    return new AdamW(params, cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), cfg.parameterGroups());
  }

  /** The groups this optimizer was built with. */
  public List<ParameterGroup> groups() {
    return groups;
  }

  public long stepCount() {
    return step;
  }

  /**
   * Global L2 norm of the gradients of trainable parameters; if {@code maxNorm > 0} and the norm exceeds
   * it, gradients are scaled down in place to {@code maxNorm}. Returns the norm before clipping.
   */
  public double clipGradients(double maxNorm) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      List<NDArray> grads = gradients();
      if (grads.isEmpty()) {
        return 0;
      }
      NDList squares = new NDList();
      for (NDArray g : grads) {
        squares.add(g.square().sum());
      }
      double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
      if (maxNorm > 0 && norm > maxNorm) {
        float scale = (float) (maxNorm / (norm + 1e-6));
        for (NDArray g : grads) {
          g.muli(scale);
        }
      }
      return norm;
    }
  }

  private List<NDArray> gradients() {
    List<NDArray> out = new ArrayList<>();
    for (Parameter p : params.trainable()) {
      if (p.array().hasGradient()) {
        out.add(p.array().getGradient());
      }
    }
    return out;
  }

  /** One update with learning rate {@code lr} (times each group's scale), then the gradients are zeroed. */
  public void step(double lr) {
    step++;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false); // in-place updates of leaves must not be recorded
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Parameter p : params.trainable()) {
        NDArray w = p.array();
        if (!w.hasGradient()) {
          continue;
        }
        float scale = lrScales.get(p.name());
        double groupLr = scale == 1f ? lr : lr * scale;
        // bias correction by the parameter's own update count (a scheduled group starts its count late)
        long own = step - firstSteps.getOrDefault(p.name(), 0);
        double bc1 = 1 - Math.pow(beta1, own);
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, own));
        float stepSize = (float) (groupLr / bc1);
        NDArray g = w.getGradient();
        NDArray[] mv = moments.get(p.name());
        if (weightDecay > 0 && decays.get(p.name())) {
          w.muli((float) (1 - groupLr * weightDecay));
        }
        mv[0].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        mv[1].muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
        NDArray denominator = mv[1].sqrt().divi(sqrtBc2).addi((float) eps);
        w.subi(mv[0].div(denominator).muli(stepSize));
        JniUtils.zeroGrad((PtNDArray) w);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Zeroes every parameter gradient (e.g. after a skipped step). */
  public void zeroGradients() {
    for (Parameter p : params.all()) {
      if (p.array().hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) p.array());
      }
    }
  }

  /** Moments of the trainable parameters as tensors named {@code <param>.exp_avg} / {@code <param>.exp_avg_sq}. */
  public List<SafeTensors.Tensor> stateTensors() {
    List<SafeTensors.Tensor> out = new ArrayList<>();
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      long[] shape = e.getValue()[0].getShape().getShape();
      out.add(SafeTensors.Tensor.ofFloats(e.getKey() + ".exp_avg", shape, e.getValue()[0].toFloatArray()));
      out.add(SafeTensors.Tensor.ofFloats(e.getKey() + ".exp_avg_sq", shape, e.getValue()[1].toFloatArray()));
    }
    return out;
  }

  /**
   * Restores moments and the step counter saved by {@link #stateTensors}; moments of parameters that
   * are frozen here (saved by checkpoints that kept state for every parameter) are ignored.
   */
  public void loadState(Map<String, SafeTensors.Tensor> tensors, long stepCount, String source) {
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      for (int i = 0; i < 2; i++) {
        String name = e.getKey() + (i == 0 ? ".exp_avg" : ".exp_avg_sq");
        SafeTensors.Tensor t = tensors.get(name);
        if (t == null || t.numel() != e.getValue()[i].size()) {
          throw new GlimpseException(source + ": optimizer state for " + e.getKey() + " is missing or mis-shaped");
        }
        InPlace.assign(e.getValue()[i], t.toFloats());
      }
    }
    this.step = stepCount;
  }

  @Override
  public void close() {
    manager.close();
  }
}
