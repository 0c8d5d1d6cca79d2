package dev.glimpse.data.synth;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The synthetic benchmark suite's files: each task's data in the file formats of its field (see
 * docs/data.md#synthetic-data). {@code dev.glimpse.recipes.Suite} writes the suite (which tasks, which
 * splits, {@code suite.json}); each task calls its writer here. Under {@code DIR}:
 *
 * <pre>
 * captions/        images/&lt;split&gt;/%012d.png, annotations/captions_&lt;split&gt;.json (COCO), scenes_&lt;split&gt;.json,
 *                  long_descriptions_&lt;split&gt;.json (COCO, one dense paragraph per image: long-text retrieval)
 * vqa/             images/&lt;split&gt;/&lt;image_id&gt;.png, v2_OpenEnded_mscoco_&lt;split&gt;_questions.json,
 *                  v2_mscoco_&lt;split&gt;_annotations.json (VQAv2)
 * scenetext/       images/&lt;split&gt;/%012d.png, TextCaps_0.1_&lt;split&gt;.json, TextVQA_0.5.1_&lt;split&gt;.json,
 *                  TextOCR_0.1_&lt;split&gt;.json, and the same data as annotations/captions_&lt;split&gt;.json (COCO)
 *                  and v2_OpenEnded_mscoco_&lt;split&gt;_questions.json + v2_mscoco_&lt;split&gt;_annotations.json
 * video/           frames/&lt;split&gt;/video&lt;i&gt;/%06d.png, videodatainfo_&lt;split&gt;.json (MSR-VTT), clips_&lt;split&gt;.json
 * classification/  &lt;split&gt;/&lt;class_folder&gt;/%012d.png (ImageNet-style), classes.json, labels.txt
 * regions/         images/&lt;split&gt;/&lt;image_id&gt;.png, region_descriptions_&lt;split&gt;.json,
 *                  image_data_&lt;split&gt;.json (Visual Genome)
 * suite.json       what was written
 * </pre>
 */
public final class SuiteFiles {
  private SuiteFiles() {}

  /** What one task wrote for one split: items (images or clips), annotations, where. */
  public record Written(Split split, int items, int annotations, Path folder) {}

  /**
   * COCO captions: images, {@code annotations/captions_<split>.json}, the scenes, and the images' dense
   * descriptions ({@code annotations/long_descriptions_<split>.json}).
   */
  public static Written writeCaptions(SceneGenerator generator, Split split, int count, Path folder,
      IntConsumer step) {
    SyntheticWriter.Written w = SyntheticWriter.writeCaptions(generator, split, count, folder, step);
    return new Written(split, w.images(), w.captions(), folder);
  }

  // ---- VQA (VQAv2) ----

  /** Questions file name of a split, VQAv2 style. */
  public static String vqaQuestionsFile(Split split) {
    return "v2_OpenEnded_mscoco_" + split.id() + "_questions.json";
  }

  public static String vqaAnnotationsFile(Split split) {
    return "v2_mscoco_" + split.id() + "_annotations.json";
  }

  public static Written writeVqa(SyntheticVqa vqa, Path folder, IntConsumer step) {
    Split split = vqa.split();
    Path images = folder.resolve("images").resolve(split.id());
    SyntheticWriter.createDirectories(images);
    List<VqaQuestion> all = new ArrayList<>();
    for (int i = 0; i < vqa.imageCount(); i++) {
      SyntheticWriter.writePng(images.resolve(i + ".png"), vqa.image(i));
      all.addAll(vqa.questions(i));
      step.accept(i);
    }
    writeVqaFiles(all, split, folder, "vqa");
    return new Written(split, vqa.imageCount(), all.size(), folder);
  }

