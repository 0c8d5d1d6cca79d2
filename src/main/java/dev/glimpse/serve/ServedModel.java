package dev.glimpse.serve;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.ClipModel;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model the server answers with, under the name requests give in {@code model}: a captioning model
 * (chat completions, through its continuous-batching {@link Engine}) or an embedding model (CLIP).
 */
abstract class ServedModel implements AutoCloseable {
  final String name;
  final Path source;
  final long created = System.currentTimeMillis() / 1000;

  ServedModel(String name, Path source) {
    this.name = name;
    this.source = source;
  }

  /** "chat" or "embeddings". */
  abstract String kind();

  /** The entry of {@code GET /v1/models}. */
  JsonObject describe() {
    JsonObject o = new JsonObject();
    o.addProperty("id", name);
    o.addProperty("object", "model");
    o.addProperty("created", created);
    o.addProperty("owned_by", "glimpse");
    o.addProperty("kind", kind());
    return o;
  }

  /**
   * Loads any folder the CLI accepts as a checkpoint: a Glimpse checkpoint or run folder, or a
   * HuggingFace folder; CLIP (Glimpse or HF) serves embeddings, every captioning design chat.
   */
  static ServedModel load(String name, Path path, NDManager manager, ServeOptions options, ServerMetrics metrics) {
    Path dir = Checkpoint.resolve(path);
    if (isClip(dir)) {
      HfModel hf = HfModel.load(dir, manager);
      try {
        if (hf.tokenizer() == null) {
          throw new GlimpseException(dir + " has no tokenizer.json (needed to embed text)");
        }
        return new EmbeddingModel(name, dir, hf, new ClipEmbedder((ClipModel) hf.model(), hf.tokenizer(),
            hf.transform()), options.maxQueue());
      } catch (RuntimeException e) {
        hf.close();
        throw e;
      }
    }
    LoadedModel loaded = LoadedModel.load(dir, manager);
    try {
      return new ChatModel(name, dir, loaded, options, metrics);
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  private static boolean isClip(Path dir) {
    Path config = dir.resolve(Checkpoint.CONFIG);
    if (!Files.isRegularFile(config)) {
      return false;
    }
    JsonObject o = Json.parse(config).getAsJsonObject();
    return o.has("model_type") && o.get("model_type").isJsonPrimitive()
        && o.get("model_type").getAsString().equals("clip");
  }

  /** Stops taking work; with {@code drain} lets what is running finish first (at most {@code waitMillis}). */
  abstract void shutdown(boolean drain, long waitMillis);

  @Override
  public abstract void close();
}
