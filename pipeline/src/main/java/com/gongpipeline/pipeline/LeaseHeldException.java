package com.gongpipeline.pipeline;

/** Another live run holds the sync lease: this run exits with {@link ExitCode#LEASE_HELD}. */
final class LeaseHeldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LeaseHeldException(String message) {
    super(message);
  }
}
