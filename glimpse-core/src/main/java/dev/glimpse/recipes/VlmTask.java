package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Conversation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.NamingGame;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticConversations;
import dev.glimpse.data.synth.SyntheticVqa;
import dev.glimpse.generate.Captioner;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.TakesImageSequences;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A vision-language model that follows instructions, as the connector designs train it: training data
 * are conversations about images ({@link SyntheticConversations}: describe it, then questions) with
 * {@link DataConfig#fewShotMix} of few-shot naming sequences ({@link NamingGame}); every model writes
 * them with its chat template. Evaluation, on held-out images:
 *
 * <ul>
 *   <li>captions: the template's caption request ({@link ChatTemplate#caption}) about each of {@code
 *       testSize} scenes, scored
 *       with the COCO metrics ({@code cider}) and attribute accuracy;
 *   <li>VQA: one question about each of {@code testSize} images, the official accuracy ({@code
 *       vqa_accuracy});
 *   <li>in-context learning, for models that take several images ({@link TakesImageSequences}):
 *       naming sequences at 0, 1, 2 and 4 shots ({@code fewshot_accuracy_K}: the generated name is the
 *       answer), where only the context holds the answer and 0 shots is chance.
 * </ul>
 */
public final class VlmTask implements Task {
  public static final String NAME = "vlm";
  /** The shot counts in-context learning is measured at. */
  public static final int[] SHOTS = {0, 1, 2, 4};
  /** Naming sequences per shot count at most. */
  public static final int MAX_FEW_SHOT = 200;

  @Override
  public String name() {
    return NAME;
  }

  /** Its data are made from the other tasks' scenes; the suite writes no files of its own for it. */
  @Override
  public boolean hasSuiteFiles() {
    return false;
  }

