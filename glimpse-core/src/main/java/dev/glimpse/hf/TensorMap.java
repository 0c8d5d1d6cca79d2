package dev.glimpse.hf;

import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Our parameter names to HuggingFace state-dict names, both directions, for one model. Every rule
 * relates a list of our tensors to a list of HF tensors holding the same values in the same row-major
 * order: a rename, a reshape ({@code [D]} vs {@code [1, 1, D]}), a fused tensor split into several of
 * ours (BLIP-2's {@code qkv}) or several HF tensors stacked into one of ours (GIT's per-frame
 * temporal embeddings). Values are copied bit for bit, so import followed by export is exact.
 */
final class TensorMap {
  private record Rule(List<String> ours, List<String> hf, List<long[]> hfShapes) {}

  private final List<Rule> rules = new ArrayList<>();
  /** HF tensors that HF drops on save because they are tied to another; accepted on import if equal. */
  private final Map<String, String> tiedCopies = new LinkedHashMap<>();

  /** Same name mapping, same shape. */
  TensorMap one(String ours, String hf) {
    rules.add(new Rule(List.of(ours), List.of(hf), null));
    return this;
  }

  /** Same values, HF stores them with another shape (e.g. [1, 1, D] for our [D]). */
  TensorMap reshaped(String ours, String hf, long... hfShape) {
    rules.add(new Rule(List.of(ours), List.of(hf), List.of(hfShape)));
    return this;
  }

  /** One HF tensor is the concatenation of ours along the first axis (fused q|k|v). */
  TensorMap fused(List<String> ours, String hf) {
    rules.add(new Rule(List.copyOf(ours), List.of(hf), null));
    return this;
  }

  /** One of ours is the concatenation of HF tensors of shape {@code eachHfShape} along the first axis. */
  TensorMap stacked(String ours, List<String> hf, long... eachHfShape) {
    List<long[]> shapes = new ArrayList<>();
    for (int i = 0; i < hf.size(); i++) {
      shapes.add(eachHfShape);
    }
    rules.add(new Rule(List.of(ours), List.copyOf(hf), shapes));
    return this;
  }

  /** Linear layer: weight, plus bias when it has one. */
  TensorMap linear(String ours, String hf, boolean bias) {
    one(ours + ".weight", hf + ".weight");
    return bias ? one(ours + ".bias", hf + ".bias") : this;
  }

  /** LayerNorm (weight + bias) or RMSNorm (weight). */
  TensorMap norm(String ours, String hf, boolean bias) {
    return linear(ours, hf, bias);
  }

  /** An HF tensor HF leaves out of saved files because it shares storage with {@code hfSource}. */
  TensorMap tiedCopy(String hf, String hfSource) {
    tiedCopies.put(hf, hfSource);
    return this;
  }

  /**
   * HF tensors to our named tensors, checking that every expected tensor is present with its shape
   * and a float type and that nothing else is there; one error lists every problem.
   */
  Map<String, SafeTensors.Tensor> toOurs(Map<String, SafeTensors.Tensor> hf, ParameterStore store, String source) {
    checkCoverage(store);
    List<String> problems = new ArrayList<>();
    Set<String> claimed = new HashSet<>();
    for (Rule r : rules) {
      List<long[]> want = hfShapes(r, store);
      for (int i = 0; i < r.hf.size(); i++) {
        String name = r.hf.get(i);
        claimed.add(name);
        SafeTensors.Tensor t = hf.get(name);
        if (t == null) {
          problems.add("missing " + name + " " + Arrays.toString(want.get(i)));
        } else if (!Arrays.equals(t.shape(), want.get(i))) {
          problems.add("wrong shape for " + name + ": file has " + Arrays.toString(t.shape()) + ", model needs "
              + Arrays.toString(want.get(i)));
        } else if (!isFloat(t.dtype())) {
          problems.add(name + " has type " + t.dtype() + ", expected a float type");
        }
      }
    }
    for (Map.Entry<String, String> e : tiedCopies.entrySet()) {
      SafeTensors.Tensor copy = hf.get(e.getKey());
      SafeTensors.Tensor original = hf.get(e.getValue());
      if (copy != null) {
        claimed.add(e.getKey());
        if (original != null && !Arrays.equals(copy.toFloats(), original.toFloats())) {
          problems.add(e.getKey() + " differs from " + e.getValue()
              + " although the config ties them (set tie_word_embeddings to false?)");
        }
      }
    }
    for (String name : new TreeSet<>(hf.keySet())) {
      if (!claimed.contains(name)) {
        problems.add("unexpected " + name);
      }
    }
    if (!problems.isEmpty()) {
      throw new GlimpseException(source + " does not match the model: " + summarize(problems));
    }
    Map<String, SafeTensors.Tensor> ours = new HashMap<>();
    for (Rule r : rules) {
      float[] values = concat(r.hf.stream().map(hf::get).toList());
      int offset = 0;
      for (String name : r.ours) {
        Parameter p = store.get(name);
        int n = Math.toIntExact(p.size());
        ours.put(name, SafeTensors.Tensor.ofFloats(name, p.shape().getShape(), Arrays.copyOfRange(values, offset,
            offset + n)));
        offset += n;
      }
    }
    return ours;
  }

