package dev.glimpse.hf;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model of one of the supported HuggingFace architectures (GIT, CLIP, LLaVA, BLIP-2) with its
 * weights, tokenizer (when the folder has one) and image preprocessing, loaded from an HF-layout
 * folder ({@code config.json} + {@code model.safetensors} or a sharded index) or from a Glimpse
 * checkpoint of such a model. Keeps the HF side files ({@code config.json}, generation, preprocessor
 * and tokenizer configs) so that an export writes them back. Owns its native memory.
 */
public final class HfModel implements AutoCloseable {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
  public static final String GENERATION_CONFIG = "generation_config.json";
  public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  /** Key of the HF side files inside a Glimpse checkpoint's config.json. */
  public static final String SECTION = "hf";
  /** HF side files kept in {@link #SECTION}, by their key there. */
  private static final Map<String, String> SIDE_FILES = Map.of(
      "config", CONFIG,
      "generation_config", GENERATION_CONFIG,
      "preprocessor_config", PREPROCESSOR_CONFIG,
      "tokenizer_config", TOKENIZER_CONFIG,
      "special_tokens_map", SPECIAL_TOKENS_MAP);

  private final HfArchitecture architecture;
  private final ModelConfig config;
  private final NDManager manager;
  private final ParameterStore store;
  private final Object model;
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final JsonObject section;
  private final Path source;

  private HfModel(HfArchitecture architecture, ModelConfig config, NDManager manager, ParameterStore store, Object model,
      Tokenizer tokenizer, ImageTransform transform, JsonObject section, Path source) {
    this.architecture = architecture;
    this.config = config;
    this.manager = manager;
    this.store = store;
    this.model = model;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.section = section;
    this.source = source;
  }

