package dev.glimpse.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.Images;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.model.ClipModel;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three transformers on a local[2] session, each on the three kinds of image column, against
 * references computed in-process the way {@code glimpse caption} does (file -> Images.read -> Captioner)
 * and, for embeddings, straight through the CLIP model's own methods.
 */
class TransformersTest {
  static SparkSession spark;
  static Path run;
  static Path images;
  static List<Path> files;

  @BeforeAll
  static void setUp() throws IOException {
    spark = TestSpark.session();
    run = TestData.captionerRun();
    images = TestData.scenes("transformers", 5, 3);
    // the other colour layouts a folder holds: gray, RGBA, and a JPEG
    BufferedImage base = ImageIO.read(images.resolve("scene-00000.png").toFile());
    BufferedImage gray = new BufferedImage(base.getWidth(), base.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage rgba = new BufferedImage(base.getWidth(), base.getHeight(), BufferedImage.TYPE_INT_ARGB);
    for (BufferedImage target : new BufferedImage[] {gray, rgba}) {
      Graphics2D g = target.createGraphics();
      g.drawImage(ImageIO.read(images.resolve("scene-00001.png").toFile()), 0, 0, null);
      g.dispose();
    }
    ImageIO.write(gray, "png", images.resolve("x-gray.png").toFile());
    ImageIO.write(rgba, "png", images.resolve("x-rgba.png").toFile());
    BufferedImage rgb = ImageIO.read(images.resolve("scene-00002.png").toFile());
    ImageIO.write(rgb, "jpg", images.resolve("x-photo.jpg").toFile());
    files = TestData.files(images);
  }

  /** Captions and scores of every file as glimpse caption computes them (batch 16, greedy, 32 tokens). */
  static Map<String, Object[]> reference(Path checkpoint, List<Path> inputs, String question) {
    Map<String, Object[]> out = new HashMap<>();
    try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(checkpoint, m)) {
      Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
      List<List<BufferedImage>> clips = new ArrayList<>();
      List<String> prompts = new ArrayList<>();
      for (Path f : inputs) {
        clips.add(List.of(Images.read(f)));
        prompts.add(question);
      }
      int max = Math.min(32, loaded.model().maxTextLength() - 1);
      List<Captioner.Caption> captions = captioner.generate(clips, prompts, GenerationConfig.greedy(max), 16, null);
      for (int i = 0; i < inputs.size(); i++) {
        out.put(inputs.get(i).getFileName().toString(),
            new Object[] {captions.get(i).text(), captions.get(i).generated().score()});
      }
    }
    return out;
  }

  static String name(String pathOrUri) {
    return pathOrUri.substring(pathOrUri.lastIndexOf('/') + 1);
  }

  Dataset<Row> imageSource() {
    return spark.read().format("image").option("dropInvalid", false).load(images.toString());
  }

  Dataset<Row> binaryFiles() {
    return spark.read().format("binaryFile").load(images.toString());
  }

  Dataset<Row> paths() {
    List<String> p = files.stream().map(Path::toString).toList();
    return spark.createDataset(p, Encoders.STRING()).toDF("path");
  }

  @Test
  void captionerGivesGlimpseCaptionsOnImageStructsBytesAndPaths() {
    Map<String, Object[]> expected = reference(run, files, "");
    GlimpseCaptioner captioner = new GlimpseCaptioner().setCheckpoint(run.toString()).setScoreCol("score")
        .setBatchSize(4);
    Map<String, Dataset<Row>> inputs = Map.of(
        "image", captioner.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("image").transform(imageSource())
            .select(col("image.origin").as("file"), col("caption"), col("score"), col("caption_error")),
        "content", captioner.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("content")
            .transform(binaryFiles()).select(col("path").as("file"), col("caption"), col("score"), col("caption_error")),
        "path", captioner.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("path").transform(paths())
            .select(col("path").as("file"), col("caption"), col("score"), col("caption_error")));
    for (Map.Entry<String, Dataset<Row>> e : inputs.entrySet()) {
      List<Row> rows = e.getValue().collectAsList();
      assertEquals(files.size(), rows.size(), e.getKey());
      for (Row r : rows) {
        String file = name(r.getString(0));
        assertNull(r.get(3), e.getKey() + " " + file + ": " + r.get(3));
        assertEquals(expected.get(file)[0], r.getString(1), e.getKey() + " caption of " + file);
        // the score is a continuous function of the pixels: a channel swap or a resampling slip shows here
        assertEquals((Double) expected.get(file)[1], r.getDouble(2), 1e-4, e.getKey() + " score of " + file);
      }
    }
  }

