package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.Images;
import dev.glimpse.data.SampleException;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.index.VectorIndex;
import dev.glimpse.nn.Devices;
import dev.glimpse.recipes.RetrievalData;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Progress;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse index build}: embeds images and writes them to a Lucene HNSW index. */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = {"Embed the images of a folder (searched recursively) or a dataset and write an HNSW vector index",
        "(Lucene) with their paths. The index remembers the model; 'glimpse search' embeds queries with it.",
        "Unreadable images are skipped and counted."})
public final class IndexBuildCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "A CLIP or MM-GEM checkpoint or run folder, an HF CLIP folder, or hf:ORG/NAME[@REV].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--images", paramLabel = "DIR", description = "A folder of images (searched recursively).")
  Path images;

  @Option(names = "--data", paramLabel = "SPEC",
      description = "A dataset (coco:..., jsonl:..., imagefolder:DIR, synthetic[:SPLIT], ...), its images by id.")
  String data;

  @Option(names = "--count", description = "With --data: images to index (default: all; synthetic: 1000).")
  int count;

  @Option(names = "--out", required = true, paramLabel = "IDX", description = "The index folder to write.")
  Path out;

  @Option(names = "--batch-size", description = "Images embedded together (default 32).")
  int batchSize = 32;

  @Option(names = "--m", description = "HNSW neighbours per node (default " + VectorIndex.DEFAULT_MAX_CONN + ").")
  int maxConn = VectorIndex.DEFAULT_MAX_CONN;

  @Option(names = "--beam", description = "HNSW candidates while building (default " + VectorIndex.DEFAULT_BEAM_WIDTH
      + ").")
  int beamWidth = VectorIndex.DEFAULT_BEAM_WIDTH;

  @Mixin DeviceOption device;

  /** Where the images come from: a name per image and a way to read it. */
  private record Source(List<String> names, java.util.function.IntFunction<BufferedImage> reader) {}

  @Override
  public Integer call() {
    if ((images == null) == (data == null)) {
      throw new GlimpseException("give either --images DIR or --data SPEC");
    }
    if (batchSize <= 0 || maxConn <= 0 || beamWidth <= 0) {
      throw new GlimpseException("--batch-size, --m and --beam must be > 0");
    }
    Source source = images != null ? folder(images) : dataset(data, count);
    Path model = hub.resolve(checkpoint);
    long start = System.nanoTime();
    try (NDManager manager = Devices.manager(device.device()); LoadedModel loaded = LoadedModel.load(model, manager)) {
      Embeddings embeddings = Embeddings.of(loaded);
      VectorIndex.Meta meta = new VectorIndex.Meta(VectorIndex.FORMAT, embeddings.dim(),
          0, ModelArgument.recordable(checkpoint, model), loaded.config().modelType(), loaded.store().fingerprint(),
          maxConn, beamWidth);
      int skipped = 0;
      String lastSkip = null;
      int added;
      try (VectorIndex.Writer writer = VectorIndex.create(out, meta);
          Progress progress = new Progress("index", 0, source.names().size(), false)) {
        for (int from = 0; from < source.names().size(); from += batchSize) {
          int to = Math.min(source.names().size(), from + batchSize);
          List<BufferedImage> batch = new ArrayList<>();
          List<String> names = new ArrayList<>();
          for (int i = from; i < to; i++) {
            try {
              batch.add(source.reader().apply(i));
              names.add(source.names().get(i));
            } catch (SampleException | GlimpseException e) {
              skipped++;
              lastSkip = e.getMessage();
            }
          }
          float[][] rows = embeddings.images(batch, batchSize, null);
          for (int k = 0; k < rows.length; k++) {
            writer.add(names.get(k), rows[k]);
          }
          progress.step(to, skipped > 0 ? skipped + " skipped" : "");
        }
        if (writer.count() == 0) {
          throw new GlimpseException("no image could be read (last problem: " + lastSkip + ")");
        }
        writer.forceMerge(); // one segment, one graph: a search walks one graph instead of one per segment
        added = writer.publish();
      }
      if (skipped > 0) {
        common.info().printf("warning: skipped %d unreadable images (last: %s)%n", skipped, lastSkip);
      }
      JsonObject result = new JsonObject();
      result.addProperty("index", out.toString());
      result.addProperty("count", added);
      result.addProperty("skipped", skipped);
      result.addProperty("dim", embeddings.dim());
      result.addProperty("model", meta.model());
      result.addProperty("model_type", meta.modelType());
      result.addProperty("build_s", (System.nanoTime() - start) / 1e9);
      Summaries.print(common, "index", result, "index", "count", "skipped", "dim", "model", "build_s");
    }
    return 0;
  }

  private static Source folder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new GlimpseException((Files.exists(dir) ? "not a folder: " : "folder not found: ") + dir);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(Images::isImageFile).sorted().toList();
    } catch (IOException e) {
      throw new GlimpseException("cannot list folder " + dir + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new GlimpseException("no image files (png, jpg, jpeg, bmp, gif) in folder " + dir);
    }
    return new Source(files.stream().map(Path::toString).toList(), i -> Images.read(files.get(i)));
  }

  private static Source dataset(String spec, int count) {
    Dataset dataset = RetrievalData.captions(spec, count);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < dataset.size(); i++) {
      names.add(spec.startsWith(RetrievalData.SYNTHETIC) ? "synthetic/" + i : "#" + i);
    }
    return new Source(names, i -> {
      Example ex = dataset.get(i);
      names.set(i, name(ex));
      return ex.image();
    });
  }

  // a dataset example's file name when its source gives one, else its id
  private static String name(Example ex) {
    Object file = ex.metadata().get("file_name");
    return file != null ? file.toString() : ex.id();
  }
}
