package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The dead-primary watch's decisions, driven with a scripted node and prober (no threads). */
class DeadPrimaryWatchTest {

  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final long MS = 1_000_000L;

  /** A backup whose primary and silence the test sets. */
  private static final class FakeHost implements DeadPrimaryWatch.Host {
    boolean backup = true;
    boolean candidate = false;
    @Nullable NodeId primary = N1;
    Duration silent = Duration.ZERO;
    long epoch = 4;
    final List<NodeId> campaigns = new ArrayList<>();

    @Override
    public boolean isBackup() {
      return backup;
    }

    @Override
    public boolean isVoterNotLeading() {
      return backup || candidate;
    }

    /** What the watch asked of the engine, in order: "reconnect n3", "campaign n1". */
    final List<String> engineCalls = new ArrayList<>();

    CompletableFuture<?> rebuilt = CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<?> reconnect(NodeId member) {
      engineCalls.add("reconnect " + member);
      return rebuilt;
    }

    @Override
    public Optional<NodeId> primary() {
      return Optional.ofNullable(primary);
    }

    @Override
    public @Nullable Duration sinceLastContact() {
      return silent;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    @Override
    public Optional<InetSocketAddress> journalAddress(NodeId member) {
      return Optional.of(InetSocketAddress.createUnresolved(member.value(), 1));
    }

    List<NodeId> members = List.of(N1, N2, N3);

    @Override
    public List<NodeId> members() {
      return members;
    }

    final List<DeadPrimaryWatch.Noticed> noticed = new ArrayList<>();

    /** This node's journal end; every other member answers with {@link #theirs} by default. */
    DeadPrimaryWatch.@Nullable JournalEnd mine = new DeadPrimaryWatch.JournalEnd(4, 100);

    final java.util.Map<NodeId, CompletableFuture<DeadPrimaryWatch.JournalEnd>> theirs =
        new java.util.HashMap<>();
    final List<NodeId> asked = new ArrayList<>();

    /** Answers given first, in order, to whoever is asked. */
    final java.util.ArrayDeque<CompletableFuture<DeadPrimaryWatch.JournalEnd>> nextAnswers =
        new java.util.ArrayDeque<>();

    @Override
    public DeadPrimaryWatch.@Nullable JournalEnd journalEnd() {
      return mine;
    }

    final List<NodeId> reached = new ArrayList<>();
    CompletableFuture<?> reachAnswer = CompletableFuture.completedFuture("v1");

    @Override
    public CompletableFuture<?> keepInReach(NodeId member) {
      reached.add(member);
      return reachAnswer;
    }

    @Override
    public CompletableFuture<DeadPrimaryWatch.JournalEnd> askJournalEnd(NodeId member) {
      asked.add(member);
      CompletableFuture<DeadPrimaryWatch.JournalEnd> next = nextAnswers.poll();
      if (next != null) {
        return next;
      }
      return theirs.getOrDefault(
          member, CompletableFuture.completedFuture(new DeadPrimaryWatch.JournalEnd(4, 100)));
    }

    @Override
    public boolean campaign(NodeId formerPrimary, DeadPrimaryWatch.Noticed how) {
      campaigns.add(formerPrimary);
      engineCalls.add("campaign " + formerPrimary);
      noticed.add(how);
      return true;
    }
  }

  private final List<InetSocketAddress> probed = new ArrayList<>();
  private DeadPrimaryWatch.Probe answer = DeadPrimaryWatch.Probe.REFUSED;

  private DeadPrimaryWatch watch(NodeId self, FakeHost host) {
    return new DeadPrimaryWatch(
        self,
        host,
        (address, timeout) -> {
          probed.add(address);
          return answer;
        },
        Duration.ofMillis(100),
        Duration.ofMillis(75),
        Duration.ofSeconds(5),
        Duration.ofMillis(10));
  }

