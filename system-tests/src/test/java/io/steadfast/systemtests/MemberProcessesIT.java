package io.steadfast.systemtests;

import static io.steadfast.systemtests.SystemTestSupport.JWKS;
import static io.steadfast.systemtests.SystemTestSupport.assertConverged;
import static io.steadfast.systemtests.SystemTestSupport.awaitAcks;
import static io.steadfast.systemtests.SystemTestSupport.awaitConvergence;
import static io.steadfast.systemtests.SystemTestSupport.awaitPrimary;
import static io.steadfast.systemtests.SystemTestSupport.freePorts;
import static io.steadfast.systemtests.SystemTestSupport.freshDirectory;
import static io.steadfast.systemtests.SystemTestSupport.signingKey;
import static io.steadfast.systemtests.SystemTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import io.steadfast.api.NodeId;
import io.steadfast.examples.mortgage.IntakeField;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanRoles;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.systemtests.SystemTestSupport.Shift;
import io.steadfast.systemtests.SystemTestSupport.User;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The mortgage system as three real member processes behind a real HAProxy, with a remote client
 * under load and faults sent as signals: SIGKILL of the primary, SIGTERM of the primary (a graceful
 * stop hands over first), SIGSTOP of the primary for 1 to 5 s (when it resumes, deposed, it must
 * not acknowledge anything), three storage faults on a killed backup before its restart (its newest
 * checkpoint corrupted; its open journal segment cut inside its last entry; 32 bytes flipped near
 * the end of that segment: the member cuts its journal, has the primary step down, and catches up),
 * and a backup killed, left 200 acknowledgements behind, restarted and killed again while it
 * catches up.
 *
 * <p>CI runs {@value #DEFAULT_ROUNDS} rounds (one of each fault); a long run: {@code ./mvnw -B -pl
 * system-tests verify -Dsteadfast.system.rounds=100 -Dfailsafe.timeout=3600}.
 */
class MemberProcessesIT {

  private static final int DEFAULT_ROUNDS = 7;
  private static final int ROUNDS = Integer.getInteger("steadfast.system.rounds", DEFAULT_ROUNDS);
  private static final int USERS = 6;
  private static final Pattern ROLE_LINE =
      Pattern.compile("role (n\\d): (\\w+) -> PRIMARY \\((\\w+)\\) epoch (\\d+)");

  /**
   * The most threads a member process may have started by the end of the test: about a hundred at
   * start (the engine's, gRPC's, the endpoint's), a few dozen more for pools that grow under load,
   * and about 150 for the one rehearsal of the primary's path after a start. Measured: 53 to 97
   * before the rehearsal, 63 to 248 with it; without the launcher's pool setting, a backup started
   * 1,499.
   */
  private static final double MAX_THREADS_STARTED = 500;

  /** Logs, configuration and storage of the run, kept in target/ for reading after a failure. */
  private Path dir = Path.of("target", "system-test");

