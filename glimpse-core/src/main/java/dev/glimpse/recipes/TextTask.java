package dev.glimpse.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import dev.glimpse.data.Conversation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.TextBatch;
import dev.glimpse.data.TextBatcher;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticText;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.ScoresText;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Language modelling of the synthetic suite's text ({@link SyntheticText}): captions, descriptions,
 * dialogues and naming games in words. Evaluation scores the held-out texts: {@code perplexity} (the
 * headline) and {@code token_accuracy} over every token, and {@code naming_accuracy}, the share of
 * naming games whose answer (a made-up name given earlier in the text) the model predicts token for
 * token: the in-context copying the connector recipes build on.
 */
public final class TextTask implements Task {
  public static final String NAME = "text";

  @Override
  public String name() {
    return NAME;
  }

  /** Its data are made from the other tasks' scenes; the suite writes no files of its own for it. */
  @Override
  public boolean hasSuiteFiles() {
    return false;
  }

  @Override
  public String headline() {
    return "perplexity";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new SyntheticText(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())), split, size);
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    if (!(model.instance() instanceof ScoresText scorer)) {
      throw new GlimpseException("the " + model.config().modelType() + " model cannot score text alone; the text task "
          + "evaluates language models");
    }
    List<Example> examples = TaskSupport.examples(test, info);
    TextBatcher batcher = new TextBatcher(model.tokenizer(), model.config().maxTextLength(), TextTask::template);
    double nll = 0;
    long tokens = 0;
    long correct = 0;
    int games = 0;
    int gamesRight = 0;
    for (int start = 0; start < examples.size(); start += eval.batchSize()) {
      List<Example> chunk = examples.subList(start, Math.min(examples.size(), start + eval.batchSize()));
      TextBatch batch = batcher.batch(chunk, new SplittableRandom(0));
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        TextBatch.Tensors t = batch.toTensors(m);
        NDArray logProbs = scorer.textLogits(t.inputIds(), t.valid()).logSoftmax(-1);           // [B, T, V]
        NDArray picked = logProbs.gather(t.targetIds().expandDims(-1), -1).squeeze(-1);          // [B, T]
        nll -= picked.mul(t.lossWeights()).sum().getFloat();
        long[] argmax = logProbs.argMax(-1).toType(DataType.INT64, false).toLongArray();
        for (int i = 0; i < batch.inputIds().length; i++) {
          if (batch.lossWeights()[i] > 0) {
            tokens++;
            correct += argmax[i] == batch.targetIds()[i] ? 1 : 0;
          }
        }
        for (int r = 0; r < chunk.size(); r++) {
          Example ex = chunk.get(r);
          if (!Boolean.TRUE.equals(ex.get(SyntheticText.NAMING))) {
            continue;
          }
          // the last reply: the trailing run of learned ids of its conversation (name + EOS)
          ChatTemplate.Encoded e = template(ex).encode(model.tokenizer(), Conversation.of(ex).turns());
          int end = e.ids().length;
          int from = end;
          while (from > 0 && e.targets()[from - 1] > 0) {
            from--;
          }
          boolean right = end <= batch.length();
          for (int k = from; k < end && right; k++) { // id k of the conversation is the target at input k
            int cell = r * batch.length() + k;
            right = argmax[cell] == batch.targetIds()[cell];
          }
          games++;
          gamesRight += right ? 1 : 0;
        }
      }
    }
    JsonObject out = new JsonObject();
    out.addProperty("perplexity", Math.exp(nll / Math.max(1, tokens)));
    out.addProperty("token_accuracy", tokens == 0 ? Double.NaN : (double) correct / tokens);
    out.addProperty("naming_accuracy", games == 0 ? Double.NaN : (double) gamesRight / games);
    out.addProperty("naming_games", games);
    out.addProperty("tokens", tokens);
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }

  private static ChatTemplate template(Example ex) {
    ChatTemplate named = ex.get(Conversation.TEMPLATE);
    return named != null ? named : ChatTemplate.vicuna();
  }
}
