package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.connect.ResamplerConfig;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.Chat;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.FlamingoConfig;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.recipes.CaptionTask;
import dev.glimpse.recipes.DataConfig;
import dev.glimpse.recipes.EvalConfig;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.TextTask;
import dev.glimpse.recipes.TokenizerConfig;
import dev.glimpse.recipes.TrainRun;
import dev.glimpse.recipes.VisionTowers;
import dev.glimpse.recipes.VlmTask;
import dev.glimpse.testing.HfFolders;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.train.TrainConfig;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's chat endpoint with every connector model Glimpse trains (LLaVA with its Vicuna
 * template, an AnyRes LLaVA, BLIP-2 and Flamingo with the question-answer template): a multi-turn
 * conversation is written by the model's chat template, the image in the message that holds it, and
 * the greedy answer is the one {@code glimpse chat} ({@link Chat#reply}) gives for the same
 * conversation; the prompt holds the earlier turns (its token count grows by exactly their ids).
 */
class ConnectorChatServeTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final BufferedImage PICTURE = HfFolders.picture(5, 60, 36); // wider than tall: AnyRes takes 2 tiles
  static final String IMAGE = HfFolders.dataUrl(PICTURE);
  static final String FIRST = "describe the image briefly.";
  static final String REPLY = "a red circle.";
  static final String SECOND = "how many shapes are there?";

  @TempDir static Path dir;
  static final Map<String, Path> RUNS = new LinkedHashMap<>();
  static TestServer server;

  static TrainConfig train(int steps, int maxText) {
    return TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = 2;
      t.learningRate = 1e-3;
      t.warmupSteps = 1;
      t.logEvery = 1;
      t.labelSmoothing = 0;
      t.maxTextTokens = maxText;
    });
  }

  @BeforeAll
  static void trainAndServe() {
    LanguageModelConfig lm = new LanguageModelConfig(TransformerConfig.llama(32, 2, 2, 64).with(b -> b.kvHeads = 1),
        1, 160, 0, false);
    VisionConfig tower = VisionConfig.vit(24, 8, TransformerConfig.preLn(32, 1, 4));
    Path lmRun = dir.resolve("lm");
    TrainRun.run(new Recipe("serve-lm", "", TextTask.NAME, lm, train(2, 96), DataConfig.synthetic(300, 2),
        new TokenizerConfig(300, 2, 200, null), EvalConfig.greedy(4)),
        new TrainRun.Options(lmRun, false, Long.MAX_VALUE, false, true, QUIET));
    Path towerRun = dir.resolve("tower");
    TrainRun.run(new Recipe("serve-tower", "", CaptionTask.NAME,
        GitConfig.of(tower, TransformerConfig.preLn(32, 1, 4)).withMaxTextPositions(32), train(1, 32),
        DataConfig.synthetic(100, 2), new TokenizerConfig(300, 2, 100, null), EvalConfig.greedy(4)),
        new TrainRun.Options(towerRun, false, Long.MAX_VALUE, false, true, QUIET));

    QFormerConfig qformer = QFormerConfig.of(TransformerConfig.preLn(32, 1, 4).with(b -> {
      b.preNorm = false;
      b.finalNorm = false;
    }), 4);
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    models.put("llava", LlavaConfig.onVit(tower, lm, 512));
    models.put("llava-anyres", LlavaConfig.onVit(tower, lm, 512)
        .withAnyRes(List.of(List.of(24, 48), List.of(48, 24), List.of(48, 48))));
    models.put("blip2", Blip2Config.onVit(tower, qformer, lm, 512));
    models.put("flamingo", FlamingoConfig.onVit(tower, new ResamplerConfig(1, 4, 4, 1), lm, 1, 512));
    for (Map.Entry<String, ModelConfig> e : models.entrySet()) {
      boolean vicuna = e.getKey().startsWith("llava");
      TrainConfig t = train(1, 160);
      t = switch (e.getKey()) {
        case "blip2" -> t.withGroups(ParameterGroup.onlyTraining("qformer.", "language_projection."))
            .withObjective("generative");
        case "flamingo" -> t.withGroups(ParameterGroup.onlyTraining("resampler.", "xattn."));
        default -> t.withFreeze(List.of(VisionTowers.PREFIX));
      };
      Recipe recipe = new Recipe("serve-" + e.getKey(), "", VlmTask.NAME, e.getValue(), t,
          DataConfig.synthetic(100, 2).withFirstTargetProbability(1.0).withFewShotMix(0.5),
          TokenizerConfig.bpe(512).withChatTemplate(vicuna ? ChatTemplate.vicuna() : ChatTemplate.questionAnswer()),
          EvalConfig.greedy(4));
      Path run = dir.resolve(e.getKey());
      TrainRun.run(recipe, new TrainRun.Options(run, false, Long.MAX_VALUE, false, true, QUIET, null, towerRun, lmRun,
          null, ai.djl.Device.cpu()));
      RUNS.put(e.getKey(), run);
    }
    server = new TestServer(ServeOptions.defaults(), RUNS);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static JsonObject message(String role, String text, String imageUrl) {
    JsonObject m = new JsonObject();
    m.addProperty("role", role);
    if (imageUrl == null) {
      m.addProperty("content", text);
      return m;
    }
    JsonArray content = new JsonArray();
    JsonObject t = new JsonObject();
    t.addProperty("type", "text");
    t.addProperty("text", text);
    content.add(t);
    JsonObject i = new JsonObject();
    i.addProperty("type", "image_url");
    JsonObject u = new JsonObject();
    u.addProperty("url", imageUrl);
    i.add("image_url", u);
    content.add(i);
    m.add("content", content);
    return m;
  }

  static JsonObject body(String model, JsonObject... messages) {
    JsonObject body = new JsonObject();
    body.addProperty("model", model);
    JsonArray list = new JsonArray();
    for (JsonObject m : messages) {
      list.add(m);
    }
    body.add("messages", list);
    body.addProperty("max_tokens", 4);
    body.addProperty("temperature", 0);
    return body;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llava", "llava-anyres", "blip2", "flamingo"})
  void multiTurnChatIsWrittenByTheTemplateAndAnswersAsGlimpseChat(String model) {
    TestServer.Reply one = server.post("/v1/chat/completions", body(model, message("user", FIRST, IMAGE)));
    assertEquals(200, one.status(), one.body());
    TestServer.Reply three = server.post("/v1/chat/completions", body(model, message("user", FIRST, IMAGE),
        message("assistant", REPLY, null), message("user", SECOND, null)));
    assertEquals(200, three.status(), three.body());
    TestServer.Reply twoUsers = server.post("/v1/chat/completions", body(model, message("user", FIRST, IMAGE),
        message("user", SECOND, null)));
    assertEquals(400, twoUsers.status(), twoUsers.body());
    assertEquals("messages", twoUsers.error().get("param").getAsString(), twoUsers.body());

    try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(RUNS.get(model), m)) {
      ChatTemplate template = loaded.tokenizer().chatTemplate();
      assertNotNull(template, "the chat template is saved with the tokenizer");
      Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
      List<Chat.Message> first = List.of(Chat.Message.user(FIRST, 0));
      List<Chat.Message> history = List.of(Chat.Message.user(FIRST, 0), Chat.Message.assistant(REPLY),
          Chat.Message.user(SECOND, -1));
      GenerationConfig greedy = GenerationConfig.greedy(4);
      assertEquals(Chat.reply(captioner, loaded.tokenizer(), List.of(PICTURE), first, greedy).strip(),
          content(one).strip(), model + ": one turn, as glimpse chat answers it");
      assertEquals(Chat.reply(captioner, loaded.tokenizer(), List.of(PICTURE), history, greedy).strip(),
          content(three).strip(), model + ": three messages, as glimpse chat answers them");
      // the earlier turns are in the prompt, written by the template
      int grown = template.encode(loaded.tokenizer(), Chat.turns(history)).ids().length
          - template.encode(loaded.tokenizer(), Chat.turns(first)).ids().length;
      assertEquals(grown, promptTokens(three) - promptTokens(one), model + ": prompt tokens of the earlier turns");
    }
  }

  static String content(TestServer.Reply r) {
    return r.json().getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message").get("content")
        .getAsString();
  }

  static int promptTokens(TestServer.Reply r) {
    return r.json().getAsJsonObject("usage").get("prompt_tokens").getAsInt();
  }
}
