package io.steadfast.testkit.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.steadfast.testkit.certificate.Certificate;
import io.steadfast.testkit.certificate.CertificateWriter;
import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A certificate must not depend on the CI machine's neighbours: the correct sample ledger is
 * certified, cluster rules included, while busy threads keep every core of the machine loaded, and
 * must still be granted its level with no rule failed. The timing rule judges an exit-point call by
 * the CPU time and the waiting of its thread, so a call the machine merely did not run is not held
 * against the application.
 */
class CertificationUnderLoadIT {

  @Test
  void aCorrectApplication_keepsItsLevel_whileBusyThreadsLoadEveryCore() throws Exception {
    AtomicBoolean busy = new AtomicBoolean(true);
    List<Thread> hogs = new ArrayList<>();
    long[] spun = new long[Runtime.getRuntime().availableProcessors()];
    for (int i = 0; i < spun.length; i++) {
      int slot = i;
      Thread hog =
          new Thread(
              () -> {
                long x = slot;
                while (busy.get()) {
                  x = x * 6364136223846793005L + 1442695040888963407L;
                  spun[slot]++;
                }
                spun[slot] += x & 1;
              },
              "cpu-hog-" + i);
      hog.setDaemon(true);
      hogs.add(hog);
      hog.start();
    }
    try {
      var unused =
          EngineTestKit.engine("junit-jupiter")
              .selectors(selectClass(CorrectUnderLoadSuite.class))
              .execute();
    } finally {
      busy.set(false);
      for (Thread hog : hogs) {
        hog.join(5_000);
      }
    }
    for (long count : spun) {
      assertThat(count).as("every hog thread ran").isPositive();
    }
    Certificate certificate =
        CertificateWriter.read(
            BrokenApplicationsTest.directory(CorrectUnderLoadSuite.class)
                .resolve(CertificateWriter.JSON));
    Map<String, RuleResult> results = certificate.byRule();
    List<String> failed = new ArrayList<>();
    results.forEach(
        (id, result) -> {
          if (result.verdict() == Verdict.FAIL) {
            failed.add(id + ": " + result.summary());
          }
        });
    assertThat(failed).as("rules failed under load").isEmpty();
    assertThat(results.get("TM-1").verdict()).isEqualTo(Verdict.PASS);
    assertThat(certificate.granted()).contains("Advanced");
  }

  /** The correct sample ledger with the cluster rules. */
  static final class CorrectUnderLoadSuite extends BrokenClusterApplicationsIT.ClusterSuite {
    CorrectUnderLoadSuite() {
      super(Ledger::new);
    }
  }
}