  /** Our parameters as HF tensors (float32, HF names and shapes), tied copies left out as HF does. */
  List<SafeTensors.Tensor> toHf(ParameterStore store) {
    checkCoverage(store);
    List<SafeTensors.Tensor> out = new ArrayList<>();
    for (Rule r : rules) {
      List<float[]> parts = new ArrayList<>();
      for (String name : r.ours) {
        parts.add(store.get(name).array().toFloatArray());
      }
      float[] values = concatFloats(parts);
      List<long[]> shapes = hfShapes(r, store);
      int offset = 0;
      for (int i = 0; i < r.hf.size(); i++) {
        int n = Math.toIntExact(numel(shapes.get(i)));
        out.add(SafeTensors.Tensor.ofFloats(r.hf.get(i), shapes.get(i), Arrays.copyOfRange(values, offset, offset + n)));
        offset += n;
      }
    }
    return out;
  }

  /** HF names this map reads (tied copies excluded). */
  List<String> hfNames() {
    List<String> names = new ArrayList<>();
    for (Rule r : rules) {
      names.addAll(r.hf);
    }
    return names;
  }

  // Each of our parameters must be covered by exactly one rule: a programming error otherwise.
  private void checkCoverage(ParameterStore store) {
    Set<String> covered = new HashSet<>();
    for (Rule r : rules) {
      for (String name : r.ours) {
        if (!store.contains(name)) {
          throw new IllegalStateException("tensor map names a parameter the model does not have: " + name);
        }
        if (!covered.add(name)) {
          throw new IllegalStateException("tensor map covers " + name + " twice");
        }
      }
    }
    List<String> missed = new ArrayList<>();
    for (Parameter p : store.all()) {
      if (!covered.contains(p.name())) {
        missed.add(p.name());
      }
    }
    if (!missed.isEmpty()) {
      throw new IllegalStateException("tensor map misses parameters: " + missed);
    }
  }

  private static List<long[]> hfShapes(Rule r, ParameterStore store) {
    if (r.hfShapes != null) {
      return r.hfShapes;
    }
    long[] first = store.get(r.ours.get(0)).shape().getShape().clone();
    for (int i = 1; i < r.ours.size(); i++) {
      first[0] += store.get(r.ours.get(i)).shape().get(0);
    }
    return List.of(first);
  }

  private static boolean isFloat(SafeTensors.DType d) {
    return d == SafeTensors.DType.F32 || d == SafeTensors.DType.F16 || d == SafeTensors.DType.BF16
        || d == SafeTensors.DType.F64;
  }

  private static float[] concat(List<SafeTensors.Tensor> tensors) {
    List<float[]> parts = new ArrayList<>();
    for (SafeTensors.Tensor t : tensors) {
      parts.add(t.dtype() == SafeTensors.DType.F32 ? rawFloats(t) : t.toFloats());
    }
    return concatFloats(parts);
  }

  // F32 data read through the raw bits, so that every value (NaN payloads included) survives exactly
  private static float[] rawFloats(SafeTensors.Tensor t) {
    ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[Math.toIntExact(t.numel())];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(b.getInt(i * 4));
    }
    return out;
  }

  private static float[] concatFloats(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int offset = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, offset, p.length);
      offset += p.length;
    }
    return out;
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  static String summarize(List<String> problems) {
    int shown = Math.min(problems.size(), 12);
    String head = String.join("; ", problems.subList(0, shown));
    return problems.size() > shown ? head + "; ... (" + problems.size() + " problems in all)" : head;
  }
}
