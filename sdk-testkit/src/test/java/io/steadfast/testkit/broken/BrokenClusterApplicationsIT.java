package io.steadfast.testkit.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.testkit.apply.ForwardingApplyContext;
import io.steadfast.testkit.certificate.Certificate;
import io.steadfast.testkit.certificate.CertificateWriter;
import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.cluster.ClusterRules;
import io.steadfast.testkit.pure.PureRules;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.SuiteSettings;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs the whole suite, cluster part included, against ledgers broken in ways only a cluster shows,
 * and checks that each fails exactly the cluster rule it breaks while every other rule passes. Each
 * suite starts an embedded cluster, so this is an IT (about a minute per suite).
 */
class BrokenClusterApplicationsIT {

  @Test
  void resumePointNeverRecorded_failsOnlyRs2() {
    assertFailsExactly(ForgetsResumePointSuite.class, "RS-2", "never recorded a resume point");
  }

  @Test
  void resumePointNotSetOnOnePath_failsOnlyRs2_againstTheWorkloadsOracle() {
    assertFailsExactly(
        StaleResumeOnDepositSuite.class, "RS-2", "the user's script says it should resume at");
  }

  @Test
  void roleCallbackThrowsOnSecondStart_failsOnlyRl1() {
    assertFailsExactly(SecondStartThrowsSuite.class, "RL-1", "threw");
  }

  @Test
  void roleCallbackBlocksPastItsBudget_failsOnlyTm1_withTheBlockedStack() {
    assertFailsExactly(SlowPromotionSuite.class, "TM-1", "SlowPromotion.onRoleChange");
  }

  @Test
  void roleCallbackComputingPastItsBudget_failsOnlyTm1_byItsOwnCpuTime() {
    assertFailsExactly(BusyPromotionSuite.class, "TM-1", "BusyPromotion.onRoleChange");
  }

  @Test
  void healthProbeThatSometimesThrows_failsOnlyTm2_withItsStack() {
    assertFailsExactly(FlakyHealthSuite.class, "TM-2", "FlakyHealth.health");
  }

  @Test
  void resumePointThatDependsOnTheMember_neverConverges_andTm3NamesTheSessionTable() {
    var unused =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(ThreadResumePointSuite.class))
            .execute();
    RuleResult tm3 = read(ThreadResumePointSuite.class).byRule().get("TM-3");

