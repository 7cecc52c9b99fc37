package io.steadfast.runtime.internal.apply;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.Since;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Authorizer;
import io.steadfast.runtime.internal.journal.CommandDecoding;
import io.steadfast.runtime.internal.journal.ExitPointClock;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.internal.session.SessionRecord;
import io.steadfast.runtime.internal.session.SessionTable;
import io.steadfast.runtime.internal.session.Tombstone;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
  private final Authorizer authorizer;
  private final DecodedAtDoor door;
  private final MessageDigest sha256;

  private long commandIndex;
  private long lastEpoch;
  private long leaderTimeMillis;
  private volatile JournalEntry.@Nullable HandOver lastHandOver;

  /** The cluster's active application version: 1 until a journaled finalize raises it. */
  private volatile int activeVersion = 1;

  private volatile Position lastPosition = Position.ZERO;
  private volatile int openSessions;
  private volatile long nextExpiryMillis = Long.MAX_VALUE;
  private final java.util.concurrent.atomic.AtomicLong faults =
      new java.util.concurrent.atomic.AtomicLong();

  /** A core for {@code application}, decoding commands with {@code codec}. */
  public ReplicatedCore(ResilientApplication<C, R> application, CommandCodec<C, R> codec) {
    this(application, codec, new Authorizer());
  }

  /** As above, sharing {@code authorizer}'s cache of rules. */
  public ReplicatedCore(
      ResilientApplication<C, R> application, CommandCodec<C, R> codec, Authorizer authorizer) {
    this(application, codec, authorizer, NodeMeters.NONE);
  }

  /** As above, recording the duration of every apply call in {@code meters}. */
  public ReplicatedCore(
      ResilientApplication<C, R> application,
      CommandCodec<C, R> codec,
      Authorizer authorizer,
      NodeMeters meters) {
    this(application, codec, authorizer, meters, new DecodedAtDoor());
  }

  /**
   * As above, taking the commands this node's door already decoded from {@code door} instead of
   * decoding them again.
   */
  public ReplicatedCore(
      ResilientApplication<C, R> application,
      CommandCodec<C, R> codec,
      Authorizer authorizer,
      NodeMeters meters,
      DecodedAtDoor door) {
    this.door = Objects.requireNonNull(door, "door");
    this.application = Objects.requireNonNull(application, "application");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    ExitPointBudgets budgets = application.budgets();
    this.applyClock = new ExitPointClock("apply", budgets.apply(), meters.exitPoint("apply"));
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

  /**
   * Commands whose apply threw an {@link Error} that was recorded as an application fault, since
   * this core was created; safe to read from any thread.
   */
  public long faults() {
    return faults.get();
  }

  /** The authorizer (shared with the node's door check). */
  public Authorizer authorizer() {
    return authorizer;
  }

  /** The session table (apply thread only). */
  public SessionTable sessions() {
    return sessions;
  }

  /** The last hand-over announced in the journal, if any. */
  public int activeVersion() {
    return activeVersion;
  }

  /**
   * Refuses a command whose type was introduced by an application version later than the active one
   * (see {@link Since}).
   *
   * @throws MalformedCommandException naming the type and both versions
   */
  public static void checkVersion(Object command, int activeVersion) {
    int since = sinceVersion(command.getClass());
    if (since > activeVersion) {
      throw new MalformedCommandException(
          "command type "
              + command.getClass().getSimpleName()
              + " needs application version "
              + since
              + "; the cluster runs version "
              + activeVersion
              + " until an operator finalizes the upgrade");
    }
  }

  private static final ConcurrentMap<Class<?>, Integer> SINCE = new ConcurrentHashMap<>();

  /** The version that introduced a command type, looked up once per type. */
  static int sinceVersion(Class<?> type) {
    return SINCE.computeIfAbsent(type, Since.Lookup::versionOf);
  }

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
    if (entry instanceof JournalEntry.Finalize finalize) {
      activeVersion = Math.max(activeVersion, finalize.version());
      return List.of();
    }
    if (entry instanceof JournalEntry.Audit || entry instanceof JournalEntry.Resync) {
      // Changes nothing here: the node fingerprints, copies or replaces the state as a whole.
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
    try {
      return switch (request.kind()) {
        case OPEN -> applyOpen(request);
        case CLOSE -> applyClose(request.session());
        case COMMAND -> applyCommand(request, epoch);
      };
    } catch (RuntimeException e) {
      // Only a defect of the runtime itself gets here (application and codec failures are
      // outcomes below). Deterministic, like everything else here: every replica answers the same.
      LOG.atError()
          .addKeyValue("session", request.session().value())
          .addKeyValue("sequence", request.sequence())
          .setCause(e)
          .log(
              "request {} of session {} failed inside the runtime",
              request.sequence(),
              request.session());
      return Outcome.rejected(Position.ZERO, "InternalError", "", ResumePoint.start());
    }
  }

  private Outcome applyOpen(Request request) {
    SessionId id = request.session();
    Principal principal = Objects.requireNonNull(request.principal());
    long ttl = Objects.requireNonNull(request.ttl()).toMillis();
    if (ttl < 1 || ttl > SessionTable.MAX_TTL.toMillis()) {
      return Outcome.limit("ttl of " + ttl + " ms outside 1 ms to " + SessionTable.MAX_TTL);
    }
    SessionRecord record = sessions.get(id).orElse(null);
    if (record != null) {
      if (!record.principal().equals(principal)) {
        return sessionInUse(id);
      }
      sessions.touch(id, record, leaderTimeMillis);
      return Outcome.session(record.lastSequence(), record.resumePoint());
    }
    Tombstone tombstone = sessions.tombstone(id).orElse(null);
    if (tombstone != null) {
      if (tombstone.end() == Tombstone.End.EXPIRED) {
        return Outcome.expired();
      }
      if (!tombstone.record().principal().equals(principal)) {
        return sessionInUse(id);
      }
    }
    if (sessions.size() >= SessionTable.MAX_OPEN) {
      return Outcome.limit(SessionTable.MAX_OPEN + " sessions are open, the most allowed");
    }
    SessionRecord opened = sessions.open(id, principal, ttl, leaderTimeMillis);
    return Outcome.session(opened.lastSequence(), opened.resumePoint());
  }

  private static Outcome sessionInUse(SessionId id) {
    return Outcome.rejected(
        Position.ZERO,
        "SessionInUse",
        "session id " + id + " belongs to another user",
        ResumePoint.start());
  }

  private Outcome applyClose(SessionId id) {
    SessionRecord record = sessions.get(id).orElse(null);
    if (record != null) {
      sessions.close(id, leaderTimeMillis);
      return Outcome.session(record.lastSequence(), record.resumePoint());
    }
    Tombstone tombstone = sessions.tombstone(id).orElse(null);
    if (tombstone == null) {
      return Outcome.unknownSession();
    }
    return tombstone.end() == Tombstone.End.EXPIRED
        ? Outcome.expired()
        : Outcome.session(tombstone.record().lastSequence(), tombstone.record().resumePoint());
  }

  private Outcome applyCommand(Request request, long epoch) {
    SessionId id = request.session();
    byte[] payload = Objects.requireNonNull(request.payload());
    long sequence = request.sequence();
    SessionRecord record = sessions.get(id).orElse(null);
    if (record == null) {
      // Closed or expired: a late retry of the last request still gets its original outcome.
      Tombstone tombstone = sessions.tombstone(id).orElse(null);
      if (tombstone == null) {
        return Outcome.unknownSession();
      }
      SessionRecord last = tombstone.record();
      if (sequence == last.lastSequence() && sequence > 0) {
        return sameDigest(last, payload) ? last.lastOutcome() : Outcome.conflict(sequence);
      }
      return tombstone.end() == Tombstone.End.EXPIRED
          ? Outcome.expired()
          : Outcome.unknownSession();
    }
    if (sequence == record.lastSequence()) {
      if (!sameDigest(record, payload)) {
        return Outcome.conflict(sequence);
      }
      sessions.touch(id, record, leaderTimeMillis);
      return record.lastOutcome();
    }
    if (sequence != record.lastSequence() + 1) {
      return Outcome.outOfSequence(record.lastSequence());
    }
    C command;
    try {
      @SuppressWarnings("unchecked") // kept by this node's door, decoded by this codec
      C decoded = (C) door.take(id, sequence, payload);
      command = decoded != null ? decoded : CommandDecoding.decode(codec, payload);
    } catch (MalformedCommandException e) {
      // Nothing applied, the number stays free, as for a refusal at the door.
      return Outcome.malformed(Position.ZERO, messageOf(e), record.resumePoint());
    }
    try {
      checkVersion(command, activeVersion);
    } catch (MalformedCommandException e) {
      // Reached the journal in a race with the finalize's check at the door: refused the same way
      // on every replica, the number stays free.
      return Outcome.malformed(Position.ZERO, messageOf(e), record.resumePoint());
    }
    try {
      authorizer.check(record.principal(), command);
    } catch (NotAuthorizedException e) {
      // Sorted: the exception keeps an unordered set, whose order differs between JVMs.
      return Outcome.notAuthorized(
          e.commandType(), String.join(",", new java.util.TreeSet<>(e.requiredRoles())));
    }
    Position position = new Position(commandIndex + 1, epoch);
    Context context =
        new Context(
            position,
            id,
            record.principal(),
            leaderTimeMillis,
            record.resumePoint(),
            activeVersion);
    Outcome outcome;
    long started = System.nanoTime();
    try {
      outcome = applied(application.apply(command, context), position, context.resumePoint);
    } catch (Exception e) {
      outcome = Outcome.rejected(position, typeOf(e), messageOf(e), record.resumePoint());
    } catch (VirtualMachineError e) {
      if (!(e instanceof StackOverflowError)) {
        // Out of memory and the like: not the command's fault, and not the same on every replica.
        // Fail-stop this node (it recovers from its checkpoint and the journal).
        throw e;
      }
      outcome = fault(position, e, record.resumePoint());
    } catch (Error e) {
      outcome = fault(position, e, record.resumePoint());
    } finally {
      if (applyClock.record(System.nanoTime() - started)) {
        LOG.atWarn()
            .addKeyValue("session", id.value())
            .addKeyValue("sequence", sequence)
            .log(
                "apply of {} at {} overran its budget of {}",
                command.getClass().getSimpleName(),
                position,
                applyClock.budget());
      }
    }
    commandIndex = position.index();
    lastPosition = position;
    sessions.record(
        id, record, sequence, digest(payload), outcome, outcome.resumePoint(), leaderTimeMillis);
    return outcome;
  }

  private Outcome applied(@Nullable R result, Position position, ResumePoint resumePoint) {
    if (result == null) {
      return Outcome.appliedWithoutResult(position, "apply returned null", resumePoint);
    }
    byte[] encoded;
    try {
      encoded = codec.encodeResult(result);
    } catch (Exception e) {
      // The state has changed: this is an applied command, never a rejection.
      return Outcome.appliedWithoutResult(
          position, "the codec could not encode the result (" + typeOf(e) + ")", resumePoint);
    }
    return Outcome.applied(position, encoded, resumePoint);
  }

  private Outcome fault(Position position, Error error, ResumePoint resumePoint) {
    faults.incrementAndGet();
    LOG.error(
        "apply at {} threw {}; recorded as an application fault on every replica",
        position,
        typeOf(error),
        error);
    return Outcome.faulted(position, typeOf(error), resumePoint);
  }

  private boolean sameDigest(SessionRecord record, byte[] payload) {
    // A digest of 0 comes from a checkpoint written before digests were kept: accept the retry.
    return record.lastDigest() == 0 || record.lastDigest() == digest(payload);
  }

  /** A 64-bit digest of a command's payload: the first eight bytes of its SHA-256. */
  private long digest(byte[] payload) {
    byte[] hash = sha256.digest(payload);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (hash[i] & 0xff);
    }
    return value;
  }

  private static String typeOf(Throwable e) {
    String name = e.getClass().getSimpleName();
    return name.isEmpty() ? e.getClass().getName() : name;
  }

  private static String messageOf(Throwable e) {
    return e.getMessage() == null ? "" : e.getMessage();
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
    out.writeInt(activeVersion);
  }

  /**
   * Replaces the runtime's replicated state with what {@link #writeState} wrote in checkpoint
   * format {@code format} (1: before session tombstones kept records; before 3: without the active
   * application version).
   */
  public void readState(DataInput in, int format) throws IOException {
    commandIndex = in.readLong();
    lastEpoch = in.readLong();
    leaderTimeMillis = in.readLong();
    Position position = WireFormat.readPosition(in);
    lastHandOver =
        in.readBoolean()
            ? new JournalEntry.HandOver(
                NodeId.of(WireFormat.readString(in)),
                RoleChange.Reason.valueOf(WireFormat.readString(in)),
                in.readLong())
            : null;
    sessions.readFrom(in, format);
    // Checkpoint formats before 3 were written before application versions existed: version 1.
    activeVersion = format >= 3 ? in.readInt() : 1;
    if (activeVersion < 1) {
      throw new IOException("active application version must be positive: " + activeVersion);
    }
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
    private final int activeVersion;

    Context(
        Position position,
        SessionId session,
        Principal principal,
        long timeMillis,
        ResumePoint previous,
        int activeVersion) {
      this.activeVersion = activeVersion;
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
    public int activeVersion() {
      return activeVersion;
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
        random = new SplittableRandom(position.randomSeed());
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
