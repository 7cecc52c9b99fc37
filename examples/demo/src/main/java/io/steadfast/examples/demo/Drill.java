package io.steadfast.examples.demo;

import io.steadfast.api.NodeId;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.SteadfastNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's timeline and the checks every application shares, run once for one {@link Scenario}.
 *
 * <p>The timeline: start an embedded three-node cluster, printing every role change; start the
 * users; after a while kill the primary and time the failover; restart the killed node, which
 * rejoins as a backup; move the primary away by a planned switchover and time it; stop the old
 * primary for "maintenance" and start it again; let the users work a little longer, then stop them.
 *
 * <p>The shared checks, for every session: the cluster's record of the session has applied every
 * sequence number the user was answered (else acknowledged work was lost), and the session's
 * replicated resume point is the one the application's resume-point rule gives when folded over
 * every acknowledged command. The scenario adds its own checks through its queries. Failover and
 * switchover times run from the moment the node was killed, or the switchover asked for, to the
 * first command acknowledged once the new primary was ready. Failovers and switchovers are counted
 * from the role changes the nodes report once the cluster has its first primary, so an unplanned
 * failover (an election while the JVM warms up on a busy machine, say) shows too, though only the
 * forced one is timed; the role changes of closing the cluster are neither printed nor counted.
 *
 * <p>Not thread-safe: {@link #run()} is called once, from one thread.
 */
final class Drill<C, R> {

  static final int NODES = 3;

  private static final Duration BEFORE_KILL = Duration.ofSeconds(6);
  private static final Duration BETWEEN_STEPS = Duration.ofSeconds(4);
  private static final Duration AWAIT_SERVICE = Duration.ofSeconds(30);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  private final Scenario<C, R> scenario;
  private final long seed;
  private final int users;
  private final Traffic traffic = new Traffic();
  private final List<SimulatedUser<C, R>> team = new ArrayList<>();
  private final AtomicInteger failovers = new AtomicInteger();
  private final AtomicInteger switchovers = new AtomicInteger();
  private volatile boolean counting;
  private volatile boolean closing;

  Drill(Scenario<C, R> scenario, long seed, int users) {
    this.scenario = scenario;
    this.seed = seed;
    this.users = users;
  }

  /** Runs the timeline and the checks; true if nothing was lost, duplicated or misplaced. */
  boolean run() throws InterruptedException {
    long began = System.nanoTime();
    say(
        "%s: starting an embedded %d-node cluster (seed %d, %d users)",
        scenario.name(), NODES, seed, users);
    EmbeddedCluster.Builder<C, R> builder =
        EmbeddedCluster.<C, R>builder()
            .nodes(NODES)
            .checkpointEvery(500)
            .requestDeadline(Duration.ofSeconds(20))
            .onNode(node -> node.addRoleListener(this::roleChanged));
    scenario.configure(builder);
    Report report;
    try (EmbeddedCluster<C, R> cluster = builder.start()) {
      say("primary is %s", cluster.primary().id());
      counting = true;
      for (Script<C, R> script : scenario.users(seed, users)) {
        team.add(new SimulatedUser<>(script, cluster, scenario.sessionTtl(), traffic));
      }
      team.forEach(SimulatedUser::start);
      say("%d sessions open", team.size());
      long waited = awaitReady();
      say("the users are at work (ready after %.1f s)", waited / 1e9);
      progress(BEFORE_KILL);

      NodeId victim = cluster.primary().id();
      say("killing the primary %s", victim);
      long killed = System.nanoTime();
      // The crash returns only once the engine has closed (most of a second); the new primary is
      // elected meanwhile, so time the failover while the crash is still finishing.
      Thread killer = new Thread(() -> cluster.crash(victim), "demo-kill-" + victim);
      killer.start();
      long failoverMillis = untilServedByNewPrimary(cluster, victim, killed);
      killer.join();
      say(
          "first command acknowledged %d ms after the kill, by the new primary %s",
          failoverMillis, cluster.primary().id());
      progress(BETWEEN_STEPS);
      say(
          "  %d of %d sessions have had commands acknowledged since the kill",
          carriedOn(killed), team.size());

      say("restarting %s; it rejoins as a backup", victim);
      cluster.restart(victim);
      progress(BETWEEN_STEPS);

      NodeId maintained = cluster.primary().id();
      NodeId target =
          cluster.ids().stream().filter(id -> !id.equals(maintained)).findFirst().orElseThrow();
      say("planned switchover from %s to %s for maintenance", maintained, target);
      long switched = System.nanoTime();
      cluster.switchover(target);
      long switchoverMillis = untilServedByNewPrimary(cluster, maintained, switched);
      say("first command acknowledged %d ms after the switchover began", switchoverMillis);
      say("maintenance: stopping %s, then starting it again", maintained);
      cluster.stop(maintained);
      cluster.restart(maintained);
      progress(BETWEEN_STEPS);

      say("stopping the users");
      traffic.stop();
      List<String> stuck = new ArrayList<>();
      for (SimulatedUser<C, R> user : team) {
        if (!user.join(SimulatedUser.SETTLE_AFTER_STOP.plusSeconds(30))) {
          stuck.add(user.script().principal().user());
        }
      }
      say("checking the cluster's state against what the users were told");
      report = check(cluster, failoverMillis, switchoverMillis, stuck);
      closing = true;
      say("closing the cluster");
    }
    report.summary().forEach(line -> say("%s", line));
    say("  (%.1f s in all)", (System.nanoTime() - began) / 1e9);
    System.out.println(
        report
            .result()
            .put("elapsedMillis", Duration.ofNanos(System.nanoTime() - began).toMillis()));
    return report.ok();
  }

  /** The outcome of the checks: lines for a person, the RESULT line, and whether all is well. */
  private record Report(List<String> summary, ResultLine result, boolean ok) {}

  private void roleChanged(RoleChange change) {
    if (closing) {
      return;
    }
    say(
        "  role: %s %s -> %s (%s), epoch %d",
        change.node(), change.from(), change.to(), change.reason(), change.epoch());
    if (!counting) {
      return;
    }
    if (change.to() == Role.PRIMARY && change.reason() == RoleChange.Reason.FAILOVER) {
      failovers.incrementAndGet();
    } else if (change.to() == Role.PRIMARY && change.reason() == RoleChange.Reason.SWITCHOVER) {
      switchovers.incrementAndGet();
    }
  }

  private Report check(
      EmbeddedCluster<C, R> cluster,
      long failoverMillis,
      long switchoverMillis,
      List<String> stuck) {
    long lost = 0;
    long resumed = 0;
    List<String> summary = new ArrayList<>();
    for (SimulatedUser<C, R> user : team) {
      long applied = user.session().appliedSequence();
      if (applied < user.answeredSequence()) {
        lost += user.answeredSequence() - applied;
        summary.add(
            String.format(
                Locale.ROOT,
                "  LOST: session %s applied up to %d but its user was answered up to %d",
                user.session().id(),
                applied,
                user.answeredSequence()));
      }
      ResumePoint actual = user.session().resumePoint();
      if (actual.equals(user.expectedResumePoint())) {
        resumed++;
      } else {
        summary.add(
            String.format(
                Locale.ROOT,
                "  session %s resumed at %s, expected %s",
                user.session().id(),
                actual,
                user.expectedResumePoint()));
      }
      String failure = user.failure();
      if (failure != null) {
        summary.add("  user stopped early: " + user.script().principal().user() + ": " + failure);
      }
    }
    stuck.forEach(user -> summary.add("  user did not stop: " + user));
    long failed = team.stream().filter(user -> user.failure() != null).count() + stuck.size();
    Findings findings = scenario.verify(cluster);
    lost += findings.lost();
    long duplicates = findings.duplicates();
    long primaries = cluster.nodes().stream().filter(SteadfastNode::isPrimary).count();

    summary.add(0, "");
    summary.add(
        1,
        String.format(
            Locale.ROOT,
            "summary (%s): %d users, %d commands acknowledged, %d rejected by business rules",
            scenario.name(),
            team.size(),
            traffic.acknowledged(),
            traffic.rejected()));
    summary.add(
        2,
        String.format(
            Locale.ROOT,
            "  failovers: %d (1 forced by killing the primary), first acknowledgement %d ms after"
                + " the kill; switchovers: %d, first acknowledgement %d ms after it began; %d"
                + " primary now",
            failovers.get(),
            failoverMillis,
            switchovers.get(),
            switchoverMillis,
            primaries));
    findings.notes().forEach(line -> summary.add("  " + line));
    summary.add(
        String.format(
            Locale.ROOT,
            "  lost acknowledged: %d, applied twice: %d, sessions resumed at position: %d of %d",
            lost,
            duplicates,
            resumed,
            team.size()));
    ResultLine result =
        new ResultLine()
            .put("app", scenario.name())
            .put("nodes", NODES)
            .put("sessions", team.size())
            .put("commandsAcknowledged", traffic.acknowledged())
            .put("commandsRejected", traffic.rejected())
            .put("failovers", failovers.get())
            .put("switchovers", switchovers.get())
            .put("lostAcknowledged", lost)
            .put("duplicatesApplied", duplicates)
            .put("sessionsResumedAtPosition", resumed)
            .put("maxFailoverMillis", failoverMillis)
            .put("maxSwitchoverMillis", switchoverMillis)
            .put("usersFailed", failed)
            .putAll(findings.counts())
            .put("seed", seed);
    return new Report(
        summary, result, lost == 0 && duplicates == 0 && resumed == team.size() && failed == 0);
  }

  /** Waits until the scenario is ready; returns how long that took, in nanoseconds. */
  private long awaitReady() {
    long start = System.nanoTime();
    long end = start + AWAIT_SERVICE.toNanos();
    while (!scenario.ready()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(scenario.name() + " not ready within " + AWAIT_SERVICE);
      }
      Pause.pause(Duration.ofMillis(50));
    }
    return System.nanoTime() - start;
  }

  /**
   * Milliseconds from {@code sinceNanos} to the first command acknowledged after a node other than
   * {@code former} became a ready primary.
   */
  private long untilServedByNewPrimary(
      EmbeddedCluster<C, R> cluster, NodeId former, long sinceNanos) {
    long end = sinceNanos + AWAIT_SERVICE.toNanos();
    long readyAt = 0;
    while (readyAt == 0 || traffic.lastAckNanos() <= readyAt) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "no command acknowledged by a new primary within " + AWAIT_SERVICE);
      }
      if (readyAt == 0
          && cluster.nodes().stream()
              .anyMatch(node -> node.isPrimary() && !node.id().equals(former))) {
        readyAt = System.nanoTime();
      }
      Pause.pause(Duration.ofMillis(1));
    }
    return Duration.ofNanos(traffic.lastAckNanos() - sinceNanos).toMillis();
  }

  private long carriedOn(long sinceNanos) {
    return team.stream().filter(user -> user.lastAckNanos() > sinceNanos).count();
  }

  private void progress(Duration period) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      Pause.pause(PROGRESS_EVERY);
      say("  ... %d commands acknowledged, %s", traffic.acknowledged(), scenario.progress());
    }
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
