package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.DenoisingBatch;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.model.VlvConfig;
import dev.glimpse.model.VlvModel;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.testing.CliRun;
import dev.glimpse.testing.TinyVlv;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.train.design.VlvDesign;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole VLV pipeline on tiny models: a CLIP checkpoint, a text-to-image model on its frozen text
 * encoder, VLV stage 1 on the frozen diffusion decoder from images alone, stage 2 on the stage-1
 * autoencoder with its evaluation (captions, text-only QA, reconstruction through z and through the
 * caption, scored by a reference captioner); the frozen parts stay bit-identical, stage 1 never reads a
 * caption, and {@code glimpse generate} draws from prompts and reconstructs images with one clear error
 * line for bad prompts and checkpoints of the wrong kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VlvPipelineTest {
  private Path dir;
  private Path clip;
  private Path diffusion;
  private Path reference;
  private Path stage1;
  private Path stage2;
  private Path stage2Mlp;
  private Path lm;
  private JsonObject stage2Summary;

  private static TrainRun.Options options(Path out, boolean evaluate, Map<String, Path> parts) {
    return new TrainRun.Options(out, false, Long.MAX_VALUE, evaluate, true, TrainRunTest.QUIET).withParts(parts);
  }

  @BeforeAll
  void trainThePipeline(@TempDir Path tmp) {
    dir = tmp;
    clip = dir.resolve("clip");
    TinyVlv.clipCheckpoint(clip);
    diffusion = dir.resolve("diffusion");
    TrainRun.run(TinyVlv.diffusion(3), options(diffusion, false, Map.of("text-encoder", clip)));
    reference = dir.resolve("reference");
    TrainRun.run(TrainRunTest.tiny(2), options(reference, false, Map.of()));
    stage1 = dir.resolve("stage1");
    TrainRun.run(TinyVlv.stage1(3), options(stage1, false, Map.of("decoder", diffusion)));
    lm = dir.resolve("lm");
    TinyVlv.languageModelCheckpoint(lm);
    stage2 = dir.resolve("stage2");
    Recipe s2 = TinyVlv.stage2(3);
    s2 = s2.withEval(s2.eval().withReferenceCaptioner(reference.toString()));
    stage2Summary = TrainRun.run(s2, options(stage2, true, stage2Parts()));
    stage2Mlp = dir.resolve("stage2-mlp");
    TrainRun.run(TinyVlv.stage2MlpOnly(2), options(stage2Mlp, false, stage2Parts()));
  }

  private Map<String, Path> stage2Parts() {
    return Map.of("autoencoder", stage1, "language-model", lm);
  }

  private static Map<String, SafeTensors.Tensor> weights(Path run) {
    return SafeTensors.read(Checkpoint.resolve(run).resolve(Checkpoint.WEIGHTS)).tensors();
  }

  /** Every tensor of {@code part} under {@code prefix} equals {@code source}'s under {@code sourcePrefix}, bit for bit. */
  private static int assertSame(Map<String, SafeTensors.Tensor> part, String prefix, Map<String, SafeTensors.Tensor> source,
      String sourcePrefix) {
    int n = 0;
    for (Map.Entry<String, SafeTensors.Tensor> e : part.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        String name = sourcePrefix + e.getKey().substring(prefix.length());
        assertArrayEquals(source.get(name).toFloats(), e.getValue().toFloats(), e.getKey() + " changed");
        n++;
      }
    }
    return n;
  }

  @Test
  void frozenPartsAreBitIdenticalAfterTraining() {
    Map<String, SafeTensors.Tensor> clipWeights = weights(clip);
    Map<String, SafeTensors.Tensor> diffusionWeights = weights(diffusion);
    Map<String, SafeTensors.Tensor> stage1Weights = weights(stage1);
    Map<String, SafeTensors.Tensor> stage2Weights = weights(stage2);
    assertTrue(assertSame(diffusionWeights, "text_encoder.text.", clipWeights, "text.") > 0);
    assertTrue(assertSame(diffusionWeights, "text_encoder.text_embedding.", clipWeights, "text_embedding.") > 0);
    assertTrue(assertSame(stage1Weights, "decoder.", diffusionWeights, "") > 10);
    assertTrue(assertSame(stage2Weights, "decoder.", stage1Weights, "decoder.") > 10);
    assertTrue(assertSame(stage2Weights, "encoder.", stage1Weights, "encoder.") > 10);
    // MLP only: the language model is the checkpoint's, bit for bit, beside the frozen CLIP text encoder and decoder
    Map<String, SafeTensors.Tensor> mlpOnly = weights(stage2Mlp);
    Map<String, SafeTensors.Tensor> lmWeights = weights(lm);
    assertEquals(lmWeights.size(), assertSame(mlpOnly, "caption.lm.", lmWeights, ""));
    assertTrue(assertSame(mlpOnly, "decoder.text_encoder.text.", clipWeights, "text.") > 0);
    assertTrue(assertSame(mlpOnly, "decoder.", diffusionWeights, "") > 10);
    assertTrue(assertSame(mlpOnly, "encoder.", stage1Weights, "encoder.") > 10);
  }

  @Test
  void stageTwoTrainsTheMlpAndTheLanguageModelItWasGiven() throws Exception {
    Map<String, SafeTensors.Tensor> lmWeights = weights(lm);
    for (Path run : List.of(stage2, stage2Mlp)) {
      Map<String, SafeTensors.Tensor> trained = weights(run);
      // the language model in place is the lm checkpoint's, under caption.lm.: same names and shapes
      for (Map.Entry<String, SafeTensors.Tensor> e : lmWeights.entrySet()) {
        SafeTensors.Tensor t = trained.get("caption.lm." + e.getKey());
        assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
      }
      assertEquals(lmWeights.size(), trained.keySet().stream().filter(n -> n.startsWith("caption.lm.")).count());
      List<String> log = Files.readAllLines(run.resolve(RunLog.FILE));
      assertTrue(log.get(0).contains("\"loss_lm\""), log.get(0));
    }
    // MLP + LM: both moved away from where they started
    Map<String, SafeTensors.Tensor> trained = weights(stage2);
    Map<String, SafeTensors.Tensor> mlpOnly = weights(stage2Mlp);
    long lmMoved = lmWeights.keySet().stream().filter(n -> !java.util.Arrays.equals(lmWeights.get(n).toFloats(),
        trained.get("caption.lm." + n).toFloats())).count();
    assertTrue(lmMoved > lmWeights.size() / 2, lmMoved + " of " + lmWeights.size() + " language-model tensors moved");
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore fresh = new ParameterStore(manager, TinyVlv.stage2(3).train().seed());
      new VlvModel(fresh.root(), TinyVlv.vlvModel(true).withVocabSize(lmVocab()));
      for (Map<String, SafeTensors.Tensor> run : List.of(trained, mlpOnly)) {
        for (String name : fresh.names()) {
          if (name.startsWith("caption.projector.") && name.endsWith("weight")) {
            assertFalse(java.util.Arrays.equals(fresh.get(name).array().toFloatArray(), run.get(name).toFloats()), name);
          }
        }
      }
    }
  }

  private int lmVocab() {
    return dev.glimpse.checkpoint.CheckpointConfig.read(Checkpoint.resolve(lm)).model().vocabSize();
  }

  @Test
  void stageTwoWritesWithTheLanguageModelsTokenizerAndKeepsTheDecodersBeside() throws Exception {
    Path checkpoint = Checkpoint.resolve(stage2);
    assertEquals(Files.readString(Checkpoint.resolve(lm).resolve("tokenizer.json")),
        Files.readString(checkpoint.resolve("tokenizer.json")), "the captions' tokenizer is the language model's");
    assertEquals(Files.readString(Checkpoint.resolve(stage1).resolve("tokenizer.json")),
        Files.readString(checkpoint.resolve(Checkpoint.DECODER_TOKENIZER)), "the decoder keeps the CLIP tokenizer");
    assertNotEquals(Files.readString(checkpoint.resolve("tokenizer.json")),
        Files.readString(checkpoint.resolve(Checkpoint.DECODER_TOKENIZER)));
    VlvConfig saved = (VlvConfig) dev.glimpse.checkpoint.CheckpointConfig.read(checkpoint).model();
    assertEquals(lmVocab(), saved.vocabSize());
    assertEquals(TinyVlv.languageModel(lmVocab()), saved.captioner().languageModel());
    assertEquals(300, saved.decoder().vocabSize(), "the decoder's text encoder keeps its rows");
    // a stage-1 checkpoint has one tokenizer, the decoder's
    assertFalse(Files.exists(Checkpoint.resolve(stage1).resolve(Checkpoint.DECODER_TOKENIZER)));
  }

  @Test
  void anInterruptedStageTwoResumesWithBothTokenizersToTheStraightRun() throws Exception {
    Path out = dir.resolve("stage2-resumed");
    TrainRun.run(TinyVlv.stage2MlpOnly(2), new TrainRun.Options(out, false, 1, false, true, TrainRunTest.QUIET)
        .withParts(stage2Parts()));
    assertEquals(1, Checkpoint.readState(Checkpoint.resolve(out)).step());
    TrainRun.run(null, new TrainRun.Options(out, true, Long.MAX_VALUE, false, true, TrainRunTest.QUIET));
    Map<String, SafeTensors.Tensor> straight = weights(stage2Mlp);
    Map<String, SafeTensors.Tensor> resumed = weights(out);
    assertEquals(straight.keySet(), resumed.keySet());
    for (String name : straight.keySet()) {
      assertArrayEquals(straight.get(name).toFloats(), resumed.get(name).toFloats(), name);
    }
    for (String file : new String[] {"tokenizer.json", Checkpoint.DECODER_TOKENIZER}) {
      assertEquals(Files.readString(Checkpoint.resolve(stage2Mlp).resolve(file)),
          Files.readString(Checkpoint.resolve(out).resolve(file)), file);
    }
  }

  @Test
  void theDecoderOfAStageTwoCheckpointDrawsExactlyAsTheDiffusionModel() throws Exception {
    // the frozen decoder and its own tokenizer: a prompt gives the diffusion model's image, pixel for pixel
    List<int[]> pixels = new ArrayList<>();
    for (Path checkpoint : List.of(diffusion, stage2)) {
      Path grid = dir.resolve("same-" + checkpoint.getFileName() + ".png");
      CliRun r = CliRun.of("generate", "--checkpoint", checkpoint.toString(), "--prompt", "two small green stars",
          "--prompt", "a large red circle on the left", "--steps", "2", "--seed", "3", "--tile", "16", "--out",
          grid.toString());
      assertEquals(0, r.exitCode(), r.err());
      BufferedImage image = ImageIO.read(grid.toFile());
      pixels.add(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()));
    }
    assertArrayEquals(pixels.get(0), pixels.get(1));
  }

  @Test
  void theLanguageModelPartIsCheckedBeforeAnyTraining() {
    GlimpseException missing = assertThrows(GlimpseException.class,
        () -> TrainRun.run(TinyVlv.stage2(2), options(dir.resolve("no-lm"), false, Map.of("autoencoder", stage1))));
    assertTrue(missing.getMessage().contains("--part language-model="), missing.getMessage());
    for (Path wrong : List.of(reference, clip, stage1)) {
      GlimpseException e = assertThrows(GlimpseException.class, () -> TrainRun.run(TinyVlv.stage2(2),
          options(dir.resolve("wrong-lm"), false, Map.of("autoencoder", stage1, "language-model", wrong))));
      assertTrue(e.getMessage().contains("--part language-model=" + wrong) && e.getMessage().contains("('lm') checkpoint"),
          e.getMessage());
    }
    GlimpseException flag = assertThrows(GlimpseException.class, () -> TrainRun.run(TinyVlv.stage2(2),
        new TrainRun.Options(dir.resolve("flag-lm"), false, Long.MAX_VALUE, false, true, TrainRunTest.QUIET, null, null,
            lm, null, ai.djl.Device.cpu(), Map.of("autoencoder", stage1))));
    assertTrue(flag.getMessage().contains("--part language-model=DIR"), flag.getMessage());
    GlimpseException stageOne = assertThrows(GlimpseException.class, () -> TrainRun.run(TinyVlv.stage1(2),
        options(dir.resolve("s1-lm"), false, Map.of("decoder", diffusion, "language-model", lm))));
    assertTrue(stageOne.getMessage().contains("takes decoder"), stageOne.getMessage());
    assertFalse(Files.exists(dir.resolve("wrong-lm").resolve(Checkpoint.RUN_CHECKPOINT)));

    // on the command line: one error line each
    Recipes.register("tiny-vlv-test", () -> TinyVlv.stage2(2));
    String out = dir.resolve("cli-lm").toString();
    assertOneLine(CliRun.of("train", "--recipe", "tiny-vlv-test", "--part", "autoencoder=" + stage1, "--part",
        "language-model=" + reference, "--out", out), "('lm') checkpoint");
    assertOneLine(CliRun.of("train", "--recipe", "tiny-vlv-test", "--part", "autoencoder=" + stage1, "--out", out),
        "--part language-model=");
    assertOneLine(CliRun.of("train", "--recipe", "tiny-vlv-test", "--part", "autoencoder=" + stage1,
        "--language-model", lm.toString(), "--out", out), "--part language-model=DIR");
    assertOneLine(CliRun.of("train", "--recipe", "vlv-quick", "--language-model", lm.toString(), "--out", out),
        "--part language-model=DIR");
  }

  @Test
  void aSavedStageTwoCheckpointNeedsNoLanguageModelRunAndRoundTrips() throws Exception {
    Path moved = dir.resolve("lm-moved-away");
    Files.move(lm, moved);
    try (NDManager manager = NDManager.newBaseManager()) {
      BufferedImage image = new SceneGenerator(SceneConfig.defaults()).render(new SceneGenerator(SceneConfig.defaults())
          .scene(Split.TEST, 2));
      float[] logits;
      String caption;
      Path copy = dir.resolve("stage2-resaved");
      try (dev.glimpse.train.LoadedModel loaded = dev.glimpse.train.LoadedModel.load(stage2, manager)) {
        logits = logits(loaded, image);
        caption = caption(loaded, image);
        assertNotEquals(loaded.tokenizer().vocabSize(), loaded.decoderTokenizer().vocabSize());
        Checkpoint.write(copy, dev.glimpse.checkpoint.CheckpointConfig.read(loaded.source()), loaded.store(),
            loaded.tokenizer(), loaded.decoderTokenizer(), null, null);
      }
      try (dev.glimpse.train.LoadedModel again = dev.glimpse.train.LoadedModel.load(copy, manager)) {
        assertArrayEquals(logits, logits(again, image));
        assertEquals(caption, caption(again, image));
      }
      for (String file : new String[] {"model.safetensors", "tokenizer.json", Checkpoint.DECODER_TOKENIZER}) {
        assertArrayEquals(Files.readAllBytes(Checkpoint.resolve(stage2).resolve(file)),
            Files.readAllBytes(copy.resolve(file)), file);
      }
      // without its decoder's tokenizer a stage-2 checkpoint is incomplete: one error line
      Files.delete(copy.resolve(Checkpoint.DECODER_TOKENIZER));
      Path input = dir.resolve("round-trip.png");
      ImageIO.write(image, "png", input.toFile());
      assertOneLine(CliRun.of("caption", "--checkpoint", copy.toString(), input.toString()),
          "missing " + Checkpoint.DECODER_TOKENIZER);
    } finally {
      Files.move(moved, lm);
    }
  }

  private static float[] logits(dev.glimpse.train.LoadedModel loaded, BufferedImage image) {
    try (NDManager m = loaded.manager().newSubManager()) {
      int[] words = loaded.tokenizer().encode("a large red circle");
      long[] ids = new long[words.length + 1];
      ids[0] = loaded.tokenizer().special().bos();
      for (int i = 0; i < words.length; i++) {
        ids[i + 1] = words[i];
      }
      float[] pixels = loaded.transform().apply(image);
      ai.djl.ndarray.NDArray x = m.create(pixels, new ai.djl.ndarray.types.Shape(1, 3, loaded.transform().height(),
          loaded.transform().width()));
      ai.djl.ndarray.NDArray idArray = m.create(ids).reshape(1, -1);
      return loaded.model().forward(x, idArray, m.ones(idArray.getShape())).toFloatArray();
    }
  }

  private static String caption(dev.glimpse.train.LoadedModel loaded, BufferedImage image) {
    dev.glimpse.generate.Captioner captioner = new dev.glimpse.generate.Captioner(loaded.model(), loaded.tokenizer(),
        loaded.transform(), loaded.manager());
    return captioner.caption(List.of(image), dev.glimpse.generate.GenerationConfig.greedy(12), 1).get(0).text();
  }

  @Test
  void evalAndServeWorkOnTheStageTwoCheckpoint() throws Exception {
    CliRun r = CliRun.of("eval", "--checkpoint", stage2.toString(), "--count", "2", "--reference-captioner",
        reference.toString(), "--out", dir.resolve("eval-s2").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject json = r.json();
    for (String key : new String[] {"cider", "text_qa_accuracy", "reconstruction_attribute_accuracy",
        "embedding_reconstruction_accuracy"}) {
      assertTrue(json.has(key), key + " in " + json.keySet());
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    ImageIO.write(new SceneGenerator(SceneConfig.defaults()).render(new SceneGenerator(SceneConfig.defaults())
        .scene(Split.TEST, 3)), "png", png);
    String url = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png.toByteArray());
    try (dev.glimpse.serve.GlimpseServer server = new dev.glimpse.serve.GlimpseServer(
        dev.glimpse.serve.ServeOptions.defaults().withPort(0), line -> { })) {
      int port = server.start();
      server.load("vlv", stage2);
      server.ready();
      String body = "{\"model\": \"vlv\", \"max_tokens\": 8, \"messages\": [{\"role\": \"user\", \"content\": "
          + "[{\"type\": \"image_url\", \"image_url\": {\"url\": \"" + url + "\"}}]}]}";
      java.net.http.HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, reply.statusCode(), reply.body());
      JsonObject message = com.google.gson.JsonParser.parseString(reply.body()).getAsJsonObject()
          .getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message");
      assertTrue(message.get("content").isJsonPrimitive(), reply.body());
    }
  }

  @Test
  void stageOneTrainsTheEncoderWithTheDenoisingLoss() throws Exception {
    Map<String, SafeTensors.Tensor> trained = weights(stage1);
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore fresh = new ParameterStore(manager, TinyVlv.stage1(3).train().seed());
      new VlvModel(fresh.root(), TinyVlv.vlvModel(false));
      int moved = 0;
      for (String name : fresh.names()) {
        if (name.startsWith("encoder.")) {
          moved += java.util.Arrays.equals(fresh.get(name).array().toFloatArray(), trained.get(name).toFloats()) ? 0 : 1;
        }
      }
      assertTrue(moved > 10, "the encoder trains (" + moved + " tensors moved)");
    }
    List<String> log = Files.readAllLines(stage1.resolve(RunLog.FILE));
    assertEquals(3, log.size());
    assertTrue(log.get(0).contains("\"loss_denoise\""), log.get(0));
  }

  @Test
  void stageTwoReportsCaptionsTextQaAndBothReconstructions() {
    JsonObject s = stage2Summary;
    for (String key : new String[] {"cider", "text_qa_accuracy", "reconstruction_attribute_accuracy",
        "embedding_reconstruction_accuracy"}) {
      assertTrue(s.has(key), key + " in " + s.keySet());
      double v = s.get(key).getAsDouble();
      assertTrue(v >= 0 && (key.equals("cider") || v <= 1), key + " = " + v);
    }
    assertTrue(s.getAsJsonObject("text_qa").get("questions").getAsInt() > 0);
    assertTrue(s.getAsJsonObject("text_reconstruction").has("frechet_distance"));
    assertTrue(Files.isRegularFile(stage2.resolve("eval").resolve("samples.png")));
  }

  /** Eight scene images under two JSONL files that caption them differently (a.jsonl, b.jsonl). */
  private Path captionedTwice() throws Exception {
    Path data = dir.resolve("captionless");
    if (Files.isRegularFile(data.resolve("b.jsonl"))) {
      return data;
    }
    Files.createDirectories(data.resolve("images"));
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(9));
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      BufferedImage image = scenes.render(scenes.scene(Split.TRAIN, i));
      ImageIO.write(image, "png", data.resolve("images/" + i + ".png").toFile());
      a.append("{\"image\": \"images/").append(i).append(".png\", \"caption\": \"a red circle number ").append(i)
          .append("\"}\n");
      b.append("{\"image\": \"images/").append(i).append(".png\", \"captions\": [\"three blue stars\", \"nothing ")
          .append(i * 7).append("\"]}\n");
    }
    Files.writeString(data.resolve("a.jsonl"), a);
    Files.writeString(data.resolve("b.jsonl"), b);
    return data;
  }

  private static Recipe stageOneOn(Path jsonl) {
    Recipe r = TinyVlv.stage1(3);
    return r.withData(new DataConfig("jsonl:" + jsonl, null, 0, 0, 1, 0, 0, 0, null, null, null, false,
        ImageTransform.FIT, 0, null));
  }

  @Test
  void stageOneNeverReadsACaption() throws Exception {
    // the same images under two different sets of captions: stage 1 learns exactly the same weights
    Path data = captionedTwice();
    List<Map<String, SafeTensors.Tensor>> runs = new ArrayList<>();
    for (String file : new String[] {"a.jsonl", "b.jsonl"}) {
      Recipe r = stageOneOn(data.resolve(file));
      Path out = dir.resolve("captionless-" + file);
      TrainRun.run(r, options(out, false, Map.of("decoder", diffusion)));
      runs.add(weights(out));
    }
    for (String name : runs.get(0).keySet()) {
      assertArrayEquals(runs.get(0).get(name).toFloats(), runs.get(1).get(name).toFloats(), name);
    }
  }

  @Test
  void stageOneDataAndBatchesHoldNoText() throws Exception {
    // what the stage-1 trainer is given: a captioned JSONL source and the synthetic scenes, without any text
    for (Recipe r : List.of(stageOneOn(captionedTwice().resolve("a.jsonl")), TinyVlv.stage1(3))) {
      Dataset train = Tasks.of(r).trainData(r);
      assertTrue(train.size() > 0, r.data().toString());
      for (int i = 0; i < Math.min(8, train.size()); i++) {
        Example ex = train.get(i);
        assertEquals("", ex.prompt(), r.data() + " example " + i);
        assertEquals(List.of(), ex.targets(), r.data() + " example " + i);
      }
    }
    // and the stage-1 batcher reads images alone even from captioned examples
    try (NDManager manager = NDManager.newBaseManager()) {
      VlvConfig config = TinyVlv.vlvModel(false);
      VlvModel model = new VlvModel(new ParameterStore(manager, 1).root(), config);
      Recipe r = TinyVlv.stage1(3);
      Training<?> training = new VlvDesign().training(model, new TrainingSetup(config, null,
          ImageTransform.square(TinyVlv.SIDE), r.train(), 1, false));
      SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults());
      List<Example> captioned = List.of(Example.caption("x", scenes.render(scenes.scene(Split.TRAIN, 0)),
          List.of("a large red circle on the left")));
      Object batch = training.batcher().batch(captioned, new SplittableRandom(1));
      assertNull(((DenoisingBatch) batch).ids(), "a stage-1 batch carries no caption ids");
    }
  }

  @Test
  void partsAreCheckedBeforeAnyTraining() {
    GlimpseException missing = assertThrows(GlimpseException.class,
        () -> TrainRun.run(TinyVlv.stage1(2), options(dir.resolve("no-decoder"), false, Map.of())));
    assertTrue(missing.getMessage().contains("--part decoder="), missing.getMessage());
    GlimpseException wrongKind = assertThrows(GlimpseException.class,
        () -> TrainRun.run(TinyVlv.stage1(2), options(dir.resolve("git-decoder"), false, Map.of("decoder", reference))));
    assertTrue(wrongKind.getMessage().contains("diffusion"), wrongKind.getMessage());
    GlimpseException unknown = assertThrows(GlimpseException.class,
        () -> TrainRun.run(TinyVlv.stage1(2), options(dir.resolve("unknown"), false, Map.of("tokenizer", diffusion))));
    assertTrue(unknown.getMessage().contains("takes decoder"), unknown.getMessage());
    Recipe unfrozen = TinyVlv.stage1(2);
    Recipe trainsDecoder = unfrozen.withTrain(unfrozen.train().withFreeze(List.of()));
    GlimpseException decoder = assertThrows(GlimpseException.class,
        () -> TrainRun.run(trainsDecoder, options(dir.resolve("unfrozen"), false, Map.of("decoder", diffusion))));
    assertTrue(decoder.getMessage().contains("frozen decoder"), decoder.getMessage());
    // an encoder that does not fit the decoder it is given: more queries than its text encoder's positions
    Recipe many = TinyVlv.stage1(2);
    Recipe manyQueries = many.withModel(((VlvConfig) many.model()).withQueries(30));
    GlimpseException queries = assertThrows(GlimpseException.class,
        () -> TrainRun.run(manyQueries, options(dir.resolve("too-many-queries"), false, Map.of("decoder", diffusion))));
    assertTrue(queries.getMessage().contains("--part decoder=") && queries.getMessage().contains("30 queries")
        && queries.getMessage().contains("24 positions"), queries.getMessage());
    assertFalse(Files.exists(dir.resolve("too-many-queries").resolve(Checkpoint.RUN_CHECKPOINT)));
  }

  @Test
  void aDiffusionRunWithoutItsClipTextEncoderSaysSo() {
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    java.io.PrintStream info = new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8);
    TrainRun.run(TinyVlv.diffusion(2), new TrainRun.Options(dir.resolve("no-clip"), false, 1, false, true, info));
    String printed = log.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.contains("warning: no --part text-encoder=DIR"), printed);
    log.reset();
    TrainRun.run(TinyVlv.diffusion(2), new TrainRun.Options(dir.resolve("with-clip"), false, 1, false, true, info)
        .withParts(Map.of("text-encoder", clip)));
    printed = log.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(printed.contains("warning: no --part"), printed);
  }

  @Test
  void aDecoderOfAnotherImageSizeIsOneErrorLine() {
    // the quick recipe's 32x32 encoder on the tiny 16x16 decoder
    assertOneLine(CliRun.of("train", "--recipe", "vlv-quick-stage1", "--part", "decoder=" + diffusion, "--out",
        dir.resolve("other-size").toString()), "image size");
  }

  @Test
  void aWrongReferenceCaptionerIsRefusedBeforeAnyWork() {
    // train: before the first step (a CLIP checkpoint cannot caption)
    Recipe r = TinyVlv.diffusion(2);
    Recipe withClip = r.withEval(r.eval().withReferenceCaptioner(clip.toString()));
    Path out = dir.resolve("clip-reference");
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> TrainRun.run(withClip, options(out, true, Map.of("text-encoder", clip))));
    assertTrue(e.getMessage().contains("reference captioner"), e.getMessage());
    assertFalse(Files.exists(out.resolve(Checkpoint.RUN_CHECKPOINT)), "nothing trained");
    // eval: before any image is generated, one error line
    for (Path checkpoint : List.of(diffusion, stage1, stage2)) {
      CliRun run = CliRun.of("eval", "--checkpoint", checkpoint.toString(), "--count", "2", "--reference-captioner",
          clip.toString(), "--out", dir.resolve("eval-clip-reference").toString());
      assertNotEquals(0, run.exitCode());
      List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
      assertEquals(1, errors.size(), run.err());
      assertTrue(errors.get(0).contains("reference captioner"), errors.get(0));
      assertFalse(run.err().contains("generating") || run.err().contains("reconstructing"), run.err());
    }
  }

  @Test
  void generateDrawsFromPromptsAndReconstructsImages() throws Exception {
    Path grid = dir.resolve("grid.png");
    CliRun r = CliRun.of("generate", "--checkpoint", diffusion.toString(), "--prompt", "a large red circle on the left",
        "--prompt", "a small blue square at the top", "--samples", "2", "--steps", "2", "--tile", "32", "--out",
        grid.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject json = r.json();
    assertEquals(2, json.getAsJsonArray("prompts").size());
    BufferedImage image = ImageIO.read(grid.toFile());
    assertTrue(image.getWidth() >= 2 * 32 && image.getHeight() >= 2 * 32);

    Path input = dir.resolve("input.png");
    ImageIO.write(new SceneGenerator(SceneConfig.defaults()).render(new SceneGenerator(SceneConfig.defaults())
        .scene(Split.TEST, 1)), "png", input.toFile());
    Path rebuilt = dir.resolve("rebuilt.png");
    CliRun z = CliRun.of("generate", "--checkpoint", stage2.toString(), "--from-image", input.toString(), "--steps", "2",
        "--samples", "1", "--out", rebuilt.toString());
    assertEquals(0, z.exitCode(), z.err());
    assertTrue(Files.size(rebuilt) > 0);

    CliRun caption = CliRun.of("caption", "--checkpoint", stage2.toString(), input.toString());
    assertEquals(0, caption.exitCode(), caption.err());
  }

  @Test
  void generateRefusesBadPromptsAndCheckpointsWithOneLine() {
    String out = dir.resolve("bad.png").toString();
    assertOneLine(CliRun.of("generate", "--checkpoint", diffusion.toString(), "--prompt", " ", "--out", out),
        "empty prompt");
    String long_ = String.join(" ", java.util.Collections.nCopies(40, "a large red circle"));
    assertOneLine(CliRun.of("generate", "--checkpoint", diffusion.toString(), "--prompt", long_, "--out", out),
        "takes at most 24");
    assertOneLine(CliRun.of("generate", "--checkpoint", reference.toString(), "--prompt", "a red circle", "--out", out),
        "does not generate images");
    assertOneLine(CliRun.of("generate", "--checkpoint", diffusion.toString(), "--from-image",
        dir.resolve("input.png").toString(), "--out", out), "cannot reconstruct");
    // a photograph cut off mid-stream: ImageIO alone would fill the rest with gray and reconstruct it
    Path cut = dir.resolve("cut-off.jpg");
    try (java.io.InputStream in = getClass().getResourceAsStream("/images/grace_hopper.jpg")) {
      byte[] jpeg = in.readAllBytes();
      Files.write(cut, java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertOneLine(CliRun.of("generate", "--checkpoint", stage2.toString(), "--from-image", cut.toString(), "--out", out),
        "truncated JPEG image " + cut);
    assertFalse(Files.exists(Path.of(out)), "nothing written");
  }

  private static void assertOneLine(CliRun r, String expected) {
    assertNotEquals(0, r.exitCode());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(expected), lines.get(0));
  }

  @Test
  void evalScoresAStageOneCheckpointByEmbeddingReconstruction() {
    CliRun r = CliRun.of("eval", "--checkpoint", stage1.toString(), "--count", "2", "--reference-captioner",
        reference.toString(), "--out", dir.resolve("eval-s1").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject json = r.json();
    assertTrue(json.has("embedding_reconstruction_accuracy"), json.toString());
    assertTrue(json.has("reconstruction_mse"), json.toString());
    assertInUnitRange(json, "real_image_attribute_accuracy");
  }

  @Test
  void evalOfTheDiffusionModelGivesTheFigureOfTheRealImagesBeside() {
    CliRun r = CliRun.of("eval", "--checkpoint", diffusion.toString(), "--count", "3", "--reference-captioner",
        reference.toString(), "--out", dir.resolve("eval-diffusion").toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject json = r.json();
    assertInUnitRange(json, "prompt_attribute_accuracy");
    assertInUnitRange(json, "real_image_attribute_accuracy");
    assertEquals(3, json.get("prompts").getAsInt());
  }

  private static void assertInUnitRange(JsonObject json, String key) {
    assertTrue(json.has(key), key + " in " + json.keySet());
    double v = json.get(key).getAsDouble();
    assertTrue(v >= 0 && v <= 1, key + " = " + v);
  }
}