  /**
   * True for a folder in the HuggingFace layout: a {@code config.json} with a {@code model_type} that
   * is not a Glimpse checkpoint's (those have {@code "format": "glimpse"} and a {@code model} object).
   */
  public static boolean isHfDir(Path dir) {
    Path file = dir.resolve(CONFIG);
    if (!Files.isDirectory(dir) || !Files.isRegularFile(file)) {
      return false;
    }
    try {
      JsonObject o = Json.parse(file).getAsJsonObject();
      return !CheckpointConfig.isGlimpse(o) && o.has("model_type") && o.get("model_type").isJsonPrimitive();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Loads an HF-layout folder, or a Glimpse checkpoint of a GIT/CLIP/LLaVA/BLIP-2 model. */
  public static HfModel load(Path path, NDManager parent) {
    if (!Files.isDirectory(path)) {
      throw new GlimpseException("model folder not found: " + path);
    }
    return isHfDir(path) ? loadHf(path, parent) : loadGlimpse(path, parent);
  }

  private static HfModel loadHf(Path dir, NDManager parent) {
    String where = dir.resolve(CONFIG).toString();
    JsonObject hfConfig = object(Json.parse(dir.resolve(CONFIG)), where);
    String type = hfConfig.get("model_type").getAsString();
    HfArchitecture arch = HfArchitectures.byHfType(type, where);
    ModelConfig config = arch.readConfig(hfConfig, where);
    JsonObject section = new JsonObject();
    for (Map.Entry<String, String> e : SIDE_FILES.entrySet()) {
      Path file = dir.resolve(e.getValue());
      if (Files.isRegularFile(file)) {
        section.add(e.getKey(), object(Json.parse(file), file.toString()));
      }
    }
    ImageTransform transform = section.has("preprocessor_config")
        ? HfPreprocessing.read(section.getAsJsonObject("preprocessor_config"), type, config.imageSize(),
            dir.resolve(PREPROCESSOR_CONFIG).toString())
        : HfPreprocessing.defaults(type, config.imageSize());
    Map<String, SafeTensors.Tensor> tensors = readWeights(dir);
    Tokenizer tokenizer = Files.isRegularFile(dir.resolve(HfTokenizer.FILE))
        ? tokenizer(dir.resolve(HfTokenizer.FILE), arch, section, config.vocabSize())
        : null;
    NDManager manager = parent.newSubManager();
    try {
      ParameterStore store = new ParameterStore(manager, 0);
      Object model = Models.build(config, store.root());
      String source = Files.isRegularFile(dir.resolve(WEIGHTS)) ? dir.resolve(WEIGHTS).toString()
          : dir.resolve(WEIGHTS_INDEX).toString();
      store.load(arch.tensors(config).toOurs(tensors, store, source), source);
      return new HfModel(arch, config, manager, store, model, tokenizer, transform, section, dir);
    } catch (RuntimeException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      manager.close();
      throw e;
    }
  }

  private static HfModel loadGlimpse(Path dir, NDManager parent) {
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new GlimpseException(dir + " is neither a HuggingFace model folder nor a Glimpse checkpoint (no " + CONFIG
          + ")");
    }
    CheckpointConfig saved = CheckpointConfig.read(dir);
    ModelConfig config = saved.model();
    HfArchitecture arch = HfArchitectures.of(config);
    JsonObject section = saved.hf() == null ? new JsonObject() : saved.hf();
    ImageTransform transform = saved.image();
    Tokenizer tokenizer = Files.isRegularFile(dir.resolve(HfTokenizer.FILE)) ? HfTokenizer.load(dir) : null;
    NDManager manager = parent.newSubManager();
    try {
      ParameterStore store = new ParameterStore(manager, 0);
      Object model = Models.build(config, store.root());
      store.load(dir.resolve(WEIGHTS));
      return new HfModel(arch, config, manager, store, model, tokenizer, transform, section, dir);
    } catch (RuntimeException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      manager.close();
      throw e;
    }
  }

  /**
   * The shard files a {@code model.safetensors.index.json} names, each once, sorted (so
   * {@code model-00001-of-00003.safetensors} comes first). Checks that the index is an object with a {@code weight_map} of tensor name to file
   * name and that every file name stays inside the model folder; does not check that they exist.
   */
  public static List<String> shardFiles(Path index) {
    Set<String> files = new TreeSet<>();
    for (Map.Entry<String, JsonElement> e : weightMap(index).entrySet()) {
      files.add(e.getValue().getAsString());
    }
    return List.copyOf(files);
  }

  private static JsonObject weightMap(Path index) {
    JsonObject o = object(Json.parse(index), index.toString());
    if (!o.has("weight_map") || !o.get("weight_map").isJsonObject()) {
      throw new GlimpseException(index + " has no weight_map");
    }
    JsonObject map = o.getAsJsonObject("weight_map");
    if (map.isEmpty()) {
      throw new GlimpseException(index + ": the weight_map is empty");
    }
    for (Map.Entry<String, JsonElement> e : map.entrySet()) {
      JsonElement file = e.getValue();
      if (!file.isJsonPrimitive() || !file.getAsJsonPrimitive().isString()) {
        throw new GlimpseException(index + ": weight_map[\"" + e.getKey() + "\"] is not a file name");
      }
      String name = file.getAsString();
      if (!insideFolder(name)) {
        throw new GlimpseException(index + ": shard " + name + " is outside the model folder");
      }
    }
    return map;
  }

  // a relative file name that stays inside the folder it is resolved against
  private static boolean insideFolder(String name) {
    try {
      Path folder = Path.of("folder");
      Path p = folder.resolve(name).normalize();
      return !name.isEmpty() && !name.contains("\\") && !Path.of(name).isAbsolute() && p.startsWith(folder)
          && !p.equals(folder);
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** True when Glimpse reads HF models of this {@code model_type} (git, clip, llava, blip-2). */
  public static boolean supportsModelType(String hfType) {
    return HfArchitectures.supports(hfType);
  }

  /** The HF {@code model_type}s Glimpse reads. */
  public static List<String> supportedModelTypes() {
    return HfArchitectures.hfTypes();
  }

  /** The weight files of an HF folder that are not there: a missing model.safetensors, or missing shards. */
  public static List<String> missingWeightFiles(Path dir) {
    if (Files.isRegularFile(dir.resolve(WEIGHTS))) {
      return List.of();
    }
    Path index = dir.resolve(WEIGHTS_INDEX);
    if (!Files.isRegularFile(index)) {
      return List.of(WEIGHTS + " (or " + WEIGHTS_INDEX + ")");
    }
    return shardFiles(index).stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
  }

  /** All tensors of {@code model.safetensors}, or of the shards a {@code model.safetensors.index.json} lists. */
  static Map<String, SafeTensors.Tensor> readWeights(Path dir) {
    Path single = dir.resolve(WEIGHTS);
    if (Files.isRegularFile(single)) {
      return SafeTensors.read(single).tensors();
    }
    Path index = dir.resolve(WEIGHTS_INDEX);
    if (Files.isRegularFile(index)) {
      JsonObject weightMap = weightMap(index);
      Map<String, Map<String, SafeTensors.Tensor>> shards = new LinkedHashMap<>();
      for (String file : shardFiles(index)) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
          throw new GlimpseException(index + " names shard " + file + ", which is not in " + dir);
        }
        shards.put(file, SafeTensors.read(p).tensors());
      }
      Map<String, SafeTensors.Tensor> all = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : weightMap.entrySet()) {
        String file = e.getValue().getAsString();
        SafeTensors.Tensor t = shards.get(file).get(e.getKey());
        if (t == null) {
          throw new GlimpseException(index + ": " + e.getKey() + " is not in " + file);
        }
        all.put(e.getKey(), t);
      }
      for (Map.Entry<String, Map<String, SafeTensors.Tensor>> shard : shards.entrySet()) {
        for (String name : shard.getValue().keySet()) {
          if (!all.containsKey(name)) {
            throw new GlimpseException(index + ": " + shard.getKey() + " holds " + name + ", which the weight_map lacks");
          }
        }
      }
      return all;
    }
    for (String bin : new String[] {"pytorch_model.bin", "pytorch_model.bin.index.json"}) {
      if (Files.exists(dir.resolve(bin))) {
        throw new GlimpseException(dir + " has PyTorch pickle weights (" + bin + ") only; Glimpse reads safetensors "
            + "(save with save_pretrained(..., safe_serialization=True))");
      }
    }
    throw new GlimpseException(dir + " has no " + WEIGHTS + " or " + WEIGHTS_INDEX);
  }

