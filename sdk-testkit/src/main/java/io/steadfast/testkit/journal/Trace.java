package io.steadfast.testkit.journal;

import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A journal generated from a workload and a seed: the interleaved commands of several users, and
 * the outcome each had on the reference instance that generated them.
 *
 * <p>The same workload, seed and length always give the same entries; the outcomes are the same too
 * as long as the application is deterministic. Immutable and thread-safe if the commands and
 * results are.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class Trace<C, R> {

  /** The leader time of the first entry; later entries advance by seeded steps. */
  public static final Instant START = Instant.parse("2030-01-02T08:00:00Z");

  private static final int INJECT_ONE_IN = 12;
  private static final int EMPTY_USERS_TOLERATED = 1_000;

  private final long seed;
  private final List<TraceEntry<C>> entries;
  private final List<Outcome<R>> outcomes;

  private Trace(long seed, List<TraceEntry<C>> entries, List<Outcome<R>> outcomes) {
    this.seed = seed;
    this.entries = List.copyOf(entries);
    this.outcomes = List.copyOf(outcomes);
  }

  /**
   * Generates a trace of up to {@code length} entries by running the workload's users against
   * {@code reference}, a fresh instance, feeding each user the results of its own commands.
   *
   * <p>Users are started in order (user 0, 1, …) so that {@code workload.concurrentUsers()} are
   * active; at each step one active user, drawn from the seed, submits its next command (about one
   * step in twelve submits one of the workload's invalid commands instead, if it has any). Leader
   * time advances by a seeded 0 to 2,999 ms per entry; the epoch occasionally moves up, as after a
   * failover. The trace is shorter than {@code length} only if the workload stops producing users
   * with commands.
   *
   * @throws IllegalArgumentException if {@code length} is not positive
   */
  public static <C, R> Trace<C, R> generate(
      Workload<C, R> workload,
      CommandCodec<C, R> codec,
      ResilientApplication<C, R> reference,
      long seed,
      int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("trace length must be positive: " + length);
    }
    int concurrent = workload.concurrentUsers();
    if (concurrent <= 0) {
      throw new IllegalArgumentException(
          "workload concurrentUsers must be positive: " + concurrent);
    }
    SplittableRandom random = new SplittableRandom(seed);
    Replica<C, R> replica = Replica.of(reference, codec);
    List<C> invalid = List.copyOf(workload.invalidCommands());
    List<ActiveUser<C, R>> active = new ArrayList<>();
    List<TraceEntry<C>> entries = new ArrayList<>();
    List<Outcome<R>> outcomes = new ArrayList<>();
    Instant time = START;
    long epoch = 1;
    int nextUser = 0;
    int emptyUsers = 0;
    while (entries.size() < length && emptyUsers < EMPTY_USERS_TOLERATED) {
      while (active.size() < concurrent) {
        int user = nextUser++;
        active.add(
            new ActiveUser<>(
                user,
                SessionId.of("session-" + user),
                workload.principal(user),
                workload.newUser(user, random.nextLong())));
      }
      ActiveUser<C, R> chosen = active.get(random.nextInt(active.size()));
      boolean inject = !invalid.isEmpty() && random.nextInt(INJECT_ONE_IN) == 0;
      C command;
      if (inject) {
        command = invalid.get(random.nextInt(invalid.size()));
      } else {
        Optional<C> next = chosen.script.next(chosen.lastResult);
        if (next.isEmpty()) {
          active.remove(chosen);
          emptyUsers = chosen.submitted == 0 ? emptyUsers + 1 : 0;
          continue;
        }
        command = next.get();
      }
      time = time.plus(Duration.ofMillis(random.nextInt(3_000)));
      if (random.nextInt(64) == 0) {
        epoch++;
      }
      TraceEntry<C> entry =
          new TraceEntry<>(
              new Position(entries.size() + 1L, epoch),
              chosen.session,
              chosen.principal,
              time,
              command,
              chosen.user,
              inject);
      Outcome<R> outcome = replica.apply(entry);
      entries.add(entry);
      outcomes.add(outcome);
      if (!inject) {
        chosen.submitted++;
        chosen.lastResult = outcome.result();
      }
    }
    return new Trace<>(seed, entries, outcomes);
  }

  /** The seed the trace was generated from. */
  public long seed() {
    return seed;
  }

  /** The entries, in journal order. */
  public List<TraceEntry<C>> entries() {
    return entries;
  }

  /** The outcome of each entry on the reference instance, in journal order. */
  public List<Outcome<R>> outcomes() {
    return outcomes;
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /** Entry {@code i}, counting from 0 (its position index is {@code i + 1}). */
  public TraceEntry<C> entry(int i) {
    return entries.get(i);
  }

  /** The reference outcome of entry {@code i}. */
  public Outcome<R> outcome(int i) {
    return outcomes.get(i);
  }

  /** How many entries the reference instance rejected. */
  public long rejections() {
    return outcomes.stream().filter(Outcome::isRejected).count();
  }

  private static final class ActiveUser<C, R> {
    final int user;
    final SessionId session;
    final Principal principal;
    final UserScript<C, R> script;
    @Nullable R lastResult;
    int submitted;

    ActiveUser(int user, SessionId session, Principal principal, UserScript<C, R> script) {
      this.user = user;
      this.session = Objects.requireNonNull(session);
      this.principal = Objects.requireNonNull(principal, "workload principal for user " + user);
      this.script = Objects.requireNonNull(script, "workload script for user " + user);
    }
  }
}
