package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Box;
import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.eval.caption.CaptionMetrics;
import dev.glimpse.eval.retrieval.RetrievalEval;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.RegionCaptioner;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.RegionModel;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Region descriptions (Visual Genome layout): a box per object, and one around two related objects,
 * each with its phrase. Region models (MM-GEM; stage 2 trains on it) are evaluated on:
 *
 * <ul>
 *   <li>{@code region_r1} (headline): grounding, each phrase against the boxes of its own image
 *       (images with at least two regions), Recall@1 of the right box;
 *   <li>{@code region_retrieval}: the phrases against every region of every held-out image (phrases
 *       repeat across images, so see its {@code shared_text_fraction} and text-match recalls);
 *   <li>{@code region_cider}: each box captioned from its own features, scored against its phrase;
 *   <li>{@code global_features}: the same three figures when every region is read as its whole image
 *       (what a model without regions can do), the baseline of stage 2;
 *   <li>on synthetic scenes also the global retrieval of the same images with their six captions
 *       ({@code r1_t2i}, {@code r1_i2t}), which stage 2 must keep.
 * </ul>
 * Training draws one region per image ({@code data.captionMix} mixes in whole-image captions).
 */
public final class RegionsTask implements Task {
  public static final String NAME = "regions";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "region_r1";
  }

  @Override
  public boolean mixesCaptions() {
    return true;
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(data.seed()));
    return TaskSupport.mixIntoTraining(new SyntheticRegions(scenes, split, size), split, data.captionMix(),
        () -> new SyntheticCaptions(scenes, split, size));
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeRegions(new SyntheticRegions(scenes, split, count), folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    if (!(model.instance() instanceof RegionModel regionModel)) {
      throw new GlimpseException("task 'regions' evaluates region models (MM-GEM); the " + model.config().modelType()
          + " model reads whole images only");
    }
    List<Example> examples = TaskSupport.examples(test, info);
    List<BufferedImage> images = new ArrayList<>();
    List<float[][]> boxes = new ArrayList<>();
    List<String> phrases = new ArrayList<>();
    List<Integer> imageOf = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      Example ex = examples.get(i);
      List<SyntheticRegions.Region> regions = ex.get(SyntheticRegions.REGIONS);
      if (regions == null) {
        throw new GlimpseException("example " + ex.id() + " of " + test.name() + " has no regions");
      }
      images.add(ex.image());
      float[][] b = new float[regions.size()][];
      for (int k = 0; k < regions.size(); k++) {
        Box box = regions.get(k).box();
        b[k] = new float[] {box.x(), box.y(), box.right(), box.bottom()};
        phrases.add(regions.get(k).phrase());
        imageOf.add(i);
      }
      boxes.add(b);
    }
    int batch = eval.batchSize();
    Embeddings embeddings = Embeddings.of(model);
    float[][] phraseEmbeddings = embeddings.texts(phrases, batch, null);
    float[][] regionEmbeddings = embeddings.regions(images, boxes, batch);
    float[][] imageEmbeddings = embeddings.images(images, batch, null);
    float[][] wholeImage = new float[phrases.size()][];
    for (int r = 0; r < wholeImage.length; r++) {
      wholeImage[r] = imageEmbeddings[imageOf.get(r)];
    }
    List<String> regionCaptions = model.captions()
        ? new RegionCaptioner(regionModel, model.tokenizer(), model.transform(), model.manager())
            .caption(images, boxes, eval.generation(), batch)
        : null;
    List<String> imageCaptions = null;
    if (model.captions()) {
      List<String> perImage = new Captioner(model.model(), model.tokenizer(), model.transform(), model.manager())
          .caption(images, eval.generation(), batch).stream().map(Captioner.Caption::text).toList();
      imageCaptions = imageOf.stream().map(perImage::get).toList();
    }
    JsonObject out = figures(regionEmbeddings, phraseEmbeddings, imageOf, phrases, regionCaptions);
    out.add("global_features", figures(wholeImage, phraseEmbeddings, imageOf, phrases, imageCaptions));
    out.addProperty("images", images.size());
    out.addProperty("regions", phrases.size());
    List<Scene> scenes = examples.stream().map(ex -> ex.get(Scene.KEY)).toList();
    if (scenes.stream().allMatch(s -> s != null)) {
      List<Example> captioned = new ArrayList<>();
      for (int i = 0; i < examples.size(); i++) {
        captioned.add(Example.caption(examples.get(i).id(), images.get(i), CaptionGrammar.captions(scenes.get(i))));
      }
      JsonObject global = EmbeddingEval.retrieval(embeddings, captioned, batch, true);
      out.add("r1_t2i", global.get("r1_t2i"));
      out.add("r1_i2t", global.get("r1_i2t"));
      out.add("global_retrieval", global);
    }
    if (regionCaptions != null) {
      out.add("samples", samples(phrases, regionCaptions, 8));
    }
    info.printf("regions: grounding R@1 %s (whole-image features %s) over %d regions%n", out.get("region_r1"),
        out.getAsJsonObject("global_features").get("region_r1"), phrases.size());
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }

  /** Grounding R@1, pooled retrieval and (with captions) CIDEr of one way of reading the regions. */
  static JsonObject figures(float[][] regions, float[][] phrases, List<Integer> imageOf, List<String> texts,
      List<String> captions) {
    JsonObject out = new JsonObject();
    out.add("region_r1", grounding(regions, phrases, imageOf));
    int[] owner = new int[phrases.length];
    for (int r = 0; r < owner.length; r++) {
      owner[r] = r;
    }
    out.add("region_retrieval", RetrievalEval.score(regions, phrases, owner, texts));
    if (captions != null) {
      Map<String, List<String>> refs = new LinkedHashMap<>();
      Map<String, String> candidates = new LinkedHashMap<>();
      for (int r = 0; r < captions.size(); r++) {
        refs.put("region-" + r, List.of(texts.get(r)));
        candidates.put("region-" + r, captions.get(r));
      }
      out.add("region_cider", CaptionMetrics.evaluate(refs, candidates).toJson(false).get("CIDEr"));
    }
    return out;
  }

  /**
   * Each phrase against the regions of its own image, for images with two regions or more: the share
   * whose own region scores above every other (ties count against, so identical regions score 0).
   */
  static com.google.gson.JsonElement grounding(float[][] regions, float[][] phrases, List<Integer> imageOf) {
    int hits = 0;
    int queries = 0;
    for (int q = 0; q < phrases.length; q++) {
      List<Integer> same = new ArrayList<>();
      for (int r = 0; r < regions.length; r++) {
        if (imageOf.get(r).equals(imageOf.get(q))) {
          same.add(r);
        }
      }
      if (same.size() < 2) {
        continue;
      }
      queries++;
      float own = dot(regions[q], phrases[q]);
      boolean beaten = false;
      for (int r : same) {
        beaten |= r != q && dot(regions[r], phrases[q]) >= own;
      }
      hits += beaten ? 0 : 1;
    }
    return queries == 0 ? com.google.gson.JsonNull.INSTANCE : new com.google.gson.JsonPrimitive((double) hits / queries);
  }

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  private static com.google.gson.JsonArray samples(List<String> phrases, List<String> captions, int n) {
    com.google.gson.JsonArray out = new com.google.gson.JsonArray();
    for (int i = 0; i < Math.min(n, phrases.size()); i++) {
      JsonObject s = new JsonObject();
      s.addProperty("reference", phrases.get(i));
      s.addProperty("output", captions.get(i));
      out.add(s);
    }
    return out;
  }
}
