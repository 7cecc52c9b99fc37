package io.steadfast.systemtests;

import static io.steadfast.systemtests.SystemTestSupport.JWKS;
import static io.steadfast.systemtests.SystemTestSupport.admin;
import static io.steadfast.systemtests.SystemTestSupport.assertConverged;
import static io.steadfast.systemtests.SystemTestSupport.awaitAcks;
import static io.steadfast.systemtests.SystemTestSupport.awaitConvergence;
import static io.steadfast.systemtests.SystemTestSupport.awaitPrimary;
import static io.steadfast.systemtests.SystemTestSupport.awaitReady;
import static io.steadfast.systemtests.SystemTestSupport.endpoint;
import static io.steadfast.systemtests.SystemTestSupport.endpointArgs;
import static io.steadfast.systemtests.SystemTestSupport.freePorts;
import static io.steadfast.systemtests.SystemTestSupport.freshDirectory;
import static io.steadfast.systemtests.SystemTestSupport.signingKey;
import static io.steadfast.systemtests.SystemTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanRequest;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanRoles;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.examples.mortgage.Verdict;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.systemtests.SystemTestSupport.Result;
import io.steadfast.systemtests.SystemTestSupport.Shift;
import io.steadfast.systemtests.SystemTestSupport.User;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The rolling upgrade of {@code docs/operations.md} §5 with real member processes under load: three
 * members run release 1 of the mortgage example; each backup in turn is stopped with SIGTERM and
 * started on release 2; finalize is refused while the primary still runs release 1; the primary
 * role is switched over to an upgraded member and the old primary upgraded; then {@code
 * steadfast-admin finalize --version 2}. Release 2's {@code RescheduleClosing} is refused at the
 * door before the finalize and moves a closing after it. No user sees an error, nothing is lost,
 * and the members converge.
 */
class UpgradeProcessesIT {

  private static final int USERS = 3;

  /** Logs, configuration and storage of the run, kept in target/ for reading after a failure. */
  private Path dir = Path.of("target", "system-test-upgrade");

  @Test
  void releaseOneIsUpgradedMemberByMemberWhileServing_andFinalizeEnablesTheNewCommand()
      throws Exception {
    dir = freshDirectory(dir);
    ECKey key = signingKey(dir);
    Path jwks = dir.resolve(JWKS);
    try (MemberProcesses members = new MemberProcesses(dir, jwks, freePorts(6))) {
      for (String id : members.ids()) {
        members.start(id, MemberProcesses.RELEASE_1);
      }
      String primary = awaitPrimary(members, Duration.ofSeconds(60));
      Map<NodeId, URI> endpoints = new TreeMap<>();
      for (String id : members.ids()) {
        endpoints.put(NodeId.of(id), endpoint(members.httpPort(id)));
      }
      Shift shift = new Shift(USERS, user -> client(endpoints, key, user.name, LoanRoles.OFFICER));
      List<User> users = shift.users;
      ConcurrentLinkedQueue<Long> acks = shift.acks;
      awaitAcks(acks, 30, Duration.ofSeconds(60));
      for (String id : members.ids()) {
        assertThat(versions(members, id)).as(id).isEqualTo(List.of(1, 1));
      }

      // A loan reaches its closing through release 1; moving the closing is not possible yet.
      Session<LoanCommand, LoanResult> closer =
          client(endpoints, key, "closer-1", LoanRoles.CLOSER)
              .openSession(LoanRoles.closer("closer-1"));
      ScheduledLoan loan = scheduledLoan(endpoints, key, closer);
      assertThatThrownBy(
              () -> closer.execute(new LoanCommand.RescheduleClosing(loan.id, loan.day(40))))
          .isInstanceOf(MalformedCommandException.class)
          .hasMessageContaining("needs application version 2");

      // 1. The backups, one at a time.
      List<String> backups = members.ids().stream().filter(id -> !id.equals(primary)).toList();
      for (String backup : backups) {
        upgrade(members, backup);
        awaitAcks(acks, 20, Duration.ofSeconds(60));
      }
      Result early = admin(endpointArgs(members, ""), "finalize", "--version", "2");
      assertThat(early.status()).as("finalize before the primary runs release 2").isNotZero();
      assertThat(early.out() + early.err()).contains(primary);

      // 2. Switch over to an upgraded member; 3. upgrade the old primary.
      Result moved = admin(endpointArgs(members, ""), "switchover", "--to", backups.get(0));
      assertThat(moved.status()).as(moved.toString()).isZero();
      awaitAcks(acks, 20, Duration.ofSeconds(60));
      upgrade(members, primary);
      awaitAcks(acks, 20, Duration.ofSeconds(60));

      // 4. Finalize: from that journal entry on every member applies version 2.
      Result finalized = admin(endpointArgs(members, ""), "finalize", "--version", "2");
      assertThat(finalized.status()).as(finalized.toString()).isZero();
      awaitActiveVersion(members, 2, Duration.ofSeconds(30));
      LoanResult rescheduled =
          closer.execute(new LoanCommand.RescheduleClosing(loan.id, loan.day(40)));
      assertThat(rescheduled)
          .isEqualTo(new LoanResult.ClosingRescheduled(loan.id, loan.day(30), loan.day(40)));
      awaitAcks(acks, 20, Duration.ofSeconds(60));

      shift.stop();
      for (User user : users) {
        assertThat(user.errors).as(user.name + " errors").isEmpty();
        assertThat(user.sent).as(user.name + " acknowledged").isPositive();
      }
      Map<String, String> digests = awaitConvergence(members, Duration.ofSeconds(60));
      assertConverged(members, digests);
      System.out.println(
          "upgrade system test: "
              + acks.size()
              + " acknowledged through a rolling upgrade from release 1 to 2; digests "
              + digests);
    }
  }