  @Test
  void aChannelSwapWouldBeSeen() throws IOException {
    // the score test above can fail: the same image with R and B swapped scores differently
    Path original = images.resolve("scene-00003.png");
    BufferedImage img = ImageIO.read(original.toFile());
    BufferedImage swapped = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        swapped.setRGB(x, y, ((p & 0xff) << 16) | (p & 0xff00) | ((p >> 16) & 0xff));
      }
    }
    Path dir = TestData.root().resolve("swapped");
    Files.createDirectories(dir);
    ImageIO.write(swapped, "png", dir.resolve("scene-00003.png").toFile());
    double a = (Double) reference(run, List.of(original), "").get("scene-00003.png")[1];
    double b = (Double) reference(run, List.of(dir.resolve("scene-00003.png")), "").get("scene-00003.png")[1];
    assertNotEquals(a, b, 1e-4);
  }

  @Test
  void vqaAnswersAsGlimpseCaptionQuestionDoesOnAllInputKinds() {
    String question = "what color is the circle?";
    Map<String, Object[]> expected = reference(run, files, question);
    GlimpseVqa vqa = new GlimpseVqa().setCheckpoint(run.toString()).setScoreCol("score").setBatchSize(3);
    Map<String, Dataset<Row>> inputs = Map.of(
        "image", vqa.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("image")
            .transform(imageSource().withColumn("question", org.apache.spark.sql.functions.lit(question)))
            .select(col("image.origin").as("file"), col("answer"), col("score"), col("answer_error")),
        "content", vqa.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("content")
            .transform(binaryFiles().withColumn("question", org.apache.spark.sql.functions.lit(question)))
            .select(col("path").as("file"), col("answer"), col("score"), col("answer_error")),
        "path", vqa.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("path")
            .transform(paths().withColumn("question", org.apache.spark.sql.functions.lit(question)))
            .select(col("path").as("file"), col("answer"), col("score"), col("answer_error")));
    for (Map.Entry<String, Dataset<Row>> e : inputs.entrySet()) {
      List<Row> rows = e.getValue().collectAsList();
      assertEquals(files.size(), rows.size());
      for (Row r : rows) {
        String file = name(r.getString(0));
        assertNull(r.get(3), e.getKey() + " " + file);
        assertEquals(expected.get(file)[0], r.getString(1), e.getKey() + " answer for " + file);
        assertEquals((Double) expected.get(file)[1], r.getDouble(2), 1e-4, e.getKey() + " score for " + file);
      }
    }
  }

  /** CLIP image embeddings computed directly: pixels -> ClipModel.imageFeatures -> L2 norm. */
  static Map<String, float[]> clipImageReference(List<Path> inputs) {
    Map<String, float[]> out = new HashMap<>();
    try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(TestData.clip(), m)) {
      ClipModel clip = (ClipModel) loaded.instance();
      for (Path f : inputs) {
        float[] pixels = loaded.transform().apply(Images.read(f));
        NDArray x = m.create(pixels, new Shape(1, 3, loaded.transform().height(), loaded.transform().width()));
        NDArray e = clip.imageFeatures(x);
        NDArray n = e.div(e.norm(new int[] {-1}, true));
        out.put(f.getFileName().toString(), n.toFloatArray());
      }
    }
    return out;
  }

  @Test
  void embedderGivesClipImageEmbeddingsOnAllInputKinds() {
    Map<String, float[]> expected = clipImageReference(files);
    GlimpseEmbedder embedder = new GlimpseEmbedder().setCheckpoint(TestData.clip().toString()).setBatchSize(4);
    Map<String, Dataset<Row>> inputs = Map.of(
        "image", embedder.copy(new org.apache.spark.ml.param.ParamMap()).setInputCol("image").transform(imageSource())
            .select(col("image.origin").as("file"), col("embedding"), col("embedding_error")),
        "content", embedder.copy(new org.apache.spark.ml.param.ParamMap()).setInputCol("content")
            .transform(binaryFiles()).select(col("path").as("file"), col("embedding"), col("embedding_error")),
        "path", embedder.copy(new org.apache.spark.ml.param.ParamMap()).setInputCol("path").transform(paths())
            .select(col("path").as("file"), col("embedding"), col("embedding_error")));
    for (Map.Entry<String, Dataset<Row>> e : inputs.entrySet()) {
      List<Row> rows = e.getValue().collectAsList();
      assertEquals(files.size(), rows.size());
      for (Row r : rows) {
        String file = name(r.getString(0));
        assertNull(r.get(2), e.getKey() + " " + file);
        double[] got = ((Vector) r.get(1)).toArray();
        float[] want = expected.get(file);
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-5, e.getKey() + " " + file + " [" + i + "]");
        }
      }
    }
  }

  @Test
  void textEmbeddingsAreClipTextFeaturesOfTheFramedTokensWhateverTheBatch() {
    List<String> texts = List.of("a red circle", "two blue squares and a green triangle on the left", "circle");
    Map<String, float[]> expected = new HashMap<>();
    try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(TestData.clip(), m)) {
      ClipModel clip = (ClipModel) loaded.instance();
      for (String t : texts) {
        int[] tokens = loaded.tokenizer().encode(t);
        long[] ids = new long[tokens.length + 2];
        ids[0] = 97; // the fixture tokenizer's BOS and EOS (see fixtures/clip/README.md)
        for (int i = 0; i < tokens.length; i++) {
          ids[i + 1] = tokens[i];
        }
        ids[ids.length - 1] = 98;
        float[] valid = new float[ids.length];
        java.util.Arrays.fill(valid, 1);
        NDArray e = clip.textFeatures(m.create(ids, new Shape(1, ids.length)), m.create(valid, new Shape(1, ids.length)));
        expected.put(t, e.div(e.norm(new int[] {-1}, true)).toFloatArray());
      }
    }
    Dataset<Row> df = spark.createDataset(texts, Encoders.STRING()).toDF("text");
    for (int batch : new int[] {1, 3}) { // alone or padded in a batch with longer texts: the same vector
      List<Row> rows = new GlimpseEmbedder().setCheckpoint(TestData.clip().toString()).setInputType("text")
          .setInputCol("text").setBatchSize(batch).transform(df.repartition(1)).collectAsList();
      for (Row r : rows) {
        double[] got = ((Vector) r.getAs("embedding")).toArray();
        float[] want = expected.get(r.getString(0));
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-5, "batch " + batch + " '" + r.getString(0) + "' [" + i + "]");
        }
      }
    }
  }

  @Test
  void embedderTakesMmGemAndClipCheckpointsTrainedByGlimpseAsGlimpseEmbedDoes() {
    List<String> texts = List.of("a red circle", "two blue squares and a green triangle on the left", "circle");
    List<Path> scenes = files.stream().filter(f -> f.getFileName().toString().startsWith("scene")).toList();
    for (Path checkpoint : List.of(TestData.mmgemRun("both"), TestData.clipRun())) {
      // the reference: the core's Embeddings, what glimpse embed writes (MM-GEM reads a text at [EMB], CLIP at EOS)
      float[][] wantTexts;
      float[][] wantImages;
      try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(checkpoint, m)) {
        dev.glimpse.embed.Embeddings embeddings = dev.glimpse.embed.Embeddings.of(loaded);
        wantTexts = embeddings.texts(texts, 8, null);
        wantImages = embeddings.images(scenes.stream().map(Images::read).toList(), 8, null);
      }
      List<Row> textRows = new GlimpseEmbedder().setCheckpoint(checkpoint.toString()).setInputType("text")
          .setInputCol("text").setBatchSize(2).transform(spark.createDataset(texts, Encoders.STRING()).toDF("text")
              .repartition(1)).collectAsList();
      assertEquals(texts.size(), textRows.size());
      for (Row r : textRows) {
        assertNull(r.get(2), checkpoint + " '" + r.getString(0) + "'");
        assertClose(wantTexts[texts.indexOf(r.getString(0))], ((Vector) r.get(1)).toArray(),
            checkpoint.getFileName() + " text '" + r.getString(0) + "'");
      }
      List<String> paths = scenes.stream().map(Path::toString).toList();
      List<Row> imageRows = new GlimpseEmbedder().setCheckpoint(checkpoint.toString()).setInputCol("path")
          .setBatchSize(2).transform(spark.createDataset(paths, Encoders.STRING()).toDF("path")).collectAsList();
      assertEquals(paths.size(), imageRows.size());
      for (Row r : imageRows) {
        assertNull(r.get(2), checkpoint + " " + r.getString(0));
        assertClose(wantImages[paths.indexOf(r.getString(0))], ((Vector) r.get(1)).toArray(),
            checkpoint.getFileName() + " image " + r.getString(0));
      }
    }
    // the caption-only ablation was never trained to embed: the job fails with that reason
    Exception captionOnly = assertThrows(Exception.class, () -> new GlimpseEmbedder()
        .setCheckpoint(TestData.mmgemRun("generation").toString()).setInputCol("path").transform(paths())
        .collectAsList());
    assertTrue(rootMessage(captionOnly).contains("trained without its embedding objective"), rootMessage(captionOnly));
  }

  private static void assertClose(float[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5, what + " [" + i + "]");
    }
  }

  @Test
  void corruptMissingAndNullInputsGiveErrorRowsNotAFailedJob(@TempDir Path dir) throws IOException {
    Path corrupt = dir.resolve("corrupt.png");
    Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5});
    Path truncated = dir.resolve("truncated.jpg");
    byte[] jpeg = Files.readAllBytes(images.resolve("x-photo.jpg"));
    Files.write(truncated, java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    Path good = images.resolve("scene-00000.png");
    List<String> p = new ArrayList<>(List.of(good.toString(), corrupt.toString(), dir.resolve("missing.png").toString(),
        truncated.toString(), dir.toString()));
    p.add(null);
    Dataset<Row> df = spark.createDataset(p, Encoders.STRING()).toDF("path");
    List<Row> rows = new GlimpseCaptioner().setCheckpoint(run.toString()).setImageCol("path").setBatchSize(2)
        .transform(df).collectAsList();
    assertEquals(6, rows.size());
    assertNull(rows.get(0).getAs("caption_error"));
    assertNotNull(rows.get(0).getAs("caption"));
    String[] expected = {null, "corrupt", "image not found", "truncated", "directory", "null"};
    for (int i = 1; i < 6; i++) {
      assertNull(rows.get(i).getAs("caption"), "row " + i);
      String error = rows.get(i).getAs("caption_error");
      assertTrue(error != null && error.contains(expected[i]), "row " + i + ": " + error);
    }
    // Spark's own image source keeps an undecodable file as an empty struct (dropInvalid=false)
    Files.copy(good, dir.resolve("good.png"));
    Files.delete(dir.resolve("truncated.jpg"));
    List<Row> structs = new GlimpseCaptioner().setCheckpoint(run.toString())
        .transform(spark.read().format("image").option("dropInvalid", false).load(dir.toString()))
        .select(col("image.origin"), col("caption"), col("caption_error")).orderBy("origin").collectAsList();
    assertEquals(2, structs.size());
    assertTrue(structs.get(0).getString(2).contains("undecodable image"), structs.get(0).getString(2));
    assertNull(structs.get(1).get(2));
  }

  @Test
  void aPipelineOfGlimpseStagesSavesAndLoads(@TempDir Path dir) throws IOException {
    GlimpseCaptioner captioner = new GlimpseCaptioner().setCheckpoint(run.toString()).setImageCol("path")
        .setBatchSize(3).setMaxTokens(6).setScoreCol("score");
    GlimpseEmbedder imageEmbedder = new GlimpseEmbedder().setCheckpoint(TestData.clip().toString()).setInputCol("path")
        .setOutputCol("image_embedding").setNormalize(false);
    GlimpseEmbedder captionEmbedder = new GlimpseEmbedder().setCheckpoint(TestData.clip().toString())
        .setInputType("text").setInputCol("caption").setOutputCol("caption_embedding");
    GlimpseVqa vqa = new GlimpseVqa().setCheckpoint(run.toString()).setImageCol("path").setQuestionCol("caption")
        .setBeams(2).setMaxTokens(4);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {captioner, imageEmbedder, captionEmbedder, vqa});
    PipelineModel model = pipeline.fit(paths());
    String path = dir.resolve("pipeline").toString();
    model.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    GlimpseCaptioner c = (GlimpseCaptioner) loaded.stages()[0];
    assertEquals(6, (Integer) c.getOrDefault(c.maxTokens()));
    assertEquals(3, c.getBatchSize());
    assertEquals("score", c.getScoreCol());
    assertEquals(run.toString(), c.getCheckpoint());
    assertEquals(captioner.uid(), c.uid());
    GlimpseVqa v = (GlimpseVqa) loaded.stages()[3];
    assertEquals(2, v.getDecoding().beams());
    assertEquals(false, ((GlimpseEmbedder) loaded.stages()[1]).getNormalize());
    List<Row> before = model.transform(paths()).orderBy("path").collectAsList();
    List<Row> after = loaded.transform(paths()).orderBy("path").collectAsList();
    assertEquals(files.size(), after.size());
    assertEquals(before, after);
    Row first = after.get(0);
    assertEquals(16, ((Vector) first.getAs("caption_embedding")).size());
    assertNull(first.getAs("answer_error"));
    // a single stage saves and loads on its own too
    String single = dir.resolve("captioner").toString();
    captioner.save(single);
    assertEquals(captioner.getCheckpoint(), GlimpseCaptioner.load(single).getCheckpoint());
  }

  @Test
  void badSettingsFailOnTheDriverWithOneClearMessage() {
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> new GlimpseCaptioner().setCheckpoint(run.toString()).setImageCol("length").transform(binaryFiles()));
    assertTrue(wrongType.getMessage().contains("image column 'length' has type bigint"), wrongType.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new GlimpseCaptioner().setCheckpoint(run.toString()).setImageCol("picture").transform(paths()));
    assertTrue(missing.getMessage().contains("no image column 'picture'"), missing.getMessage());
    GlimpseException noModel = assertThrows(GlimpseException.class,
        () -> new GlimpseCaptioner().setCheckpoint(run.resolve("nothing-here").toString()).setImageCol("path")
            .transform(paths()));
    assertTrue(noModel.getMessage().contains("checkpoint not found"), noModel.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GlimpseCaptioner().setBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> new GlimpseEmbedder().setInputType("audio"));
    IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
        () -> new GlimpseCaptioner().setCheckpoint(run.toString()).setImageCol("path").setOutputCol("path")
            .transform(paths()));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    // a model of the wrong kind fails the job (not every row) with its reason
    Exception clip = assertThrows(Exception.class, () -> new GlimpseCaptioner()
        .setCheckpoint(TestData.clip().toString()).setImageCol("path").transform(paths()).collectAsList());
    assertTrue(rootMessage(clip).contains("does not generate text"), rootMessage(clip));
  }

  static String rootMessage(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }

  @Test
  void theModelIsLoadedOncePerJvmWhateverTheTasksAndJobs() {
    String checkpoint = run.toString();
    Dataset<Row> many = paths().repartition(4);
    for (int job = 0; job < 3; job++) {
      assertEquals(files.size(), new GlimpseCaptioner().setCheckpoint(checkpoint).setImageCol("path").setMaxTokens(3)
          .transform(many).filter(col("caption_error").isNull()).count());
    }
    assertEquals(1, ModelCache.loads(checkpoint), "one load of " + checkpoint + " in this JVM");
  }
}
