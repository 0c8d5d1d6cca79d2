package dev.glimpse.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.recipes.VisionTowers;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glimpse train --vision-tower} from HuggingFace: a {@code CLIPVisionModel} folder (the tower
 * LLaVA ships with; made here from the CLIP parity fixture as transformers saves the tower alone: its
 * {@code vision_config} as config.json, the {@code vision_model.*} tensors) gives the same tower, bit
 * for bit, as the whole {@code CLIPModel} folder, whose image tower is checked against transformers by
 * HfVerifyTest; a LLaVA folder gives its {@code vision_tower}.
 */
class HfVisionTowerTest {
  @Test
  void aClipVisionModelFolderIsTheClipModelsImageTower(@TempDir Path tmp) {
    Path clip = HfFixtures.dir("clip");
    Path tower = tmp.resolve("clip-vision");
    JsonObject config = Json.parse(clip.resolve("config.json")).getAsJsonObject().getAsJsonObject("vision_config")
        .deepCopy();
    JsonArray architectures = new JsonArray();
    architectures.add("CLIPVisionModel");
    config.add("architectures", architectures);
    List<SafeTensors.Tensor> vision = new ArrayList<>();
    for (SafeTensors.Tensor t : SafeTensors.read(clip.resolve("model.safetensors")).tensors().values()) {
      if (t.name().startsWith("vision_model.")) {
        vision.add(t);
      }
    }
    try {
      Files.createDirectories(tower);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Json.write(tower.resolve("config.json"), config);
    SafeTensors.write(tower.resolve("model.safetensors"), vision, Map.of("format", "pt"));

    VisionTowers.Pretrained alone = VisionTowers.read(tower);
    VisionTowers.Pretrained whole = VisionTowers.read(clip);
    assertEquals(whole.spec(), alone.spec());
    assertEquals(whole.weights().keySet(), alone.weights().keySet());
    for (String name : whole.weights().keySet()) {
      assertArrayEquals(whole.weights().get(name).toFloats(), alone.weights().get(name).toFloats(), name);
    }
    assertEquals(whole.transform().height(), alone.transform().height());
  }

  @Test
  void aLlavaFolderGivesItsVisionTower() {
    VisionTowers.Pretrained tower = VisionTowers.read(HfFixtures.dir("llava"));
    Map<String, SafeTensors.Tensor> hf = SafeTensors.read(HfFixtures.dir("llava").resolve("model.safetensors"))
        .tensors();
    String patch = hf.keySet().stream().filter(n -> n.endsWith("embeddings.patch_embedding.weight")).findFirst()
        .orElseThrow();
    assertArrayEquals(hf.get(patch).toFloats(), tower.weights().get("patch_embed.weight").toFloats(), patch);
  }
}
