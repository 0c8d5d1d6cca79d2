package dev.glimpse.recipes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.loaders.ImageFolder;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticClassification;
import dev.glimpse.generate.PrefixConstraint;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Generative classification (GIT section 4.3): the class name is the caption. Decoding constrained
 * to the label set with a prefix trie gives {@code top1}; free decoding gives the open-vocabulary
 * accuracy {@code top1_open} (the generated text must equal the label).
 */
public final class ClassifyTask implements Task {
  public static final String NAME = "classify";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "top1";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new SyntheticClassification(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())), split, size);
  }

  @Override
  public String suiteName() {
    return "classification";
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeClassification(new SyntheticClassification(scenes, split, count), folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    List<String> labels = labels(test, examples);
    List<int[]> sequences = new ArrayList<>();
    for (String label : labels) {
      sequences.add(model.tokenizer().encode(label));
    }
    PrefixConstraint constraint = new PrefixConstraint(sequences, model.tokenizer().special().eos());
    List<String> constrained = TaskSupport.generate(model, examples, eval, constraint);
    List<String> open = TaskSupport.generate(model, examples, eval, null);
    int hits = 0;
    int openHits = 0;
    JsonArray results = new JsonArray();
    for (int i = 0; i < examples.size(); i++) {
      String truth = normalise(examples.get(i).targets().get(0));
      hits += normalise(constrained.get(i)).equals(truth) ? 1 : 0;
      openHits += normalise(open.get(i)).equals(truth) ? 1 : 0;
      JsonObject r = new JsonObject();
      r.addProperty("id", examples.get(i).id());
      r.addProperty("label", examples.get(i).targets().get(0));
      r.addProperty("prediction", constrained.get(i));
      r.addProperty("open_prediction", open.get(i));
      results.add(r);
    }
    JsonObject out = new JsonObject();
    out.addProperty("top1", TaskSupport.fraction(hits, examples.size()));
    out.addProperty("top1_open", TaskSupport.fraction(openHits, examples.size()));
    out.addProperty("classes", labels.size());
    out.add("samples", TaskSupport.samples(examples, constrained, 8));
    if (outDir != null) {
      Json.write(outDir.resolve("classify_results.json"), results);
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }

  /** The label set: the dataset's class list when it has one, else the distinct targets seen. */
  static List<String> labels(Dataset test, List<Example> examples) {
    Dataset base = test instanceof dev.glimpse.data.Subset s ? s.base() : test;
    if (base instanceof dev.glimpse.data.loaders.SkippingDataset skipping) {
      base = skipping.unwrap();
    }
    if (base instanceof SyntheticClassification synthetic) {
      return synthetic.labels();
    }
    if (base instanceof ImageFolder folder) {
      return folder.classes();
    }
    Set<String> seen = new LinkedHashSet<>();
    for (Example ex : examples) {
      seen.add(ex.targets().get(0));
    }
    return new ArrayList<>(seen);
  }

  static String normalise(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }
}
