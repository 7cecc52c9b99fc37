package io.steadfast.testkit.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of one cluster scenario, in order, drawn from the run's seed: the same seed always
 * gives the same schedule. What the cluster does in between (thread interleaving, election timing)
 * is not under the seed's control; the schedule is.
 *
 * <p>Every schedule holds at least two switchovers, a plain crash of the primary, a crash inside
 * {@code apply} and one during a checkpoint, a node left behind until it must install a checkpoint,
 * a session left to expire, and a round of write attempts on the backups. The expiring session
 * comes before a crash, so that a new primary has to agree with the old one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param seed the seed it was drawn from
 * @param faults the faults in the order they are injected
 */
record FaultSchedule(long seed, List<Fault> faults) {

  /** What kind of fault. */
  enum Kind {
    /** A planned switchover to a backup. */
    SWITCHOVER,
    /** The primary is killed between two calls. */
    CRASH,
    /** The primary is killed while its application is inside {@code apply}. */
    CRASH_IN_APPLY,
    /** The primary is killed while its application writes a checkpoint. */
    CRASH_IN_CHECKPOINT,
    /** A backup is stopped until the journal has moved past its checkpoints, then restarted. */
    LAG_AND_REJOIN,
    /** A session with a short time-to-live is left idle until the cluster expires it. */
    EXPIRE_SESSION,
    /** Every backup is asked to open a session and to answer a query. */
    WRITE_TO_BACKUPS,
    /** A principal with no roles sends one command of each type. */
    AUTHORIZE_OUTSIDER
  }

  /**
   * One fault.
   *
   * @param kind what happens
   * @param afterAcks how many more commands the load must have acknowledged before it happens
   * @param choice picks among the candidate nodes (a switchover's target, a lagging backup)
   * @param restartAfterAcks for a crash: acknowledged commands between the crash and the restart
   */
  record Fault(Kind kind, int afterAcks, int choice, int restartAfterAcks) {
    @Override
    public String toString() {
      return kind
          + "(after "
          + afterAcks
          + " acks, choice "
          + choice
          + (restartAfterAcks > 0 ? ", restart after " + restartAfterAcks + " acks" : "")
          + ")";
    }
  }

  /** Defensive copy. */
  FaultSchedule {
    faults = List.copyOf(faults);
  }

  /**
   * The schedule for {@code seed}: 9 faults at the default depth, 27 in a deep run, with larger
   * gaps between them (25 to 74 acknowledged commands, deep 120 to 359).
   */
  static FaultSchedule generate(long seed, boolean deep) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int rounds = deep ? 3 : 1;
    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      kinds.addAll(
          List.of(
              Kind.SWITCHOVER,
              Kind.SWITCHOVER,
              Kind.CRASH,
              Kind.CRASH_IN_APPLY,
              Kind.CRASH_IN_CHECKPOINT,
              Kind.LAG_AND_REJOIN));
      if (deep) {
        kinds.addAll(List.of(Kind.CRASH, Kind.SWITCHOVER));
      }
    }
    kinds.add(Kind.WRITE_TO_BACKUPS);
    Collections.shuffle(kinds, new java.util.Random(random.nextLong()));
    // The expiring session goes before the last crash, so that a new primary must agree.
    int lastCrash = 0;
    for (int i = 0; i < kinds.size(); i++) {
      if (kinds.get(i).name().startsWith("CRASH")) {
        lastCrash = i;
      }
    }
    kinds.add(random.nextInt(lastCrash + 1), Kind.EXPIRE_SESSION);
    // Last, so that the load has submitted every command type it will.
    kinds.add(Kind.AUTHORIZE_OUTSIDER);
    List<Fault> faults = new ArrayList<>();
    int gap = deep ? 120 : 25;
    for (Kind kind : kinds) {
      boolean crash = kind.name().startsWith("CRASH");
      faults.add(
          new Fault(
              kind,
              gap + random.nextInt(gap * 2),
              random.nextInt(1_000),
              crash ? 5 + random.nextInt(gap) : 0));
    }
    return new FaultSchedule(seed, faults);
  }

  /** How many faults of {@code kind}. */
  long count(Kind kind) {
    return faults.stream().filter(f -> f.kind() == kind).count();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("fault schedule of seed " + seed + ":");
    for (int i = 0; i < faults.size(); i++) {
      text.append("\n  ").append(i + 1).append(". ").append(faults.get(i));
    }
    return text.toString();
  }
}
