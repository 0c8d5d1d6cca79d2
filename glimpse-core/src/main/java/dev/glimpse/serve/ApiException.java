package dev.glimpse.serve;

import com.google.gson.JsonObject;

/**
 * An error answered in the OpenAI shape {@code {"error": {"message", "type", "param", "code"}}} with its
 * HTTP status. The message names the field at fault ({@code param}) where there is one.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String param;
  private final String code;
  private final Long retryAfterSeconds;

  public ApiException(int status, String type, String param, String code, String message, Long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400: the request is malformed or names something wrong; {@code param} is the offending field. */
  public static ApiException invalid(String param, String message) {
    return new ApiException(400, "invalid_request_error", param, null, message, null);
  }

  /** 400 with an error code (e.g. {@code model_not_found} is 404 in OpenAI; see {@link #notFound}). */
  public static ApiException invalid(String param, String code, String message) {
    return new ApiException(400, "invalid_request_error", param, code, message, null);
  }

  /** 404: an unknown model or route. */
  public static ApiException notFound(String param, String code, String message) {
    return new ApiException(404, "invalid_request_error", param, code, message, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }

  /** Seconds a client should wait before retrying (the Retry-After header), or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public JsonObject toJson() {
    return body(getMessage(), type, param, code);
  }

  /** The OpenAI error body. */
  public static JsonObject body(String message, String type, String param, String code) {
    JsonObject e = new JsonObject();
    e.addProperty("message", message);
    e.addProperty("type", type);
    if (param == null) {
      e.add("param", com.google.gson.JsonNull.INSTANCE);
    } else {
      e.addProperty("param", param);
    }
    if (code == null) {
      e.add("code", com.google.gson.JsonNull.INSTANCE);
    } else {
      e.addProperty("code", code);
    }
    JsonObject o = new JsonObject();
    o.add("error", e);
    return o;
  }
}
