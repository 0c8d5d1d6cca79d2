package dev.glimpse.serve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a server.
 *
 * @param host address to bind (127.0.0.1 unless told otherwise)
 * @param port TCP port (0 picks a free one)
 * @param apiKey when set, every API request needs {@code Authorization: Bearer KEY}
 * @param maxBatch sequences decoded together at most (a request with {@code n} choices takes n)
 * @param maxQueue requests waiting to join the batch at most; more are refused with 429
 * @param maxImageBytes largest encoded image (after base64 decoding)
 * @param maxPixels largest image area (width x height), checked from the header before decoding
 * @param requestTimeout longest a request may take, queueing included
 * @param allowLocalMedia folder whose files {@code file://} image URLs may name, or null for none
 * @param admission when waiting requests join a running batch ({@link Admission})
 */
public record ServeOptions(
    String host,
    int port,
    String apiKey,
    int maxBatch,
    int maxQueue,
    long maxImageBytes,
    long maxPixels,
    Duration requestTimeout,
    Path allowLocalMedia,
    Admission admission) {

  public static final int DEFAULT_PORT = 8080;

  public ServeOptions {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("--max-batch must be >= 1, got " + maxBatch);
    }
    if (maxQueue < 1) {
      throw new IllegalArgumentException("--max-queue must be >= 1, got " + maxQueue);
    }
    if (maxImageBytes < 1) {
      throw new IllegalArgumentException("--max-image-bytes must be >= 1, got " + maxImageBytes);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("--max-pixels must be >= 1, got " + maxPixels);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("--request-timeout must be > 0, got " + requestTimeout.toSeconds());
    }
    if (admission == null) {
      admission = Admission.DEFAULT;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
    }
  }

  /** Loopback, port 8080, no key, batch 16, queue 64, 10 MiB / 40 megapixel images, 120 s per request. */
  public static ServeOptions defaults() {
    return new ServeOptions("127.0.0.1", DEFAULT_PORT, null, 16, 64, 10L << 20, 40_000_000L, Duration.ofSeconds(120),
        null, Admission.DEFAULT);
  }

  public ServeOptions withPort(int p) {
    return new ServeOptions(host, p, apiKey, maxBatch, maxQueue, maxImageBytes, maxPixels, requestTimeout,
        allowLocalMedia, admission);
  }

  public ServeOptions withApiKey(String key) {
    return new ServeOptions(host, port, key, maxBatch, maxQueue, maxImageBytes, maxPixels, requestTimeout,
        allowLocalMedia, admission);
  }

  public ServeOptions withLimits(int batch, int queue) {
    return new ServeOptions(host, port, apiKey, batch, queue, maxImageBytes, maxPixels, requestTimeout,
        allowLocalMedia, admission);
  }

  public ServeOptions withImageLimits(long bytes, long pixels) {
    return new ServeOptions(host, port, apiKey, maxBatch, maxQueue, bytes, pixels, requestTimeout, allowLocalMedia,
        admission);
  }

  public ServeOptions withRequestTimeout(Duration timeout) {
    return new ServeOptions(host, port, apiKey, maxBatch, maxQueue, maxImageBytes, maxPixels, timeout, allowLocalMedia,
        admission);
  }

  public ServeOptions withAllowLocalMedia(Path dir) {
    return new ServeOptions(host, port, apiKey, maxBatch, maxQueue, maxImageBytes, maxPixels, requestTimeout, dir,
        admission);
  }

  public ServeOptions withAdmission(Admission a) {
    return new ServeOptions(host, port, apiKey, maxBatch, maxQueue, maxImageBytes, maxPixels, requestTimeout,
        allowLocalMedia, a);
  }

  /**
   * When requests waiting in the queue join a batch that is already decoding. Joining costs a prefill,
   * during which the running sequences wait, and a prefill's fixed cost (a vision encoder and a decoder
   * pass, whatever the number of images) is shared by the requests it takes: admitting each arrival
   * at once means many small prefills. So, as text-generation-inference's router does
   * ({@code --waiting-served-ratio}, {@code --max-waiting-tokens}), waiting requests join a running
   * batch of R sequences once at least {@code ceil(waitingServedRatio x R)} are waiting, or once the
   * oldest has waited {@code maxWaitingSteps} decoding steps; with no batch running they start at once.
   *
   * @param waitingServedRatio waiting requests per running sequence that start a prefill (0: any)
   * @param maxWaitingSteps decoding steps a waiting request waits at most for others to join it (0:
   *     admission at once, whatever the ratio)
   */
  public record Admission(double waitingServedRatio, int maxWaitingSteps) {
    /** 0.3 waiting per running sequence, at most 20 steps: text-generation-inference's defaults. */
    public static final Admission DEFAULT = new Admission(0.3, 20);
    /** Every waiting request joins at the next step. */
    public static final Admission IMMEDIATE = new Admission(0, 0);

    public Admission {
      if (!(waitingServedRatio >= 0) || Double.isInfinite(waitingServedRatio)) {
        throw new IllegalArgumentException("--waiting-served-ratio must be a number >= 0, got " + waitingServedRatio);
      }
      if (maxWaitingSteps < 0) {
        throw new IllegalArgumentException("--max-waiting-steps must be >= 0, got " + maxWaitingSteps);
      }
    }

    /**
     * Whether waiting requests start their prefill now.
     *
     * @param waiting requests in the queue
     * @param running sequences being decoded
     * @param oldestWaitedSteps decoding steps the oldest waiting request has waited
     */
    public boolean admitNow(int waiting, int running, long oldestWaitedSteps) {
      return waiting > 0 && (running == 0 || oldestWaitedSteps >= maxWaitingSteps
          || waiting >= Math.ceil(waitingServedRatio * running));
    }
  }

  /**
   * Largest request body: four images of the largest size in base64 plus 1 MiB of JSON and text.
   * Bodies are read up to this many bytes and refused (413) past it.
   */
  public long maxRequestBytes() {
    return (1L << 20) + 4 * ((maxImageBytes + 2) / 3 * 4);
  }
}
