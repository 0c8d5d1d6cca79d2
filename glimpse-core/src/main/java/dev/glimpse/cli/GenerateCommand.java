package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.eval.ImageGrid;
import dev.glimpse.generate.ImageGenerator;
import dev.glimpse.model.DiffusionModel;
import dev.glimpse.model.EncodesImages;
import dev.glimpse.model.GeneratesImages;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse generate}: images from text prompts, or images reconstructed through a VLV caption embedding. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate images from prompts with a diffusion or VLV checkpoint, or reconstruct",
        "images through a VLV model's caption embedding (--from-image).",
        "Writes a PNG grid: one row per prompt or image."})
public final class GenerateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "A diffusion or VLV checkpoint folder, a run folder holding checkpoint/, or hf:ORG/NAME[@REV].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt (repeatable), e.g. \"a large red circle on the left\".")
  List<String> prompts = new ArrayList<>();

  @Option(names = "--from-image", paramLabel = "FILE", arity = "1..*",
      description = "Images (files or folders) to reconstruct through the model's caption embedding (VLV).")
  List<Path> images = new ArrayList<>();

  @Option(names = "--samples", description = "Images per prompt or input image (default: ${DEFAULT-VALUE}).")
  int samples = 4;

  @Option(names = "--steps", description = "DDIM steps (default: the model's, 50 in the recipes).")
  Integer steps;

  @Option(names = "--guidance", description = "Classifier-free guidance scale; 1 is the conditional prediction alone "
      + "(default: the model's, 3 in the recipes).")
  Double guidance;

  @Option(names = "--eta", description = "DDIM eta: 0 deterministic (default), 1 as DDPM.")
  double eta;

  @Option(names = "--seed", description = "Seed of the first image's starting noise; image k uses seed + k (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch-size", description = "Images generated together (default: ${DEFAULT-VALUE}).")
  int batchSize = 16;

  @Option(names = "--tile", paramLabel = "PX", description = "Side of each image in the grid (default: ${DEFAULT-VALUE}).")
  int tile = 128;

  @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG grid to write.")
  Path out;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    if (prompts.isEmpty() == images.isEmpty()) {
      throw new GlimpseException(prompts.isEmpty() ? "give --prompt TEXT or --from-image FILE"
          : "give --prompt or --from-image, not both");
    }
    if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new GlimpseException("--out must name a .png file, got " + out);
    }
    if (samples < 1 || batchSize < 1 || tile < 8) {
      throw new GlimpseException("--samples and --batch-size must be >= 1 and --tile >= 8");
    }
    List<Path> files = images.isEmpty() ? List.of() : CaptionCommand.imageFiles(images);
    List<BufferedImage> inputs = new ArrayList<>();
    for (Path f : files) {
      inputs.add(Images.read(f));
    }
    Path model = hub.resolve(checkpoint);
    try (NDManager manager = Devices.manager(device.device()); LoadedModel loaded = LoadedModel.load(model, manager)) {
      GeneratesImages generator = imageModel(loaded, !inputs.isEmpty());
      DiffusionModel decoder = generator.imageDecoder();
      ImageGenerator.Settings settings;
      try {
        settings = new ImageGenerator.Settings(steps == null ? decoder.config().samplingSteps() : steps,
            guidance == null ? decoder.config().guidanceScale() : guidance, eta, seed);
        if (settings.steps() > decoder.config().schedule().timesteps()) {
          throw new IllegalArgumentException("steps must be at most the model's " + decoder.config().schedule().timesteps()
              + " training timesteps, got " + settings.steps());
        }
      } catch (IllegalArgumentException e) {
        throw new GlimpseException("invalid option: " + e.getMessage());
      }
      ImageGenerator sampler = new ImageGenerator(decoder, loaded.decoderTokenizer(), loaded.manager(), common.json);
      List<ImageGrid.Row> rows = new ArrayList<>();
      JsonArray items = new JsonArray();
      if (!prompts.isEmpty()) {
        List<String> repeated = new ArrayList<>();
        prompts.forEach(p -> repeated.addAll(java.util.Collections.nCopies(samples, p)));
        List<BufferedImage> made = sampler.fromPrompts(repeated, settings, batchSize);
        for (int i = 0; i < prompts.size(); i++) {
          rows.add(new ImageGrid.Row(made.subList(i * samples, (i + 1) * samples), prompts.get(i)));
          JsonObject item = new JsonObject();
          item.addProperty("prompt", prompts.get(i));
          item.addProperty("first_seed", seed + (long) i * samples);
          items.add(item);
        }
      } else {
        List<BufferedImage> repeated = new ArrayList<>();
        inputs.forEach(image -> repeated.addAll(java.util.Collections.nCopies(samples, image)));
        List<BufferedImage> made = sampler.fromImages((EncodesImages) generator, loaded.transform(), repeated, settings,
            batchSize);
        for (int i = 0; i < inputs.size(); i++) {
          List<BufferedImage> tiles = new ArrayList<>();
          tiles.add(inputs.get(i));
          tiles.addAll(made.subList(i * samples, (i + 1) * samples));
          rows.add(new ImageGrid.Row(tiles, files.get(i).getFileName().toString()));
          JsonObject item = new JsonObject();
          item.addProperty("image", files.get(i).toString());
          item.addProperty("first_seed", seed + (long) i * samples);
          items.add(item);
        }
      }
      List<String> headings = inputs.isEmpty() ? null : headings();
      ImageGrid.write(out, headings, rows, tile);
      common.info().printf("wrote %s (%d rows of %d)%n", out, rows.size(), samples);
      JsonObject result = new JsonObject();
      result.addProperty("checkpoint", loaded.source().toString());
      result.addProperty("out", out.toString());
      result.addProperty("steps", settings.steps());
      result.addProperty("guidance", settings.guidance());
      result.addProperty("eta", settings.eta());
      result.addProperty("samples", samples);
      result.add(inputs.isEmpty() ? "prompts" : "images", items);
      common.printJson(result);
    }
    return 0;
  }

  private List<String> headings() {
    List<String> out = new ArrayList<>();
    out.add("input");
    for (int i = 0; i < samples; i++) {
      out.add("through z" + (samples > 1 ? " #" + (i + 1) : ""));
    }
    return out;
  }

  // the loaded model as an image generator; one error line for a checkpoint of another kind
  private static GeneratesImages imageModel(LoadedModel loaded, boolean fromImages) {
    Object model = loaded.instance();
    String kind = loaded.config().modelType();
    if (fromImages && !(model instanceof EncodesImages)) {
      throw new GlimpseException("the " + kind + " model in " + loaded.source() + " cannot reconstruct images: "
          + "--from-image needs a VLV checkpoint");
    }
    if (!(model instanceof GeneratesImages generator)) {
      throw new GlimpseException("the " + kind + " model in " + loaded.source() + " does not generate images: "
          + "glimpse generate needs a diffusion or VLV checkpoint");
    }
    return generator;
  }
}
