package io.steadfast.testkit.pure;

import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JR-5: the code reachable from the replicated exit points calls nothing whose answer depends on
 * the host or the moment (see {@link HostCallScan}). JR-1 replays under other clocks, zones and
 * locales, but a date-level clock read or a default-locale call still agrees on one test machine on
 * one day; this check reads the code instead.
 */
final class HostCallCheck {

  /** The most findings a counterexample lists. */
  private static final int LISTED = 10;

  private HostCallCheck() {}

  static <C, R> CheckOutcome check(CheckContext<C, R> context) throws IOException {
    Class<?> type = context.newApplication().getClass();
    if (HostCallScan.location(type).isEmpty()) {
      return CheckOutcome.unknown(
          "the class file of "
              + type.getName()
              + " has no code source to read (generated or loaded by a custom loader)");
    }
    HostCallScan scan;
    try {
      scan = HostCallScan.scan(type);
    } catch (IOException e) {
      // The kit's own reading failed (a build rewriting the classes meanwhile, a file removed):
      // nothing is known about the application's calls, which is not its failure.
      return CheckOutcome.unknown("the class files could not be read: " + e.getMessage());
    }
    List<HostCallScan.Finding> findings = scan.findings();
    Coverage coverage = new Coverage();
    coverage.set("methodsRead", scan.methodsRead());
    coverage.set("findings", findings.size());
    if (findings.isEmpty()) {
      return CheckOutcome.pass(
              scan.methodsRead()
                  + " methods reachable from the exit points call no clock, unseeded random"
                  + " source, default zone, locale or charset, identity hash, environment, file or network")
          .with(coverage);
    }
    HostCallScan.Finding first = findings.get(0);
    return CheckOutcome.fail(
            findings.size()
                + " call(s) on the replicated path depend on the host or the moment; first: "
                + first.method()
                + " calls "
                + first.call()
                + " ("
                + first.why()
                + ")",
            findings.stream()
                    .limit(LISTED)
                    .map(HostCallScan.Finding::describe)
                    .collect(Collectors.joining("\n"))
                + (findings.size() > LISTED
                    ? "\n… and " + (findings.size() - LISTED) + " more"
                    : ""))
        .with(coverage);
  }
}