  /**
   * Special ids as HF's generate() uses them: {@code generation_config.json} first, then the model
   * config; without a tokenizer a missing pad id falls back to EOS (as generate() does).
   */
  static SpecialTokens specialTokens(HfArchitecture arch, JsonObject section) {
    HfArchitecture.SpecialIds ids = configIds(arch, section);
    if (ids.bos() < 0 || ids.eos() < 0) {
      throw new GlimpseException("the model config sets no " + (ids.bos() < 0 ? "bos_token_id" : "eos_token_id"));
    }
    return new SpecialTokens(ids.bos(), ids.eos(), ids.pad() >= 0 ? ids.pad() : ids.eos(), -1);
  }

  private static HfArchitecture.SpecialIds configIds(HfArchitecture arch, JsonObject section) {
    HfArchitecture.SpecialIds ids = arch.specialIds(section.getAsJsonObject("config"));
    int bos = ids.bos();
    int eos = ids.eos();
    int pad = ids.pad();
    if (section.has("generation_config")) {
      JsonObject g = section.getAsJsonObject("generation_config");
      bos = firstId(g.get("bos_token_id"), bos);
      eos = firstId(g.get("eos_token_id"), eos);
      pad = firstId(g.get("pad_token_id"), pad);
    }
    return new HfArchitecture.SpecialIds(bos, eos, pad);
  }

  // an id, or the first of a list (generate() stops at any of them; Glimpse uses the first)
  private static int firstId(JsonElement e, int fallback) {
    if (e == null || e.isJsonNull()) {
      return fallback;
    }
    if (e.isJsonArray()) {
      return e.getAsJsonArray().isEmpty() ? fallback : e.getAsJsonArray().get(0).getAsInt();
    }
    return e.getAsInt();
  }

  /**
   * The tokenizer with the model's special ids; ids the configs leave unset come from the tokenizer's
   * own files ({@code special_tokens_map.json}, {@code tokenizer_config.json}, the unknown token of
   * {@code tokenizer.json}), and a pad id still missing falls back to EOS.
   */
  private static Tokenizer tokenizer(Path file, HfArchitecture arch, JsonObject section, int vocabSize) {
    String json = Json.readUtf8(file);
    HfArchitecture.SpecialIds ids = configIds(arch, section);
    HfTokenizer probe = HfTokenizer.fromJson(json, new SpecialTokens(0, 0, 0, -1), file.toString());
    try {
      if (probe.vocabSize() > vocabSize) {
        throw new GlimpseException(file + " has " + probe.vocabSize() + " ids but the model only " + vocabSize);
      }
      int bos = ids.bos() >= 0 ? ids.bos() : namedToken(probe, section, "bos_token");
      int eos = ids.eos() >= 0 ? ids.eos() : namedToken(probe, section, "eos_token");
      int pad = ids.pad() >= 0 ? ids.pad() : namedToken(probe, section, "pad_token");
      int unk = unkId(json, probe);
      if (unk < 0) {
        unk = namedToken(probe, section, "unk_token");
      }
      if (bos < 0 || eos < 0) {
        throw new GlimpseException("neither the configs nor the tokenizer files of " + file.getParent() + " name the "
            + (bos < 0 ? "BOS" : "EOS") + " token");
      }
      return HfTokenizer.fromJson(json, new SpecialTokens(bos, eos, pad >= 0 ? pad : eos, unk), file.toString());
    } finally {
      probe.close();
    }
  }

