package io.steadfast.testkit;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.certificate.Certificate;
import io.steadfast.testkit.certificate.CertificateWriter;
import io.steadfast.testkit.certificate.CodeDigest;
import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.cluster.ClusterRules;
import io.steadfast.testkit.pure.PureRules;
import io.steadfast.testkit.rule.Capability;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.RuleCheck;
import io.steadfast.testkit.rule.SuiteSettings;
import io.steadfast.testkit.workload.Workload;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The certification suite: extend it once, in a test class of the application's module, and every
 * rule of {@code docs/spec.md} is checked against the application, one JUnit test per rule, with a
 * certificate written to {@code target/steadfast-certification/}.
 *
 * <pre>{@code
 * class LedgerCertificationTest extends CertificationSuite<LedgerCommand, Receipt> {
 *   protected ResilientApplication<LedgerCommand, Receipt> newApplication() { return new Ledger(); }
 *   protected CommandCodec<LedgerCommand, Receipt> codec() {
 *     return JacksonCodec.of(LedgerCommand.class, Receipt.class);
 *   }
 *   protected Workload<LedgerCommand, Receipt> workload() { return new TellerWorkload(); }
 * }
 * }</pre>
 *
 * <p><b>Designed for extension</b> by vendors (the abstract methods and the optional hooks). Rules
 * come from {@link #ruleChecks()}: the pure rules, checked without a cluster, and the cluster
 * rules, checked on one seeded scenario on an embedded three-node cluster (see {@code
 * docs/spec.md}); each has one final test method here calling {@link #certify(String)}, so that no
 * subclass can turn a rule into a pass. The cluster part takes a minute or two, so name the
 * vendor's class {@code …IT} and let Failsafe run it.
 *
 * <p><b>Verdicts in JUnit.</b> PASS passes; FAIL and UNKNOWN fail the test (the message carries the
 * rule id, the seed and a replay command); SKIPPED aborts the test with its reason (a rule that
 * does not apply, such as a waived one, or a rule blocked by a failed dependency). Only the
 * certificate says which level was granted.
 *
 * <p><b>Threads.</b> JUnit creates one instance per class ({@code PER_CLASS}); the rules run one
 * after another, each check on a worker thread of its own with the settings' time limit. The suite
 * changes the JVM's default time zone and locale while some checks run, so do not run other tests
 * in parallel in the same JVM.
 *
 * @param <C> the application's command type
 * @param <R> the application's result type
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class CertificationSuite<C, R> {

  private @Nullable RuleRunner<C, R> runner;
  private @Nullable SuiteContext<C, R> context;
  private @Nullable String currentMethod;

  /** For subclasses. */
  protected CertificationSuite() {}

  /**
   * A new instance of the application with its initial state; called many times, and must return a
   * different object each time. The suite also calls it in a forked JVM (rule CP-3), where it
   * creates this class with its no-argument constructor.
   */
  protected abstract ResilientApplication<C, R> newApplication();

  /**
   * The codec the application's commands and results travel with; usually a {@code JacksonCodec}.
   */
  protected abstract CommandCodec<C, R> codec();

  /** The seeded generator of realistic users the rules drive the application with. */
  protected abstract Workload<C, R> workload();

  /**
   * What the application declares about itself; each capability waives the rules it makes not
   * applicable (they are SKIPPED with the declaration as reason, never PASS). Empty by default.
   */
  protected Set<Capability> capabilities() {
    return Set.of();
  }

  /** The run's settings; {@link SuiteSettings#fromSystemProperties()} by default. */
  protected SuiteSettings settings() {
    return SuiteSettings.fromSystemProperties();
  }

  /**
   * Checkpoints written by earlier versions of the application that this version must restore (rule
   * CP-5). Empty by default.
   */
  protected List<GoldenCheckpoint> goldenCheckpoints() {
    return List.of();
  }

  /**
   * A new instance of the previous release of the application, the code members run before a
   * rolling upgrade to this one; called many times, and must return a different object each time.
   * Empty by default, which makes the upgrade rules (UP-1 to UP-3) not applicable. The previous
   * release must use the same command and result types (the new release may add command types,
   * marked {@link io.steadfast.api.Since}); a vendor usually keeps it as a test dependency on the
   * previous artifact, relocated to its own package, or as the new code constructed to behave as
   * the old one where the change is small.
   */
  protected Optional<ResilientApplication<C, R>> previousRelease() {
    return Optional.empty();
  }

  /**
   * Every rule check this suite can run: the extension point for more rules. The pure rules by
   * default; a subclass adds its checks to this list and one {@code @Test} method per added rule,
   * named after the rule id, that calls {@link #certify(String)}. Only rules listed here count
   * towards a level, and a level with no rules listed here is never granted.
   */
  protected List<RuleCheck<C, R>> ruleChecks() {
    List<RuleCheck<C, R>> checks = new ArrayList<>(PureRules.checks());
    if (settingsInUse().clusterRules()) {
      checks.addAll(ClusterRules.checks());
    }
    return checks;
  }

  /**
   * Runs the rule {@code ruleId} (and first any rule it depends on that has not run), records its
   * result for the certificate and reports it to JUnit: returns on PASS, aborts on SKIPPED, fails
   * on FAIL and UNKNOWN.
   *
   * @return the result, on PASS
   */
  protected final RuleResult certify(String ruleId) {
    if (!settingsInUse().clusterRules()
        && ClusterRules.rules().stream().anyMatch(r -> r.id().equals(ruleId))) {
      Assumptions.abort(
          ruleId + " not run: the cluster rules are switched off" + " (steadfast.cluster=false)");
    }
    RuleResult result = runner().run(ruleId);
    String head =
        result.rule()
            + " "
            + result.verdict()
            + " (seed "
            + settingsInUse().seed()
            + "): "
            + result.summary();
    switch (result.verdict()) {
      case PASS -> {
        return result;
      }
      case SKIPPED -> {
        Assumptions.abort(head);
        return result;
      }
      default -> {
        StringBuilder message = new StringBuilder(head);
        if (result.counterexample() != null) {
          message.append("\n").append(result.counterexample());
        }
        if (result.replayCommand() != null) {
          message.append("\nreplay: ").append(result.replayCommand());
        }
        return Assertions.fail(message.toString());
      }
    }
  }

  /** The certificate for the rules run so far. */
  protected final Certificate certificate() {
    RuleRunner<C, R> r = runner();
    SuiteContext<C, R> c = contextInUse();
    TreeMap<String, String> versions = new TreeMap<>();
    String testkit = CertificationSuite.class.getPackage().getImplementationVersion();
    versions.put("testkit", testkit == null ? "development" : testkit);
    versions.put("java", System.getProperty("java.version"));
    // When the certificate was written: a record for people, never an input to any rule.
    versions.put("certifiedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    String application;
    try {
      ResilientApplication<C, R> app = c.newApplication();
      application = app.getClass().getName();
      versions.put("checkpointVersion", String.valueOf(app.checkpointVersion()));
      versions.put("supportedVersion", String.valueOf(app.supportedVersion()));
      String release = app.getClass().getPackage().getImplementationVersion();
      versions.put("applicationRelease", release == null ? "unversioned" : release);
      versions.put("applicationCode", CodeDigest.of(app.getClass()));
    } catch (RuntimeException e) {
      application = "unknown (newApplication() threw " + e.getClass().getSimpleName() + ")";
    }
    return Certificate.grant(
        application,
        getClass().getName(),
        versions,
        c.settings().seed(),
        c.settings().isDeep(),
        c.settings().traceLength(),
        r.registered(),
        r.results());
  }

  @BeforeEach
  final void rememberTestMethod(TestInfo info) {
    currentMethod = info.getTestMethod().map(Method::getName).orElse(null);
  }

  @AfterAll
  final void writeCertificate() throws IOException {
    if (runner != null && !runner.results().isEmpty()) {
      CertificateWriter.write(certificate(), settingsInUse().reportDirectory());
    }
  }

  @Test
  @Order(1)
  @DisplayName("HV-1 declared configuration is well formed")
  public final void HV1_configurationWellFormed() {
    certify("HV-1");
  }

  @Test
  @Order(2)
  @DisplayName("HV-2 fingerprint is stable and sensitive")
  public final void HV2_fingerprintStableAndSensitive() {
    certify("HV-2");
  }

  @Test
  @Order(3)
  @DisplayName("HV-3 fresh instances start equal")
  public final void HV3_freshInstancesEqual() {
    certify("HV-3");
  }

  @Test
  @Order(4)
  @DisplayName("HV-4 codec round-trips commands and results")
  public final void HV4_codecRoundTrip() {
    certify("HV-4");
  }

  @Test
  @Order(10)
  @DisplayName("JR-1 apply is deterministic")
  public final void JR1_deterministicApply() {
    certify("JR-1");
  }

  @Test
  @Order(13)
  @DisplayName("JR-5 no host-dependent calls on the replicated path")
  public final void JR5_noHostDependentCalls() {
    certify("JR-5");
  }

  @Test
  @Order(26)
  @DisplayName("JR-6 calls outside the journal change nothing replicated")
  public final void JR6_callbacksChangeNothingReplicated() {
    certify("JR-6");
  }

  @Test
  @Order(11)
  @DisplayName("JR-4 malformed input is refused")
  public final void JR4_malformedInput() {
    certify("JR-4");
  }

  @Test
  @Order(12)
  @DisplayName("JR-3 rejections are atomic")
  public final void JR3_failureAtomicity() {
    certify("JR-3");
  }

  @Test
  @Order(20)
  @DisplayName("CP-1 checkpoint round trip")
  public final void CP1_roundTrip() {
    certify("CP-1");
  }

  @Test
  @Order(21)
  @DisplayName("CP-2 checkpoints are canonical")
  public final void CP2_canonical() {
    certify("CP-2");
  }

  @Test
  @Order(22)
  @DisplayName("CP-3 checkpoints are self-contained")
  public final void CP3_selfContained() {
    certify("CP-3");
  }

  @Test
  @Order(23)
  @DisplayName("CP-5 future versions refused, golden checkpoints restore")
  public final void CP5_versions() {
    certify("CP-5");
  }

  @Test
  @Order(24)
  @DisplayName("CP-6 corrupt checkpoints refused")
  public final void CP6_corruption() {
    certify("CP-6");
  }

  @Test
  @Order(25)
  @DisplayName("CP-7 frozen states write the state as it was when frozen")
  public final void CP7_frozenState() {
    certify("CP-7");
  }

  @Test
  @Order(30)
  @DisplayName("JR-2 replay from any checkpoint is equivalent")
  public final void JR2_replayEquivalence() {
    certify("JR-2");
  }

  @Test
  @Order(31)
  @DisplayName("UP-1 the new release behaves as the previous one until finalized")
  public final void UP1_sameBehaviourBeforeFinalize() {
    certify("UP-1");
  }

  @Test
  @Order(32)
  @DisplayName("UP-2 the previous release's checkpoints carry over")
  public final void UP2_goldenCheckpointsCarryOver() {
    certify("UP-2");
  }

  @Test
  @Order(40)
  @DisplayName("RL-1 role callbacks in legal order")
  public final void RL1_roleCallbacksInLegalOrder() {
    certify("RL-1");
  }

  @Test
  @Order(41)
  @DisplayName("RL-2 switchover under load")
  public final void RL2_switchoverUnderLoad() {
    certify("RL-2");
  }

  @Test
  @Order(42)
  @DisplayName("RL-3 failover")
  public final void RL3_failover() {
    certify("RL-3");
  }

  @Test
  @Order(43)
  @DisplayName("RL-4 a backup never writes")
  public final void RL4_backupNeverWrites() {
    certify("RL-4");
  }

  @Test
  @Order(44)
  @DisplayName("RL-5 rejoin by checkpoint install")
  public final void RL5_rejoin() {
    certify("RL-5");
  }

  @Test
  @Order(45)
  @DisplayName("RL-6 history check")
  public final void RL6_historyCheck() {
    certify("RL-6");
  }

  @Test
  @Order(46)
  @DisplayName("TM-1 exit points within their budgets")
  public final void TM1_exitPointBudgets() {
    certify("TM-1");
  }

  @Test
  @Order(47)
  @DisplayName("TM-2 health probes answer within their budget")
  public final void TM2_healthProbes() {
    certify("TM-2");
  }

  @Test
  @Order(48)
  @DisplayName("TM-3 convergence after faults")
  public final void TM3_convergence() {
    certify("TM-3");
  }

  @Test
  @Order(49)
  @DisplayName("AZ-1 commands refused to a principal without roles")
  public final void AZ1_authorization() {
    certify("AZ-1");
  }

  @Test
  @Order(50)
  @DisplayName("RS-1 exactly once")
  public final void RS1_exactlyOnce() {
    certify("RS-1");
  }

  @Test
  @Order(51)
  @DisplayName("RS-2 resume at position")
  public final void RS2_resumeAtPosition() {
    certify("RS-2");
  }

  @Test
  @Order(52)
  @DisplayName("RS-3 positions never go back")
  public final void RS3_positionsNeverRegress() {
    certify("RS-3");
  }

  @Test
  @Order(53)
  @DisplayName("RS-4 session expiry alike on every replica")
  public final void RS4_sessionExpiry() {
    certify("RS-4");
  }

  @Test
  @Order(60)
  @DisplayName("UP-3 a rolling upgrade under load")
  public final void UP3_rollingUpgrade() {
    certify("UP-3");
  }

  private RuleRunner<C, R> runner() {
    if (runner == null) {
      runner = new RuleRunner<>(ruleChecks(), contextInUse(), getClass(), this::methodFor);
    }
    return runner;
  }

  private SuiteContext<C, R> contextInUse() {
    if (context == null) {
      context =
          new SuiteContext<>(
                  this::newApplication,
                  codec(),
                  workload(),
                  settings(),
                  capabilities(),
                  goldenCheckpoints(),
                  getClass())
              .previousRelease(this::previousRelease);
    }
    return context;
  }

  private SuiteSettings settingsInUse() {
    return contextInUse().settings();
  }

  private String methodFor(Rule rule) {
    for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().startsWith(rule.methodPrefix() + "_")
            && m.isAnnotationPresent(Test.class)) {
          return m.getName();
        }
      }
    }
    return currentMethod == null ? rule.methodPrefix() + "*" : currentMethod;
  }
}
