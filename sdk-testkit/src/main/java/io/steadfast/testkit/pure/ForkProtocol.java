package io.steadfast.testkit.pure;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The files CP-3 exchanges with its forked JVM, written as JSON. */
final class ForkProtocol {

  private ForkProtocol() {}

  /** What the forked JVM is asked to do. */
  record Request(String suiteClass, List<Case> cases) {}

  /** One checkpoint to restore and the entries to apply after it. */
  record Case(
      byte[] payload,
      int version,
      String position,
      Map<String, Map<String, String>> resumePoints,
      List<Entry> entries) {}

  /** One trace entry, its command encoded by the application's codec. */
  record Entry(
      String position,
      String session,
      String user,
      List<String> roles,
      String timestamp,
      byte[] command,
      int userNumber,
      boolean injected) {}

  /** What the forked JVM found. */
  record Reply(
      String charset, String zone, String locale, List<Result> results, @Nullable String error) {}

  /** The outcome of one case. */
  record Result(
      @Nullable String restoreError,
      @Nullable String fingerprintAfterRestore,
      List<String> outcomes,
      @Nullable String fingerprintAfterEntries) {}
}
