package dev.glimpse.recipes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.VqaInfo;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticVqa;
import dev.glimpse.eval.vqa.VqaEvaluator;
import dev.glimpse.eval.vqa.VqaQuestion;
import dev.glimpse.eval.vqa.VqaResult;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Visual question answering as GIT casts it: the question is a text prefix (no loss on it), the
 * answer is generated after it. Scored with the official VQA accuracy; writes the official results
 * file {@code [{"question_id", "answer"}]} plus the questions and annotations in VQAv2 format.
 */
public final class VqaTask implements Task {
  public static final String NAME = "vqa";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "vqa_accuracy";
  }

  @Override
  public boolean mixesCaptions() {
    return true;
  }

  @Override
  public boolean packsTexts() {
    return true;
  }

  /**
   * The VQA questions of a split; for training with {@code data.captionMix} > 0, captions of the
   * same split's scenes (the scenes the questions are about) make up that share of the examples.
   * Training with {@code data.packTexts}: {@code size} images, each item every question about its
   * image plus (with {@code captionMix} > 0) its caption.
   */
  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    int perImage = SyntheticVqa.DEFAULT_QUESTIONS_PER_IMAGE;
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(data.seed()));
    if (data.packTexts() && split == Split.TRAIN) {
      return new SyntheticVqa(generator, split, Math.max(1, size), perImage).groups(data.captionMix() > 0);
    }
    int images = Math.max(1, (size + perImage - 1) / perImage);
    Dataset vqa = new SyntheticVqa(generator, split, images, perImage);
    return TaskSupport.mixIntoTraining(vqa, split, data.captionMix(),
        () -> new SyntheticCaptions(generator, split, images));
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeVqa(new SyntheticVqa(scenes, split, count), folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    return score(examples, TaskSupport.generate(model, examples, eval, null), outDir);
  }

  /** The official VQA accuracy of {@code answers} to the examples' questions, and the result files in {@code outDir}. */
  public static JsonObject score(List<Example> examples, List<String> answers, Path outDir) {
    List<VqaQuestion> questions = new ArrayList<>();
    Map<Long, String> predictions = new LinkedHashMap<>();
    JsonArray results = new JsonArray();
    JsonArray questionJson = new JsonArray();
    JsonArray annotationJson = new JsonArray();
    for (int i = 0; i < examples.size(); i++) {
      Example ex = examples.get(i);
      if (ex.targets().isEmpty()) {
        throw new GlimpseException("question " + ex.id() + " has no answers to score against");
      }
      VqaInfo question = VqaInfo.of(ex, i);
      long id = question.questionId();
      String questionType = question.questionType();
      String answerType = question.answerType();
      questions.add(VqaQuestion.of(id, questionType, answerType, ex.targets()));
      predictions.put(id, answers.get(i));
      JsonObject r = new JsonObject();
      r.addProperty("question_id", id);
      r.addProperty("answer", answers.get(i));
      results.add(r);
      JsonObject q = new JsonObject();
      q.addProperty("question_id", id);
      q.addProperty("image_id", question.imageId());
      q.addProperty("question", ex.prompt());
      questionJson.add(q);
      JsonObject a = new JsonObject();
      a.addProperty("question_id", id);
      a.addProperty("question_type", questionType);
      a.addProperty("answer_type", answerType);
      JsonArray list = new JsonArray();
      for (int k = 0; k < ex.targets().size(); k++) {
        JsonObject ans = new JsonObject();
        ans.addProperty("answer", ex.targets().get(k));
        ans.addProperty("answer_confidence", "yes");
        ans.addProperty("answer_id", k + 1);
        list.add(ans);
      }
      a.add("answers", list);
      annotationJson.add(a);
    }
    VqaResult result = VqaEvaluator.evaluate(questions, predictions);
    if (outDir != null) {
      Json.write(outDir.resolve("vqa_results.json"), results);
      JsonObject qs = new JsonObject();
      qs.add("questions", questionJson);
      Json.write(outDir.resolve("vqa_questions.json"), qs);
      JsonObject as = new JsonObject();
      as.add("annotations", annotationJson);
      Json.write(outDir.resolve("vqa_annotations.json"), as);
    }
    JsonObject out = new JsonObject();
    out.addProperty("vqa_accuracy", result.overall().fraction());
    JsonObject official = result.toJson(false);
    out.add("vqa", official);
    out.add("samples", TaskSupport.samples(examples, answers, 8));
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }
}
