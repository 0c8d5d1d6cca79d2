package dev.glimpse.serve;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.Embedder;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
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
    LoadedModel loaded = LoadedModel.load(path, manager);
    try {
      if (loaded.instance() instanceof Embedder embedder && embedder.embeds()) {
        return new EmbeddingModel(name, loaded.source(), loaded, new ClipEmbedder(embedder, loaded.tokenizer(),
            loaded.transform()), options.maxQueue());
      }
      if (loaded.instance() instanceof CaptioningModel) {
        return new ChatModel(name, loaded.source(), loaded, options, metrics);
      }
      throw new GlimpseException("the " + loaded.config().modelType() + " model in " + path
          + " neither writes text nor embeds; glimpse serve has no endpoint for it");
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /** Stops taking work; with {@code drain} lets what is running finish first (at most {@code waitMillis}). */
  abstract void shutdown(boolean drain, long waitMillis);

  @Override
  public abstract void close();
}
