package com.gongpipeline.transforms;

import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientFactory;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A DoFn that talks to Gong: it carries the serializable {@link GongClientFactory}, makes its
 * client in {@code @Setup} (one per DoFn instance, so its connections and the JVM-wide rate
 * limiter are shared across bundles) and closes it in {@code @Teardown}.
 */
abstract class GongClientFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  private final GongClientFactory clients;
  /** Made in {@code @Setup}; never serialized. */
  protected transient GongClient client;

  GongClientFn(GongClientFactory clients) {
    this.clients = clients;
  }

  @Setup
  public void createClient() {
    client = clients.create();
  }

  @Teardown
  public void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
