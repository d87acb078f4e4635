package com.gongpipeline.pipeline;

/**
 * The process exit codes of every command, in one place: the CLI maps each outcome here, and
 * {@code --help}, README and the cron/systemd/Kubernetes examples under {@code runner-configs/}
 * describe these same values. A scheduler treats 3 and 4 as "not a failure": nothing was
 * half-written and the next scheduled run carries on.
 */
public enum ExitCode {
  /** The run finished and wrote everything it read. */
  SUCCEEDED(0, "succeeded"),
  /** The run failed (a stage, the runner or the warehouse); see the log and ETL_JOB_LOGS. */
  FAILED(1, "failed"),
  /** Bad usage or configuration: a missing or malformed flag, credentials, an unknown command. */
  USAGE(2, "bad usage or configuration"),
  /** Another run holds the sync lease; this run touched nothing. */
  LEASE_HELD(3, "another run holds the lease (nothing touched)"),
  /** Paused on the Gong daily request budget: what was fetched is written; re-run tomorrow. */
  PAUSED_QUOTA(4, "paused on the Gong daily request budget (what was fetched is written)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The exit code of a command that threw {@code failure}. */
  static ExitCode forFailure(Throwable failure) {
    if (failure instanceof LeaseHeldException) {
      return LEASE_HELD;
    }
    if (failure instanceof IllegalArgumentException) {
      return USAGE;
    }
    return FAILED;
  }

  /** The lines every command's {@code --help} ends with. */
  static String help() {
    StringBuilder b = new StringBuilder("exit codes:");
    for (ExitCode c : values()) {
      b.append(String.format("%n  %d  %s", c.code, c.meaning));
    }
    return b.toString();
  }
}
