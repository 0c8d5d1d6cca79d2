package dev.glimpse.hf;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.nn.VisionTransformer;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A HuggingFace {@code CLIPVisionModel} folder ({@code model_type} {@code clip_vision_model}: the image
 * tower alone, as LLaVA's {@code vision_tower} is shipped) read as a vision tower for {@code glimpse
 * train --vision-tower DIR}. Whole {@code CLIPModel}, LLaVA and BLIP-2 folders load through {@link
 * HfModel} instead.
 */
public final class HfVisionTower {
  /** The HF {@code model_type} of a CLIP image tower alone. */
  public static final String TYPE = "clip_vision_model";

  private HfVisionTower() {}

  /**
   * A tower read from HF files.
   *
   * @param weights the tower's tensors under our names without the {@code vision.} prefix
   */
  public record Loaded(VisionConfig config, ImageTransform transform, Map<String, SafeTensors.Tensor> weights) {}

  /** Whether {@code dir} is a HF folder of a CLIP image tower alone. */
  public static boolean isVisionTower(Path dir) {
    Path file = dir.resolve(HfModel.CONFIG);
    if (!HfModel.isHfDir(dir)) {
      return false;
    }
    JsonObject json = Json.parse(file).getAsJsonObject();
    return json.get("model_type").getAsString().equals(TYPE);
  }

  /** Reads the config, preprocessing and weights of a {@code CLIPVisionModel} folder. */
  public static Loaded read(Path dir) {
    String where = dir.resolve(HfModel.CONFIG).toString();
    JsonObject json = Json.parse(dir.resolve(HfModel.CONFIG)).getAsJsonObject();
    HfConfigReader r = new HfConfigReader(json, "", where);
    r.choice("model_type", TYPE, TYPE);
    r.ignore("projection_dim"); // CLIP's joint-space width; the tower alone has no projection
    VisionConfig config = ClipVisionHf.read(r, ClipVisionHf.Defaults.CLIP);
    Path preprocessor = dir.resolve(HfModel.PREPROCESSOR_CONFIG);
    ImageTransform transform = Files.isRegularFile(preprocessor)
        ? HfPreprocessing.read(Json.parse(preprocessor).getAsJsonObject(), "clip", config.imageSize(),
            preprocessor.toString())
        : HfPreprocessing.defaults("clip", config.imageSize());
    Map<String, SafeTensors.Tensor> hf = HfModel.readWeights(dir);
    TensorMap map = new TensorMap();
    ClipVisionHf.tensors(map, "vision", "vision_model.", config.encoder().layers());
    try (NDManager manager = Devices.cpuManager(); ParameterStore store = new ParameterStore(manager, 0)) {
      new VisionTransformer(store.root().sub("vision"), config);
      Map<String, SafeTensors.Tensor> ours = map.toOurs(hf, store, dir.resolve(HfModel.WEIGHTS).toString());
      Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
      for (Map.Entry<String, SafeTensors.Tensor> e : ours.entrySet()) {
        String name = e.getKey().substring("vision.".length());
        SafeTensors.Tensor t = e.getValue();
        out.put(name, SafeTensors.Tensor.ofFloats(name, t.shape(), t.toFloats()));
      }
      return new Loaded(config, transform, out);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(where + ": " + e.getMessage());
    }
  }
}
