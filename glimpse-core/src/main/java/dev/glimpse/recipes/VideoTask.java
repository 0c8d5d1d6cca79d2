package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Clip;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticVideo;
import dev.glimpse.data.synth.VideoGenerator;
import dev.glimpse.eval.scene.MotionAccuracy;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Video captioning (GIT section 3.4): frames encoded one by one, a learned temporal embedding added
 * per frame, all frame tokens before the text. Scored with the caption metrics and, on synthetic
 * clips, {@code motion_accuracy} (the caption names the motion direction, appearance or new color).
 */
public final class VideoTask implements Task {
  public static final String NAME = "video";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "motion_accuracy";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new SyntheticVideo(new VideoGenerator(SceneConfig.defaults().withSeed(data.seed()), model.frames()), split,
        size);
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeVideo(new VideoGenerator(scenes.config()), split, count, folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    List<String> captions = TaskSupport.generate(model, examples, eval, null);
    JsonObject out = CaptionTask.score(examples, captions, outDir);
    List<Clip> clips = new ArrayList<>();
    for (Example ex : examples) {
      Clip clip = ex.get(Clip.KEY);
      if (clip != null) {
        clips.add(clip);
      }
    }
    if (clips.size() == examples.size()) {
      MotionAccuracy.Result motion = MotionAccuracy.evaluate(clips, captions);
      out.addProperty("motion_accuracy", motion.motionAccuracy());
      out.addProperty("object_accuracy", motion.objectAccuracy());
      out.add("motion", Json.GSON.toJsonTree(motion));
    }
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }
}
