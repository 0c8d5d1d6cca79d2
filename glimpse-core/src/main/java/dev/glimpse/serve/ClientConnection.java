package dev.glimpse.serve;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Tells whether the client of a request that is still being answered has gone away, so that its
 * decoding slot can be freed at once. Jetty 11 reads nothing from a connection while its request is
 * handled, so a closed socket goes unnoticed until the answer is written; this probe does a
 * non-blocking read of the connection: end-of-stream means the client closed it. (A client that
 * pipelines its next request behind an unanswered one would lose a byte of it; HTTP clients do not
 * pipeline, and once data is seen the probe stops reading.)
 */
final class ClientConnection {
  private final EndPoint endPoint;
  private boolean sawData;

  ClientConnection(HttpServletRequest request) {
    EndPoint ep = null;
    try {
      Request base = Request.getBaseRequest(request);
      ep = base == null || base.getHttpChannel() == null ? null : base.getHttpChannel().getEndPoint();
    } catch (RuntimeException e) {
      ep = null;
    }
    this.endPoint = ep;
  }

  /** True once the client has closed its side of the connection. */
  boolean closed() {
    if (endPoint == null) {
      return false;
    }
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return true;
    }
    if (sawData) {
      return false;
    }
    try {
      ByteBuffer probe = ByteBuffer.allocate(1);
      probe.flip(); // Jetty fills buffers in flush mode
      int n = endPoint.fill(probe);
      if (n > 0) {
        sawData = true;
      }
      return n < 0;
    } catch (IOException e) {
      return true;
    }
  }
}
