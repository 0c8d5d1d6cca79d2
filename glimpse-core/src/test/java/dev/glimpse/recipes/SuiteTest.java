package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.SceneTextGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticClassification;
import dev.glimpse.data.synth.SyntheticVqa;
import dev.glimpse.data.synth.TextScene;
import dev.glimpse.data.synth.VideoGenerator;
import dev.glimpse.data.synth.VqaQuestion;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes a small suite once and reads every format back as a reader of that format would. */
class SuiteTest {
  private static final int COUNT = 6;
  private static final SceneConfig CONFIG = SceneConfig.defaults().withSeed(3);
  @TempDir static Path dir;
  private static List<Suite.Written> written;

  @BeforeAll
  static void writeSuite() {
    written = Suite.write(CONFIG, Suite.parse("all"), List.of(Split.VAL), COUNT, dir, n -> { });
  }

  @Test
  void summaryListsEveryTask() {
    assertEquals(6, written.size());
    JsonObject suite = Json.parse(dir.resolve("suite.json")).getAsJsonObject();
    assertEquals(6, suite.getAsJsonArray("written").size());
    assertEquals(3, suite.get("seed").getAsInt());
  }

  @Test
  void cocoCaptions() {
    JsonObject coco = Json.parse(dir.resolve("captions/annotations/captions_val.json")).getAsJsonObject();
    assertEquals(COUNT, coco.getAsJsonArray("images").size());
    assertEquals(COUNT * 6, coco.getAsJsonArray("annotations").size());
    for (JsonElement e : coco.getAsJsonArray("images")) {
      JsonObject image = e.getAsJsonObject();
      BufferedImage png = Images.read(dir.resolve("captions/images/val").resolve(image.get("file_name").getAsString()));
      assertEquals(image.get("width").getAsInt(), png.getWidth());
    }
  }

  @Test
  void vqaV2QuestionsAndAnnotations() {
    JsonObject questions = Json.parse(dir.resolve("vqa/v2_OpenEnded_mscoco_val_questions.json")).getAsJsonObject();
    JsonObject annotations = Json.parse(dir.resolve("vqa/v2_mscoco_val_annotations.json")).getAsJsonObject();
    assertEquals("val", questions.get("data_subtype").getAsString());
    assertEquals("Open-Ended", questions.get("task_type").getAsString());
    JsonArray qs = questions.getAsJsonArray("questions");
    JsonArray as = annotations.getAsJsonArray("annotations");
    assertEquals(COUNT * 3, qs.size());
    assertEquals(qs.size(), as.size());
    Map<Long, JsonObject> byId = new HashMap<>();
    as.forEach(a -> byId.put(a.getAsJsonObject().get("question_id").getAsLong(), a.getAsJsonObject()));
    SyntheticVqa vqa = new SyntheticVqa(new SceneGenerator(CONFIG), Split.VAL, COUNT);
    for (JsonElement e : qs) {
      JsonObject q = e.getAsJsonObject();
      long imageId = q.get("image_id").getAsLong();
      assertTrue(Files.isRegularFile(dir.resolve("vqa/images/val/" + imageId + ".png")));
      JsonObject a = byId.get(q.get("question_id").getAsLong());
      assertEquals(imageId, a.get("image_id").getAsLong());
      JsonArray answers = a.getAsJsonArray("answers");
      assertEquals(10, answers.size());
      for (int k = 0; k < 10; k++) {
        JsonObject answer = answers.get(k).getAsJsonObject();
        assertEquals(k + 1, answer.get("answer_id").getAsInt());
        assertTrue(Set.of("yes", "maybe", "no").contains(answer.get("answer_confidence").getAsString()));
      }
      assertTrue(a.has("question_type") && a.has("answer_type") && a.has("multiple_choice_answer"));
      VqaQuestion expected = vqa.questions((int) imageId).stream()
          .filter(x -> x.questionId() == q.get("question_id").getAsLong()).findFirst().orElseThrow();
      assertEquals(expected.question(), q.get("question").getAsString());
      assertEquals(expected.answer(), a.get("multiple_choice_answer").getAsString());
    }
  }

  @Test
  void sceneTextFormats() {
    JsonObject caps = Json.parse(dir.resolve("scenetext/TextCaps_0.1_val.json")).getAsJsonObject();
    assertEquals("textcaps", caps.get("dataset_name").getAsString());
    JsonArray data = caps.getAsJsonArray("data");
    assertEquals(COUNT * 6, data.size());
    JsonObject first = data.get(0).getAsJsonObject();
    assertEquals(6, first.getAsJsonArray("reference_strs").size());
    assertTrue(Files.isRegularFile(dir.resolve("scenetext/images").resolve(first.get("image_path").getAsString())));
    JsonObject textVqa = Json.parse(dir.resolve("scenetext/TextVQA_0.5.1_val.json")).getAsJsonObject();
    JsonArray questions = textVqa.getAsJsonArray("data");
    assertEquals(COUNT, questions.size());
    assertEquals(10, questions.get(0).getAsJsonObject().getAsJsonArray("answers").size());
    JsonObject ocr = Json.parse(dir.resolve("scenetext/TextOCR_0.1_val.json")).getAsJsonObject();
    assertEquals(COUNT, ocr.getAsJsonObject("imgs").size());
    SceneTextGenerator generator = new SceneTextGenerator(CONFIG);
    for (int i = 0; i < COUNT; i++) {
      TextScene scene = generator.scene(Split.VAL, i);
      String imageId = String.format("%012d", i);
      JsonObject ann = ocr.getAsJsonObject("anns").getAsJsonObject(imageId + "_1");
      assertEquals(scene.shown(), ann.get("utf8_string").getAsString());
      JsonArray bbox = ann.getAsJsonArray("bbox");
      assertEquals(scene.textBox().x(), bbox.get(0).getAsInt());
      assertEquals(8, ann.getAsJsonArray("points").size());
      assertEquals(imageId + "_1", ocr.getAsJsonObject("imgToAnns").getAsJsonArray(imageId).get(0).getAsString());
    }
    // The same data in the COCO and VQAv2 layouts, for loaders of those formats.
    assertEquals(COUNT * 6, Json.parse(dir.resolve("scenetext/annotations/captions_val.json")).getAsJsonObject()
        .getAsJsonArray("annotations").size());
    assertEquals(COUNT, Json.parse(dir.resolve("scenetext/v2_OpenEnded_mscoco_val_questions.json")).getAsJsonObject()
        .getAsJsonArray("questions").size());
  }

