package io.steadfast.systemtests;

import static io.steadfast.systemtests.SystemTestSupport.JWKS;
import static io.steadfast.systemtests.SystemTestSupport.admin;
import static io.steadfast.systemtests.SystemTestSupport.assertConverged;
import static io.steadfast.systemtests.SystemTestSupport.awaitAcks;
import static io.steadfast.systemtests.SystemTestSupport.awaitConvergence;
import static io.steadfast.systemtests.SystemTestSupport.awaitLive;
import static io.steadfast.systemtests.SystemTestSupport.awaitPrimary;
import static io.steadfast.systemtests.SystemTestSupport.awaitReady;
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
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.systemtests.SystemTestSupport.Result;
import io.steadfast.systemtests.SystemTestSupport.Shift;
import io.steadfast.systemtests.SystemTestSupport.User;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * An operator replaces a member whose host was lost, with real member processes under load: a
 * backup is killed for good, a new process started with {@code join=true} is put in its place with
 * {@code steadfast-admin replace-member}, becomes primary by switchover, is killed and restarted
 * (it keeps the journaled membership although its file says {@code join=true}), and the clients,
 * built knowing only the first three members, follow throughout. Nothing is lost and the members
 * converge.
 */
class MembershipProcessesIT {

  private static final int USERS = 3;

  /** Logs, configuration and storage of the run, kept in target/ for reading after a failure. */
  private Path dir = Path.of("target", "system-test-membership");

  @Test
  void aLostMemberIsReplacedWhileServing_andClientsFollowTheNewMembership() throws Exception {
    dir = freshDirectory(dir);
    ECKey key = signingKey(dir);
    Path jwks = dir.resolve(JWKS);
    int[] ports = freePorts(8);
    try (MemberProcesses members = new MemberProcesses(dir, jwks, ports)) {
      for (String id : members.ids()) {
        members.start(id);
      }
      String primary = awaitPrimary(members, Duration.ofSeconds(60));
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

      // A backup's host is lost.
      String lost = members.ids().stream().filter(id -> !id.equals(primary)).findFirst().get();
      members.signal(lost, "KILL");
      assertThat(members.awaitExit(lost, Duration.ofSeconds(10))).isTrue();
      awaitAcks(acks, 30, Duration.ofSeconds(60));

      // Its replacement joins.
      members.join("n4", ports[6], ports[7]);
      members.start("n4");
      awaitLive(members, "n4", Duration.ofSeconds(60));
      List<String> cluster = endpointArgs(members, lost);
      Result replaced =
          admin(
              cluster,
              "replace-member",
              "--old",
              lost,
              "--id",
              "n4",
              "--journal",
              "127.0.0.1:" + ports[6],
              "--member-endpoint",
              endpoint(ports[7]).toString());
      assertThat(replaced.status())
          .as(() -> replaced + (replaced.status() == 0 ? "" : members.dumpThreads()))
          .isZero();
      assertThat(replaced.out()).contains("n4 replaced " + lost);
      members.forget(lost);
      awaitAcks(acks, 30, Duration.ofSeconds(60));

      Result listed = admin(endpointArgs(members, ""), "members");
      assertThat(listed.status()).as(listed.toString()).isZero();
      assertThat(memberIds(listed.out())).doesNotContain(lost).contains("n4").hasSize(3);

      // The new member serves as primary, then is killed and restarted: it keeps the journaled
      // membership although its configuration file still says join=true. As an operator would,
      // switch over to it once it is ready (caught up).
      awaitReady(members, "n4", Duration.ofSeconds(60));
      Result moved = admin(endpointArgs(members, ""), "switchover", "--to", "n4");
      assertThat(moved.status())
          .as(() -> moved + (moved.status() == 0 ? "" : members.dumpThreads()))
          .isZero();
      awaitAcks(acks, 30, Duration.ofSeconds(60));
      members.signal("n4", "KILL");
      assertThat(members.awaitExit("n4", Duration.ofSeconds(10))).isTrue();
      awaitAcks(acks, 20, Duration.ofSeconds(60));
      members.start("n4");
      awaitLive(members, "n4", Duration.ofSeconds(60));
      Map<String, Object> status = members.status("n4");
      assertThat(JSONObjectUtils.getStringList(status, "members"))
          .containsExactlyElementsOf(members.ids());
      assertThat(status.get("member")).isEqualTo(true);
      awaitAcks(acks, 30, Duration.ofSeconds(60));

      shift.stop();
      for (User user : users) {
        assertThat(user.errors).as(user.name + " errors").isEmpty();
        assertThat(user.sent).as(user.name + " acknowledged").isPositive();
      }
      Map<String, String> digests = awaitConvergence(members, Duration.ofSeconds(60));
      assertThat(digests).containsOnlyKeys(members.ids());
      assertConverged(members, digests);
      // The operator's audit agrees: every other member matches the primary.
      Result audit = admin(endpointArgs(members, ""), "audit");
      assertThat(audit.status()).as(audit.toString()).isZero();
      assertThat(audit.out())
          .contains("\"foundDifference\":false")
          .doesNotContain("DIFFERS")
          .doesNotContain("NOT_");
      System.out.println(
          "membership system test: "
              + acks.size()
              + " acknowledged; "
              + lost
              + " replaced by n4; members "
              + members.ids());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> memberIds(String json) throws java.text.ParseException {
    List<String> ids = new ArrayList<>();
    for (Object member : JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(json), "members")) {
      ids.add(String.valueOf(((Map<String, Object>) member).get("id")));
    }
    return ids;
  }
}