  // "bos_token": "<s>" or {"content": "<s>", ...} in special_tokens_map.json, else tokenizer_config.json
  private static int namedToken(HfTokenizer tokenizer, JsonObject section, String key) {
    for (String file : new String[] {"special_tokens_map", "tokenizer_config"}) {
      JsonObject o = section.has(file) ? section.getAsJsonObject(file) : null;
      JsonElement e = o == null ? null : o.get(key);
      if (e != null && e.isJsonObject() && e.getAsJsonObject().has("content")) {
        e = e.getAsJsonObject().get("content");
      }
      if (e != null && e.isJsonPrimitive()) {
        int id = tokenizer.tokenId(e.getAsString());
        if (id >= 0) {
          return id;
        }
      }
    }
    return -1;
  }

  private static int unkId(String json, HfTokenizer tokenizer) {
    try {
      JsonObject model = com.google.gson.JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("model");
      JsonElement unk = model == null ? null : model.get("unk_token");
      return unk == null || unk.isJsonNull() ? -1 : tokenizer.tokenId(unk.getAsString());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static JsonObject object(JsonElement e, String where) {
    if (!e.isJsonObject()) {
      throw new GlimpseException(where + " is not a JSON object");
    }
    return e.getAsJsonObject();
  }

  /** HF {@code model_type}: git, clip, llava or blip-2. */
  public String hfType() {
    return architecture.hfType();
  }

  HfArchitecture architecture() {
    return architecture;
  }

  public ModelConfig config() {
    return config;
  }

  /** The model object: a {@link CaptioningModel}, or a {@link dev.glimpse.model.ClipModel}. */
  public Object model() {
    return model;
  }

  /** The model as a captioner; CLIP is a user error. */
  public CaptioningModel captioner() {
    if (model instanceof CaptioningModel c) {
      return c;
    }
    throw new GlimpseException("a " + hfType() + " model does not generate text (" + source + ")");
  }

  public ParameterStore store() {
    return store;
  }

  /** The tokenizer, or null when the folder has no tokenizer.json. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ImageTransform transform() {
    return transform;
  }

  public NDManager manager() {
    return manager;
  }

  public Path source() {
    return source;
  }

  /** HF side files kept with the model: {"config": ..., "generation_config": ..., ...} (a copy). */
  public JsonObject section() {
    return section.deepCopy();
  }

  /**
   * The tokenizer's {@code padding_side} from tokenizer_config.json ("right" when unset). Glimpse
   * always right-pads prompts and masks the padding, with positions counted per row, which gives the
   * same tokens as HF's left padding for these models.
   */
  public String paddingSide() {
    JsonObject t = section.has("tokenizer_config") ? section.getAsJsonObject("tokenizer_config") : null;
    return t != null && t.has("padding_side") ? t.get("padding_side").getAsString() : "right";
  }

  /** BOS/EOS/PAD for generation: the tokenizer's when there is one, else the HF configs'. */
  public SpecialTokens specialTokens() {
    if (tokenizer != null) {
      return tokenizer.special();
    }
    return specialTokens(architecture, withConfig());
  }

  // the section with a "config" entry (a Glimpse-native model has none: derive it)
  JsonObject withConfig() {
    if (section.has("config")) {
      return section;
    }
    JsonObject s = section.deepCopy();
    s.add("config", architecture.writeConfig(config));
    return s;
  }

  /** The config of a Glimpse checkpoint holding this model (HF side files under {@code hf}). */
  public CheckpointConfig checkpointConfig() {
    return new CheckpointConfig(config, transform, null, List.of(), null, section);
  }

  /** Writes the model in the HuggingFace layout (see {@link HfExport}). */
  public void export(Path out) {
    HfExport.write(this, out);
  }

  @Override
  public void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
    manager.close();
  }
}