  /** The VQAv2 questions + annotations files for {@code questions}. */
  static void writeVqaFiles(List<VqaQuestion> questions, Split split, Path folder, String what) {
    JsonArray qs = new JsonArray();
    JsonArray annotations = new JsonArray();
    for (VqaQuestion q : questions) {
      JsonObject question = new JsonObject();
      question.addProperty("image_id", q.imageId());
      question.addProperty("question", q.question());
      question.addProperty("question_id", q.questionId());
      qs.add(question);
      JsonObject a = new JsonObject();
      a.addProperty("question_type", q.questionType());
      a.addProperty("multiple_choice_answer", q.answer());
      JsonArray answers = new JsonArray();
      for (int k = 0; k < q.answers().size(); k++) {
        JsonObject answer = new JsonObject();
        answer.addProperty("answer", q.answers().get(k));
        answer.addProperty("answer_confidence", q.answers().get(k).equals(q.answer()) ? "yes" : "maybe");
        answer.addProperty("answer_id", k + 1);
        answers.add(answer);
      }
      a.add("answers", answers);
      a.addProperty("image_id", q.imageId());
      a.addProperty("answer_type", q.answerType());
      a.addProperty("question_id", q.questionId());
      annotations.add(a);
    }
    JsonObject questionsFile = new JsonObject();
    questionsFile.add("info", info(what, split));
    questionsFile.addProperty("task_type", "Open-Ended");
    questionsFile.addProperty("data_type", "mscoco");
    questionsFile.add("license", license());
    questionsFile.addProperty("data_subtype", split.id());
    questionsFile.add("questions", qs);
    Json.write(folder.resolve(vqaQuestionsFile(split)), questionsFile);
    JsonObject annotationsFile = new JsonObject();
    annotationsFile.add("info", info(what, split));
    annotationsFile.add("license", license());
    annotationsFile.addProperty("data_subtype", split.id());
    annotationsFile.addProperty("data_type", "mscoco");
    annotationsFile.add("annotations", annotations);
    Json.write(folder.resolve(vqaAnnotationsFile(split)), annotationsFile);
  }

  // ---- scene text (TextCaps, TextVQA, TextOCR; plus COCO and VQAv2 copies) ----

  public static Written writeSceneText(SceneTextGenerator generator, Split split, int count, Path folder, IntConsumer step) {
    Path images = folder.resolve("images").resolve(split.id());
    SyntheticWriter.createDirectories(images);
    JsonArray textCaps = new JsonArray();
    JsonArray textVqa = new JsonArray();
    JsonObject ocrImages = new JsonObject();
    JsonObject ocrAnns = new JsonObject();
    JsonObject imgToAnns = new JsonObject();
    JsonArray cocoImages = new JsonArray();
    JsonArray cocoAnnotations = new JsonArray();
    List<VqaQuestion> questions = new ArrayList<>();
    int captionId = 1;
    for (int i = 0; i < count; i++) {
      TextScene scene = generator.scene(split, i);
      String fileName = SyntheticWriter.fileName(i);
      String imageId = fileName.substring(0, fileName.length() - ".png".length());
      SyntheticWriter.writePng(images.resolve(fileName), generator.render(scene));
      List<String> captions = generator.captions(scene);
      JsonArray references = new JsonArray();
      JsonArray referenceTokens = new JsonArray();
      captions.forEach(c -> {
        references.add(c);
        referenceTokens.add(tokens(c));
      });
      for (String caption : captions) {
        JsonObject entry = imageEntry(imageId, split, scene);
        entry.addProperty("caption_id", captionId);
        entry.addProperty("caption_str", caption);
        entry.add("caption_tokens", tokens(caption));
        entry.add("reference_strs", references);
        entry.add("reference_tokens", referenceTokens);
        textCaps.add(entry);
        JsonObject coco = new JsonObject();
        coco.addProperty("id", captionId++);
        coco.addProperty("image_id", i);
        coco.addProperty("caption", caption);
        cocoAnnotations.add(coco);
      }
      JsonObject cocoImage = new JsonObject();
      cocoImage.addProperty("id", i);
      cocoImage.addProperty("file_name", fileName);
      cocoImage.addProperty("width", scene.width());
      cocoImage.addProperty("height", scene.height());
      cocoImages.add(cocoImage);

      List<String> answers = SyntheticSceneText.answers(scene);
      JsonObject qa = imageEntry(imageId, split, scene);
      qa.addProperty("question", SyntheticSceneText.QUESTION);
      qa.addProperty("question_id", i);
      qa.add("question_tokens", tokens(SyntheticSceneText.QUESTION));
      JsonArray answerArray = new JsonArray();
      answers.forEach(answerArray::add);
      qa.add("answers", answerArray);
      textVqa.add(qa);
      questions.add(new VqaQuestion(i, i, SyntheticSceneText.QUESTION, scene.word(), "scene_text", "other", answers));

      JsonObject ocrImage = new JsonObject();
      ocrImage.addProperty("id", imageId);
      ocrImage.addProperty("width", scene.width());
      ocrImage.addProperty("height", scene.height());
      ocrImage.addProperty("set", split.id());
      ocrImage.addProperty("file_name", split.id() + "/" + fileName);
      ocrImages.add(imageId, ocrImage);
      String annId = imageId + "_1";
      JsonObject ann = new JsonObject();
      ann.addProperty("id", annId);
      ann.addProperty("image_id", imageId);
      Box box = scene.textBox();
      ann.add("bbox", SceneJson.box(box));
      JsonArray points = new JsonArray();
      for (double p : scene.textCorners()) {
        points.add(Math.round(p * 100) / 100.0);
      }
      ann.add("points", points);
      ann.addProperty("utf8_string", scene.shown());
      ann.addProperty("area", (double) box.width() * box.height());
      ocrAnns.add(annId, ann);
      JsonArray annList = new JsonArray();
      annList.add(annId);
      imgToAnns.add(imageId, annList);
      step.accept(i);
    }
    JsonObject caps = new JsonObject();
    caps.addProperty("dataset_type", split.id());
    caps.addProperty("dataset_name", "textcaps");
    caps.addProperty("dataset_version", "0.1");
    caps.add("data", textCaps);
    Json.write(folder.resolve("TextCaps_0.1_" + split.id() + ".json"), caps);
    JsonObject vqa = new JsonObject();
    vqa.addProperty("dataset_type", split.id());
    vqa.addProperty("dataset_name", "textvqa");
    vqa.addProperty("dataset_version", "0.5.1");
    vqa.add("data", textVqa);
    Json.write(folder.resolve("TextVQA_0.5.1_" + split.id() + ".json"), vqa);
    JsonObject ocr = new JsonObject();
    ocr.add("imgs", ocrImages);
    ocr.add("anns", ocrAnns);
    ocr.add("imgToAnns", imgToAnns);
    Json.write(folder.resolve("TextOCR_0.1_" + split.id() + ".json"), ocr);
    JsonObject coco = new JsonObject();
    coco.add("info", info("scene text captions", split));
    coco.add("licenses", new JsonArray());
    coco.addProperty("type", "captions");
    coco.add("images", cocoImages);
    coco.add("annotations", cocoAnnotations);
    Json.write(folder.resolve("annotations").resolve("captions_" + split.id() + ".json"), coco);
    writeVqaFiles(questions, split, folder, "scene text questions");
    return new Written(split, count, cocoAnnotations.size(), folder);
  }

