package io.steadfast.examples.mortgage.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.role.Role;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.examples.mortgage.ResumePoints;
import io.steadfast.examples.mortgage.workload.LoanWorkflow;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the Mortgage Loan Production System on an embedded three-node cluster: simulated officers,
 * underwriters and closers work loans concurrently; midway the primary is killed; later the primary
 * is moved for maintenance by a planned switchover and the old node rejoins. Prints progress, a
 * summary, and one {@code RESULT {json}} line; exits 1 if anything acknowledged was lost, applied
 * twice, or a session did not resume where it was.
 *
 * <p>Run: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl examples/mortgage-loan
 * exec:java}. Options: {@code --seed N}, {@code --users N}, {@code --app mortgage}.
 */
public final class MortgageDemo {

  private final long seed;
  private final int users;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final Set<String> submittedLoans = ConcurrentHashMap.newKeySet();
  private final AtomicLong indeterminateSubmits = new AtomicLong();
  private final List<User> team = new ArrayList<>();

  private MortgageDemo(long seed, int users) {
    this.seed = seed;
    this.users = users;
  }

  /** Entry point; see the class comment for options. */
  public static void main(String[] args) throws Exception {
    long seed = 4711;
    int users = 32;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--app" -> {
          String app = args[++i];
          if (!app.equals("mortgage")) {
            System.err.println("unknown --app " + app + ": only 'mortgage' is available in this"
                + " demo so far");
            System.exit(2);
          }
        }
        default -> {
          System.err.println("unknown option " + args[i]
              + "; options: --seed N, --users N, --app mortgage");
          System.exit(2);
        }
      }
    }
    System.exit(new MortgageDemo(seed, users).run() ? 0 : 1);
  }

  private final class User implements Runnable {
    final LoanWorkflow workflow;
    final Session<LoanCommand, LoanResult> session;
    final EmbeddedCluster<LoanCommand, LoanResult> cluster;
    volatile ResumePoint expected = ResumePoint.start();
    volatile long ackedSequence;
    final Thread thread;

    User(LoanWorkflow workflow, SteadfastClient<LoanCommand, LoanResult> client,
        EmbeddedCluster<LoanCommand, LoanResult> cluster) {
      this.workflow = workflow;
      this.cluster = cluster;
      this.session = client.openSession(workflow.principal());
      this.thread = new Thread(this, "user-" + workflow.user());
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      LoanCommand command = workflow.start();
      while (running.get()) {
        try {
          LoanResult result;
          if (command instanceof LoanCommand.Query) {
            result = query(command);
          } else {
            result = execute(command);
            expected = ResumePoints.after(expected, command, result);
            ackedSequence = session.lastSequence();
            acknowledged.incrementAndGet();
            lastAckNanos.set(System.nanoTime());
            if (result instanceof LoanResult.ApplicationSubmitted submitted) {
              submittedLoans.add(submitted.loanId());
            }
          }
          command = workflow.next(result);
        } catch (CommandRejectedException e) {
          ackedSequence = session.lastSequence();
          rejected.incrementAndGet();
          command = workflow.afterRejection(e.errorType());
        }
        if (workflow.idle()) {
          pause(Duration.ofMillis(20));
        }
      }
    }

    private LoanResult execute(LoanCommand command) {
      try {
        return session.execute(command);
      } catch (IndeterminateOutcomeException e) {
        while (true) {
          try {
            return session.retry();
          } catch (IndeterminateOutcomeException again) {
            if (!running.get() && command instanceof LoanCommand.SubmitApplication) {
              indeterminateSubmits.incrementAndGet();
              throw again;
            }
          }
        }
      }
    }

    private LoanResult query(LoanCommand command) {
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (true) {
        try {
          return cluster.primary().query(session.principal(), command);
        } catch (NotPrimaryException e) {
          if (System.nanoTime() > end) {
            throw e;
          }
          pause(Duration.ofMillis(10));
        } catch (CommandRejectedException e) {
          throw e;
        } catch (SteadfastException e) {
          if (System.nanoTime() > end) {
            throw e;
          }
          pause(Duration.ofMillis(10));
        }
      }
    }
  }

  private boolean run() throws Exception {
    say("starting an embedded 3-node cluster (seed %d, %d users)", seed, users);
    try (EmbeddedCluster<LoanCommand, LoanResult> cluster =
             EmbeddedCluster.<LoanCommand, LoanResult>builder()
                 .nodes(3)
                 .application(MortgageLoanApplication::new)
                 .codec(MortgageLoanApplication.codec())
                 .checkpointEvery(500)
                 .requestDeadline(Duration.ofSeconds(20))
                 .onNode(node -> node.addRoleListener(change -> say("  role: %s %s -> %s (%s), epoch %d",
                     change.node(), change.from(), change.to(), change.reason(), change.epoch())))
                 .start()) {
      say("primary is %s", cluster.primary().id());
      SteadfastClient<LoanCommand, LoanResult> client = cluster.client();
      int underwriters = Math.max(1, users / 8);
      int closers = Math.max(1, users / 8);
      for (LoanWorkflow workflow : LoanWorkflow.team(seed, users - underwriters - closers,
          underwriters, closers)) {
        team.add(new User(workflow, client, cluster));
      }
      team.forEach(u -> u.thread.start());
      say("%d sessions open; officers are taking applications", team.size());

      progress(Duration.ofSeconds(6));
      NodeId victim = cluster.primary().id();
      say("killing the primary %s", victim);
      long killed = System.nanoTime();
      long ackAtKill = acknowledged.get();
      cluster.crash(victim);
      long failoverMillis = awaitNextAck(killed, ackAtKill);
      say("first command acknowledged %d ms after the kill, by the new primary %s", failoverMillis,
          cluster.primary().id());

      progress(Duration.ofSeconds(4));
      say("restarting %s; it rejoins as a backup", victim);
      cluster.restart(victim);
      progress(Duration.ofSeconds(4));

      NodeId maintained = cluster.primary().id();
      NodeId target = cluster.ids().stream().filter(id -> !id.equals(maintained)).findFirst()
          .orElseThrow();
      say("planned switchover from %s to %s for maintenance", maintained, target);
      long switched = System.nanoTime();
      long ackAtSwitch = acknowledged.get();
      cluster.switchover(target);
      long switchoverMillis = awaitNextAck(switched, ackAtSwitch);
      say("first command acknowledged %d ms after the switchover began", switchoverMillis);
      say("maintenance: stopping %s, then starting it again", maintained);
      cluster.stop(maintained);
      cluster.restart(maintained);
      progress(Duration.ofSeconds(4));

      running.set(false);
      for (User user : team) {
        user.thread.join(30_000);
      }
      return verify(cluster, failoverMillis, switchoverMillis);
    }
  }

  private boolean verify(EmbeddedCluster<LoanCommand, LoanResult> cluster, long failoverMillis,
      long switchoverMillis) {
    long lost = 0;
    long resumed = 0;
    for (User user : team) {
      long applied = user.session.appliedSequence();
      if (applied < user.ackedSequence) {
        lost += user.ackedSequence - applied;
      }
      ResumePoint actual = user.session.resumePoint();
      if (actual.equals(user.expected)) {
        resumed++;
      } else {
        say("session %s resumed at %s, expected %s", user.session.id(), actual, user.expected);
      }
    }
    LoanCommand probe = null;
    for (String loanId : submittedLoans) {
      probe = new LoanCommand.GetLoan(loanId);
      try {
        cluster.primary().query(team.get(0).session.principal(), probe);
      } catch (CommandRejectedException e) {
        lost++;
        say("acknowledged loan %s is missing: %s", loanId, e.getMessage());
      }
    }
    long duplicates = 0;
    long created = submittedLoans.size() + indeterminateSubmits.get();
    String next = String.format(Locale.ROOT, "L-%06d", created + 1);
    try {
      cluster.primary().query(team.get(0).session.principal(), new LoanCommand.GetLoan(next));
      duplicates++;
      say("loan %s exists although only %d applications were submitted", next, created);
    } catch (CommandRejectedException expected) {
      // no loan beyond those submitted: nothing was applied twice
    }
    long primaries = cluster.nodes().stream().filter(n -> n.role() == Role.PRIMARY).count();
    say("");
    say("summary: %d users worked %d acknowledged commands (%d rejected by business rules);",
        team.size(), acknowledged.get(), rejected.get());
    say("  %d loans taken; 1 failover in %d ms; 1 switchover in %d ms; %d primary now;",
        submittedLoans.size(), failoverMillis, switchoverMillis, primaries);
    say("  lost acknowledged: %d, applied twice: %d, sessions resumed at position: %d of %d",
        lost, duplicates, resumed, team.size());
    System.out.printf(Locale.ROOT, "RESULT {\"nodes\":3,\"sessions\":%d,\"commandsAcknowledged\":%d,"
            + "\"failovers\":1,\"switchovers\":1,\"lostAcknowledged\":%d,\"duplicatesApplied\":%d,"
            + "\"sessionsResumedAtPosition\":%d,\"maxFailoverMillis\":%d,\"maxSwitchoverMillis\":%d,"
            + "\"loansSubmitted\":%d,\"seed\":%d}%n",
        team.size(), acknowledged.get(), lost, duplicates, resumed, failoverMillis, switchoverMillis,
        submittedLoans.size(), seed);
    return lost == 0 && duplicates == 0 && resumed == team.size();
  }

  private long awaitNextAck(long sinceNanos, long ackCount) {
    long end = sinceNanos + Duration.ofSeconds(30).toNanos();
    while (acknowledged.get() <= ackCount || lastAckNanos.get() < sinceNanos) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no command acknowledged within 30 s");
      }
      pause(Duration.ofMillis(1));
    }
    return Duration.ofNanos(lastAckNanos.get() - sinceNanos).toMillis();
  }

  private void progress(Duration period) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      pause(Duration.ofSeconds(2));
      say("  ... %d commands acknowledged, %d loans taken", acknowledged.get(),
          submittedLoans.size());
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