  /** Stops member {@code id} with SIGTERM, starts it on release 2 and waits until it is ready. */
  private static void upgrade(MemberProcesses members, String id) throws Exception {
    members.signal(id, "TERM");
    assertThat(members.awaitExit(id, Duration.ofSeconds(30))).as(id + " stopped").isTrue();
    members.start(id, MemberProcesses.CURRENT_RELEASE);
    awaitReady(members, id, Duration.ofSeconds(60));
    assertThat(versions(members, id).get(1)).as(id + " supportedVersion").isEqualTo(2);
  }

  /** The active and the supported version member {@code id} reports. */
  private static List<Integer> versions(MemberProcesses members, String id) throws Exception {
    Map<String, Object> status = members.status(id);
    return List.of(
        ((Number) status.get("activeVersion")).intValue(),
        ((Number) status.get("supportedVersion")).intValue());
  }

  private static void awaitActiveVersion(MemberProcesses members, int version, Duration timeout)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean all = true;
      for (String id : members.ids()) {
        all &= versions(members, id).get(0) == version;
      }
      if (all) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("active version " + version + " not on every member");
      }
      Thread.sleep(50);
    }
  }

  private record ScheduledLoan(String id, LocalDate approvedOn) {
    LocalDate day(int afterApproval) {
      return approvedOn.plusDays(afterApproval);
    }
  }

  /** An officer, an underwriter and the closer take one loan to a closing 30 days out. */
  private static ScheduledLoan scheduledLoan(
      Map<NodeId, URI> endpoints, ECKey key, Session<LoanCommand, LoanResult> closer) {
    Session<LoanCommand, LoanResult> officer =
        client(endpoints, key, "officer-loan", LoanRoles.OFFICER)
            .openSession(LoanRoles.officer("officer-loan"));
    Session<LoanCommand, LoanResult> underwriter =
        client(endpoints, key, "underwriter-1", LoanRoles.UNDERWRITER)
            .openSession(LoanRoles.underwriter("underwriter-1"));
    LoanRequest request =
        new LoanRequest(
            "Una Upgrade",
            new BigDecimal("8000"),
            new BigDecimal("500"),
            new BigDecimal("300000"),
            new BigDecimal("200000"),
            360,
            new BigDecimal("6"));
    String id =
        ((LoanResult.ApplicationSubmitted)
                officer.execute(new LoanCommand.SubmitApplication(request)))
            .loanId();
    officer.execute(new LoanCommand.RecordCreditReport(id, 760));
    officer.execute(new LoanCommand.RecordAppraisal(id, new BigDecimal("300000")));
    LoanResult.Decided decided =
        (LoanResult.Decided)
            underwriter.execute(new LoanCommand.Underwrite(id, Verdict.APPROVE, List.of(), ""));
    assertThat(decided.decision().approved()).as(decided.toString()).isTrue();
    ScheduledLoan loan = new ScheduledLoan(id, decided.decision().decidedOn());
    closer.execute(new LoanCommand.ScheduleClosing(id, loan.day(30)));
    return loan;
  }

  private static SteadfastClient<LoanCommand, LoanResult> client(
      Map<NodeId, URI> endpoints, ECKey key, String user, String role) {
    return SteadfastClient.remote(
        MortgageLoanApplication.codec(),
        endpoints,
        Duration.ofSeconds(20),
        ClientCredentials.none().bearerToken(() -> token(key, user, role)));
  }
}
