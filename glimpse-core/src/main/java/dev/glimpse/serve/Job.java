package dev.glimpse.serve;

import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.generate.BatchDecoder;
import java.util.List;

/**
 * One chat completion request on its way through an {@link Engine}: the prepared image, the prompt,
 * one decoding setting per choice, the stop sequences, its deadline, and where its events go.
 */
final class Job {
  /** What the HTTP side hears; called on the engine thread (keep it short). */
  interface Events {
    /** The request has joined the batch; its prompt took this many tokens (image tokens included). */
    void started(int promptTokens);

    /** New text for one choice. */
    void delta(int choice, String text);

    /** One choice has ended: "stop" or "length", its whole text and its token count. */
    void finished(int choice, String finishReason, String text, int completionTokens);

    /** The request failed (timeout, shutdown, internal error); no further events follow. */
    void failed(ApiException error);
  }

  final Captioner.Prepared input;
  final int[] promptIds; // the prompt as the model reads it, without BOS
  final List<GenerationConfig> choices;
  final List<String> stops;
  final int minTokens;
  final long arrivalNanos;
  final long deadlineNanos;
  final Events events;
  volatile boolean cancelled;
  volatile List<BatchDecoder.Sequence> sequences; // set once the job has joined the batch
  long firstTokenNanos; // engine thread only
  boolean failed;       // engine thread only
  int finishedChoices;  // engine thread only
  long queuedAtStep;    // the engine's decoding steps when the job was queued (under the engine's lock)

  Job(Captioner.Prepared input, int[] promptIds, List<GenerationConfig> choices, List<String> stops, int minTokens,
      long arrivalNanos, long deadlineNanos, Events events) {
    this.minTokens = minTokens;
    this.input = input;
    this.promptIds = promptIds;
    this.choices = choices;
    this.stops = stops;
    this.arrivalNanos = arrivalNanos;
    this.deadlineNanos = deadlineNanos;
    this.events = events;
  }

  int rows() {
    return choices.size();
  }
}
