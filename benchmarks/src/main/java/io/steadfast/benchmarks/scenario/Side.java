package io.steadfast.benchmarks.scenario;

/** Which system a figure belongs to. */
enum Side {
  /** Steadfast: sessions, group commit, the mortgage application. */
  SDK,
  /** Plain Ratis with a counter state machine, one Raft entry per command. */
  RAW,
  /** Steadfast as three member processes (the launcher), reached by remote clients. */
  PROCESSES;

  String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
