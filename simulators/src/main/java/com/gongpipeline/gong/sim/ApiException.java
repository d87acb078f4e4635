package com.gongpipeline.gong.sim;

/**
 * An error answer of the simulated API: the HTTP status and the single message that goes into
 * Gong's {@code {"requestId":…,"errors":[…]}} body. Handlers throw it; the router renders it.
 */
final class ApiException extends RuntimeException {

  /** Gong's exact wording for an empty filtered result (a 404 clients must treat as "no rows"). */
  static final String NO_CALLS = "No calls found corresponding to the provided filters";

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException noCalls() {
    return new ApiException(404, NO_CALLS);
  }

  int status() {
    return status;
  }
}
