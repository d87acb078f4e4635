package com.gongpipeline.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that owns the child JVMs a test starts and kills any still running after
 * each test, so a failed assertion never leaves a child behind:
 *
 * <pre>{@code
 * @RegisterExtension final ChildJvms children = new ChildJvms();
 * ...
 * ChildJvm child = children.start(ChildJvm.main(Cli.class.getName(), "stream", ...).follow());
 * }</pre>
 */
public final class ChildJvms implements AfterEachCallback {
  private final List<ChildJvm> started = new ArrayList<>();

  /** Starts the child and closes it after the test. */
  public synchronized ChildJvm start(ChildJvm.Builder builder) throws IOException {
    ChildJvm child = builder.start();
    started.add(child);
    return child;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) throws InterruptedException {
    for (ChildJvm child : started) {
      child.close();
    }
    started.clear();
  }
}
