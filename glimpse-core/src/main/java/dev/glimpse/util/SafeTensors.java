package dev.glimpse.util;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, JSON header, raw
 * little-endian data). Written by hand because the tensor library's writer cannot store metadata,
 * which HuggingFace loaders require, and its reader aborts on BF16.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** Element types we read; BF16 and F16 are widened to F32 on request. */
  public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    public final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }
  }

  /** One tensor: raw little-endian bytes plus type and shape. */
  public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {
    public long numel() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    /** Values as float32 (F32 as is; F16, BF16, F64 and integer types converted). */
    public float[] toFloats() {
      int n = Math.toIntExact(numel());
      float[] out = new float[n];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] =
            switch (dtype) {
              case F32 -> b.getFloat(i * 4);
              case F64 -> (float) b.getDouble(i * 8);
              case BF16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
              case F16 -> halfToFloat(b.getShort(i * 2));
              case I64 -> b.getLong(i * 8);
              case I32 -> b.getInt(i * 4);
              case I16 -> b.getShort(i * 2);
              case I8 -> b.get(i);
              case U8, BOOL -> b.get(i) & 0xff;
            };
      }
      return out;
    }

    public long[] toLongs() {
      int n = Math.toIntExact(numel());
      long[] out = new long[n];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] =
            switch (dtype) {
              case I64 -> b.getLong(i * 8);
              case I32 -> b.getInt(i * 4);
              case I16 -> b.getShort(i * 2);
              case I8 -> b.get(i);
              case U8, BOOL -> b.get(i) & 0xff;
              default -> throw new GlimpseException(
                  "tensor " + name + " has type " + dtype + ", expected an integer type");
            };
      }
      return out;
    }

    public static Tensor ofFloats(String name, long[] shape, float[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return new Tensor(name, DType.F32, shape.clone(), b);
    }

    public static Tensor ofLongs(String name, long[] shape, long[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(values);
      return new Tensor(name, DType.I64, shape.clone(), b);
    }
  }

  /** IEEE 754 binary16 to float (Float.float16ToFloat arrived only in Java 20). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h >>> 15) << 31;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float value = mant * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** A whole file: tensors in header order, plus the optional string metadata. */
  public record File(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public Tensor get(String name) {
      Tensor t = tensors.get(name);
      if (t == null) {
        throw new GlimpseException("tensor '" + name + "' not found (have: " + summary() + ")");
      }
      return t;
    }

    private String summary() {
      List<String> names = new ArrayList<>(tensors.keySet());
      return names.size() <= 8 ? String.join(", ", names) : names.subList(0, 8) + " ... " + names.size() + " in all";
    }
  }

  public static File read(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new GlimpseException("not a safetensors file (too short): " + path);
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen <= 0 || headerLen > size - 8 || headerLen > 100_000_000) {
        throw new GlimpseException("not a safetensors file (bad header length " + headerLen + "): " + path);
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
      readFully(channel, headerBuf, 8);
      JsonObject header;
      try {
        JsonElement parsed = JsonParser.parseString(new String(headerBuf.array(), StandardCharsets.UTF_8));
        header = parsed.getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw new GlimpseException("not a safetensors file (header is not a JSON object): " + path);
      }
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen).order(ByteOrder.LITTLE_ENDIAN);
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Map.Entry<String, JsonElement>> entries = new ArrayList<>(header.entrySet());
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : entries) {
        if (e.getKey().equals("__metadata__")) {
          for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
            metadata.put(m.getKey(), m.getValue().getAsString());
          }
          continue;
        }
        tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue().getAsJsonObject(), data, dataLen));
      }
      return new File(tensors, metadata);
    } catch (NoSuchFileException e) {
      throw new GlimpseException("file not found: " + path);
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static Tensor parseEntry(Path path, String name, JsonObject entry, ByteBuffer data, long dataLen) {
    DType dtype;
    try {
      dtype = DType.valueOf(entry.get("dtype").getAsString());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new GlimpseException(path + ": tensor '" + name + "' has unsupported dtype " + entry.get("dtype"));
    }
    long[] shape = new long[entry.getAsJsonArray("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = entry.getAsJsonArray("shape").get(i).getAsLong();
    }
    long begin = entry.getAsJsonArray("data_offsets").get(0).getAsLong();
    long end = entry.getAsJsonArray("data_offsets").get(1).getAsLong();
    long numel = 1;
    for (long d : shape) {
      numel *= d;
    }
    if (begin < 0 || end > dataLen || end - begin != numel * dtype.bytes) {
      throw new GlimpseException(path + ": tensor '" + name + "' has inconsistent offsets [" + begin + ", " + end
          + ") for shape " + Arrays.toString(shape) + " " + dtype + " (file truncated or corrupt?)");
    }
    ByteBuffer slice = data.duplicate().position((int) begin).limit((int) end).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new Tensor(name, dtype, shape, slice);
  }

  private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  /**
   * Writes tensors atomically. Like the reference implementation, the header lists tensors sorted
   * by dtype (larger alignment first) then name, and data follows in that order.
   */
  public static void write(Path path, List<Tensor> tensors, Map<String, String> metadata) {
    List<Tensor> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparingInt((Tensor t) -> -t.dtype().bytes).thenComparing(Tensor::name));
    JsonObject header = new JsonObject();
    if (metadata != null && !metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Tensor t : sorted) {
      JsonObject entry = new JsonObject();
      entry.addProperty("dtype", t.dtype().name());
      com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.add("shape", shape);
      com.google.gson.JsonArray offsets = new com.google.gson.JsonArray();
      long len = t.data().remaining();
      if (len != t.numel() * t.dtype().bytes) {
        throw new IllegalArgumentException("tensor " + t.name() + ": data length does not match shape");
      }
      offsets.add(offset);
      offsets.add(offset + len);
      offset += len;
      entry.add("data_offsets", offsets);
      header.add(t.name(), entry);
    }
    byte[] headerBytes = Json.COMPACT.toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (headerBytes.length + 7) / 8 * 8;
    byte[] headerPadded = Arrays.copyOf(headerBytes, padded);
    Arrays.fill(headerPadded, headerBytes.length, padded, (byte) ' ');
    AtomicFiles.write(
        path,
        out -> {
          ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
          out.write(len.array());
          out.write(headerPadded);
          for (Tensor t : sorted) {
            writeBuffer(out, t.data());
          }
        });
  }

  private static void writeBuffer(OutputStream out, ByteBuffer data) throws IOException {
    ByteBuffer b = data.duplicate();
    byte[] chunk = new byte[1 << 16];
    while (b.hasRemaining()) {
      int n = Math.min(chunk.length, b.remaining());
      b.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  /** Checks that a path exists before a long job relies on it. */
  public static boolean exists(Path path) {
    return Files.isRegularFile(path);
  }
}
