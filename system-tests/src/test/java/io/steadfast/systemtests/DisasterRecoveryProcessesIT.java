package io.steadfast.systemtests;

import static io.steadfast.systemtests.SystemTestSupport.JWKS;
import static io.steadfast.systemtests.SystemTestSupport.admin;
import static io.steadfast.systemtests.SystemTestSupport.assertConverged;
import static io.steadfast.systemtests.SystemTestSupport.awaitAcks;
import static io.steadfast.systemtests.SystemTestSupport.awaitConvergence;
import static io.steadfast.systemtests.SystemTestSupport.awaitLive;
import static io.steadfast.systemtests.SystemTestSupport.awaitPrimary;
import static io.steadfast.systemtests.SystemTestSupport.endpoint;
import static io.steadfast.systemtests.SystemTestSupport.endpointArgs;
import static io.steadfast.systemtests.SystemTestSupport.freePorts;
import static io.steadfast.systemtests.SystemTestSupport.freshDirectory;
import static io.steadfast.systemtests.SystemTestSupport.signingKey;
import static io.steadfast.systemtests.SystemTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.steadfast.api.NodeId;
import io.steadfast.examples.mortgage.IntakeField;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.systemtests.SystemTestSupport.Result;
import io.steadfast.systemtests.SystemTestSupport.Shift;
import io.steadfast.systemtests.SystemTestSupport.User;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The disaster-recovery procedure with real member processes: a replica process is added with
 * {@code steadfast-admin add-replica} while three members serve users; it follows and never votes.
 * The primary site is then lost (all three killed with SIGKILL), the replica is promoted with
 * {@code steadfast-admin promote-replica} (refused while a primary was heard from), stops, is
 * started again by its "supervisor" (the test), and serves as the only member: every user's session
 * goes on with its next command, so none of their acknowledged commands was lost. A new member then
 * joins the promoted one and they converge.
 */
class DisasterRecoveryProcessesIT {

  private static final int USERS = 3;

  /** Logs, configuration and storage of the run, kept in target/ for reading after a failure. */
  private Path dir = Path.of("target", "system-test-dr");

