package dev.glimpse.serve;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The server's Prometheus metrics (prometheus-metrics-core, one registry per server so that servers in
 * one process keep apart): requests by endpoint and status, queue depth and running batch size per
 * model, time to first token and request latency histograms, prompt and generated tokens, and how the
 * engine thread spends its time: requests per prefill, seconds prefilling and decoding.
 */
final class ServerMetrics {
  private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
      120};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("glimpse_requests_total")
      .help("HTTP requests answered, by endpoint and status code").labelNames("endpoint", "status").register(registry);
  private final Gauge queueDepth = Gauge.builder().name("glimpse_queue_depth")
      .help("Requests waiting to join a model's decoding batch").labelNames("model").register(registry);
  private final Gauge runningBatch = Gauge.builder().name("glimpse_running_batch_size")
      .help("Sequences a model is decoding together now").labelNames("model").register(registry);
  private final Histogram timeToFirstToken = Histogram.builder().name("glimpse_time_to_first_token_seconds")
      .help("Time from a chat request's arrival to its first generated token").labelNames("model").classicOnly()
      .classicUpperBounds(LATENCY_BOUNDS).register(registry);
  private final Histogram latency = Histogram.builder().name("glimpse_request_latency_seconds")
      .help("Time from a request's arrival to its last byte, by endpoint").labelNames("endpoint").classicOnly()
      .classicUpperBounds(LATENCY_BOUNDS).register(registry);
  private final Counter generated = Counter.builder().name("glimpse_generated_tokens_total")
      .help("Tokens generated, by model").labelNames("model").register(registry);
  private final Counter prompt = Counter.builder().name("glimpse_prompt_tokens_total")
      .help("Prompt tokens read (image tokens included), by model").labelNames("model").register(registry);
  private final Histogram prefillRequests = Histogram.builder().name("glimpse_prefill_requests")
      .help("Requests prefilled together, per prefill").labelNames("model").classicOnly()
      .classicUpperBounds(1, 2, 4, 8, 16, 32, 64).register(registry);
  private final Counter engineSeconds = Counter.builder().name("glimpse_engine_seconds_total")
      .help("Engine thread time by phase: prefill (admitting requests) and decode (one token for every running "
          + "sequence)").labelNames("model", "phase").register(registry);
  private final Counter decodeSteps = Counter.builder().name("glimpse_decode_steps_total")
      .help("Decoding steps, by model").labelNames("model").register(registry);

  /** The engine thread's work so far: prefills, requests they took, decoding steps, seconds in each. */
  record EngineWork(long prefills, long prefilledRequests, double prefillSeconds, long decodeSteps,
      double decodeSeconds) {
    static final EngineWork NONE = new EngineWork(0, 0, 0, 0, 0);

    EngineWork plus(EngineWork o) {
      return new EngineWork(prefills + o.prefills, prefilledRequests + o.prefilledRequests,
          prefillSeconds + o.prefillSeconds, decodeSteps + o.decodeSteps, decodeSeconds + o.decodeSeconds);
    }

    EngineWork minus(EngineWork before) {
      return new EngineWork(prefills - before.prefills, prefilledRequests - before.prefilledRequests,
          prefillSeconds - before.prefillSeconds, decodeSteps - before.decodeSteps,
          decodeSeconds - before.decodeSeconds);
    }
  }

  void request(String endpoint, int status, double seconds) {
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    latency.labelValues(endpoint).observe(seconds);
  }

  void queueDepth(String model, int depth) {
    queueDepth.labelValues(model).set(depth);
  }

  void runningBatch(String model, int size) {
    runningBatch.labelValues(model).set(size);
  }

  void timeToFirstToken(String model, double seconds) {
    timeToFirstToken.labelValues(model).observe(seconds);
  }

  void generatedTokens(String model, long count) {
    generated.labelValues(model).inc(count);
  }

  void promptTokens(String model, long count) {
    prompt.labelValues(model).inc(count);
  }

  void prefill(String model, int requests, double seconds) {
    prefillRequests.labelValues(model).observe(requests);
    engineSeconds.labelValues(model, "prefill").inc(seconds);
  }

  void decodeStep(String model, double seconds) {
    decodeSteps.labelValues(model).inc();
    engineSeconds.labelValues(model, "decode").inc(seconds);
  }

  EngineWork engineWork(String model) {
    var prefills = prefillRequests.labelValues(model);
    return new EngineWork(prefills.getCount(), Math.round(prefills.getSum()),
        engineSeconds.labelValues(model, "prefill").get(), decodeSteps.labelValues(model).getLongValue(),
        engineSeconds.labelValues(model, "decode").get());
  }

  String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
  }
}
