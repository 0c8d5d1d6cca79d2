package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.nn.Devices;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glimpse caption}: image files or folders to captions. */
@Command(name = "caption", mixinStandardHelpOptions = true,
    description = "Caption images (files or folders of PNG/JPEG/BMP/GIF) with a trained checkpoint.")
public final class CaptionCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "Checkpoint folder, a run folder holding checkpoint/, an HF model folder, or a HuggingFace "
          + "model id hf:ORG/NAME[@REVISION] (from the local HuggingFace cache, else downloaded into it).")
  String checkpoint;

  @Mixin HubOptions hub;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders.")
  List<Path> inputs;

  @Option(names = "--question", description = {"A question to answer about each image (VQA models; a model with a",
      "chat template, such as LLaVA, BLIP-2 or Flamingo trained by Glimpse, is asked it as a one-turn conversation)."})
  String question;

  @Mixin DecodingOptions decoding;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    List<Path> files = imageFiles(inputs);
    Path model = hub.resolve(checkpoint);
    List<BufferedImage> images = new ArrayList<>();
    for (Path f : files) {
      images.add(Images.read(f));
    }
    try (NDManager manager = Devices.manager(device.device());
        LoadedModel loaded = LoadedModel.load(model, manager)) {
      GenerationConfig cfg = decoding.config(loaded.model().maxTextLength());
      Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
      List<List<BufferedImage>> clips = new ArrayList<>();
      List<int[]> prompts = new ArrayList<>();
      ChatTemplate template = loaded.tokenizer().chatTemplate();
      // with a chat template the question (or the template's caption request) is a one-turn conversation
      int[] prompt = template != null
          ? template.encode(loaded.tokenizer(), List.of(ChatTemplate.Turn.ask(0,
              question == null ? template.caption() : question))).ids()
          : question == null || question.isEmpty() ? new int[0] : loaded.tokenizer().encode(question);
      for (BufferedImage image : images) {
        clips.add(List.of(image));
        prompts.add(prompt);
      }
      List<Captioner.Caption> captions = captioner.generateFromIds(clips, prompts, cfg, decoding.batchSize, null);
      JsonArray results = new JsonArray();
      for (int i = 0; i < files.size(); i++) {
        JsonObject o = new JsonObject();
        o.addProperty("file", files.get(i).toString());
        o.addProperty("caption", captions.get(i).text());
        results.add(o);
        if (!common.json) {
          System.out.println(files.get(i) + "\t" + captions.get(i).text());
        }
      }
      JsonObject out = new JsonObject();
      out.addProperty("checkpoint", loaded.source().toString());
      out.add("captions", results);
      common.printJson(out);
    }
    return 0;
  }

  /** Expands folders (sorted, images only); every listed path must exist. */
  static List<Path> imageFiles(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (!Files.exists(p)) {
        throw new GlimpseException("image not found: " + p);
      }
      if (Files.isDirectory(p)) {
        try (Stream<Path> list = Files.list(p)) {
          List<Path> found = list.filter(Files::isRegularFile).filter(Images::isImageFile).sorted().toList();
          if (found.isEmpty()) {
            throw new GlimpseException("no image files (png, jpg, jpeg, bmp, gif) in folder " + p);
          }
          files.addAll(found);
        } catch (IOException e) {
          throw new GlimpseException("cannot list folder " + p + ": " + e.getMessage());
        }
      } else {
        files.add(p);
      }
    }
    return files;
  }
}
