package com.gongpipeline.cortex;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;

/**
 * Cortex refused the input itself (HTTP 400, 404, 413, 422: too long, unknown model, malformed):
 * a {@link PipelineException} of kind {@link FailureKind#PERMANENT}, as the {@code TextEmbedder}
 * contract asks, so a batch that fails this way is retried element by element and only the bad
 * chunk is dead-lettered.
 */
public final class CortexRejectedException extends PipelineException {
  private static final long serialVersionUID = 1L;
  private final int status;

  CortexRejectedException(int status, String message) {
    super(FailureKind.PERMANENT, message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
