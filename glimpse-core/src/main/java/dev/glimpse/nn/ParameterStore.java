package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Owns every parameter of a model, by hierarchical name ({@code decoder.layers.0.attention.query.weight}).
 * Blocks receive a {@link Scope} and create their parameters through it; tied weights are the same
 * {@link Parameter} object used in two places. Parameters are created before any NDScope is opened
 * and live until the store is closed.
 */
public final class ParameterStore implements AutoCloseable {
  private final NDManager manager;
  private final long seed;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();

  public ParameterStore(NDManager parent, long seed) {
    this.manager = parent.newSubManager();
    this.manager.setName("parameters");
    this.seed = seed;
  }

  public Scope root() {
    return new Scope(this, "");
  }

  public NDManager manager() {
    return manager;
  }

  Parameter create(String name, Parameter.Kind kind, Shape shape, Init init) {
    if (parameters.containsKey(name)) {
      throw new IllegalStateException("parameter created twice: " + name);
    }
    // A per-name stream: a parameter's initial values do not depend on which others exist.
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode() * 0xC2B2AE3D27D4EB4FL);
    NDArray array = manager.create(init.sample(shape.size(), random), shape);
    array.setName(name);
    array.setRequiresGradient(true);
    Parameter p = new Parameter(name, kind, array);
    parameters.put(name, p);
    return p;
  }

  public Collection<Parameter> all() {
    return Collections.unmodifiableCollection(parameters.values());
  }

  public List<Parameter> trainable() {
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : parameters.values()) {
      if (!p.frozen()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Every parameter's name, in creation order. */
  public List<String> names() {
    return List.copyOf(parameters.keySet());
  }

  public boolean contains(String name) {
    return parameters.containsKey(name);
  }

  public Parameter get(String name) {
    Parameter p = parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no parameter named " + name);
    }
    return p;
  }

  /** Total number of scalar values. */
  public long count() {
    long n = 0;
    for (Parameter p : parameters.values()) {
      n += p.size();
    }
    return n;
  }

  /** Freezes (or unfreezes) every parameter whose name starts with the prefix; returns how many. */
  public int setFrozen(String prefix, boolean frozen) {
    int n = 0;
    for (Parameter p : parameters.values()) {
      if (p.name().startsWith(prefix)) {
        p.setFrozen(frozen);
        n++;
      }
    }
    return n;
  }

  /** Snapshot of every parameter as float32 tensors, in creation order. */
  public List<SafeTensors.Tensor> toTensors() {
    List<SafeTensors.Tensor> out = new ArrayList<>();
    for (Parameter p : parameters.values()) {
      out.add(SafeTensors.Tensor.ofFloats(p.name(), p.shape().getShape(), p.array().toFloatArray()));
    }
    return out;
  }

  /**
   * A SHA-256 over every parameter's name, shape and float32 values, in name order: the same for the
   * same weights whatever file they came from (a HuggingFace folder and its import agree), different
   * for any other weights. Vector indexes record it to refuse queries embedded by another model.
   */
  public String fingerprint() {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      for (String name : new TreeSet<>(parameters.keySet())) {
        Parameter p = parameters.get(name);
        digest.update((name + p.shape()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        float[] values = p.array().toFloatArray();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        digest.update(bytes.array());
      }
      return "sha256:" + java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void save(Path file, Map<String, String> metadata) {
    SafeTensors.write(file, toTensors(), metadata);
  }

  /**
   * Loads values by name. Every parameter must be present with its exact shape, and the file must
   * hold nothing else; otherwise one error lists all missing, unexpected and mis-shaped tensors.
   */
  public void load(Map<String, SafeTensors.Tensor> tensors, String source) {
    load(parameters.values(), "", tensors, source);
  }

  /**
   * Loads the parameters under {@code prefix} (e.g. {@code "vision."}) from tensors named without it
   * (another model's checkpoint, such as a pre-trained vision tower); the rest keep their values.
   * The same checks as {@link #load(Map, String)}, over that part of the model.
   */
  public void loadUnder(String prefix, Map<String, SafeTensors.Tensor> tensors, String source) {
    List<Parameter> part = parameters.values().stream().filter(p -> p.name().startsWith(prefix)).toList();
    if (part.isEmpty()) {
      throw new GlimpseException("the model has no parameters under '" + prefix + "' to load from " + source);
    }
    load(part, prefix, tensors, source);
  }

  /**
   * Loads the parameters whose names {@code part} accepts from tensors of the same names (a
   * pre-trained language model inside a connector model); the rest keep their values. The same checks
   * as {@link #load(Map, String)}, over that part of the model.
   */
  public void loadPart(java.util.function.Predicate<String> part, Map<String, SafeTensors.Tensor> tensors,
      String source) {
    List<Parameter> chosen = parameters.values().stream().filter(p -> part.test(p.name())).toList();
    if (chosen.isEmpty()) {
      throw new GlimpseException("the model has no parameters to load from " + source);
    }
    load(chosen, "", tensors, source);
  }

  /**
   * Loads a model that this one extends (a later training stage that adds parts, such as MM-GEM's
   * stage-2 heads): every tensor of {@code tensors} must be a parameter here with its shape; the
   * parameters it lacks keep their initial values.
   *
   * @return the names of the parameters that kept their initial values
   */
  public List<String> loadExtending(Map<String, SafeTensors.Tensor> tensors, String source) {
    List<Parameter> present = parameters.values().stream().filter(p -> tensors.containsKey(p.name())).toList();
    load(present, "", tensors, source);
    return parameters.keySet().stream().filter(n -> !tensors.containsKey(n)).toList();
  }

  private void load(Collection<Parameter> part, String prefix, Map<String, SafeTensors.Tensor> tensors, String source) {
    List<String> problems = new ArrayList<>();
    TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
    for (Parameter p : part) {
      String name = p.name().substring(prefix.length());
      SafeTensors.Tensor t = tensors.get(name);
      unexpected.remove(name);
      if (t == null) {
        problems.add("missing " + name + " " + p.shape());
      } else if (!new Shape(t.shape()).equals(p.shape())) {
        problems.add("wrong shape for " + name + ": file has " + new Shape(t.shape()) + ", model needs " + p.shape());
      }
    }
    for (String name : unexpected) {
      problems.add("unexpected " + name);
    }
    if (!problems.isEmpty()) {
      throw new GlimpseException(source + " does not match the model" + (prefix.isEmpty() ? "" : "'s " + prefix + "*")
          + ": " + summarize(problems));
    }
    for (Parameter p : part) {
      SafeTensors.Tensor t = tensors.get(p.name().substring(prefix.length()));
      InPlace.assign(p.array(), t.toFloats());
    }
  }

  public void load(Path file) {
    load(SafeTensors.read(file).tensors(), file.toString());
  }

  static String summarize(List<String> problems) {
    int shown = Math.min(problems.size(), 12);
    String head = String.join("; ", problems.subList(0, shown));
    return problems.size() > shown ? head + "; ... (" + problems.size() + " problems in all)" : head;
  }

  @Override
  public void close() {
    manager.close();
  }

  /** A name prefix inside the store, handed to a block so it can create its parameters. */
  public record Scope(ParameterStore store, String prefix) {
    public Scope sub(String name) {
      return new Scope(store, prefix.isEmpty() ? name : prefix + "." + name);
    }

    public Scope sub(String name, int index) {
      return sub(name + "." + index);
    }

    public String name(String leaf) {
      return prefix.isEmpty() ? leaf : prefix + "." + leaf;
    }

    public Parameter weight(String leaf, Init init, long... shape) {
      return store.create(name(leaf), Parameter.Kind.WEIGHT, new Shape(shape), init);
    }

    public Parameter bias(String leaf, long... shape) {
      return store.create(name(leaf), Parameter.Kind.BIAS, new Shape(shape), Init.zeros());
    }

    public Parameter norm(String leaf, Init init, long... shape) {
      return store.create(name(leaf), Parameter.Kind.NORM, new Shape(shape), init);
    }

    public Parameter embedding(String leaf, Init init, long... shape) {
      return store.create(name(leaf), Parameter.Kind.EMBEDDING, new Shape(shape), init);
    }

    public Parameter token(String leaf, Init init, long... shape) {
      return store.create(name(leaf), Parameter.Kind.TOKEN, new Shape(shape), init);
    }

    public NDManager manager() {
      return store.manager;
    }

    DataType dataType() {
      return DataType.FLOAT32;
    }
  }
}