  private static JsonObject imageEntry(String imageId, Split split, TextScene scene) {
    JsonObject entry = new JsonObject();
    entry.addProperty("image_id", imageId);
    entry.addProperty("image_name", imageId);
    entry.addProperty("image_path", split.id() + "/" + imageId + ".png");
    entry.addProperty("image_width", scene.width());
    entry.addProperty("image_height", scene.height());
    JsonArray classes = new JsonArray();
    classes.add("sign");
    entry.add("image_classes", classes);
    entry.addProperty("flickr_original_url", "");
    entry.addProperty("flickr_300k_url", "");
    entry.addProperty("set_name", split.id());
    return entry;
  }

  /** Lower-case word tokens, as TextCaps and TextVQA store them. */
  static JsonArray tokens(String text) {
    JsonArray out = new JsonArray();
    for (String t : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  // ---- video (MSR-VTT) ----

  /** MSR-VTT calls the validation split "validate". */
  public static String msrvttSplit(Split split) {
    return split == Split.VAL ? "validate" : split.id();
  }

  public static Written writeVideo(VideoGenerator generator, Split split, int count, Path folder, IntConsumer step) {
    Path frames = folder.resolve("frames").resolve(split.id());
    SyntheticWriter.createDirectories(frames);
    JsonArray videos = new JsonArray();
    JsonArray sentences = new JsonArray();
    JsonArray clips = new JsonArray();
    int sentenceId = 0;
    for (int i = 0; i < count; i++) {
      Clip clip = generator.clip(split, i);
      String videoId = SyntheticVideo.videoId(i);
      Path dir = frames.resolve(videoId);
      SyntheticWriter.createDirectories(dir);
      List<BufferedImage> images = generator.render(clip);
      for (int t = 0; t < images.size(); t++) {
        SyntheticWriter.writePng(dir.resolve(String.format(Locale.ROOT, "%06d.png", t)), images.get(t));
      }
      JsonObject video = new JsonObject();
      video.addProperty("category", clip.motion().ordinal());
      video.addProperty("url", "");
      video.addProperty("video_id", videoId);
      video.addProperty("start time", 0.0);
      video.addProperty("end time", images.size() / 8.0);
      video.addProperty("split", msrvttSplit(split));
      video.addProperty("id", i);
      videos.add(video);
      for (String caption : generator.captions(clip)) {
        JsonObject sentence = new JsonObject();
        sentence.addProperty("caption", caption);
        sentence.addProperty("video_id", videoId);
        sentence.addProperty("sen_id", sentenceId++);
        sentences.add(sentence);
      }
      JsonObject truth = new JsonObject();
      truth.addProperty("video_id", videoId);
      truth.addProperty("motion", clip.motion().word());
      truth.addProperty("frames", clip.frames());
      truth.addProperty("width", clip.width());
      truth.addProperty("height", clip.height());
      truth.add("object", SceneJson.toJson(clip.object()));
      truth.addProperty("end_x", clip.endX());
      truth.addProperty("end_y", clip.endY());
      truth.addProperty("event_frame", clip.eventFrame());
      if (clip.toColor() != null) {
        truth.addProperty("to_color", clip.toColor().word());
        truth.addProperty("to_rgb", SceneJson.hex(clip.toRgb()));
      }
      truth.addProperty("background", clip.background().describe());
      clips.add(truth);
      step.accept(i);
    }
    JsonObject info = new JsonObject();
    info.add("info", info("video captions", split));
    info.add("videos", videos);
    info.add("sentences", sentences);
    Json.write(folder.resolve("videodatainfo_" + split.id() + ".json"), info);
    JsonObject truthFile = new JsonObject();
    truthFile.add("info", info("video ground truth", split));
    truthFile.add("clips", clips);
    Json.write(folder.resolve("clips_" + split.id() + ".json"), truthFile);
    return new Written(split, count, sentences.size(), folder);
  }

  // ---- classification (ImageNet-style folders) ----

  public static Written writeClassification(SyntheticClassification data, Path folder, IntConsumer step) {
    Split split = data.split();
    Path root = folder.resolve(split.id());
    for (String label : data.labels()) {
      SyntheticWriter.createDirectories(root.resolve(SyntheticClassification.folderName(label)));
    }
    for (int i = 0; i < data.size(); i++) {
      Scene scene = data.scene(i);
      String label = data.labels().get(data.label(scene));
      SyntheticWriter.writePng(root.resolve(SyntheticClassification.folderName(label)).resolve(SyntheticWriter.fileName(i)),
          SceneRenderer.render(scene));
      step.accept(i);
    }
    JsonObject classes = new JsonObject();
    StringBuilder labels = new StringBuilder();
    for (String label : data.labels()) {
      classes.addProperty(SyntheticClassification.folderName(label), label);
      labels.append(label).append('\n');
    }
    Json.write(folder.resolve("classes.json"), classes);
    dev.glimpse.util.AtomicFiles.writeString(folder.resolve("labels.txt"), labels.toString());
    return new Written(split, data.size(), data.size(), folder);
  }

  // ---- regions (Visual Genome) ----

  public static Written writeRegions(SyntheticRegions data, Path folder, IntConsumer step) {
    Split split = data.split();
    Path images = folder.resolve("images").resolve(split.id());
    SyntheticWriter.createDirectories(images);
    JsonArray descriptions = new JsonArray();
    JsonArray imageData = new JsonArray();
    int regionCount = 0;
    for (int i = 0; i < data.size(); i++) {
      Scene scene = data.scene(i);
      SyntheticWriter.writePng(images.resolve(i + ".png"), SceneRenderer.render(scene));
      JsonArray regions = new JsonArray();
      List<SyntheticRegions.Region> list = SyntheticRegions.regions(scene);
      for (int k = 0; k < list.size(); k++) {
        SyntheticRegions.Region r = list.get(k);
        JsonObject region = new JsonObject();
        region.addProperty("region_id", i * 10L + k + 1);
        region.addProperty("width", r.box().width());
        region.addProperty("height", r.box().height());
        region.addProperty("image_id", i);
        region.addProperty("phrase", r.phrase());
        region.addProperty("y", r.box().y());
        region.addProperty("x", r.box().x());
        regions.add(region);
      }
      regionCount += list.size();
      JsonObject entry = new JsonObject();
      entry.add("regions", regions);
      entry.addProperty("id", i);
      descriptions.add(entry);
      JsonObject image = new JsonObject();
      image.addProperty("width", scene.width());
      image.addProperty("url", "");
      image.addProperty("height", scene.height());
      image.addProperty("image_id", i);
      image.add("coco_id", com.google.gson.JsonNull.INSTANCE);
      image.add("flickr_id", com.google.gson.JsonNull.INSTANCE);
      image.addProperty("file_name", i + ".png");
      imageData.add(image);
      step.accept(i);
    }
    Json.write(folder.resolve("region_descriptions_" + split.id() + ".json"), descriptions);
    Json.write(folder.resolve("image_data_" + split.id() + ".json"), imageData);
    return new Written(split, data.size(), regionCount, folder);
  }

  private static JsonObject info(String what, Split split) {
    JsonObject info = new JsonObject();
    info.addProperty("description", "Glimpse synthetic " + what + ", split " + split.id());
    info.addProperty("version", "1.0");
    info.addProperty("contributor", "glimpse data synth");
    return info;
  }

  private static JsonObject license() {
    JsonObject license = new JsonObject();
    license.addProperty("url", "");
    license.addProperty("name", "generated data, no restrictions");
    return license;
  }
}
