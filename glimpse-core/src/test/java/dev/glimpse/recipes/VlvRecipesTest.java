package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.glimpse.model.ClipTextConfig;
import dev.glimpse.model.DiffusionConfig;
import dev.glimpse.model.Models;
import dev.glimpse.model.VlvConfig;
import dev.glimpse.nn.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diffusion and VLV recipes: each writes as a recipe file and reads back the same; the N_q ablation
 * is a recipe file over vlv-quick-stage1; the models build with the sizes their docs state.
 */
class VlvRecipesTest {
  private static final String[] NAMES = {"diffusion-quick", "diffusion-tiny", "vlv-quick-stage1", "vlv-quick",
      "vlv-quick-mlp", "vlv-quick-all", "vlv-quick-progressive"};

  @Test
  void recipesRoundTripThroughRecipeFiles(@TempDir Path dir) throws Exception {
    for (String name : NAMES) {
      Recipe recipe = Recipes.get(name);
      Path file = dir.resolve(name + ".json");
      Files.writeString(file, RecipeFiles.toJson(recipe).toString());
      assertEquals(recipe, RecipeFiles.read(file), name);
    }
  }

  @Test
  void theQueryAblationIsARecipeFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nq4.json");
    Files.writeString(file, "{\"recipe\": \"vlv-quick-stage1\", \"model\": {\"config\": {\"queries\": 4}}}");
    VlvConfig model = (VlvConfig) RecipeFiles.read(file).model();
    assertEquals(4, model.queries());
    // the paper's 77 queries: more than the recipe's placeholder decoder has positions, so the file reads and
    // the fit is checked against the decoder that --part decoder= puts in place (a CLIP of 77 positions)
    Path nq77 = dir.resolve("nq77.json");
    Files.writeString(nq77, "{\"recipe\": \"vlv-quick-stage1\", \"model\": {\"config\": {\"queries\": 77}}}");
    VlvConfig many = (VlvConfig) RecipeFiles.read(nq77).model();
    assertEquals(77, many.queries());
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, many::checkFitsDecoder);
    assertTrue(tooMany.getMessage().contains("77 queries"), tooMany.getMessage());
    DiffusionConfig decoder = many.decoder();
    ClipTextConfig text = decoder.textEncoder();
    many.withDecoder(decoder.withTextEncoder(new ClipTextConfig(text.text(), text.vocabSize(), 77))).checkFitsDecoder();
  }

  @Test
  void aStageTwoConfigOfTheEarlierGitStyleDecoderIsOneClearError() {
    com.google.gson.JsonObject json = Models.toJson(Recipes.get("vlv-quick").model()).getAsJsonObject();
    com.google.gson.JsonObject git = new com.google.gson.JsonObject();
    git.add("lm", Models.toJson(Recipes.get("vlv-quick-stage1").model()).getAsJsonObject().get("adapter"));
    git.addProperty("maxTextPositions", 24);
    json.add("captioner", git);
    dev.glimpse.util.GlimpseException e = assertThrows(dev.glimpse.util.GlimpseException.class,
        () -> Models.parse("vlv", json, "runs/vlv/checkpoint/config.json"));
    assertTrue(e.getMessage().startsWith("runs/vlv/checkpoint/config.json is a VLV stage-2 model of the GIT-style")
        && e.getMessage().contains("--part language-model=DIR"), e.getMessage());
    // the current form reads
    assertEquals(Recipes.get("vlv-quick").model(),
        Models.parse("vlv", Models.toJson(Recipes.get("vlv-quick").model()), "recipe"));
  }

  @Test
  void modelsBuildAtTheirStatedSizes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore diffusion = new ParameterStore(manager, 1);
      Models.build(Recipes.get("diffusion-quick").model(), diffusion.root());
      long denoiser = diffusion.all().stream().filter(p -> p.name().startsWith("denoiser.")).mapToLong(p -> p.size()).sum();
      assertEquals(2_285_232, denoiser, "diffusion-quick denoiser (docs/diffusion.md)");
      assertEquals(32, ((DiffusionConfig) Recipes.get("diffusion-quick").model()).imageSize());
      ParameterStore vlv = new ParameterStore(manager, 1);
      Models.build(Recipes.get("vlv-quick").model(), vlv.root());
      assertTrue(vlv.names().stream().anyMatch(n -> n.startsWith("caption.lm.")));
      assertTrue(vlv.names().contains("encoder.queries"));
    }
  }
}
