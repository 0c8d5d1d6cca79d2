package dev.glimpse.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.hf.hub.CacheListing;
import dev.glimpse.hf.hub.HubSettings;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse hf list}: the models in the local HuggingFace cache that Glimpse can load. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the models of the local HuggingFace cache that Glimpse can load.",
        "The cache is HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub (shared with the Python",
        "tools). One line per cached revision: the id to use wherever a checkpoint goes (--checkpoint",
        "hf:ORG/NAME[@REV]), the commit, the architecture and the size on disk."})
public final class HfListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--all", description = "Also list the models Glimpse cannot load, with the reason.")
  boolean all;

  @Override
  public Integer call() {
    HubSettings settings = HubSettings.fromEnvironment();
    List<CacheListing.Entry> entries = CacheListing.scan(settings.cacheDir());
    List<CacheListing.Entry> shown = entries.stream().filter(e -> all || e.loadable()).toList();
    PrintStream out = common.info();
    if (shown.isEmpty()) {
      out.printf("no %smodels in the HuggingFace cache %s%s%n", all ? "" : "loadable ", settings.cacheDir(),
          entries.isEmpty() ? "" : " (" + entries.size() + " other snapshot" + (entries.size() == 1 ? "" : "s")
              + ": --all lists them)");
    } else {
      int width = Math.max(2, shown.stream().mapToInt(e -> e.spec().length()).max().orElse(2));
      out.printf("%-" + width + "s  %-12s  %-36s  %10s%n", "ID", "COMMIT", "ARCHITECTURE", "SIZE");
      for (CacheListing.Entry e : shown) {
        out.printf("%-" + width + "s  %-12s  %-36s  %10s%s%n", e.spec(), e.commit().substring(0,
            Math.min(12, e.commit().length())), e.architecture() == null ? "-" : e.architecture(), CacheListing.humanSize(e.sizeBytes()),
            e.loadable() ? "" : "  (" + e.reason() + ")");
      }
      long hidden = entries.size() - shown.size();
      if (hidden > 0) {
        out.printf("(%d snapshot%s Glimpse cannot load: --all lists them)%n", hidden, hidden == 1 ? "" : "s");
      }
    }
    JsonObject json = new JsonObject();
    json.addProperty("cache_dir", settings.cacheDir().toString());
    JsonArray models = new JsonArray();
    shown.forEach(e -> models.add(e.toJson()));
    json.add("models", models);
    common.printJson(json);
    return 0;
  }
}
