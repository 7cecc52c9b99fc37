package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionExpiredException;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.StateDigest;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs the one cluster scenario every cluster rule is judged on: a three-node embedded cluster
 * built from the vendor's factory and codec, the workload's users as concurrent sessions, and the
 * seeded {@link FaultSchedule} injected one fault at a time while they work. Then the load stops,
 * the replicas must converge, and the final states are fingerprinted.
 *
 * <p>The cluster checkpoints every {@value #CHECKPOINT_EVERY} journal entries with 64 KiB journal
 * segments, so that checkpoints (and crashes during them) happen often and a node left behind
 * soon finds the journal purged past it. Leader time starts at {@link Trace#START}, as in the
 * pure rules' traces.
 *
 * <p>Used from one thread.
 */
final class ClusterScenario<C, R> {

  static final int CHECKPOINT_EVERY = 40;
  private static final long SEGMENT_BYTES = 64 * 1024;
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final Duration PROGRESS = Duration.ofSeconds(60);
  private static final Duration CONVERGENCE = Duration.ofSeconds(30);
  private static final Duration EXPIRY_TTL = Duration.ofSeconds(1);

  private final CheckContext<C, R> context;
  private final CommandCodec<C, R> codec;
  private final Workload<C, R> workload;
  private final History<C, R> history = new History<>();
  private final Map<String, Integer> incarnations = new ConcurrentHashMap<>();
  private final IdentityHashMap<SteadfastNode<C, R>, Integer> incarnationOf =
      new IdentityHashMap<>();
  private final long deadline;
  private @Nullable EmbeddedCluster<C, R> cluster;
  private @Nullable Session<C, R> expirySession;

  private ClusterScenario(CheckContext<C, R> context) {
    this.context = context;
    this.codec = context.codec();
    this.workload = context.workload();
    // Leave a fifth of the rule's time limit for stopping, converging and judging.
    this.deadline = System.nanoTime() + context.settings().ruleTimeout().toNanos() * 4 / 5;
  }

  /** Runs the scenario for {@code context}; never throws for a misbehaving cluster. */
  static <C, R> History<C, R> run(CheckContext<C, R> context) throws InterruptedException {
    return new ClusterScenario<>(context).execute();
  }

  private History<C, R> execute() throws InterruptedException {
    long seed = context.settings().seed();
    history.schedule = FaultSchedule.generate(seed, context.settings().isDeep());
    ExitTimings timings = new ExitTimings(context.newApplication().budgets());
    history.timings = timings;
    Observations<C> observations = history.observations;
    FaultHooks hooks = new FaultHooks();
    history.event("start a 3-node cluster; " + history.schedule);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "steadfast-certify-sampler");
      t.setDaemon(true);
      return t;
    });
    long begin = System.nanoTime();
    try {
      cluster = EmbeddedCluster.<C, R>builder()
          .nodes(3)
          .application(() -> new ObservedApplication<>(context.newApplication(), codec,
              observations, timings, hooks))
          .codec(codec)
          .checkpointEvery(CHECKPOINT_EVERY)
          .segmentSize(SEGMENT_BYTES)
          .requestDeadline(DEADLINE)
          .clock(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Trace.START)))
          .onNode(node -> node.addRoleListener(observations::delivered))
          .start();
      history.event("primary " + cluster.primary().id());
      int[] tick = {0};
      var unused =
          sampler.scheduleAtFixedRate(() -> sample(tick[0]++ % 5 == 0), 50, 100, TimeUnit.MILLISECONDS);
      LoadDriver<C, R> load = new LoadDriver<>(cluster, codec, workload, observations, seed);
      history.load = load;
      load.start();
      if (!awaitAcks(20)) {
        history.abortedBecause = "the load acknowledged fewer than 20 commands within "
            + PROGRESS.toSeconds() + " s";
        return history;
      }
      int number = 0;
      for (FaultSchedule.Fault fault : history.schedule.faults()) {
        number++;
        if (System.nanoTime() > deadline) {
          history.abortedBecause = "out of time before fault " + number + " of "
              + history.schedule.faults().size();
          break;
        }
        if (!awaitAcks(fault.afterAcks())) {
          history.abortedBecause = "the load stopped making progress before fault " + number;
          break;
        }
        inject(number, fault, hooks);
      }
      restartStopped();
      long tail = load.acknowledged();
      awaitAcks(20);
      history.event("faults over; load acknowledged " + (load.acknowledged() - tail)
          + " more commands");
      long faultsOver = System.nanoTime();
      load.stop();
      history.event("load stopped after " + load.acknowledged() + " acknowledged commands");
      converge(faultsOver);
      checkExpiryAgain();
      quietResends();
      finalState();
    } catch (RuntimeException e) {
      history.abortedBecause = "the scenario broke off: " + e;
      history.event("broke off: " + e);
    } finally {
      sampler.shutdownNow();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      if (history.load != null) {
        history.load.stop();
      }
      timings.close();
      if (cluster != null) {
        try {
          cluster.close();
        } catch (RuntimeException e) {
          history.event("closing the cluster failed: " + e);
        }
      }
      history.durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      writeTimeline();
    }
    return history;
  }

  private EmbeddedCluster<C, R> cluster() {
    if (cluster == null) {
      throw new IllegalStateException("no cluster");
    }
    return cluster;
  }

  // ---------------------------------------------------------------- faults

  private void inject(int number, FaultSchedule.Fault fault, FaultHooks hooks)
      throws InterruptedException {
    restartStopped();
    switch (fault.kind()) {
      case SWITCHOVER -> switchover(number, fault);
      case CRASH -> crash(number, fault, hooks, null);
      case CRASH_IN_APPLY -> crash(number, fault, hooks, FaultHooks.Place.APPLY);
      case CRASH_IN_CHECKPOINT -> crash(number, fault, hooks, FaultHooks.Place.CHECKPOINT);
      case LAG_AND_REJOIN -> lagAndRejoin(fault);
      case EXPIRE_SESSION -> expire();
      case WRITE_TO_BACKUPS -> writeToBackups();
    }
  }

  private void switchover(int number, FaultSchedule.Fault fault) {
    EmbeddedCluster<C, R> c = cluster();
    LoadDriver<C, R> load = history.load();
    SteadfastNode<C, R> from = c.primary();
    List<NodeId> backups = c.ids().stream().filter(id -> !id.equals(from.id())).sorted().toList();
    NodeId target = backups.get(fault.choice() % backups.size());
    History.FaultRecord record =
        new History.FaultRecord(number, fault.kind(), from.id().value(), load.acknowledged());
    record.positionBefore = from.appliedPosition();
    long start = System.nanoTime();
    try {
      c.switchover(target);
      record.to = c.primary().id().value();
      record.completed = record.to.equals(target.value());
      if (!record.completed) {
        record.detail = "asked for " + target + ", primary is " + record.to;
      }
    } catch (SteadfastException e) {
      record.detail = "switchover to " + target + " failed: " + e.getMessage();
    }
    finish(record, start);
  }

  private void crash(int number, FaultSchedule.Fault fault, FaultHooks hooks,
      FaultHooks.@Nullable Place place) throws InterruptedException {
    EmbeddedCluster<C, R> c = cluster();
    LoadDriver<C, R> load = history.load();
    SteadfastNode<C, R> victim = c.primary();
    boolean placed = false;
    if (place != null) {
      CountDownLatch entered = hooks.arm(place, victim.id().value(), victim::stopped);
      placed = entered.await(10, TimeUnit.SECONDS);
      if (!placed) {
        hooks.disarm();
      }
    }
    History.FaultRecord record =
        new History.FaultRecord(number, fault.kind(), victim.id().value(), load.acknowledged());
    record.placedInExitPoint = placed;
    record.victimWasPrimary = victim.isPrimary();
    if (!record.victimWasPrimary) {
      record.detail = "an election had already moved the primary away from " + victim.id();
    }
    long start = System.nanoTime();
    c.crash(victim.id());
    Position before = victim.appliedPosition();
    try {
      SteadfastNode<C, R> successor = c.primary();
      record.to = successor.id().value();
      record.completed = !successor.id().equals(victim.id());
    } catch (SteadfastException e) {
      record.detail = "no new primary: " + e.getMessage();
    }
    if (place != null && !placed) {
      record.detail += (record.detail.isEmpty() ? "" : "; ") + "no " + place + " call came within 10 s; crashed between calls instead";
    }
    finish(record, start);
    awaitAcks(fault.restartAfterAcks());
    restart(victim.id(), before);
  }

  private void finish(History.FaultRecord record, long start) {
    record.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    record.generation = history.load().faultInjected();
    history.faults.add(record);
    history.event(record.toString());
  }

  private void restart(NodeId id, Position before) {
    incarnations.merge(id.value(), 1, Integer::sum);
    cluster().restart(id);
    history.restarts.add(new History.Restart(id.value(), before));
    history.event("restarted " + id + " (it had applied " + before + ")");
  }

  private void restartStopped() {
    for (SteadfastNode<C, R> node : cluster().nodes()) {
      if (node.stopped()) {
        restart(node.id(), node.appliedPosition());
      }
    }
  }

  private void lagAndRejoin(FaultSchedule.Fault fault) {
    EmbeddedCluster<C, R> c = cluster();
    History.Rejoin rejoin = new History.Rejoin();
    history.rejoins.add(rejoin);
    SteadfastNode<C, R> primary = c.primary();
    List<NodeId> backups = c.ids().stream().filter(id -> !id.equals(primary.id())).sorted().toList();
    NodeId lagging = backups.get(fault.choice() % backups.size());
    rejoin.node = lagging.value();
    rejoin.behindIndex = c.node(lagging).status().appliedIndex();
    Position before = c.node(lagging).appliedPosition();
    long start = System.nanoTime();
    c.stop(lagging);
    history.event("stopped " + lagging + " at journal index " + rejoin.behindIndex
        + "; waiting for the journal to be purged past it");
    rejoin.logPurged = poll(Duration.ofSeconds(90), () -> purgedPast(rejoin.behindIndex));
    if (!rejoin.logPurged) {
      rejoin.detail = "the primary's journal was not purged past index " + rejoin.behindIndex
          + " within 90 s";
    }
    long restartedAt = System.nanoTime();
    restart(lagging, before);
    rejoin.rejoinedByInstall = poll(Duration.ofSeconds(60), () -> history.observations.delivered()
        .stream().anyMatch(e -> e.nanos() > restartedAt && e.change().node().equals(lagging)
            && e.change().reason() == RoleChange.Reason.REJOIN));
    rejoin.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    history.event("rejoin of " + lagging + ": " + (rejoin.rejoinedByInstall
        ? "installed a checkpoint (REJOIN)" : "no REJOIN within 60 s") + " " + rejoin.detail);
  }

  /** Whether the primary's journal now starts after {@code index} (older entries were purged). */
  private boolean purgedPast(long index) {
    try {
      return cluster().primary().status().journalStartIndex() > index + 1;
    } catch (SteadfastException e) {
      return false;
    }
  }

  private void expire() {
    EmbeddedCluster<C, R> c = cluster();
    History.Expiry expiry = history.expiry;
    int user = 1_000_000;
    Principal principal = workload.principal(user);
    UserScript<C, R> script = workload.newUser(user, context.settings().seed() ^ 0xE1E1L);
    Optional<C> first = nextJournaled(principal, script, null);
    if (first.isEmpty()) {
      expiry.detail = "the workload's user " + user + " has no command to journal";
      return;
    }
    expiry.session = SessionId.of("certify-expiry");
    expiry.ttlMillis = EXPIRY_TTL.toMillis();
    Map<Long, C> submitted = new TreeMap<>();
    history.ownSessions.put(expiry.session, submitted);
    Session<C, R> session;
    try {
      session = c.client().openSession(expiry.session, principal, EXPIRY_TTL);
      expiry.opened = true;
      submitted.put(1L, first.get());
      R result = null;
      try {
        result = session.execute(first.get());
      } catch (io.steadfast.api.CommandRejectedException rejected) {
        // a rejection is an outcome too: the session was active
      }
      long idleSince = System.nanoTime();
      expiry.expired = poll(Duration.ofSeconds(30), () -> {
        try {
          session.appliedSequence();
          return false;
        } catch (SessionExpiredException e) {
          return true;
        } catch (SteadfastException e) {
          return false;
        }
      });
      expiry.expiredAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
      // The user's next command, or its first again if it has no other: either must be refused.
      C second = nextJournaled(principal, script, result).orElse(first.get());
      try {
        session.execute(second);
        expiry.nextRequest = "accepted";
      } catch (SteadfastException e) {
        expiry.nextRequest = e.getClass().getSimpleName();
      }
      expirySession = session;
      expiry.generation = history.load().faultInjected();
    } catch (SteadfastException e) {
      expiry.detail = "the probe failed: " + e;
    }
    history.event("session expiry probe: expired=" + expiry.expired + " after "
        + expiry.expiredAfterMillis + " ms idle, next request: " + expiry.nextRequest);
  }

  private Optional<C> nextJournaled(Principal principal, UserScript<C, R> script, @Nullable R last) {
    R previous = last;
    for (int i = 0; i < 20; i++) {
      Optional<C> next = script.next(previous);
      if (next.isEmpty() || !workload.isQuery(next.get())) {
        return next;
      }
      try {
        previous = cluster().primary().query(principal, next.get());
      } catch (SteadfastException e) {
        previous = null;
      }
    }
    return Optional.empty();
  }

  private void checkExpiryAgain() {
    Session<C, R> session = expirySession;
    if (session == null) {
      return;
    }
    try {
      session.appliedSequence();
      history.expiry.afterLaterFault = "open";
    } catch (SessionExpiredException e) {
      history.expiry.afterLaterFault = "expired";
    } catch (SteadfastException e) {
      history.expiry.afterLaterFault = e.getClass().getSimpleName();
    }
    history.expiry.callsRecorded =
        history.observations.ofSession(history.expiry.session).size();
  }

  private void writeToBackups() throws InterruptedException {
    EmbeddedCluster<C, R> c = cluster();
    LoadDriver<C, R> load = history.load();
    History.BackupProbe probe = new History.BackupProbe();
    history.backupProbes.add(probe);
    if (!load.pause(Duration.ofSeconds(60))) {
      probe.violations.add("the load could not be paused; nothing decided");
      load.resume();
      return;
    }
    try {
      probe.quiet = poll(Duration.ofSeconds(20), this::caughtUp);
      Map<String, StateDigest> before = digests();
      SteadfastNode<C, R> primary = c.primary();
      Principal principal = workload.principal(0);
      for (SteadfastNode<C, R> node : c.nodes()) {
        if (node.id().equals(primary.id()) || node.stopped()) {
          continue;
        }
        try {
          node.openSession(principal);
          probe.violations.add(node.id() + " (a backup) opened a session");
        } catch (NotPrimaryException e) {
          Optional<NodeId> suggested = e.suggestedPrimary();
          if (suggested.isPresent() && !suggested.get().equals(primary.id())) {
            probe.violations.add(node.id() + " refused but suggested " + suggested.get()
                + " while the primary is " + primary.id());
          } else {
            probe.refusals.add(node.id() + " refused a session"
                + suggested.map(s -> ", suggesting " + s).orElse(""));
          }
        } catch (SteadfastException e) {
          probe.violations.add(node.id() + " (a backup) failed with " + e
              + " instead of NotPrimaryException");
        }
      }
      Map<String, StateDigest> after = digests();
      if (!before.equals(after)) {
        probe.violations.add("state changed during the attempts: before " + before + ", after "
            + after);
      }
    } finally {
      load.resume();
    }
    history.event("writes to backups: " + probe.refusals + " " + probe.violations);
  }

  // ---------------------------------------------------------------- end of the run

  private boolean caughtUp() {
    List<NodeStatus> statuses = cluster().status();
    long commit = statuses.stream().mapToLong(NodeStatus::commitIndex).max().orElse(-1);
    return statuses.size() == cluster().ids().size()
        && statuses.stream().allMatch(s -> s.appliedIndex() == commit);
  }

  private Map<String, StateDigest> digests() {
    Map<String, StateDigest> digests = new TreeMap<>();
    for (SteadfastNode<C, R> node : cluster().nodes()) {
      if (!node.stopped()) {
        digests.put(node.id().value(), node.audit().digest());
      }
    }
    return digests;
  }

  private void converge(long faultsOver) {
    history.convergenceLimitMillis = CONVERGENCE.toMillis();
    boolean converged = poll(CONVERGENCE, () -> {
      if (!caughtUp()) {
        return false;
      }
      Map<String, StateDigest> digests = digests();
      return digests.size() == 3
          && digests.values().stream().map(StateDigest::sha256).distinct().count() == 1;
    });
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultsOver);
    if (converged) {
      history.convergenceMillis = millis;
    } else {
      StringBuilder text = new StringBuilder("not converged after " + millis + " ms:");
      for (NodeStatus status : cluster().status()) {
        text.append("\n  ").append(status);
      }
      digests().forEach((node, digest) -> text.append("\n  ").append(node).append(' ')
          .append(digest));
      history.convergenceDetail = text.toString();
    }
    for (History.Restart restart : history.restarts) {
      SteadfastNode<C, R> node = cluster().node(NodeId.of(restart.node));
      restart.reached = node.appliedPosition();
    }
    history.event(converged ? "converged " + millis + " ms after the faults stopped"
        : history.convergenceDetail);
  }

  private void quietResends() {
    LoadDriver<C, R> load = history.load();
    EmbeddedCluster<C, R> c = cluster();
    int done = 0;
    for (LoadDriver.UserState<C> state : new TreeMap<>(load.sessions()).values()) {
      C command = state.lastAckedCommand;
      Result original = state.lastAckedResult;
      if (done >= 8 || state.unsettled || command == null || original == null) {
        continue;
      }
      done++;
      try {
        Session<C, R> session = load.attach(state.id, state.principal);
        String before = applicationState(c.primary());
        Result again;
        try {
          again = Result.reply(codec.encodeResult(session.audit().resend(state.lastAcked, command)));
        } catch (io.steadfast.api.CommandRejectedException e) {
          again = Result.rejected(e);
        }
        String after = applicationState(c.primary());
        history.quietResends.add(new History.QuietResend(state.id, state.lastAcked,
            again.equals(original), before.equals(after),
            "first " + original + ", retry " + again + "; state before " + before + ", after "
                + after));
      } catch (SteadfastException e) {
        history.quietResends.add(new History.QuietResend(state.id, state.lastAcked, false, false,
            "the resend failed: " + e));
      }
    }
  }

  /** The application's fingerprint and position on {@code node}, read together. */
  private String applicationState(SteadfastNode<C, R> node) {
    return node.audit().inspect(app -> Checkpoints.fingerprint(ObservedApplication.unwrap(app)).shortHex()
        + " at " + node.appliedPosition());
  }

  private void finalState() {
    // The quiet resends journaled entries of their own; compare the replicas once all have them.
    if (!poll(CONVERGENCE, this::caughtUp)) {
      history.event("replicas not caught up after the quiet resends: " + cluster().status());
    }
    for (SteadfastNode<C, R> node : cluster().nodes()) {
      if (node.stopped()) {
        continue;
      }
      String id = node.id().value();
      history.finalDigests.put(id, node.audit().digest());
      node.audit().inspect(app -> {
        history.finalPositions.put(id, node.appliedPosition());
        history.finalFingerprints.put(id,
            Checkpoints.fingerprint(ObservedApplication.unwrap(app)).hex());
        return null;
      });
    }
  }

  // ---------------------------------------------------------------- sampling and waiting

  private void sample(boolean fingerprint) {
    EmbeddedCluster<C, R> c = cluster;
    if (c == null) {
      return;
    }
    for (SteadfastNode<C, R> node : c.nodes()) {
      if (node.stopped()) {
        continue;
      }
      try {
        int incarnation;
        synchronized (incarnationOf) {
          incarnation = incarnationOf.computeIfAbsent(node,
              n -> incarnations.getOrDefault(n.id().value(), 0));
        }
        history.positions.add(new History.PositionSample(node.id().value(), incarnation,
            node.appliedPosition()));
        if (fingerprint) {
          node.audit().inspect(app -> {
            history.fingerprints.add(new History.FingerprintSample(node.id().value(),
                node.appliedPosition(),
                Checkpoints.fingerprint(ObservedApplication.unwrap(app)).hex()));
            return null;
          });
        }
      } catch (RuntimeException e) {
        // the node is stopping; the next sample will see it stopped
      }
    }
  }

  private boolean awaitAcks(int more) {
    LoadDriver<C, R> load = history.load();
    long target = load.acknowledged() + more;
    return poll(PROGRESS, () -> load.acknowledged() >= target);
  }

  private static boolean poll(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void writeTimeline() {
    List<String> lines = new ArrayList<>(history.timeline);
    lines.add("");
    lines.add("role changes as delivered:");
    long zero = history.started;
    for (Observations.RoleEvent event : history.observations.delivered()) {
      RoleChange change = event.change();
      lines.add(String.format(java.util.Locale.ROOT, "+%8.3f s  %s %s -> %s (%s) epoch %d at %s",
          (event.nanos() - zero) / 1e9, change.node(), change.from(), change.to(), change.reason(),
          change.epoch(), change.position()));
    }
    try {
      Path dir = context.settings().reportDirectory();
      Files.createDirectories(dir);
      Files.write(dir.resolve("cluster-timeline.txt"), lines);
    } catch (IOException e) {
      history.event("could not write the timeline: " + e);
    }
  }
}