    assertThat(tm3.verdict()).as(tm3.summary()).isEqualTo(Verdict.FAIL);
    assertThat(tm3.counterexample())
        .contains("at one position the application payloads agree")
        .contains("the session table");
    // The rules that compare the replicas' final states are blocked on that root cause instead of
    // failing one by one with "not converged".
    for (String blocked : List.of("RL-2", "RL-3", "RL-5", "RS-4")) {
      RuleResult result = read(ThreadResumePointSuite.class).byRule().get(blocked);
      assertThat(result.verdict()).as(blocked + " " + result.summary()).isEqualTo(Verdict.SKIPPED);
      assertThat(result.summary()).contains("depends on TM-3 FAIL");
    }
  }

  private static Certificate read(Class<?> suite) {
    try {
      return CertificateWriter.read(
          BrokenApplicationsTest.directory(suite).resolve(CertificateWriter.JSON));
    } catch (java.io.IOException e) {
      throw new AssertionError("no certificate written for " + suite.getSimpleName(), e);
    }
  }

  private static void assertFailsExactly(Class<?> suite, String broken, String evidence) {
    EngineExecutionResults run =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
    Certificate certificate;
    try {
      certificate =
          CertificateWriter.read(
              BrokenApplicationsTest.directory(suite).resolve(CertificateWriter.JSON));
    } catch (java.io.IOException e) {
      throw new AssertionError("no certificate written for " + suite.getSimpleName(), e);
    }
    Map<String, RuleResult> results = certificate.byRule();
    List<String> every =
        Stream.concat(PureRules.rules().stream(), ClusterRules.rules().stream())
            .map(Rule::id)
            .toList();

    assertThat(results).containsOnlyKeys(every);
    RuleResult failed = results.get(broken);
    assertThat(failed.verdict()).as(broken + " " + failed.summary()).isEqualTo(Verdict.FAIL);
    assertThat(failed.summary() + "\n" + failed.counterexample()).contains(evidence);
    results.forEach(
        (id, result) -> {
          if (id.equals("CP-7")) {
            // These ledgers have no frozen state, so CP-7 does not apply to them.
            assertThat(result.verdict())
                .as(id + ": " + result.summary())
                .isEqualTo(Verdict.SKIPPED);
            assertThat(result.required()).as(id).isFalse();
          } else if (id.startsWith("UP-")) {
            // No previous release is declared, so the upgrade rules do not apply.
            assertThat(result.verdict())
                .as(id + ": " + result.summary())
                .isEqualTo(Verdict.SKIPPED);
            assertThat(result.required()).as(id).isFalse();
          } else if (!id.equals(broken)) {
            assertThat(result.verdict())
                .as(id + ": " + result.summary() + "\n" + result.counterexample())
                .isEqualTo(Verdict.PASS);
          }
        });
    assertThat(certificate.granted()).isNotEqualTo(java.util.Optional.of("Advanced"));
    assertThat(run.testEvents().failed().count()).isEqualTo(1);
    String message =
        BrokenApplicationsTest.message(
            run.testEvents().failed().stream().findFirst().orElseThrow());
    assertThat(message)
        .startsWith(broken + " FAIL (seed " + SuiteSettings.DEFAULT_SEED + ")")
        .contains(
            "-Dit.test='BrokenClusterApplicationsIT$"
                + suite.getSimpleName()
                + "#"
                + broken.replace("-", "")
                + "_");
  }

  /** RS-2: applies every command correctly but never records where the user was working. */
  static final class ForgetsResumePoint extends Ledger {
    @Override
    public Receipt apply(LedgerCommand command, ApplyContext context) {
      return super.apply(command, new ForgetfulContext(context));
    }
  }

  /**
   * RS-2 against the workload's oracle: a deposit leaves the teller where the previous command put
   * it (the deposit path forgot its setResumePoint), so a teller who comes back after a failover is
   * shown another account or screen than the deposit just made. Consistent on every replica: only
   * the oracle can tell.
   */
  static final class StaleResumeOnDeposit extends Ledger {
    @Override
    public Receipt apply(LedgerCommand command, ApplyContext context) {
      return super.apply(
          command,
          command instanceof LedgerCommand.Deposit ? new ForgetfulContext(context) : context);
    }
  }

  static final class StaleResumeOnDepositSuite extends ClusterSuite {
    StaleResumeOnDepositSuite() {
      super(StaleResumeOnDeposit::new);
    }
  }

  /** RL-1: assumes START comes once, but the first primary also gets BACKUP -> PRIMARY (START). */
  static final class SecondStartThrows extends Ledger {
    private final List<RoleChange> seen = new ArrayList<>();

    @Override
    public void onRoleChange(RoleChange change) {
      if (change.reason() == RoleChange.Reason.START
          && seen.stream().anyMatch(c -> c.reason() == RoleChange.Reason.START)) {
        throw new IllegalStateException("started twice: " + change);
      }
      seen.add(change);
    }
  }

  /**
   * TM-1: declares a 200 ms role-change budget, then on promotion waits 400 ms for a downstream
   * system that never answers.
   */
  static final class SlowPromotion extends Ledger {
    @Override
    public ExitPointBudgets budgets() {
      return ExitPointBudgets.defaults().withRoleChange(Duration.ofMillis(200));
    }

    @Override
    public void onRoleChange(RoleChange change) {
      if (change.to() == Role.PRIMARY) {
        try {
          new CountDownLatch(1).await(400, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * TM-1: declares a 200 ms role-change budget, then on promotion computes for 400 ms of its own
   * thread's CPU time (rebuilding a cache, say): an overrun however loaded the machine is.
   */
  static final class BusyPromotion extends Ledger {
    private long sink;

    @Override
    public ExitPointBudgets budgets() {
      return ExitPointBudgets.defaults().withRoleChange(Duration.ofMillis(200));
    }

    @Override
    public void onRoleChange(RoleChange change) {
      if (change.to() == Role.PRIMARY) {
        java.lang.management.ThreadMXBean threads =
            java.lang.management.ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + 400_000_000L;
        long x = sink;
        while (threads.getCurrentThreadCpuTime() < until) {
          for (int i = 0; i < 10_000; i++) {
            x = x * 31 + i;
          }
        }
        sink = x;
      }
    }
  }

  static final class BusyPromotionSuite extends ClusterSuite {
    BusyPromotionSuite() {
      super(BusyPromotion::new);
    }
  }

  /**
   * TM-2: its health probe reads a cache that is empty every third probe and then throws a
   * NullPointerException, never twice in a row, so the heartbeat never hands over and nothing else
   * notices.
   */
  static final class FlakyHealth extends Ledger {
    private final java.util.concurrent.atomic.AtomicLong probes =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public io.steadfast.api.Health health() {
      java.util.Map<String, String> cache =
          probes.incrementAndGet() % 3 == 2 ? java.util.Map.of() : java.util.Map.of("db", "ok");
      return cache.get("db").equals("ok")
          ? io.steadfast.api.Health.up()
          : io.steadfast.api.Health.down("db");
    }
  }

  static final class FlakyHealthSuite extends ClusterSuite {
    FlakyHealthSuite() {
      super(FlakyHealth::new);
    }
  }

  /**
   * TM-3: records in the resume point the member that applied the command, taken from the name of
   * the thread apply runs on, so the members' session tables never agree. Every instance of the
   * pure rules applies on one thread, so only the cluster shows it. (The same defect through {@code
   * onRoleChange} is caught before the cluster by JR-6; see {@code BrokenApplicationsTest}.)
   */
  static final class ThreadResumePoint extends Ledger {
    @Override
    public Receipt apply(LedgerCommand command, ApplyContext context) {
      Receipt receipt = super.apply(command, context);
      String thread = Thread.currentThread().getName();
      context.setResumePoint(
          ResumePoint.of(
              "account", command.account(), "desk", thread.substring(0, thread.indexOf('@') + 1)));
      return receipt;
    }
  }

  static final class ThreadResumePointSuite extends ClusterSuite {
    ThreadResumePointSuite() {
      super(ThreadResumePoint::new);
    }
  }

  static final class ForgetsResumePointSuite extends ClusterSuite {
    ForgetsResumePointSuite() {
      super(ForgetsResumePoint::new);
    }
  }

  static final class SecondStartThrowsSuite extends ClusterSuite {
    SecondStartThrowsSuite() {
      super(SecondStartThrows::new);
    }
  }

  static final class SlowPromotionSuite extends ClusterSuite {
    SlowPromotionSuite() {
      super(SlowPromotion::new);
    }
  }

  /** Passes everything through except the resume point, which it drops. */
  private static final class ForgetfulContext extends ForwardingApplyContext {
    ForgetfulContext(ApplyContext context) {
      super(context);
    }

    @Override
    public void setResumePoint(ResumePoint point) {
      // forgotten: the bug under test
    }
  }

  /** A ledger's suite with the cluster rules as well as the pure ones. */
  abstract static class ClusterSuite extends BrokenApplicationsTest.BrokenSuite {
    ClusterSuite(java.util.function.Supplier<Ledger> factory) {
      super(factory);
    }

    @Override
    protected SuiteSettings settings() {
      return super.settings().withClusterRules(true);
    }
  }
}
