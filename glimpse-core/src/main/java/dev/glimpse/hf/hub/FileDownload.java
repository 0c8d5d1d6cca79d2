package dev.glimpse.hf.hub;

import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Fetches one file into its {@code .incomplete} file and checks it. A partial file left by an earlier
 * attempt or run is continued with {@code Range: bytes=N-} (a server that ignores the range sends the
 * whole file, which then replaces it). A broken connection, a stall longer than the settings'
 * {@code stallTimeout} or a 5xx answer is retried up to {@value #ATTEMPTS} times, each continuing
 * where the last stopped; after that the partial file is kept for the next run. The finished file
 * must have the size the hub announced and, when its ETag is a hash (sha256 for LFS files, git's
 * blob sha1 for others), that hash; otherwise it is deleted and the download is an error.
 */
final class FileDownload {
  static final int ATTEMPTS = 5;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");
  private static final int MAX_REDIRECTS = 10;
  /** Seconds before the first retry (doubling each time); short in tests. */
  static double retryWaitSeconds = 1.0;

  private final HubClient client;
  private final HubId id;
  private final HubClient.FileInfo file;
  private final Path partial;
  private final Checksum checksum;

  FileDownload(HubClient client, HubId id, HubClient.FileInfo file, Path partial) {
    this.client = client;
    this.id = id;
    this.file = file;
    this.partial = partial;
    this.checksum = new Checksum(file.etag(), file.size());
  }

  /** Downloads (or finishes downloading) the file into the partial file and verifies it. */
  void run(PrintStream log) {
    long initial = sizeOf(partial);
    try (DownloadProgress progress = new DownloadProgress(file.file(), initial, file.size(), log)) {
      String lastFailure = null;
      for (int attempt = 1; ; attempt++) {
        try {
          fetch(progress);
          break;
        } catch (TransientFailure e) {
          lastFailure = e.getMessage();
          if (attempt == ATTEMPTS) {
            throw new GlimpseException("downloading " + file.file() + " of " + id + " failed " + ATTEMPTS + " times ("
                + lastFailure + "); the " + DownloadProgress.size(sizeOf(partial)) + " received so far are kept "
                + "and the next run continues from there");
          }
          if (log != null) {
            log.printf("%s: %s; retrying from %s%n", file.file(), lastFailure, DownloadProgress.size(sizeOf(partial)));
          }
          sleep(retryWaitSeconds * (1 << (attempt - 1)));
        }
      }
      progress.update(sizeOf(partial));
      verify();
      progress.finish();
    }
  }

  private void verify() {
    long size = sizeOf(partial);
    if (file.size() >= 0 && size != file.size()) {
      discard();
      throw new GlimpseException("the download of " + file.file() + " of " + id + " has " + size + " bytes where the "
          + "hub announced " + file.size() + "; it was discarded and nothing was added to the cache (run again)");
    }
    String actual = checksum.hex(partial);
    if (actual != null && !actual.equals(file.etag())) {
      discard();
      throw new GlimpseException("the download of " + file.file() + " of " + id + " is corrupt: its "
          + checksum.algorithm() + " is " + actual + ", the hub's ETag says " + file.etag() + "; it was discarded "
          + "and nothing was added to the cache (run again)");
    }
  }

  private void discard() {
    try {
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      throw new GlimpseException("cannot delete the corrupt download " + partial + ": " + e.getMessage(), e);
    }
  }

  /** One GET (following redirects) that appends to the partial file until the body ends. */
  private void fetch(DownloadProgress progress) throws TransientFailure {
    URI uri = file.source();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      long have = sizeOf(partial);
      if (file.size() >= 0 && have == file.size()) {
        return; // complete already (an earlier attempt ended just as the last byte arrived)
      }
      if (file.size() >= 0 && have > file.size()) {
        discard();
        have = 0;
      }
      java.net.http.HttpRequest.Builder request = client.request(uri).GET()
          .timeout(client.settings().metadataTimeout());
      if (have > 0) {
        request.header("Range", "bytes=" + have + "-");
      }
      Sink sink = new Sink(have, progress);
      CompletableFuture<HttpResponse<Void>> future = client.http().sendAsync(request.build(), sink::handler);
      HttpResponse<Void> response = await(future, sink);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
        uri = HubClient.resolveLocation(uri, response.headers().firstValue("Location").get());
        continue;
      }
      if (status == 200 || status == 206) {
        if (sink.rangeRefused) {
          discard(); // the server answered another range than asked: start over
          throw new TransientFailure("the server sent another byte range than asked");
        }
        return;
      }
      if (status == 416) { // nothing left to send from that offset: the partial file is whole or wrong
        if (file.size() < 0) {
          return;
        }
        discard();
        throw new TransientFailure("the server refused to continue at byte " + have);
      }
      if (status >= 500) {
        throw new TransientFailure("HTTP " + status);
      }
      throw client.error(id, file.file(), status, response.headers(), uri);
    }
    throw new GlimpseException("more than " + MAX_REDIRECTS + " redirects for " + file.file() + " of " + id);
  }

  // Waits for the body, giving up when nothing has arrived for the stall timeout.
  private HttpResponse<Void> await(CompletableFuture<HttpResponse<Void>> future, Sink sink) throws TransientFailure {
    long stallNanos = client.settings().stallTimeout().toNanos();
    while (true) {
      try {
        return future.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (sink.started && System.nanoTime() - sink.lastData > stallNanos) {
          sink.cancel();
          future.cancel(true);
          throw new TransientFailure("no data for " + HubClient.seconds(client.settings().stallTimeout())
              + " (HF_HUB_DOWNLOAD_TIMEOUT sets the wait)");
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof GlimpseException g) {
          throw g;
        }
        if (cause instanceof HttpTimeoutException) {
          throw new TransientFailure("no answer within " + HubClient.seconds(client.settings().metadataTimeout()));
        }
        if (cause instanceof IOException io) {
          throw new TransientFailure(HubClient.describe(io));
        }
        throw new GlimpseException("downloading " + file.file() + " of " + id + " failed: " + cause, cause);
      } catch (InterruptedException e) {
        sink.cancel();
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new GlimpseException("interrupted while downloading " + file.file() + " of " + id);
      }
    }
  }

  /** Receives the body and appends it to the partial file, feeding the checksum as it goes. */
  private final class Sink implements HttpResponse.BodySubscriber<Void> {
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final DownloadProgress progress;
    private long offset;
    private boolean truncate;
    private FileChannel channel;
    private Flow.Subscription subscription;
    volatile boolean started;
    volatile long lastData = System.nanoTime();
    volatile boolean rangeRefused;
    private boolean cancelled;

    Sink(long offset, DownloadProgress progress) {
      this.offset = offset;
      this.progress = progress;
    }

    HttpResponse.BodySubscriber<Void> handler(HttpResponse.ResponseInfo info) {
      int status = info.statusCode();
      if (status == 200) {
        truncate = offset > 0; // the range was ignored: the whole file comes again
        offset = 0;
      } else if (status == 206) {
        String range = info.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes " + offset + "-")) {
          rangeRefused = true;
          return HttpResponse.BodySubscribers.replacing(null);
        }
      } else {
        return HttpResponse.BodySubscribers.replacing(null);
      }
      started = true;
      lastData = System.nanoTime();
      return this;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
        return;
      }
      try {
        Files.createDirectories(partial.getParent());
        channel = truncate
            ? FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)
            : FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        checksum.resumeAt(offset, partial);
      } catch (IOException | GlimpseException e) {
        fail(e);
        return;
      }
      s.request(1);
    }

    // Synchronized with cancel(): once a stalled attempt is cancelled it writes and hashes nothing more,
    // so the next attempt has the file and the checksum to itself.
    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
      if (cancelled || channel == null) {
        return;
      }
      try {
        for (ByteBuffer b : buffers) {
          ByteBuffer data = b.duplicate();
          while (b.hasRemaining()) {
            channel.write(b);
          }
          checksum.update(data);
          offset += data.remaining();
        }
        if (file.size() >= 0 && offset > file.size()) {
          throw new GlimpseException("the server sent more than the " + file.size() + " bytes the hub announced for "
              + file.file() + " of " + id);
        }
      } catch (IOException e) {
        fail(new GlimpseException("cannot write " + partial + ": " + e.getMessage(), e));
        return;
      } catch (GlimpseException e) {
        fail(e);
        return;
      }
      lastData = System.nanoTime();
      progress.update(offset);
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      closeChannel(false);
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      try {
        closeChannel(true);
        done.complete(null);
      } catch (GlimpseException e) {
        done.completeExceptionally(e);
      }
    }

    @Override
    public CompletionStage<Void> getBody() {
      return done;
    }

    synchronized void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      closeChannel(false);
    }

    private void fail(Throwable t) {
      if (subscription != null) {
        subscription.cancel();
      }
      closeChannel(false);
      done.completeExceptionally(t);
    }

    private synchronized void closeChannel(boolean sync) {
      if (channel == null) {
        return;
      }
      try {
        if (sync) {
          channel.force(false); // on disk before it is renamed into the cache
        }
        channel.close();
      } catch (IOException e) {
        if (sync) {
          throw new GlimpseException("cannot write " + partial + ": " + e.getMessage(), e);
        }
      } finally {
        channel = null;
      }
    }
  }

  /**
   * The hash an ETag names, computed over the bytes as they arrive: sha256 for a 64-hex ETag (LFS),
   * git's blob sha1 ({@code sha1("blob SIZE\0" + content)}) for a 40-hex one. Other ETags (a mirror's)
   * are not checked; the size still is.
   */
  static final class Checksum {
    private final String etag;
    private final long size;
    private MessageDigest digest;
    private long hashed = -1;

    Checksum(String etag, long size) {
      this.etag = etag;
      this.size = size;
    }

    String algorithm() {
      return SHA256.matcher(etag).matches() ? "sha256" : "git blob sha1";
    }

    private boolean checked() {
      return SHA256.matcher(etag).matches() || GIT_SHA1.matcher(etag).matches() && size >= 0;
    }

    /** Continues after the first {@code offset} bytes of the file (hashing them again if need be). */
    void resumeAt(long offset, Path file) {
      if (!checked() || hashed == offset) {
        return;
      }
      digest = newDigest();
      hashed = 0;
      if (offset == 0) {
        return;
      }
      byte[] buffer = new byte[1 << 20];
      try (InputStream in = Files.newInputStream(file)) {
        long left = offset;
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new IOException("file shorter than " + offset + " bytes");
          }
          digest.update(buffer, 0, n);
          left -= n;
        }
        hashed = offset;
      } catch (IOException e) {
        throw new GlimpseException("cannot read the partial download " + file + ": " + e.getMessage(), e);
      }
    }

    void update(ByteBuffer data) {
      if (digest != null) {
        hashed += data.remaining();
        digest.update(data);
      }
    }

    /** The hash in hex, or null when this ETag is not checked. */
    String hex(Path file) {
      if (!checked()) {
        return null;
      }
      resumeAt(sizeOf(file), file); // hashes the file afresh unless every byte went through update()
      hashed = -1;
      return HexFormat.of().formatHex(digest.digest());
    }

    private MessageDigest newDigest() {
      try {
        if (SHA256.matcher(etag).matches()) {
          return MessageDigest.getInstance("SHA-256");
        }
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        return sha1;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final class TransientFailure extends Exception {
    private static final long serialVersionUID = 1L;

    TransientFailure(String message) {
      super(message);
    }
  }

  static long sizeOf(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GlimpseException("interrupted");
    }
  }
}