  @Test
  void msrVttVideos() throws IOException {
    JsonObject info = Json.parse(dir.resolve("video/videodatainfo_val.json")).getAsJsonObject();
    JsonArray videos = info.getAsJsonArray("videos");
    assertEquals(COUNT, videos.size());
    Set<String> ids = new HashSet<>();
    for (JsonElement e : videos) {
      JsonObject video = e.getAsJsonObject();
      assertEquals("validate", video.get("split").getAsString());
      String id = video.get("video_id").getAsString();
      ids.add(id);
      try (Stream<Path> frames = Files.list(dir.resolve("video/frames/val").resolve(id))) {
        List<Path> files = frames.sorted().toList();
        assertEquals(8, files.size());
        assertEquals("000000.png", files.get(0).getFileName().toString());
        Images.read(files.get(7));
      }
    }
    JsonArray sentences = info.getAsJsonArray("sentences");
    assertEquals(COUNT * 6, sentences.size());
    sentences.forEach(s -> assertTrue(ids.contains(s.getAsJsonObject().get("video_id").getAsString())));
    JsonArray clips = Json.parse(dir.resolve("video/clips_val.json")).getAsJsonObject().getAsJsonArray("clips");
    VideoGenerator generator = new VideoGenerator(CONFIG);
    for (int i = 0; i < COUNT; i++) {
      assertEquals(generator.clip(Split.VAL, i).motion().word(),
          clips.get(i).getAsJsonObject().get("motion").getAsString());
    }
  }

  @Test
  void imageNetStyleClassFolders() throws IOException {
    JsonObject classes = Json.parse(dir.resolve("classification/classes.json")).getAsJsonObject();
    assertEquals(32, classes.size());
    List<String> labels = Files.readAllLines(dir.resolve("classification/labels.txt"));
    assertEquals(32, labels.size());
    SyntheticClassification data = new SyntheticClassification(new SceneGenerator(CONFIG), Split.VAL, COUNT);
    int images = 0;
    for (String folder : classes.keySet()) {
      Path classDir = dir.resolve("classification/val").resolve(folder);
      assertTrue(Files.isDirectory(classDir), folder);
      try (Stream<Path> files = Files.list(classDir)) {
        for (Path file : files.toList()) {
          int index = Integer.parseInt(file.getFileName().toString().replace(".png", ""));
          assertEquals(classes.get(folder).getAsString(), data.get(index).targets().get(0));
          images++;
        }
      }
    }
    assertEquals(COUNT, images);
  }

  @Test
  void visualGenomeRegions() {
    JsonArray descriptions = Json.parse(dir.resolve("regions/region_descriptions_val.json")).getAsJsonArray();
    JsonArray imageData = Json.parse(dir.resolve("regions/image_data_val.json")).getAsJsonArray();
    assertEquals(COUNT, descriptions.size());
    assertEquals(COUNT, imageData.size());
    Set<Long> regionIds = new HashSet<>();
    for (int i = 0; i < COUNT; i++) {
      JsonObject entry = descriptions.get(i).getAsJsonObject();
      JsonObject image = imageData.get(i).getAsJsonObject();
      assertEquals(entry.get("id").getAsLong(), image.get("image_id").getAsLong());
      BufferedImage png = Images.read(dir.resolve("regions/images/val/" + image.get("image_id").getAsLong() + ".png"));
      assertEquals(image.get("width").getAsInt(), png.getWidth());
      for (JsonElement e : entry.getAsJsonArray("regions")) {
        JsonObject r = e.getAsJsonObject();
        assertTrue(regionIds.add(r.get("region_id").getAsLong()));
        assertTrue(r.get("x").getAsInt() + r.get("width").getAsInt() <= png.getWidth());
        assertTrue(r.get("y").getAsInt() + r.get("height").getAsInt() <= png.getHeight());
        assertTrue(!r.get("phrase").getAsString().isBlank());
      }
    }
  }

  @Test
  void taskListsParse() {
    assertEquals(List.of("captions", "vqa", "scenetext", "video", "classification", "regions"),
        Suite.parse("all").stream().map(Task::suiteName).toList());
    assertEquals(List.of("video", "vqa"), Suite.parse("video, vqa").stream().map(Task::suiteName).toList());
    GlimpseException e = assertThrows(GlimpseException.class, () -> Suite.parse("vqa,audio"));
    assertTrue(e.getMessage().contains("audio") && e.getMessage().contains("classification"), e.getMessage());
    GlimpseException ocr = assertThrows(GlimpseException.class, () -> Suite.parse("ocr"));
    assertTrue(ocr.getMessage().contains("unknown suite task 'ocr'"), ocr.getMessage());
  }
}