  @Override
  public String headline() {
    return "vqa_accuracy";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(data.seed()));
    if (split == Split.TRAIN) {
      return TaskSupport.mixIntoTraining(new SyntheticConversations(generator, split, size), split, data.fewShots(),
          () -> new NamingGame(generator, split, size, 1, 4));
    }
    List<Dataset> parts = new ArrayList<>();
    parts.add(new SyntheticCaptions(generator, split, size));
    parts.add(new SyntheticVqa(generator, split, size, 1));
    for (int k : SHOTS) {
      parts.add(new NamingGame(generator, split, Math.min(size, MAX_FEW_SHOT), k, k));
    }
    return concat(parts, "synthetic-vlm/" + split.id());
  }

  /** Datasets one after another. */
  static Dataset concat(List<Dataset> parts, String name) {
    int total = parts.stream().mapToInt(Dataset::size).sum();
    return new Dataset() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int size() {
        return total;
      }

      @Override
      public Example get(int index) {
        int i = index;
        for (Dataset d : parts) {
          if (i < d.size()) {
            return d.get(i);
          }
          i -= d.size();
        }
        throw new IndexOutOfBoundsException("index " + index + " of " + total);
      }
    };
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    List<Example> captions = new ArrayList<>();
    List<Example> questions = new ArrayList<>();
    Map<Integer, List<Example>> naming = new LinkedHashMap<>();
    for (Example ex : examples) {
      Integer shots = ex.get(NamingGame.SHOTS);
      if (shots != null) {
        naming.computeIfAbsent(shots, k -> new ArrayList<>()).add(ex);
      } else if (ex.prompt().isEmpty()) {
        captions.add(ex);
      } else {
        questions.add(ex);
      }
    }
    ChatTemplate template = model.tokenizer().chatTemplate();
    JsonObject out = new JsonObject();
    if (!captions.isEmpty()) {
      List<String> generated = generate(model, captions, eval,
          ex -> List.of(ChatTemplate.Turn.ask(0, template == null ? "" : template.caption())), template);
      JsonObject scores = CaptionTask.score(captions, generated, outDir == null ? null : outDir.resolve("captions"));
      out.add("cider", scores.get("CIDEr"));
      out.add("captions", scores);
    }
    if (!questions.isEmpty()) {
      List<String> answers = generate(model, questions, eval, ex -> List.of(ChatTemplate.Turn.ask(0, ex.prompt())),
          template);
      JsonObject scores = VqaTask.score(questions, answers, outDir == null ? null : outDir.resolve("vqa"));
      out.add("vqa_accuracy", scores.get("vqa_accuracy"));
      out.add("vqa", scores);
    }
    if (model.model() instanceof TakesImageSequences sequences && !captions.isEmpty()) {
      // mean over the caption images (AnyRes: each image its own count)
      double tokens = 0;
      for (Example ex : captions) {
        tokens += sequences.visualTokens(sequences.imageViews().view(ex.frames().get(0), model.transform()));
      }
      out.addProperty("visual_tokens_per_image", tokens / captions.size());
    }
    if (!naming.isEmpty() && model.model() instanceof TakesImageSequences) {
      JsonObject fewShot = new JsonObject();
      for (Map.Entry<Integer, List<Example>> e : naming.entrySet()) {
        List<Example> games = e.getValue();
        List<String> names = generate(model, games, eval, VlmTask::askLast, template);
        int right = 0;
        for (int i = 0; i < games.size(); i++) {
          right += firstWord(names.get(i)).equals(games.get(i).get(NamingGame.ANSWER)) ? 1 : 0;
        }
        double accuracy = (double) right / games.size();
        out.addProperty("fewshot_accuracy_" + e.getKey(), accuracy);
        JsonObject k = new JsonObject();
        k.addProperty("accuracy", accuracy);
        k.addProperty("sequences", games.size());
        k.add("samples", TaskSupport.samples(games, names, 4));
        fewShot.add(e.getKey() + "_shot", k);
      }
      fewShot.addProperty("chance_0_shot", 1.0 / NamingGame.NAMES.size());
      out.add("fewshot", fewShot);
    }
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }

  // a naming sequence with its examples' names and the last name to generate
  private static List<ChatTemplate.Turn> askLast(Example ex) {
    List<ChatTemplate.Turn> turns = new ArrayList<>(Conversation.of(ex).turns());
    ChatTemplate.Turn last = turns.remove(turns.size() - 1);
    turns.add(ChatTemplate.Turn.ask(last.image(), last.user()));
    return turns;
  }

  static String firstWord(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int space = t.indexOf(' ');
    String word = space < 0 ? t : t.substring(0, space);
    return word.replaceAll("[^a-z]", "");
  }

  /**
   * Generates one reply per example to the conversation {@code turns} gives it, written by the
   * model's chat template (without one: the messages as they are, image placeholders first).
   */
  static List<String> generate(LoadedModel model, List<Example> examples, EvalConfig eval,
      java.util.function.Function<Example, List<ChatTemplate.Turn>> turns, ChatTemplate template) {
    Tokenizer tokenizer = model.tokenizer();
    Captioner captioner = new Captioner(model.model(), tokenizer, model.transform(), model.manager());
    List<String> out = new ArrayList<>(examples.size());
    // batches of one image count: the rows of a pixel tensor hold equally many images
    Map<Integer, List<Integer>> byImages = new LinkedHashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      byImages.computeIfAbsent(examples.get(i).frames().size(), k -> new ArrayList<>()).add(i);
    }
    String[] replies = new String[examples.size()];
    for (List<Integer> group : byImages.values()) {
      List<List<BufferedImage>> clips = new ArrayList<>();
      List<int[]> prompts = new ArrayList<>();
      for (int i : group) {
        Example ex = examples.get(i);
        clips.add(ex.frames());
        prompts.add(ChatTemplate.prompt(tokenizer, template, turns.apply(ex)));
      }
      List<Captioner.Caption> generated = captioner.generateFromIds(clips, prompts, eval.generation(),
          eval.batchSize(), null);
      for (int j = 0; j < group.size(); j++) {
        replies[group.get(j)] = generated.get(j).text();
      }
    }
    for (String r : replies) {
      out.add(r);
    }
    return out;
  }

}
