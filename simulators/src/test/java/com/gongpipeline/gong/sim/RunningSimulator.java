package com.gongpipeline.gong.sim;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator started once for a test class and closed after it, with an HTTP helper and the
 * ground truth of its whole catalogue window:
 *
 * <pre>{@code
 * @RegisterExtension static final RunningSimulator SIM = new RunningSimulator(SimFixtures.config());
 * ... SIM.http().listCalls(FROM, TO, null) ... SIM.truth().calls() ...
 * }</pre>
 */
final class RunningSimulator implements BeforeAllCallback, AfterAllCallback {
  private final SimulatorConfig.Builder config;
  private GongSimulator sim;
  private SimHttp http;
  private GroundTruth truth;

  RunningSimulator(SimulatorConfig.Builder config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    sim = GongSimulator.start(config.build());
    http = new SimHttp(sim);
    truth = sim.groundTruth(sim.config().callsFrom(), sim.config().callsTo());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sim != null) {
      sim.close();
    }
  }

  GongSimulator sim() {
    return sim;
  }

  SimHttp http() {
    return http;
  }

  GroundTruth truth() {
    return truth;
  }
}