  @Test
  void aPrimaryThatStillTalks_isNotProbed() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(60);
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(probed).isEmpty();
      assertThat(host.campaigns).isEmpty();
    }
  }

  @Test
  void theFirstBackupInIdOrder_standsAtOnce_whenThePrimarysPortRefuses() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(probed).hasSize(1);
      assertThat(probed.get(0).getHostString()).isEqualTo("n1");
      assertThat(host.campaigns).containsExactly(N1);
    }
  }

  @Test
  void aFrozenOrUnreachablePrimary_isLeftToTheElectionTimeout() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(500);
    answer = DeadPrimaryWatch.Probe.NOT_REFUSED;
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      for (long t = 10_000; t < 12_000; t += 10) {
        watch.check(t * MS);
      }
      assertThat(host.campaigns).isEmpty();
      // Probed at most once per suspicion interval, not on every check.
      assertThat(probed).hasSizeBetween(15, 21);
    }
  }

  @Test
  void aConnectionEnding_probesThePrimaryAtOnce_beforeItFallsSilent() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(20);
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(probed).as("not silent long enough for the regular check").isEmpty();
      watch.checkAfterConnectionEnded(10_001 * MS);
      assertThat(probed).hasSize(1);
      assertThat(host.campaigns).containsExactly(N1);
      assertThat(host.noticed).containsExactly(DeadPrimaryWatch.Noticed.CONNECTION_ENDED);
    }
  }

  @Test
  void aConnectionEnding_whileThePrimaryListens_changesNothing_andIsRateLimited() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(20);
    answer = DeadPrimaryWatch.Probe.NOT_REFUSED;
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      assertThat(watch.checkAfterConnectionEnded(10_000 * MS)).as("worth asking again").isFalse();
      watch.checkAfterConnectionEnded(10_005 * MS);
      assertThat(probed).as("one probe per interval").hasSize(1);
      watch.checkAfterConnectionEnded(10_011 * MS);
      assertThat(probed).hasSize(2);
      assertThat(host.campaigns).isEmpty();
      assertThat(watch.foundDead(N1)).isFalse();
      // The regular check is not held back by these probes once the primary falls silent.
      host.silent = Duration.ofMillis(120);
      answer = DeadPrimaryWatch.Probe.REFUSED;
      watch.check(10_012 * MS);
      assertThat(host.campaigns).containsExactly(N1);
      assertThat(host.noticed).containsExactly(DeadPrimaryWatch.Noticed.SILENCE);
    }
  }

  @Test
  void aConnectionEnding_onThePrimaryOrWithoutAPrimary_probesNothing() {
    FakeHost host = new FakeHost();
    try (DeadPrimaryWatch watch = watch(N1, host)) {
      watch.checkAfterConnectionEnded(10_000 * MS);
    }
    host.primary = null;
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.checkAfterConnectionEnded(10_000 * MS);
    }
    assertThat(probed).isEmpty();
  }

  @Test
  void aPrimaryFoundDead_staysSo_untilAnotherIsKnownOrItListensAgain() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    try (DeadPrimaryWatch watch = watch(N3, host)) {
      assertThat(watch.foundDead(N1)).isFalse();
      watch.check(10_000 * MS);
      assertThat(watch.foundDead(N1)).as("its port refused").isTrue();
      assertThat(watch.foundDead(N2)).isFalse();
      host.epoch = 5;
      host.primary = N2;
      host.silent = Duration.ofMillis(5);
      watch.check(10_050 * MS);
      assertThat(watch.foundDead(N1)).as("another primary is known").isFalse();
    }
    FakeHost again = new FakeHost();
    again.silent = Duration.ofMillis(120);
    try (DeadPrimaryWatch watch = watch(N3, again)) {
      watch.check(10_000 * MS);
      assertThat(watch.foundDead(N1)).isTrue();
      // A new term, no new primary yet: its turn to stand is dropped, and it probes again.
      again.epoch = 5;
      watch.check(10_050 * MS);
      answer = DeadPrimaryWatch.Probe.NOT_REFUSED;
      watch.check(10_200 * MS);
      assertThat(watch.foundDead(N1)).as("it listens again (restarted)").isFalse();
    }
  }

  @Test
  void theSecondBackup_waitsItsTurn_andStandsDownWhenTheFirstWasElected() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    try (DeadPrimaryWatch watch = watch(N3, host)) {
      watch.check(10_000 * MS);
      assertThat(host.campaigns).isEmpty();
      watch.check(10_050 * MS);
      assertThat(host.campaigns).isEmpty();
      // n2 won: a new epoch and primary.
      host.epoch = 5;
      host.primary = N2;
      host.silent = Duration.ofMillis(5);
      watch.check(10_100 * MS);
      assertThat(host.campaigns).isEmpty();
    }
  }

  @Test
  void theSecondBackup_standsAfterItsTurn_whenNobodyElseDid() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    try (DeadPrimaryWatch watch = watch(N3, host)) {
      watch.check(10_000 * MS);
      watch.check(10_070 * MS);
      assertThat(host.campaigns).isEmpty();
      watch.check(10_080 * MS);
      assertThat(host.campaigns).containsExactly(N1);
    }
  }

  @Test
  void theBackupWhoseJournalEndsFurther_standsAtOnce_thoughLaterInIdOrder() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    host.theirs.put(N2, CompletableFuture.completedFuture(new DeadPrimaryWatch.JournalEnd(4, 99)));
    try (DeadPrimaryWatch watch = watch(N3, host)) {
      watch.check(10_000 * MS);
      assertThat(host.asked).containsExactly(N2);
      assertThat(host.campaigns).containsExactly(N1);
    }
  }

  @Test
  void aBackupThatCannotWinWithoutTheVoteOfOneWhoseJournalEndsFurther_leavesTheElectionToIt() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    // A later term counts before a higher index, as the engine compares logs.
    host.mine = new DeadPrimaryWatch.JournalEnd(3, 180);
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(host.asked).containsExactly(N3);
      assertThat(host.campaigns).as("n3 would refuse its vote").isEmpty();
      // Not even after its turn: with the primary gone, n2 needs n3's vote, which it cannot get.
      // Standing would only take n2's own vote away from n3's election.
      for (long t = 10_010; t <= 10_500; t += 10) {
        watch.check(t * MS);
      }
      assertThat(host.campaigns).isEmpty();
      // Nor is the election asked again when more connections end or n3 asks.
      assertThat(watch.checkAfterConnectionEnded(10_510 * MS)).isTrue();
      assertThat(watch.checkAfterConnectionEnded(10_530 * MS, DeadPrimaryWatch.Noticed.PEER_ASKED))
          .isTrue();
      assertThat(host.asked).containsExactly(N3);
    }
  }

  @Test
  void aBackupBehindOneMember_butWithEnoughOtherVotes_standsAfterItsTurn() {
    NodeId n4 = NodeId.of("n4");
    NodeId n5 = NodeId.of("n5");
    FakeHost host = new FakeHost();
    host.members = List.of(N1, N2, N3, n4, n5);
    host.silent = Duration.ofMillis(120);
    host.theirs.put(N3, CompletableFuture.completedFuture(new DeadPrimaryWatch.JournalEnd(4, 101)));
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(host.asked).containsExactly(N3, n4, n5);
      assertThat(host.campaigns).as("n3 goes first").isEmpty();
      watch.check(10_070 * MS);
      assertThat(host.campaigns).isEmpty();
      // n2, n4 and n5 make a majority of five: n2 may win without n3, so it stands after its turn.
      watch.check(10_080 * MS);
      assertThat(host.campaigns).containsExactly(N1);
    }
  }

  @Test
  void aBackupThatDoesNotAnswerInTime_orFails_goesInIdOrder() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    host.theirs.put(N3, new CompletableFuture<>());
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(host.campaigns).containsExactly(N1);
    }
    FakeHost other = new FakeHost();
    other.silent = Duration.ofMillis(120);
    other.theirs.put(N2, CompletableFuture.failedFuture(new IllegalStateException("old release")));
    try (DeadPrimaryWatch watch = watch(N3, other)) {
      watch.check(10_000 * MS);
      assertThat(other.campaigns).isEmpty();
    }
  }

  @Test
  void aQuestionThatFailsAtOnce_isAskedOnceMore() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(120);
    host.nextAnswers.add(
        CompletableFuture.failedFuture(new IllegalStateException("stream closed")));
    host.nextAnswers.add(CompletableFuture.completedFuture(new DeadPrimaryWatch.JournalEnd(4, 99)));
    try (DeadPrimaryWatch watch = watch(N3, host)) {
      watch.check(10_000 * MS);
      assertThat(host.asked).containsExactly(N2, N2);
      assertThat(host.campaigns)
          .as("n2's journal is shorter, learnt at the second question")
          .containsExactly(N1);
    }
  }

  @Test
  void aPeerFindingThePrimaryDead_makesThisBackupProbeAtOnce() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(5);
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.checkAfterConnectionEnded(10_000 * MS, DeadPrimaryWatch.Noticed.PEER_ASKED);
      assertThat(probed).hasSize(1);
      assertThat(host.campaigns).containsExactly(N1);
      assertThat(host.noticed).containsExactly(DeadPrimaryWatch.Noticed.PEER_ASKED);
    }
  }

  @Test
  void aBackup_keepsItsConnectionsToTheOtherBackupsOpen() {
    FakeHost host = new FakeHost();
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(host.reached).containsExactly(N3);
      watch.check(10_500 * MS);
      assertThat(host.reached).as("once a second").hasSize(1);
      watch.check(11_000 * MS);
      assertThat(host.reached).hasSize(2);
      // Under a new primary, at once.
      host.primary = N3;
      watch.check(11_010 * MS);
      assertThat(host.reached).containsExactly(N3, N3, N1);
      // After a failed question, again after 200 ms.
      host.reachAnswer = CompletableFuture.failedFuture(new IllegalStateException("closed"));
      watch.check(12_010 * MS);
      host.reachAnswer = CompletableFuture.completedFuture("v1");
      watch.check(12_110 * MS);
      assertThat(host.reached).hasSize(4);
      watch.check(12_210 * MS);
      assertThat(host.reached).hasSize(5);
      watch.check(12_300 * MS);
      assertThat(host.reached).hasSize(5);
      // Never a second question while one is unanswered.
      CompletableFuture<String> unanswered = new CompletableFuture<>();
      host.reachAnswer = unanswered;
      watch.check(13_300 * MS);
      watch.check(14_300 * MS);
      assertThat(host.reached).hasSize(6);
      unanswered.complete("v1");
      watch.check(14_310 * MS);
      assertThat(host.reached).hasSize(7);
      // The primary lost: no questions added to the election, the schedule goes on, and then the
      // former primary is asked too.
      host.primary = null;
      watch.check(14_320 * MS);
      assertThat(host.reached).hasSize(7);
      watch.check(15_310 * MS);
      assertThat(host.reached).hasSize(9).endsWith(N1, N3);
    }
  }

  @Test
  void aMemberThatStaysDown_isAskedLessOften_butAtLeastOnceASecond() {
    FakeHost host = new FakeHost();
    host.reachAnswer = CompletableFuture.failedFuture(new IllegalStateException("refused"));
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      List<Long> askedAt = new ArrayList<>();
      for (long t = 10_000; t <= 13_500; t += 10) {
        int before = host.reached.size();
        watch.check(t * MS);
        if (host.reached.size() > before) {
          askedAt.add(t);
        }
      }
      // 200 ms after the first failure, then 400, 800, then once a second.
      assertThat(askedAt).containsExactly(10_000L, 10_200L, 10_600L, 11_400L, 12_400L, 13_400L);
    }
  }

  @Test
  void aMemberThatAnswersAgainAfterAFailedQuestion_hasItsEngineChannelBuiltAnew_once() {
    FakeHost host = new FakeHost();
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(host.engineCalls).as("a member that always answered").isEmpty();
      host.reachAnswer = CompletableFuture.failedFuture(new IllegalStateException("refused"));
      watch.check(11_000 * MS);
      watch.check(11_200 * MS);
      assertThat(host.engineCalls).as("while it is down").isEmpty();
      host.reachAnswer = CompletableFuture.completedFuture("v1");
      watch.check(11_600 * MS);
      assertThat(host.engineCalls).containsExactly("reconnect n3");
      watch.check(12_600 * MS);
      watch.check(13_600 * MS);
      assertThat(host.engineCalls).as("only after a failure").containsExactly("reconnect n3");
    }
  }

  @Test
  void aCandidateWithoutAPrimary_keepsEveryOtherMemberInReach() {
    FakeHost host = new FakeHost();
    host.primary = null;
    host.backup = false;
    host.candidate = true;
    host.reachAnswer = CompletableFuture.failedFuture(new IllegalStateException("refused"));
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      assertThat(host.reached).containsExactly(N1, N3);
      host.reachAnswer = CompletableFuture.completedFuture("v1");
      watch.check(10_200 * MS);
      assertThat(host.reached).containsExactly(N1, N3, N1, N3);
      // Both came back during the election: the vote requests that follow reach them at once.
      assertThat(host.engineCalls).containsExactly("reconnect n1", "reconnect n3");
      assertThat(host.campaigns).isEmpty();
    }
    FakeHost primary = new FakeHost();
    primary.backup = false;
    try (DeadPrimaryWatch watch = watch(N1, primary)) {
      watch.check(10_000 * MS);
      assertThat(primary.reached).as("the primary asks nobody").isEmpty();
    }
  }

  @Test
  void aBackupWhoseQuestionFailedAtOnce_rebuildsThatChannel_beforeItStands() {
    FakeHost host = new FakeHost();
    host.nextAnswers.add(CompletableFuture.failedFuture(new IllegalStateException("closed")));
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      assertThat(watch.checkAfterConnectionEnded(10_000 * MS)).isTrue();
      assertThat(host.asked).containsExactly(N3, N3);
      assertThat(host.engineCalls).containsExactly("reconnect n3", "campaign n1");
    }
  }

  @Test
  void aRebuildThatDoesNotFinish_delaysTheElectionOnlyBriefly() {
    FakeHost host = new FakeHost();
    host.rebuilt = new CompletableFuture<>();
    host.nextAnswers.add(CompletableFuture.failedFuture(new IllegalStateException("closed")));
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      long started = System.nanoTime();
      assertThat(watch.checkAfterConnectionEnded(10_000 * MS)).isTrue();
      // Waited a third of the stagger (25 ms here) for the old channel to close, then stood.
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(25 * MS);
      assertThat(host.engineCalls).containsExactly("reconnect n3", "campaign n1");
    }
  }

  @Test
  void atMostOneElectionPerQuietPeriod() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(300);
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
      for (long t = 10_010; t < 14_900; t += 10) {
        watch.check(t * MS);
      }
      assertThat(host.campaigns).hasSize(1);
      watch.check(15_100 * MS);
      assertThat(host.campaigns).hasSize(2);
    }
  }

  @Test
  void thePrimaryItself_andANodeWithoutAPrimary_doNothing() {
    FakeHost host = new FakeHost();
    host.silent = Duration.ofMillis(300);
    host.backup = false;
    try (DeadPrimaryWatch watch = watch(N1, host)) {
      watch.check(10_000 * MS);
    }
    host.backup = true;
    host.primary = null;
    try (DeadPrimaryWatch watch = watch(N2, host)) {
      watch.check(10_000 * MS);
    }
    assertThat(probed).isEmpty();
    assertThat(host.campaigns).isEmpty();
  }

  @Test
  void aRealClosedPort_isRefused_andAListeningOne_isNot() throws Exception {
    try (java.net.ServerSocket open =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      InetSocketAddress listening =
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), open.getLocalPort());
      assertThat(DeadPrimaryWatch.tcpProbe(listening, Duration.ofMillis(500)))
          .isEqualTo(DeadPrimaryWatch.Probe.NOT_REFUSED);
    }
    int closed;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertThat(
            DeadPrimaryWatch.tcpProbe(
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), closed),
                Duration.ofMillis(500)))
        .isEqualTo(DeadPrimaryWatch.Probe.REFUSED);
  }
}
