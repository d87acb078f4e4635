package com.gongpipeline.transforms;

import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.warehouse.WarehouseRow;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;

/**
 * {@code GongIO.readDirectory().withClientConfig(config).withJobId(jobId)} under its old name, for
 * the callers that build it this way; it expands to exactly the same steps (no extra level), so
 * step names stay {@code ReadGongDirectory/Start}, {@code ReadGongDirectory/ListUsersAndWorkspaces}.
 * New code uses {@link GongIO#readDirectory()}.
 */
public final class ReadGongDirectory extends PTransform<PBegin, StageResult<WarehouseRow>> {
  private final GongIO.ReadDirectory read;

  public ReadGongDirectory(GongClientConfig config, String jobId) {
    this.read = GongIO.readDirectory().withClientConfig(config).withJobId(jobId);
  }

  @Override
  public StageResult<WarehouseRow> expand(PBegin begin) {
    return read.expand(begin);
  }
}