  @Test
  void theReplicaIsPromotedWhenThePrimarySiteIsLost_andUsersGoOnWhereTheyWere() throws Exception {
    dir = freshDirectory(dir);
    ECKey key = signingKey(dir);
    Path jwks = dir.resolve(JWKS);
    int[] ports = freePorts(10);
    try (MemberProcesses members = new MemberProcesses(dir, jwks, ports)) {
      List<String> site = List.copyOf(members.ids());
      for (String id : site) {
        members.start(id);
      }
      awaitPrimary(members, Duration.ofSeconds(60));
      members.join("dr1", ports[6], ports[7]);
      members.start("dr1");
      awaitLive(members, "dr1", Duration.ofSeconds(60));

      // The web tier knows the replica's endpoint too, as a disaster-recovery plan would.
      Map<NodeId, URI> endpoints = new TreeMap<>();
      for (String id : members.ids()) {
        endpoints.put(NodeId.of(id), endpoint(members.httpPort(id)));
      }
      Shift shift =
          new Shift(
              USERS,
              user ->
                  SteadfastClient.remote(
                      MortgageLoanApplication.codec(),
                      endpoints,
                      Duration.ofSeconds(20),
                      ClientCredentials.none().bearerToken(() -> token(key, user.name))));
      List<User> users = shift.users;
      ConcurrentLinkedQueue<Long> acks = shift.acks;
      awaitAcks(acks, 30, Duration.ofSeconds(60));

      Result added =
          admin(
              endpointArgs(members, "dr1"),
              "add-replica",
              "--id",
              "dr1",
              "--journal",
              "127.0.0.1:" + ports[6],
              "--member-endpoint",
              endpoint(ports[7]).toString());
      assertThat(added.status()).as(added.toString()).isZero();
      assertThat(added.out()).contains("dr1 is a replica");
      awaitAcks(acks, 50, Duration.ofSeconds(60));
      Map<String, Object> replica = members.status("dr1");
      assertThat(replica.get("replica")).isEqualTo(true);
      assertThat(JSONObjectUtils.getStringList(replica, "members")).containsExactlyElementsOf(site);

      shift.stop();
      for (User user : users) {
        assertThat(user.errors).as(user.name + " errors").isEmpty();
      }
      // The replica holds everything the primary committed.
      String primary = awaitPrimary(members, Duration.ofSeconds(30));
      long commit = ((Number) members.status(primary).get("commitIndex")).longValue();
      Map<String, Object> lag = JSONObjectUtils.getJSONObject(members.status(primary), "replicas");
      assertThat(lag).containsKey("dr1");
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (((Number) members.status("dr1").get("appliedIndex")).longValue() < commit) {
        assertThat(System.nanoTime()).as("dr1 catching up to " + commit).isLessThan(end);
        Thread.sleep(50);
      }

      // The primary site is lost.
      for (String id : site) {
        members.signal(id, "KILL");
      }
      for (String id : site) {
        assertThat(members.awaitExit(id, Duration.ofSeconds(10))).isTrue();
        members.forget(id);
      }
      List<String> drOnly = List.of("--endpoint", endpoint(ports[7]).toString());
      Result promoted = null;
      end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < end) {
        promoted = admin(drOnly, "promote-replica", "--confirm", "dr1");
        if (promoted.status() == 0) {
          break;
        }
        assertThat(promoted.err()).contains("primary site is up");
        Thread.sleep(200);
      }
      assertThat(promoted).isNotNull();
      assertThat(promoted.status()).as(promoted.toString()).isZero();
      assertThat(promoted.out()).contains("becomes the only voting member");
      // It stops for the promotion; its supervisor starts it again.
      assertThat(members.awaitExit("dr1", Duration.ofSeconds(20))).isTrue();
      members.start("dr1");
      assertThat(awaitPrimary(members, Duration.ofSeconds(60))).isEqualTo("dr1");
      Map<String, Object> after = members.status("dr1");
      assertThat(after.get("replica")).isEqualTo(false);
      assertThat(JSONObjectUtils.getStringList(after, "members")).containsExactly("dr1");
      assertThat(String.valueOf(after.get("storageRepairs"))).contains("promotion:");

      // Every user goes on in the same session with its next command: the replica held each
      // session's last acknowledged command (a missing one would be a sequence gap, refused).
      for (User user : users) {
        long n = user.sent + 1;
        String value = "Officer " + user.name.substring(user.name.indexOf('-') + 1) + " Entry " + n;
        LoanResult result =
            user.session.execute(
                new LoanCommand.EnterIntakeField(IntakeField.BORROWER_NAME, value));
        assertThat(result).isInstanceOf(LoanResult.FieldAccepted.class);
        assertThat(((LoanResult.FieldAccepted) result).value()).isEqualTo(value);
        user.sent = n;
      }

      // The promoted member grows a cluster again.
      members.join("n4", ports[8], ports[9]);
      members.start("n4");
      awaitLive(members, "n4", Duration.ofSeconds(60));
      Result grown =
          admin(
              drOnly,
              "add-member",
              "--id",
              "n4",
              "--journal",
              "127.0.0.1:" + ports[8],
              "--member-endpoint",
              endpoint(ports[9]).toString());
      // Once in about six runs n4 stopped answering after it began to follow dr1 and add-member
      // was refused for 15 s; the members' logs and threads say why if it happens again.
      assertThat(grown.status())
          .as(
              () ->
                  grown
                      + "; members:"
                      + members.describe(java.util.Set.of("n4", "dr1"))
                      + members.threads("n4")
                      + members.threads("dr1"))
          .isZero();
      Map<String, String> digests = awaitConvergence(members, Duration.ofSeconds(60));
      assertThat(digests).containsOnlyKeys("dr1", "n4");
      assertConverged(members, digests);
      System.out.println(
          "disaster-recovery system test: "
              + acks.size()
              + " acknowledged before the site was lost; dr1 promoted; members "
              + members.ids());
    }
  }
}
