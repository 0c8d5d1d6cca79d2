package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse embed}: images or texts to unit-length embeddings in a safetensors file. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {"Embed images (files or folders) or texts (a file, one per line) with a CLIP or MM-GEM model.",
        "Writes a safetensors file: tensor \"embeddings\" [N, P] (float32, unit rows) and, in its metadata, \"ids\"",
        "(a JSON list: image paths, or \"line N\"), \"kind\", \"model\", \"model_type\", \"fingerprint\" and \"dim\"."})
public final class EmbedCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "A CLIP or MM-GEM checkpoint or run folder, an HF CLIP folder, or hf:ORG/NAME[@REV].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--images", arity = "1..*", paramLabel = "PATH", description = "Image files or folders.")
  List<Path> images;

  @Option(names = "--texts", paramLabel = "FILE", description = "A UTF-8 text file, one text per line.")
  Path texts;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The safetensors file to write.")
  Path out;

  @Option(names = "--batch-size", description = "Inputs embedded together (default 32).")
  int batchSize = 32;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    if ((images == null) == (texts == null)) {
      throw new GlimpseException("give either --images PATH... or --texts FILE");
    }
    if (batchSize <= 0) {
      throw new GlimpseException("--batch-size must be > 0, got " + batchSize);
    }
    List<String> ids = new ArrayList<>();
    List<Path> files = images == null ? null : CaptionCommand.imageFiles(images);
    List<String> lines = texts == null ? null : TextLines.read(texts, "text");
    if (files != null) {
      files.forEach(f -> ids.add(f.toString()));
    } else {
      for (int i = 0; i < lines.size(); i++) {
        ids.add("line " + (i + 1));
      }
    }
    Path model = hub.resolve(checkpoint);
    try (NDManager manager = Devices.manager(device.device()); LoadedModel loaded = LoadedModel.load(model, manager)) {
      Embeddings embeddings = Embeddings.of(loaded);
      float[][] rows = files != null
          ? embeddings.images(i -> Images.read(files.get(i)), files.size(), batchSize, "embed")
          : embeddings.texts(lines, batchSize, "embed");
      int dim = embeddings.dim();
      float[] flat = new float[rows.length * dim];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(rows[i], 0, flat, i * dim, dim);
      }
      JsonArray idList = new JsonArray();
      ids.forEach(idList::add);
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put("ids", Json.COMPACT.toJson(idList));
      metadata.put("kind", files != null ? "image" : "text");
      metadata.put("model", ModelArgument.recordable(checkpoint, model));
      metadata.put("model_type", loaded.config().modelType());
      metadata.put("fingerprint", loaded.store().fingerprint());
      metadata.put("dim", String.valueOf(dim));
      SafeTensors.write(out, List.of(SafeTensors.Tensor.ofFloats("embeddings", new long[] {rows.length, dim}, flat)),
          metadata);
      JsonObject result = new JsonObject();
      result.addProperty("out", out.toString());
      result.addProperty("kind", metadata.get("kind"));
      result.addProperty("count", rows.length);
      result.addProperty("dim", dim);
      result.addProperty("model_type", loaded.config().modelType());
      if (!common.json) {
        common.info().printf("wrote %d %s embeddings of %d dimensions to %s%n", rows.length, metadata.get("kind"), dim,
            out);
      }
      common.printJson(result);
    }
    return 0;
  }
}
