package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.bench.Rounds;
import dev.glimpse.bench.SyntheticCaptionCorpus;
import dev.glimpse.eval.caption.CaptionBenchmark;
import dev.glimpse.util.GlimpseException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench eval}: times the caption metrics on a generated corpus. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Times PTB tokenization + BLEU + ROUGE-L + CIDEr (and METEOR separately) on a generated"
          + " corpus (default 5,000 images x 5 references + 1 candidate).",
      "--write-corpus writes the same corpus in the COCO formats to time the official toolkit on it"
          + " (scripts/bench/pycocoevalcap_baseline.py); --baseline-seconds then gives the speedup, and"
          + " --baseline-kind says what that figure is: 'fresh' (the toolkit's first run in a new process,"
          + " the default) compares with Glimpse's first run in this fresh JVM, 'warm' (a repeated run"
          + " inside one process) with Glimpse's warm runs.",
      "The first run is cold (class loading and JIT compilation); the warm figure is the median of the"
          + " later runs, with their spread. scripts/bench/compare.sh alternates fresh processes of both"
          + " tools over several rounds."
    })
public final class BenchEvalCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--images",
      defaultValue = "5000",
      description = "Images in the corpus (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--refs",
      defaultValue = "5",
      description = "References per image (default: ${DEFAULT-VALUE}).")
  int refs;

  @Option(
      names = "--seed",
      defaultValue = "20240101",
      description = "Corpus seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description = "Timed runs; the first is cold (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--no-meteor", description = "Do not time METEOR.")
  boolean noMeteor;

  @Option(
      names = "--write-corpus",
      paramLabel = "DIR",
      description = "Also write annotations.json and results.json (COCO formats) to DIR.")
  Path writeCorpus;

  @Option(
      names = "--baseline-seconds",
      paramLabel = "X",
      description =
          "The official toolkit's time for tokenization + BLEU + ROUGE-L + CIDEr on the same"
              + " corpus.")
  Double baselineSeconds;

  /** What a toolkit time is: a fresh process's first run, or a repeated run in a warm process. */
  enum BaselineKind {
    FRESH("fresh-process"),
    WARM("warm");

    final String label;

    BaselineKind(String label) {
      this.label = label;
    }
  }

  @Option(
      names = "--baseline-kind",
      paramLabel = "fresh|warm",
      description =
          "What --baseline-seconds is: 'fresh' (first run in a new process; default) or 'warm'"
              + " (a repeated run inside one process).")
  BaselineKind baselineKind = BaselineKind.FRESH;

  @Override
  public Integer call() {
    if (images < 1 || refs < 1 || repeat < 1) {
      throw new GlimpseException("--images, --refs and --repeat must be at least 1");
    }
    if (baselineSeconds != null && !(baselineSeconds > 0)) {
      throw new GlimpseException("--baseline-seconds must be positive, got " + baselineSeconds);
    }
    PrintStream out = common.info();
    SyntheticCaptionCorpus.Corpus corpus = SyntheticCaptionCorpus.generate(images, refs, seed);
    if (writeCorpus != null) {
      SyntheticCaptionCorpus.write(corpus, writeCorpus);
      out.println(
          "wrote "
              + writeCorpus.resolve("annotations.json")
              + " and "
              + writeCorpus.resolve("results.json"));
    }
    List<CaptionBenchmark.Run> runs = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      runs.add(CaptionBenchmark.run(corpus.refs(), corpus.candidates(), !noMeteor));
    }
    CaptionBenchmark.Timings cold = runs.get(0).seconds();
    // later runs are warm; with a single run there is no warm figure
    Rounds.Stats warm =
        repeat > 1
            ? Rounds.Stats.of(runs.subList(1, repeat).stream().mapToDouble(r -> r.seconds().core()).toArray())
            : null;
    CaptionBenchmark.Timings best = cold;
    for (CaptionBenchmark.Run run : runs) {
      if (run.seconds().core() < best.core()) {
        best = run.seconds();
      }
    }
    out.printf(
        "corpus: %d images x %d references + 1 candidate (seed %d); %d runs; %d cores%n",
        images, refs, seed, repeat, Runtime.getRuntime().availableProcessors());
    out.printf("%-28s %10s %10s%n", "seconds", "first run", "best run");
    row(out, "PTB tokenization", cold.tokenize(), best.tokenize());
    row(out, "n-gram counting", cold.ngrams(), best.ngrams());
    row(out, "BLEU-1..4", cold.bleu(), best.bleu());
    row(out, "ROUGE-L", cold.rouge(), best.rouge());
    row(out, "CIDEr-D", cold.cider(), best.cider());
    row(out, "total (tok+BLEU+ROUGE+CIDEr)", cold.core(), best.core());
    if (warm != null) {
      out.printf(
          "warm runs (2..%d), total: median %s s%n", repeat, warm.describe("%.3f").replace(" round", " run"));
    }
    if (!noMeteor) {
      row(out, "METEOR (exact+stem)", cold.meteor(), best.meteor());
    }
    runs.get(0).scores().forEach((k, v) -> out.printf("%s: %.6f%n", k, v));
    JsonObject json = new JsonObject();
    json.addProperty("images", images);
    json.addProperty("refs_per_image", refs);
    json.addProperty("seed", seed);
    json.add("first_run_seconds", timingsJson(cold));
    json.add("best_run_seconds", timingsJson(best));
    if (warm != null) {
      json.add("warm_total_seconds", warm.toJson());
    }
    JsonObject scores = new JsonObject();
    runs.get(0).scores().forEach(scores::addProperty);
    json.add("scores", scores);
    if (baselineSeconds != null) {
      json.addProperty("baseline_seconds", baselineSeconds);
      json.addProperty("baseline_kind", baselineKind.label);
      json.addProperty("speedup", baselineSeconds / cold.core());
      json.addProperty("speedup_best_run", baselineSeconds / best.core());
      if (warm != null) {
        json.addProperty("speedup_warm_median", baselineSeconds / warm.median());
      }
      boolean fresh = baselineKind == BaselineKind.FRESH;
      Double likeForLike = fresh ? (Double) (baselineSeconds / cold.core())
          : warm == null ? null : (Double) (baselineSeconds / warm.median());
      if (likeForLike != null) {
        json.addProperty("speedup_like_for_like", likeForLike);
      }
      out.printf(
          "toolkit: %.3f s, a %s figure (%s)%n",
          baselineSeconds,
          baselineKind.label,
          fresh
              ? "compared like for like with Glimpse's first run, in this fresh JVM"
              : warm == null
                  ? "run with --repeat >= 2 to compare it with Glimpse's warm runs"
                  : "compared like for like with Glimpse's warm runs");
      out.printf(
          "Glimpse: %.1fx faster in its first run (fresh JVM)%s, %.1fx in its best run%n",
          baselineSeconds / cold.core(),
          warm == null
              ? ""
              : String.format(
                  ", %.1fx in warm runs (median of %d)", baselineSeconds / warm.median(), repeat - 1),
          baselineSeconds / best.core());
    }
    common.printJson(json);
    return 0;
  }

  private static void row(PrintStream out, String name, double first, double best) {
    out.printf("%-28s %10.3f %10.3f%n", name, first, best);
  }

  private static JsonObject timingsJson(CaptionBenchmark.Timings t) {
    JsonObject o = new JsonObject();
    o.addProperty("tokenize", t.tokenize());
    o.addProperty("ngrams", t.ngrams());
    o.addProperty("bleu", t.bleu());
    o.addProperty("rouge_l", t.rouge());
    o.addProperty("cider", t.cider());
    o.addProperty("total", t.core());
    if (!Double.isNaN(t.meteor())) {
      o.addProperty("meteor", t.meteor());
    }
    return o;
  }
}
