package com.gongpipeline.gong;

import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a DoFn gets its {@link GongClient}: serialized with the transform, called once per DoFn
 * instance in {@code @Setup} (the client is closed in {@code @Teardown}). Production uses {@link
 * #http}; tests hand {@code GongIO} an in-memory fake (after {@code SnowflakeIO.withSnowflakeServices}).
 */
@FunctionalInterface
public interface GongClientFactory extends Serializable {

  /** A new client; called on the worker, never while the graph is built. */
  GongClient create();

  /**
   * The tenant (company) this factory's clients talk to: Gong's limits are per company, so {@code
   * GongIO} keys every Gong work item by it and one worker at a time does a tenant's requests.
   * HTTP clients use the base URL; fakes share one key.
   */
  default String tenantKey() {
    return "gong";
  }

  /** The production client, {@link HttpGongClient}, built from {@code config} on the worker. */
  static GongClientFactory http(GongClientConfig config) {
    return new HttpFactory(config, null);
  }

  /**
   * The production client whose every request is counted against, and refused beyond, a daily
   * budget: each client gets its own {@link GongRequestBudget} from {@code budgets} and closes it.
   */
  static GongClientFactory http(GongClientConfig config, GongRequestBudget.Factory budgets) {
    return new HttpFactory(config, Objects.requireNonNull(budgets, "budgets"));
  }

  /** The default factory: an {@link HttpGongClient} per call of {@link #create()}. */
  final class HttpFactory implements GongClientFactory {
    private static final long serialVersionUID = 1L;
    private final GongClientConfig config;
    private final GongRequestBudget.@Nullable Factory budgets;

    private HttpFactory(GongClientConfig config, GongRequestBudget.@Nullable Factory budgets) {
      this.config = Objects.requireNonNull(config, "config");
      this.budgets = budgets;
    }

    public GongClientConfig config() {
      return config;
    }

    @Override
    public String tenantKey() {
      return config.baseUrl();
    }

    @Override
    public GongClient create() {
      if (budgets == null) {
        return new HttpGongClient(config);
      }
      return HttpGongClient.builder(config).budget(budgets.create()).build();
    }

    @Override
    public String toString() {
      return "GongClientFactory.http(" + config.baseUrl() + ")";
    }
  }
}
