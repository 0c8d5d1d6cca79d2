package dev.glimpse.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.hf.hub.CacheListing;
import dev.glimpse.hf.hub.HubId;
import dev.glimpse.hf.hub.HubSettings;
import dev.glimpse.hf.hub.ModelResolver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code glimpse hf download ID}: fetch a hub model into the local HuggingFace cache ahead of time. */
@Command(name = "download", mixinStandardHelpOptions = true,
    description = {"Download a HuggingFace model into the local HuggingFace cache, ahead of time.",
        "Fetches the files Glimpse reads (config, safetensors weights and shards, tokenizer, preprocessor and",
        "generation configs; never .bin pickles) into the cache the Python tools share. Always asks the hub",
        "for the revision's current commit, so it also updates a cached branch. HF_TOKEN (or the token file",
        "of 'huggingface-cli login') is sent for gated models; HF_ENDPOINT chooses the hub. Prints the",
        "snapshot folder."})
public final class HfDownloadCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "ID", description = "ORG/NAME[@REVISION], with or without the hf: prefix.")
  String model;

  @Override
  public Integer call() {
    HubId id = HubId.parse(model);
    ModelResolver.Snapshot s = ModelResolver.download(id, HubSettings.fromEnvironment(), System.err);
    common.info().printf("%s: %s (%d file%s downloaded, %s)%n", id, s.dir(), s.fetched().size(),
        s.fetched().size() == 1 ? "" : "s", CacheListing.humanSize(s.fetchedBytes()));
    JsonObject json = new JsonObject();
    json.addProperty("id", id.toString());
    json.addProperty("revision", id.revision());
    json.addProperty("commit", s.commit());
    json.addProperty("path", s.dir().toString());
    JsonArray fetched = new JsonArray();
    s.fetched().forEach(fetched::add);
    json.add("downloaded", fetched);
    json.addProperty("downloaded_bytes", s.fetchedBytes());
    common.printJson(json);
    return 0;
  }
}
