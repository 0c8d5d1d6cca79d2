package dev.glimpse.serve;

import com.google.gson.JsonObject;
import dev.glimpse.generate.Captioner;
import dev.glimpse.train.LoadedModel;
import java.nio.file.Path;

/** A captioning model served through chat completions, decoded by its own {@link Engine}. */
final class ChatModel extends ServedModel {
  final LoadedModel loaded;
  final Captioner captioner;
  final Engine engine;

  ChatModel(String name, Path source, LoadedModel loaded, ServeOptions options, ServerMetrics metrics) {
    super(name, source);
    this.loaded = loaded;
    this.captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
    this.engine = new Engine(name, captioner, loaded.manager(), options.maxBatch(), options.maxQueue(),
        options.admission(), metrics);
  }

  @Override
  String kind() {
    return "chat";
  }

  @Override
  JsonObject describe() {
    JsonObject o = super.describe();
    o.addProperty("max_model_len", loaded.model().maxTextLength());
    o.addProperty("attention_maps", loaded.model().attendsToImageTokens());
    return o;
  }

  @Override
  void shutdown(boolean drain, long waitMillis) {
    engine.shutdown(!drain, waitMillis);
  }

  @Override
  public void close() {
    engine.close();
    loaded.close();
  }
}
