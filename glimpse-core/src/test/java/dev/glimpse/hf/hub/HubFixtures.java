package dev.glimpse.hf.hub;

import com.google.gson.JsonObject;
import dev.glimpse.util.SafeTensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hub repositories made of the tiny HF fixtures (src/test/resources/fixtures/hf and hf-tokenizers). */
public final class HubFixtures {
  private HubFixtures() {}

  public static Path resource(String name) {
    try {
      return Path.of(HubFixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture " + name, e);
    }
  }

  /** The GIT fixture with the WordPiece tokenizer, plus files Glimpse must not fetch (pickles, fp16, onnx/, README). */
  public static FakeHub.Repo gitRepo(FakeHub hub, String id) throws IOException {
    FakeHub.Repo repo = hub.repo(id);
    FakeHub.addFolder(repo, resource("hf/git"), "inputs.safetensors", "outputs.safetensors", "README.md",
        "fixture_meta.json", "config_full.json");
    FakeHub.addFolder(repo, resource("hf-tokenizers/wordpiece-99"));
    repo.file("README.md", "# tiny git\n".getBytes(StandardCharsets.UTF_8));
    repo.file("pytorch_model.bin", new byte[] {1, 2, 3});
    repo.file("model.fp16.safetensors", new byte[] {4, 5, 6});
    repo.file("onnx/model.onnx", new byte[] {7});
    return repo;
  }

  /**
   * The LLaVA fixture with the Llama BPE tokenizer and its weights split as real checkpoints are: the
   * vision tower in {@code model-00001-of-00002.safetensors}, the rest in the second shard, and a
   * {@code model.safetensors.index.json} mapping each tensor to its shard.
   */
  public static FakeHub.Repo shardedLlava(FakeHub hub, String id, Path scratch) throws IOException {
    FakeHub.Repo repo = hub.repo(id);
    FakeHub.addFolder(repo, resource("hf/llava"), "inputs.safetensors", "outputs.safetensors", "README.md",
        "fixture_meta.json", "config_full.json", "model.safetensors");
    FakeHub.addFolder(repo, resource("hf-tokenizers/llama-bpe-120"));
    Map<String, SafeTensors.Tensor> all = SafeTensors.read(resource("hf/llava/model.safetensors")).tensors();
    List<SafeTensors.Tensor> first = new ArrayList<>();
    List<SafeTensors.Tensor> second = new ArrayList<>();
    JsonObject map = new JsonObject();
    for (SafeTensors.Tensor t : all.values()) {
      boolean vision = t.name().startsWith("vision_tower.");
      (vision ? first : second).add(t);
      map.addProperty(t.name(), vision ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
    }
    Path shards = Files.createDirectories(scratch.resolve("shards-" + id.replace('/', '_')));
    SafeTensors.write(shards.resolve("a"), first, Map.of("format", "pt"));
    SafeTensors.write(shards.resolve("b"), second, Map.of("format", "pt"));
    JsonObject index = new JsonObject();
    JsonObject meta = new JsonObject();
    meta.addProperty("total_size", Files.size(shards.resolve("a")) + Files.size(shards.resolve("b")));
    index.add("metadata", meta);
    index.add("weight_map", map);
    repo.file("model-00001-of-00002.safetensors", Files.readAllBytes(shards.resolve("a")));
    repo.file("model-00002-of-00002.safetensors", Files.readAllBytes(shards.resolve("b")));
    repo.file("model.safetensors.index.json", index.toString().getBytes(StandardCharsets.UTF_8));
    return repo;
  }
}