  @Test
  void processesBehindHaProxy_throughKillTermAndStop_loseNothing_andConverge() throws Exception {
    dir = freshDirectory(dir);
    ECKey key = signingKey(dir);
    Path jwks = dir.resolve(JWKS);
    int[] ports = freePorts(8);
    try (MemberProcesses members = new MemberProcesses(dir, jwks, ports);
        HaProxy proxy = new HaProxy(dir, ports[6], ports[7], members)) {
      for (String id : members.ids()) {
        members.start(id);
      }
      awaitPrimary(members, Duration.ofSeconds(60));
      assertThat(proxy.running()).as("HAProxy runs (see haproxy.log)").isTrue();
      URI front = URI.create("http://127.0.0.1:" + ports[6]);
      Shift shift =
          new Shift(
              USERS,
              user ->
                  SteadfastClient.remote(
                      MortgageLoanApplication.codec(),
                      Map.of(NodeId.of("front"), front),
                      Duration.ofSeconds(20),
                      ClientCredentials.none().bearerToken(() -> token(key, user.name))));
      List<User> users = shift.users;
      ConcurrentLinkedQueue<Long> acks = shift.acks;
      List<String> report = new ArrayList<>();
      List<Long> outages = new ArrayList<>();
      // Per round, how long after the fault's restart all three members were ready again.
      List<Long> readyAfter = new ArrayList<>();
      String[] faults = {"KILL", "TERM", "STOP", "CORRUPT", "TRUNCATE", "FLIP", "CATCHUP"};
      for (int round = 0; round < ROUNDS; round++) {
        awaitAcks(acks, 30, Duration.ofSeconds(60));
        String fault = faults[round % faults.length];
        String victim = awaitPrimary(members, Duration.ofSeconds(30));
        boolean onBackup = Set.of("CORRUPT", "TRUNCATE", "FLIP", "CATCHUP").contains(fault);
        if (onBackup) {
          // Storage faults hit a backup: killed, its files damaged, restarted; it must heal.
          // CATCHUP: a backup killed, left behind, restarted, and killed again while catching up.
          String primary = victim;
          victim =
              members.ids().stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
        }
        long at = System.nanoTime();
        members.signal(victim, onBackup ? "KILL" : fault);
        if (fault.equals("CATCHUP")) {
          assertThat(members.awaitExit(victim, Duration.ofSeconds(15))).isTrue();
          awaitAcks(acks, 200, Duration.ofSeconds(60));
          members.start(victim);
          report.add("CATCHUP " + victim + ": " + killWhileCatchingUp(members, victim));
        } else if (onBackup) {
          assertThat(members.awaitExit(victim, Duration.ofSeconds(15))).isTrue();
          report.add(fault + " " + victim + ": " + damage(members, victim, fault));
        } else if (fault.equals("STOP")) {
          // The fault itself: the primary stays frozen for 1 to 5 s, longer in each later cycle.
          long frozen = 1000L + 1000L * ((round / faults.length) % 5);
          Thread.sleep(frozen);
          members.signal(victim, "CONT");
          report.add("SIGSTOP " + victim + " frozen " + frozen + " ms");
        } else {
          assertThat(members.awaitExit(victim, Duration.ofSeconds(15)))
              .as("%s ended after SIG%s", victim, fault)
              .isTrue();
        }
        long outage = outage(acks, at, Duration.ofSeconds(60)) / 1_000_000;
        outages.add(outage);
        report.add(
            (Set.of("KILL", "TERM", "STOP").contains(fault) ? "SIG" : "")
                + fault
                + " "
                + victim
                + ": "
                + outage
                + " ms");
        if (!fault.equals("STOP")) {
          members.start(victim);
        }
        // Three of three again before the next fault: with one member still starting, stopping
        // another leaves no majority, and nothing can be acknowledged until it is back. A restart
        // took 20-25 s with two busy loops beside the test (JVM start, repair, catch-up on a
        // starved CPU), so the bound leaves room for a CI machine's neighbours; the time taken is
        // reported, and a member that is not ready in time is described.
        readyAfter.add(awaitAllReady(members, Duration.ofMinutes(2)));
      }
      // The clients still go through the proxy after every fault: a client given the proxy's
      // address keeps it when it learns the membership (the members' own addresses would work on
      // this machine, and a client that turned to them would pass every other check here).
      long throughProxy = proxy.answered();
      awaitAcks(acks, 30, Duration.ofSeconds(60));
      assertThat(proxy.answered() - throughProxy)
          .as("answers passed by HAProxy while the last 30 commands were acknowledged")
          .isPositive();
      shift.stop();

      // Every session: the journal's last number is what it sent; its resume point is its last
      // value.
      for (User user : users) {
        assertThat(user.errors).as(user.name + " errors").isEmpty();
        SteadfastClient<LoanCommand, LoanResult> client =
            SteadfastClient.remote(
                MortgageLoanApplication.codec(),
                Map.of(NodeId.of("front"), front),
                Duration.ofSeconds(20),
                ClientCredentials.none().bearerToken(() -> token(key, user.name)));
        Session<LoanCommand, LoanResult> again =
            client.attach(user.session.id(), LoanRoles.officer(user.name));
        assertThat(again.lastSequence()).as(user.name + " last number").isEqualTo(user.sent);
        assertThat(again.resumePoint().fields())
            .as(user.name + " resume point")
            .containsEntry("typed." + IntakeField.BORROWER_NAME.key(), user.lastValue);
      }
      // The members converge to one state.
      Map<String, String> digests = awaitConvergence(members, Duration.ofSeconds(60));
      assertConverged(members, digests);
      // At most one primary per epoch, across every process's role lines.
      Map<Long, Set<String>> primaries = new TreeMap<>();
      for (String id : members.ids()) {
        Matcher matcher = ROLE_LINE.matcher(Files.readString(members.log(id)));
        while (matcher.find()) {
          primaries
              .computeIfAbsent(Long.parseLong(matcher.group(4)), e -> new java.util.TreeSet<>())
              .add(matcher.group(1));
        }
      }
      assertThat(primaries).isNotEmpty();
      primaries.forEach(
          (epoch, nodes) -> assertThat(nodes).as("primaries of epoch " + epoch).hasSize(1));
      // No member starts a thread per replicated entry. On two CPUs the JDK's default executor for
      // asynchronous steps starts one per task unless the launcher gives the common pool two
      // threads; a backup then started about 330 threads a second under load.
      Map<String, String> threads = new TreeMap<>();
      for (String id : members.ids()) {
        double started = members.metric(id, "jvm_threads_started_threads_total");
        long commit = ((Number) members.status(id).get("commitIndex")).longValue();
        threads.put(id, (long) started + " threads for " + commit + " entries");
        assertThat(started)
            .as(id + ": threads its process started, with " + commit + " entries committed")
            .isLessThan(MAX_THREADS_STARTED);
      }
      // Each process rehearses the primary's path once it has been a caught-up backup for 5 s, in
      // its own JVM, and stops early when it becomes primary meanwhile (in this test's quick rounds
      // it usually does). Some rehearsal ran, and none failed.
      // With few rounds the members may not have been backups long enough yet: wait for one.
      long rehearsalDeadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!anyLogContains(members, "commands in a throwaway cluster")
          && !anyLogContains(members, "stopped after")
          && !anyLogContains(members, "rehearsal of the primary's path: failed")
          && System.nanoTime() < rehearsalDeadline) {
        Thread.sleep(200);
      }
      long rehearsals = 0;
      List<String> failed = new ArrayList<>();
      for (String id : members.ids()) {
        for (String line : Files.readAllLines(members.log(id))) {
          if (!line.contains("rehearsal of the primary's path: ")) {
            continue;
          }
          if (line.contains("commands in a throwaway cluster") || line.contains("stopped after")) {
            rehearsals++;
          } else if (!line.contains("not needed")) {
            failed.add(id + ": " + line);
          }
        }
      }
      assertThat(failed).as("rehearsals that failed").isEmpty();
      assertThat(rehearsals).as("rehearsals the member processes ran").isPositive();
      Collections.sort(outages);
      System.out.println(
          "system test: "
              + acks.size()
              + " acknowledged, faults "
              + report
              + ", unavailability p50 "
              + outages.get(outages.size() / 2)
              + " ms, max "
              + outages.get(outages.size() - 1)
              + " ms; all ready again after (ms, per round) "
              + readyAfter
              + "; primaries by epoch "
              + primaries
              + "; rehearsals "
              + rehearsals
              + "; threads started "
              + threads);
    }
  }

  private static boolean anyLogContains(MemberProcesses members, String text) throws IOException {
    for (String id : members.ids()) {
      if (Files.readString(members.log(id)).contains(text)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Kills member {@code id}, just restarted, once it serves HTTP but is not yet ready (still
   * catching up); says whether it was caught that way or was ready first.
   */
  private static String killWhileCatchingUp(MemberProcesses members, String id)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String when = "not serving within 60 s";
    while (System.nanoTime() < end) {
      if (members.probe(id, "/steadfast/v1/health/live") == 200) {
        when =
            members.probe(id, "/steadfast/v1/health/ready") == 200
                ? "ready before it could be killed catching up"
                : "killed while catching up";
        break;
      }
      Thread.sleep(5);
    }
    members.signal(id, "KILL");
    assertThat(members.awaitExit(id, Duration.ofSeconds(15))).isTrue();
    return when;
  }

  /**
   * Damages a stopped member's storage: flips bytes in the middle of its newest checkpoint
   * (CORRUPT), or cuts the last bytes off its open journal segment (TRUNCATE).
   */
  private static String damage(MemberProcesses members, String id, String fault)
      throws IOException {
    Path data = members.dataDir(id);
    List<Path> files;
    try (var walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    if (fault.equals("CORRUPT")) {
      Path newest =
          files.stream()
              .filter(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
              .max(java.util.Comparator.comparing(f -> f.getFileName().toString()))
              .orElse(null);
      if (newest == null) {
        return "no checkpoint to corrupt";
      }
      byte[] bytes = Files.readAllBytes(newest);
      for (int i = bytes.length / 2; i < Math.min(bytes.length, bytes.length / 2 + 16); i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      Files.write(newest, bytes);
      return "flipped 16 bytes of " + newest.getFileName();
    }
    Path open =
        files.stream()
            .filter(f -> f.getFileName().toString().startsWith("log_inprogress_"))
            .findFirst()
            .orElse(null);
    if (open == null || Files.size(open) < 16) {
      return "no open journal segment to cut";
    }
    // The segment is zero-padded past its last entry: damage where the entries end.
    byte[] bytes = Files.readAllBytes(open);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    if (end < 64) {
      return "no entries in " + open.getFileName();
    }
    if (fault.equals("FLIP")) {
      for (int i = end - 40; i < end - 8; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      Files.write(open, bytes);
      return "flipped 32 bytes near the end of " + open.getFileName();
    }
    try (var channel =
        java.nio.channels.FileChannel.open(open, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(end - 5);
    }
    return "cut " + open.getFileName() + " inside its last entry";
  }

  /** Waits until every member is ready; returns how long that took in milliseconds. */
  private static long awaitAllReady(MemberProcesses members, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (!members.ids().stream()
        .allMatch(id -> members.probe(id, "/steadfast/v1/health/ready") == 200)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "not every member ready within " + timeout + ": " + members.describe());
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * The longest pause between two acknowledgements from 1 s before the fault until 20 more have
   * come after it: how long the clients saw nothing move. (The first acknowledgement after the
   * fault alone says little: it may answer a request the old primary finished just before.)
   */
  private static long outage(ConcurrentLinkedQueue<Long> acks, long at, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (acks.stream().filter(t -> t > at).count() < 20) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the load did not resume within " + timeout + " of the fault");
      }
      Thread.sleep(10);
    }
    List<Long> window = acks.stream().filter(t -> t > at - 1_000_000_000L).sorted().toList();
    long until = window.stream().filter(t -> t > at).skip(19).findFirst().orElseThrow();
    long longest = 0;
    long previous = window.get(0);
    for (long t : window) {
      if (t > until) {
        break;
      }
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return Math.max(longest, window.get(0) > at ? window.get(0) - at : 0);
  }
}
