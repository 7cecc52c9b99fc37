package io.steadfast.runtime.internal.journal;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.session.SessionRecord;
import io.steadfast.runtime.internal.session.SessionTable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic heart of a replica: applies journal entries to the application and to the
 * runtime's own replicated state (command positions, leader time, sessions, the last announced
 * hand-over), and writes and reads that state for checkpoints.
 *
 * <p>Engine-independent. Called on the apply thread only; not thread-safe, except {@link
 * #lastPosition()}, which any thread may read.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class ReplicatedCore<C, R> {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedCore.class);

  private final ResilientApplication<C, R> application;
  private final CommandCodec<C, R> codec;
  private final ExitPointClock applyClock;
  private final SessionTable sessions = new SessionTable();

  private long commandIndex;
  private long lastEpoch;
  private long leaderTimeMillis;
  private volatile JournalEntry.@Nullable HandOver lastHandOver;
  private volatile Position lastPosition = Position.ZERO;
  private volatile int openSessions;
  private volatile long nextExpiryMillis = Long.MAX_VALUE;

  /** A core for {@code application}, decoding commands with {@code codec}. */
  public ReplicatedCore(ResilientApplication<C, R> application, CommandCodec<C, R> codec) {
    this.application = Objects.requireNonNull(application, "application");
    this.codec = Objects.requireNonNull(codec, "codec");
    ExitPointBudgets budgets = application.budgets();
    this.applyClock = new ExitPointClock("apply", budgets.apply());
  }

  /** The application instance. */
  public ResilientApplication<C, R> application() {
    return application;
  }

  /** The codec. */
  public CommandCodec<C, R> codec() {
    return codec;
  }

  /** Measurements of the apply exit point. */
  public ExitPointClock applyClock() {
    return applyClock;
  }

  /** The position of the last command applied; safe to read from any thread. */
  public Position lastPosition() {
    return lastPosition;
  }

  /** The last leader time applied, in epoch milliseconds. */
  public long leaderTimeMillis() {
    return leaderTimeMillis;
  }

  /** The number of open sessions after the last applied entry; safe to read from any thread. */
  public int openSessions() {
    return openSessions;
  }

  /** The leader time at which the next open session expires; safe to read from any thread. */
  public long nextExpiryMillis() {
    return nextExpiryMillis;
  }

  /** The session table (apply thread only). */
  public SessionTable sessions() {
    return sessions;
  }

  /** The last hand-over announced in the journal, if any. */
  public JournalEntry.@Nullable HandOver lastHandOver() {
    return lastHandOver;
  }

  /**
   * Applies one journal entry journaled in {@code epoch}.
   *
   * @return the outcomes of a batch's requests in order; empty for other entries
   */
  public List<Outcome> apply(JournalEntry entry, long epoch) {
    if (entry instanceof JournalEntry.Batch batch) {
      return applyBatch(batch, epoch);
    }
    if (entry instanceof JournalEntry.HandOver handOver) {
      lastHandOver = handOver;
      return List.of();
    }
    throw new IllegalArgumentException("unknown journal entry " + entry);
  }

  private List<Outcome> applyBatch(JournalEntry.Batch batch, long epoch) {
    lastEpoch = Math.max(lastEpoch, epoch);
    leaderTimeMillis = Math.max(leaderTimeMillis, batch.leaderTimeMillis());
    List<SessionId> expired = sessions.expire(leaderTimeMillis);
    if (!expired.isEmpty()) {
      LOG.debug("sessions expired at leader time {}: {}", leaderTimeMillis, expired);
    }
    List<Outcome> outcomes = new ArrayList<>(batch.requests().size());
    for (Request request : batch.requests()) {
      outcomes.add(applyRequest(request, epoch));
    }
    openSessions = sessions.size();
    nextExpiryMillis = sessions.nextExpiryMillis();
    return outcomes;
  }

  private Outcome applyRequest(Request request, long epoch) {
    SessionId id = request.session();
    SessionRecord record = sessions.get(id).orElse(null);
    switch (request.kind()) {
      case OPEN:
        if (record != null) {
          return record.principal().equals(request.principal())
              ? Outcome.applied(Position.ZERO, new byte[0], record.resumePoint())
              : Outcome.rejected(
                  Position.ZERO, "SessionInUse", "session id " + id + " is open for another user",
                  ResumePoint.start());
        }
        if (sessions.isExpired(id)) {
          return Outcome.expired();
        }
        sessions.open(id, request.principal(), request.ttl().toMillis(), leaderTimeMillis);
        return Outcome.applied(Position.ZERO, new byte[0], ResumePoint.start());
      case CLOSE:
        if (record == null) {
          return sessions.isExpired(id) ? Outcome.expired() : Outcome.unknownSession();
        }
        sessions.close(id);
        return Outcome.applied(Position.ZERO, new byte[0], record.resumePoint());
      case COMMAND:
      default:
        return applyCommand(request, record, epoch);
    }
  }

  private Outcome applyCommand(Request request, @Nullable SessionRecord record, long epoch) {
    SessionId id = request.session();
    if (record == null) {
      return sessions.isExpired(id) ? Outcome.expired() : Outcome.unknownSession();
    }
    long sequence = request.sequence();
    if (sequence == record.lastSequence()) {
      sessions.touch(id, record, leaderTimeMillis);
      return record.lastOutcome();
    }
    if (sequence != record.lastSequence() + 1) {
      return Outcome.outOfSequence(record.lastSequence());
    }
    C command;
    try {
      command = codec.decodeCommand(request.payload());
    } catch (MalformedCommandException e) {
      Outcome outcome = Outcome.malformed(Position.ZERO, e.getMessage(), record.resumePoint());
      sessions.record(id, record, sequence, outcome, record.resumePoint(), leaderTimeMillis);
      return outcome;
    }
    Position position = new Position(commandIndex + 1, epoch);
    Context context = new Context(position, id, record.principal(), leaderTimeMillis,
        record.resumePoint());
    Outcome outcome;
    long started = System.nanoTime();
    try {
      R result = application.apply(command, context);
      byte[] encoded = codec.encodeResult(result);
      outcome = Outcome.applied(position, encoded, context.resumePoint);
    } catch (Exception e) {
      outcome = Outcome.rejected(position, e.getClass().getSimpleName(),
          e.getMessage() == null ? "" : e.getMessage(), record.resumePoint());
    } finally {
      if (applyClock.record(System.nanoTime() - started)) {
        LOG.warn("apply of {} at {} overran its budget of {}",
            command.getClass().getSimpleName(), position, applyClock.budget());
      }
    }
    commandIndex = position.index();
    lastPosition = position;
    sessions.record(id, record, sequence, outcome, outcome.resumePoint(), leaderTimeMillis);
    return outcome;
  }

  /** Writes the runtime's replicated state (not the application's) in canonical form. */
  public void writeState(DataOutput out) throws IOException {
    out.writeLong(commandIndex);
    out.writeLong(lastEpoch);
    out.writeLong(leaderTimeMillis);
    WireFormat.writePosition(out, lastPosition);
    out.writeBoolean(lastHandOver != null);
    if (lastHandOver != null) {
      WireFormat.writeString(out, lastHandOver.target().value());
      WireFormat.writeString(out, lastHandOver.reason().name());
      out.writeLong(lastHandOver.epoch());
    }
    sessions.writeTo(out);
  }

  /** Replaces the runtime's replicated state with what {@link #writeState} wrote. */
  public void readState(DataInput in) throws IOException {
    commandIndex = in.readLong();
    lastEpoch = in.readLong();
    leaderTimeMillis = in.readLong();
    Position position = WireFormat.readPosition(in);
    lastHandOver = in.readBoolean()
        ? new JournalEntry.HandOver(NodeId.of(WireFormat.readString(in)),
            RoleChange.Reason.valueOf(WireFormat.readString(in)), in.readLong())
        : null;
    sessions.readFrom(in);
    openSessions = sessions.size();
    nextExpiryMillis = sessions.nextExpiryMillis();
    lastPosition = position;
  }

  /** The apply context handed to one {@code apply} call. */
  private static final class Context implements ApplyContext {
    private final Position position;
    private final SessionId session;
    private final Principal principal;
    private final long timeMillis;
    private final ResumePoint previous;
    private ResumePoint resumePoint;
    private @Nullable RandomGenerator random;

    Context(Position position, SessionId session, Principal principal, long timeMillis,
        ResumePoint previous) {
      this.position = position;
      this.session = session;
      this.principal = principal;
      this.timeMillis = timeMillis;
      this.previous = previous;
      this.resumePoint = previous;
    }

    @Override
    public Position position() {
      return position;
    }

    @Override
    public SessionId sessionId() {
      return session;
    }

    @Override
    public Principal principal() {
      return principal;
    }

    @Override
    public Instant timestamp() {
      return Instant.ofEpochMilli(timeMillis);
    }

    @Override
    public RandomGenerator random() {
      if (random == null) {
        random = new SplittableRandom(position.index() * 0x9E3779B97F4A7C15L ^ position.epoch());
      }
      return random;
    }

    @Override
    public ResumePoint resumePoint() {
      return previous;
    }

    @Override
    public void setResumePoint(ResumePoint point) {
      this.resumePoint = Objects.requireNonNull(point, "point");
    }
  }
}
