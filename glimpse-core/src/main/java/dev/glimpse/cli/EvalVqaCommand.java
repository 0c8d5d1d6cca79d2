package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.eval.vqa.VqaEvaluator;
import dev.glimpse.eval.vqa.VqaFiles;
import dev.glimpse.eval.vqa.VqaResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse eval vqa}: official VQA accuracy of a results file. */
@Command(
    name = "vqa",
    mixinStandardHelpOptions = true,
    description = {
      "VQA accuracy as the official VQA evaluation computes it (answer normalization,"
          + " min(#humans that said it / 3, 1) over the 10 leave-one-out subsets).",
      "Official formats: questions {\"questions\":[{\"question_id\"}]}, annotations"
          + " {\"annotations\":[{\"question_id\",\"question_type\",\"answer_type\","
          + "\"answers\":[{\"answer\"}]}]},"
          + " results [{\"question_id\",\"answer\"}]."
    })
public final class EvalVqaCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--questions",
      required = true,
      paramLabel = "FILE",
      description = "VQA questions file.")
  Path questions;

  @Option(
      names = "--annotations",
      required = true,
      paramLabel = "FILE",
      description = "VQA annotations (human answers).")
  Path annotations;

  @Option(
      names = "--results",
      required = true,
      paramLabel = "FILE",
      description = "Results: one answer per question.")
  Path results;

  @Option(
      names = "--per-question",
      description = "Also print per-question accuracy (JSON: under \"per_question\").")
  boolean perQuestion;

  @Option(
      names = "--subset",
      description =
          "Score only the annotated questions that have an answer (default: a missing answer is an"
              + " error).")
  boolean subset;

  @Override
  public Integer call() {
    VqaFiles.Inputs inputs = VqaFiles.load(questions, annotations, results, subset);
    inputs.warnings().forEach(w -> System.err.println("warning: " + w));
    VqaResult result = VqaEvaluator.evaluate(inputs.questions(), inputs.predictions());
    printHuman(result, common.info());
    JsonObject json = result.toJson(perQuestion);
    json.add("warnings", EvalCaptionsCommand.strings(inputs.warnings()));
    common.printJson(json);
    return 0;
  }

  private void printHuman(VqaResult result, PrintStream out) {
    out.printf("questions: %d%n", result.perQuestion().size());
    out.printf("overall: %.2f%n", result.overall().percent());
    out.println("perAnswerType:");
    result.perAnswerType().forEach((type, acc) -> out.printf("  %s: %.2f%n", type, acc.percent()));
    out.println("perQuestionType:");
    result
        .perQuestionType()
        .forEach((type, acc) -> out.printf("  %s: %.2f%n", type, acc.percent()));
    if (perQuestion && !common.json) {
      out.println("question_id\taccuracy");
      for (Map.Entry<Long, VqaResult.Accuracy> e : result.perQuestion().entrySet()) {
        out.printf("%d\t%.2f%n", e.getKey(), e.getValue().percent());
      }
    }
  }
}
