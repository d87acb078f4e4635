package com.gongpipeline.gong;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a DoFn gets its {@link GongClient}: serialized with the transform, called once per DoFn
 * instance in {@code @Setup} (the client is closed in {@code @Teardown}). Production uses {@link
 * #http}; tests hand {@code GongIO} an in-memory fake (after {@code SnowflakeIO.withSnowflakeServices}).
 */
@FunctionalInterface
public interface GongClientFactory extends Serializable {

  /** A new client; called on the worker, never while the graph is built. */
  GongClient create();

  /** The production client, {@link HttpGongClient}, built from {@code config} on the worker. */
  static GongClientFactory http(GongClientConfig config) {
    return new HttpFactory(config);
  }

  /** The default factory: an {@link HttpGongClient} per call of {@link #create()}. */
  final class HttpFactory implements GongClientFactory {
    private static final long serialVersionUID = 1L;
    private final GongClientConfig config;

    private HttpFactory(GongClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    public GongClientConfig config() {
      return config;
    }

    @Override
    public GongClient create() {
      return new HttpGongClient(config);
    }

    @Override
    public String toString() {
      return "GongClientFactory.http(" + config.baseUrl() + ")";
    }
  }
}
