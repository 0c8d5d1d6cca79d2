package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.hf.HfModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse import hf}: a HuggingFace model folder to a Glimpse checkpoint. */
@Command(name = "hf", mixinStandardHelpOptions = true,
    description = {"Convert a HuggingFace model folder (config.json + model.safetensors, GIT, CLIP, LLaVA or BLIP-2)",
        "into a Glimpse checkpoint. HF folders also work directly wherever a checkpoint is expected."})
public final class ImportHfCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--from", required = true, paramLabel = "DIR|hf:ID",
      description = "HuggingFace model folder, or a hub id hf:ORG/NAME[@REVISION] (from the local HuggingFace cache, "
          + "else downloaded into it).")
  String model;

  @Mixin HubOptions hub;

  @Option(names = "--out", required = true, paramLabel = "CKPT", description = "Checkpoint folder to write.")
  Path out;

  @Option(names = "--overwrite", description = "Replace --out if it exists.")
  boolean overwrite;

  @Override
  public Integer call() {
    if (Files.exists(out) && !overwrite) {
      throw new GlimpseException(out + " already exists (use --overwrite to replace it)");
    }
    Path from = hub.resolve(model);
    if (!HfModel.isHfDir(from)) {
      throw new GlimpseException(from + " is not a HuggingFace model folder (needs a config.json with a model_type)");
    }
    try (NDManager manager = Devices.cpuManager(); HfModel model = HfModel.load(from, manager)) {
      Checkpoint.write(out, model.checkpointConfig(), model.store(), model.tokenizer(), null, null);
      JsonObject result = new JsonObject();
      result.addProperty("from", from.toString());
      result.addProperty("out", out.toString());
      result.addProperty("hf_model_type", model.hfType());
      result.addProperty("model_type", model.config().modelType());
      result.addProperty("parameters", model.store().count());
      result.addProperty("tokenizer", model.tokenizer() != null);
      common.info().printf("imported %s (%,d parameters) from %s into %s%s%n", model.hfType(), model.store().count(),
          from, out, model.tokenizer() == null
              ? "; no tokenizer.json: the checkpoint can be verified and exported but not caption" : "");
      common.printJson(result);
    }
    return 0;
  }
}
