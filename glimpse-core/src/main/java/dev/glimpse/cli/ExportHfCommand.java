package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.hf.HfModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse export hf}: a checkpoint of a GIT/CLIP/LLaVA/BLIP-2 model in the HuggingFace layout. */
@Command(name = "hf", mixinStandardHelpOptions = true,
    description = {"Write a checkpoint (GIT, CLIP, LLaVA or BLIP-2, imported or trained in Glimpse) as a HuggingFace",
        "model folder that transformers loads with from_pretrained: config.json, model.safetensors, tokenizer files."})
public final class ExportHfCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "CKPT|hf:ID",
      description = "Checkpoint folder, run folder holding checkpoint/, HuggingFace folder, or hub id "
          + "hf:ORG/NAME[@REVISION].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write.")
  Path out;

  @Option(names = "--overwrite", description = "Write into --out even if it holds files.")
  boolean overwrite;

  @Override
  public Integer call() {
    Path dir = hub.resolve(checkpoint);
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve(HfModel.CONFIG))
        && Files.isDirectory(dir.resolve(Checkpoint.RUN_CHECKPOINT))) {
      dir = dir.resolve(Checkpoint.RUN_CHECKPOINT);
    }
    if (Files.isDirectory(out) && !overwrite && !isEmpty(out)) {
      throw new GlimpseException(out + " is not empty (use --overwrite to write into it)");
    }
    try (NDManager manager = Devices.cpuManager(); HfModel model = HfModel.load(dir, manager)) {
      model.export(out);
      JsonObject result = new JsonObject();
      result.addProperty("checkpoint", dir.toString());
      result.addProperty("out", out.toString());
      result.addProperty("hf_model_type", model.hfType());
      result.addProperty("parameters", model.store().count());
      JsonArray files = new JsonArray();
      try (Stream<Path> list = Files.list(out)) {
        list.map(p -> p.getFileName().toString()).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new GlimpseException("cannot list " + out + ": " + e.getMessage());
      }
      result.add("files", files);
      common.info().printf("exported %s (%,d parameters) to %s: %s%n", model.hfType(), model.store().count(), out,
          files);
      common.printJson(result);
    }
    return 0;
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
