package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Region descriptions (Visual Genome layout): a box per object, and one around two related objects,
 * each with its phrase. Its data is part of the synthetic suite; region models (MM-GEM's stage 2)
 * train and evaluate on it, and no recipe of a whole-image captioner does, so evaluating a checkpoint
 * on it is refused with a message.
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
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new SyntheticRegions(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())), split, size);
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeRegions(new SyntheticRegions(scenes, split, count), folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    throw new GlimpseException("task 'regions' is evaluated by region models; a " + model.config().modelType()
        + " model reads whole images");
  }
}
