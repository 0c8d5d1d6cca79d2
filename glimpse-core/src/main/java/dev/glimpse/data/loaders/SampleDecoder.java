package dev.glimpse.data.loaders;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.glimpse.data.Example;
import dev.glimpse.data.Images;
import dev.glimpse.data.SampleException;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a shard sample's bytes into an {@link Example}: decodes and resizes its images (pure Java,
 * safe on any thread) and reads its text. Frames are the image parts in extension order ({@code
 * jpg}, or {@code 000.jpg, 001.jpg, ...} for a clip). Text: a {@code .json} part with caption or
 * question fields ({@link TextFields}) wins, then {@code .txt} / {@code .text} / {@code .caption}
 * (the whole file is one caption), then {@code .cls} (the class number as the target). The scalar
 * members of a {@code .json} part go to the metadata in any case, with "key", "shard" and, given a
 * {@code .cls}, "label_index".
 */
final class SampleDecoder {
  private final Resize resize;

  /** @param resize target size, or null to keep each image's own size (converted to RGB) */
  SampleDecoder(Resize resize) {
    this.resize = resize;
  }

  Example decode(ShardReader.RawSample sample) {
    String where = sample.shard() + ":" + sample.key();
    List<BufferedImage> frames = new ArrayList<>();
    TreeMap<String, byte[]> parts = new TreeMap<>(sample.parts());
    for (Map.Entry<String, byte[]> part : parts.entrySet()) {
      String extension = part.getKey();
      if (Images.EXTENSIONS.contains(extension.substring(extension.lastIndexOf('.') + 1))) {
        BufferedImage image = Images.decode(part.getValue(), where + "." + extension);
        frames.add(resize == null ? Images.toRgb(image) : resize.apply(image));
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("key", sample.key());
    metadata.put("shard", sample.shard().getFileName().toString());
    String prompt = "";
    List<String> targets = null;
    byte[] json = parts.get("json");
    if (json != null) {
      JsonObject record = parseJson(json, where + ".json");
      if (hasTextField(record)) {
        TextFields fields;
        try {
          fields = TextFields.parse(record);
        } catch (IllegalArgumentException e) {
          throw new SampleException(where + ".json: " + e.getMessage());
        }
        prompt = fields.prompt();
        targets = fields.targets();
        metadata.putAll(fields.metadata());
      } else {
        for (Map.Entry<String, JsonElement> member : record.entrySet()) {
          if (member.getValue().isJsonPrimitive()) {
            metadata.putIfAbsent(member.getKey(), TextFields.scalar(member.getValue().getAsJsonPrimitive()));
          }
        }
      }
    }
    if (targets == null) {
      for (String extension : List.of("txt", "text", "caption")) {
        byte[] text = parts.get(extension);
        if (text != null) {
          String caption = utf8(text, where + "." + extension).strip();
          if (caption.isEmpty()) {
            throw new SampleException(where + "." + extension + " is empty");
          }
          targets = List.of(caption);
          break;
        }
      }
    }
    byte[] cls = parts.get("cls");
    if (cls != null) {
      String label = utf8(cls, where + ".cls").strip();
      try {
        metadata.put("label_index", Integer.parseInt(label));
      } catch (NumberFormatException e) {
        metadata.put("label", label);
      }
      if (targets == null) {
        targets = List.of(label);
      }
    }
    if (targets == null) {
      throw new SampleException(where + " has no caption, question or class in its text parts");
    }
    return new Example(sample.key(), frames, prompt, targets, metadata);
  }

  private static boolean hasTextField(JsonObject record) {
    for (String key : List.of("caption", "captions", "text", "question", "answer", "answers")) {
      if (record.has(key)) {
        return true;
      }
    }
    return false;
  }

  private static JsonObject parseJson(byte[] bytes, String where) {
    try {
      JsonElement element = JsonParser.parseString(utf8(bytes, where));
      if (!element.isJsonObject()) {
        throw new SampleException(where + ": expected a JSON object");
      }
      return element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new SampleException(where + ": invalid JSON: " + AnnotationJson.problem(e));
    }
  }

  private static String utf8(byte[] bytes, String where) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SampleException(where + " is not valid UTF-8 text");
    }
  }
}
