package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.index.VectorIndex;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse search}: the nearest images of an index to a text or an image. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Search an index built by 'glimpse index build' with a text or an image, embedded by the index's",
        "model: HNSW search by default, --exact for brute force over every vector (the check).",
        "Prints rank, score (cosine) and path per hit."})
public final class SearchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--index", required = true, paramLabel = "IDX", description = "The index folder.")
  Path index;

  @Option(names = "--text", description = "A text query.")
  String text;

  @Option(names = "--image", paramLabel = "FILE", description = "An image query.")
  Path image;

  @Option(names = "--k", description = "Hits to return (default 10).")
  int k = 10;

  @Option(names = "--exact", description = "Brute-force search over every vector instead of the HNSW graph.")
  boolean exact;

  @Option(names = "--candidates", description = "HNSW candidates explored per query, at least k (default 100).")
  int candidates = 100;

  @Option(names = "--checkpoint", paramLabel = "DIR|hf:ID",
      description = "The model to embed the query with (default: the one that built the index; must be the same).")
  String checkpoint;

  @Mixin HubOptions hub;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    if ((text == null) == (image == null)) {
      throw new GlimpseException("give either --text \"...\" or --image FILE");
    }
    if (text != null && text.isBlank()) {
      throw new GlimpseException("--text is empty");
    }
    if (k <= 0 || candidates <= 0) {
      throw new GlimpseException("--k and --candidates must be > 0");
    }
    if (image != null && !Files.isRegularFile(image)) {
      throw new GlimpseException("image not found: " + image);
    }
    try (VectorIndex idx = VectorIndex.open(index)) {
      VectorIndex.Meta meta = idx.meta();
      Path model = modelOf(meta);
      try (NDManager manager = Devices.manager(device.device()); LoadedModel loaded = LoadedModel.load(model, manager)) {
        String fingerprint = loaded.store().fingerprint();
        Embeddings embeddings = Embeddings.of(loaded);
        if (embeddings.dim() != meta.dim()) {
          throw new GlimpseException("index " + index + " holds " + meta.dim() + "-dimensional vectors of " + meta.model()
              + "; " + model + " embeds in " + embeddings.dim() + " dimensions");
        }
        if (!fingerprint.equals(meta.fingerprint())) {
          throw new GlimpseException("index " + index + " was built with another model (" + meta.model() + ", "
              + meta.fingerprint().substring(0, Math.min(19, meta.fingerprint().length())) + "...): its vectors are not "
              + "comparable with " + model + "'s");
        }
        float[] query = text != null ? embeddings.texts(List.of(text), 1, null)[0]
            : embeddings.images(List.of(Images.read(image)), 1, null)[0];
        long start = System.nanoTime();
        List<VectorIndex.Hit> hits = exact ? idx.exact(query, k) : idx.search(query, k, candidates);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonArray list = new JsonArray();
        for (int r = 0; r < hits.size(); r++) {
          JsonObject h = new JsonObject();
          h.addProperty("rank", r + 1);
          h.addProperty("path", hits.get(r).path());
          h.addProperty("score", hits.get(r).score());
          list.add(h);
          if (!common.json) {
            System.out.printf("%d\t%.4f\t%s%n", r + 1, hits.get(r).score(), hits.get(r).path());
          }
        }
        JsonObject result = new JsonObject();
        result.addProperty("index", index.toString());
        result.addProperty("query", text != null ? text : image.toString());
        result.addProperty("exact", exact);
        result.addProperty("search_s", seconds);
        result.add("hits", list);
        common.printJson(result);
      }
    }
    return 0;
  }

  // the query model: --checkpoint, else the one recorded in the index
  private Path modelOf(VectorIndex.Meta meta) {
    if (checkpoint != null) {
      return hub.resolve(checkpoint);
    }
    if (meta.model() == null) {
      throw new GlimpseException("index " + index + " does not say which model built it; give --checkpoint");
    }
    if (dev.glimpse.hf.hub.HubId.isHubId(meta.model())) {
      return hub.resolve(meta.model());
    }
    Path recorded = Path.of(meta.model());
    if (!Files.exists(recorded)) {
      throw new GlimpseException("index " + index + " was built with " + recorded + ", which is not there any more; "
          + "give --checkpoint (the same model)");
    }
    return recorded;
  }
}
