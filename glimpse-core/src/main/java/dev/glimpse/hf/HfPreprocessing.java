package dev.glimpse.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.util.GlimpseException;

/**
 * HF image processor settings ({@code preprocessor_config.json}) as an {@link ImageTransform}:
 * CLIPImageProcessor (shortest edge + centre crop) and BlipImageProcessor (resize to a square), with
 * their mean/std. Resampling is ours (area/bilinear), not PIL's bicubic, so pixels differ slightly.
 */
final class HfPreprocessing {
  static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private HfPreprocessing() {}

  /** Without a preprocessor_config.json: the processor each architecture ships with, at the model's image size. */
  static ImageTransform defaults(String hfType, int imageSize) {
    ImageTransform clip = new ImageTransform(imageSize, imageSize, CLIP_MEAN.clone(), CLIP_STD.clone());
    return hfType.equals("blip-2") ? clip.withResize(ImageTransform.STRETCH, 0)
        : clip.withResize(ImageTransform.CROP, imageSize);
  }

  static ImageTransform read(JsonObject p, String hfType, int imageSize, String source) {
    float[] mean = p.has("image_mean") ? floats(p.get("image_mean"), source, "image_mean") : CLIP_MEAN.clone();
    float[] std = p.has("image_std") ? floats(p.get("image_std"), source, "image_std") : CLIP_STD.clone();
    if (p.has("do_normalize") && !p.get("do_normalize").getAsBoolean()) {
      mean = new float[] {0, 0, 0};
      std = new float[] {1, 1, 1};
    }
    if (p.has("rescale_factor") && Math.abs(p.get("rescale_factor").getAsDouble() - 1 / 255.0) > 1e-9
        || p.has("do_rescale") && !p.get("do_rescale").getAsBoolean()) {
      throw new GlimpseException(source + ": only pixel rescaling by 1/255 is supported");
    }
    boolean crop = !p.has("do_center_crop") || p.get("do_center_crop").getAsBoolean();
    int[] cropSize = p.has("crop_size") ? size(p.get("crop_size"), source, "crop_size") : null;
    JsonElement size = p.get("size");
    if (size != null && size.isJsonObject() && size.getAsJsonObject().has("shortest_edge")) {
      int shortest = size.getAsJsonObject().get("shortest_edge").getAsInt();
      int[] out = crop && cropSize != null ? cropSize : new int[] {shortest, shortest};
      return new ImageTransform(out[0], out[1], mean, std, ImageTransform.CROP, shortest);
    }
    if (size != null && size.isJsonPrimitive() && hfType.equals("blip-2")) {
      int s = size.getAsInt();
      return new ImageTransform(s, s, mean, std, ImageTransform.STRETCH, 0);
    }
    if (size != null && size.isJsonPrimitive()) {
      int shortest = size.getAsInt(); // old CLIP feature extractors: size = shortest edge
      int[] out = crop && cropSize != null ? cropSize : new int[] {shortest, shortest};
      return new ImageTransform(out[0], out[1], mean, std, ImageTransform.CROP, shortest);
    }
    if (size != null) {
      int[] hw = size(size, source, "size");
      int[] out = crop && cropSize != null ? cropSize : hw;
      return new ImageTransform(out[0], out[1], mean, std, ImageTransform.STRETCH, 0);
    }
    return new ImageTransform(imageSize, imageSize, mean, std, ImageTransform.CROP, imageSize);
  }

  private static float[] floats(JsonElement e, String source, String key) {
    if (e.isJsonPrimitive()) {
      float v = e.getAsFloat();
      return new float[] {v, v, v};
    }
    if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
      throw new GlimpseException(source + ": '" + key + "' must be a number or 3 numbers");
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = e.getAsJsonArray().get(i).getAsFloat();
    }
    return out;
  }

  // {"height": h, "width": w} or an int -> {h, w}
  private static int[] size(JsonElement e, String source, String key) {
    if (e.isJsonPrimitive()) {
      return new int[] {e.getAsInt(), e.getAsInt()};
    }
    JsonObject o = e.getAsJsonObject();
    if (o.has("height") && o.has("width")) {
      return new int[] {o.get("height").getAsInt(), o.get("width").getAsInt()};
    }
    throw new GlimpseException(source + ": '" + key + "' must be {\"height\", \"width\"} or a number, got " + e);
  }
}
