package io.steadfast.runtime.internal.session;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every open session, plus tombstones of recently expired ones so that their next request is told
 * "expired" rather than "unknown".
 *
 * <p>Replicated state: changed only on the apply thread, by journaled requests, with leader time;
 * sorted collections only, so checkpoints are canonical. Not thread-safe.
 */
public final class SessionTable {

  /** How long an expired session's tombstone is kept, in leader time. */
  static final long TOMBSTONE_RETENTION_MILLIS = 24L * 60 * 60 * 1000;

  private record Deadline(long atMillis, SessionId session) {}

  private static final Comparator<Deadline> BY_DEADLINE =
      Comparator.comparingLong(Deadline::atMillis).thenComparing(Deadline::session);

  private final TreeMap<SessionId, SessionRecord> open = new TreeMap<>();
  private final TreeSet<Deadline> deadlines = new TreeSet<>(BY_DEADLINE);
  private final TreeMap<SessionId, Long> expired = new TreeMap<>();

  /** The open session {@code id}, if any. */
  public Optional<SessionRecord> get(SessionId id) {
    return Optional.ofNullable(open.get(id));
  }

  /** Whether {@code id} expired recently (its tombstone is still kept). */
  public boolean isExpired(SessionId id) {
    return expired.containsKey(id);
  }

  /** The leader time at which the next open session expires, or {@link Long#MAX_VALUE}. */
  public long nextExpiryMillis() {
    return deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.first().atMillis();
  }

  /** The number of open sessions. */
  public int size() {
    return open.size();
  }

  /** Opens a session; the caller has checked that it is neither open nor expired. */
  public SessionRecord open(SessionId id, Principal principal, long ttlMillis, long nowMillis) {
    SessionRecord record =
        new SessionRecord(principal, ttlMillis, 0, opened(), ResumePoint.start(), nowMillis);
    open.put(id, record);
    deadlines.add(new Deadline(record.expiresAtMillis(), id));
    return record;
  }

  /** Records the outcome of request {@code sequence} and moves the session's deadline. */
  public void record(
      SessionId id, SessionRecord record, long sequence, Outcome outcome, ResumePoint point,
      long nowMillis) {
    deadlines.remove(new Deadline(record.expiresAtMillis(), id));
    record.record(sequence, outcome, point, nowMillis);
    deadlines.add(new Deadline(record.expiresAtMillis(), id));
  }

  /** Marks activity without a new request (a retry), moving the deadline. */
  public void touch(SessionId id, SessionRecord record, long nowMillis) {
    deadlines.remove(new Deadline(record.expiresAtMillis(), id));
    record.touch(nowMillis);
    deadlines.add(new Deadline(record.expiresAtMillis(), id));
  }

  /** Closes a session at its owner's request; no tombstone is kept. */
  public void close(SessionId id) {
    SessionRecord record = open.remove(id);
    if (record != null) {
      deadlines.remove(new Deadline(record.expiresAtMillis(), id));
    }
  }

  /**
   * Expires every session idle past its time-to-live at leader time {@code nowMillis}, in deadline
   * order, and forgets tombstones older than the retention.
   *
   * @return the sessions that expired now, in order
   */
  public List<SessionId> expire(long nowMillis) {
    List<SessionId> gone = new ArrayList<>();
    while (!deadlines.isEmpty() && deadlines.first().atMillis() < nowMillis) {
      Deadline due = deadlines.pollFirst();
      open.remove(due.session());
      expired.put(due.session(), due.atMillis());
      gone.add(due.session());
    }
    expired.values().removeIf(at -> at + TOMBSTONE_RETENTION_MILLIS < nowMillis);
    return gone;
  }

  /** Writes the table in canonical order. */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(open.size());
    for (Map.Entry<SessionId, SessionRecord> entry : open.entrySet()) {
      SessionRecord r = entry.getValue();
      WireFormat.writeString(out, entry.getKey().value());
      WireFormat.writePrincipal(out, r.principal());
      out.writeLong(r.ttlMillis());
      out.writeLong(r.lastSequence());
      WireFormat.writeOutcome(out, r.lastOutcome());
      WireFormat.writeResumePoint(out, r.resumePoint());
      out.writeLong(r.lastActivityMillis());
    }
    out.writeInt(expired.size());
    for (Map.Entry<SessionId, Long> entry : expired.entrySet()) {
      WireFormat.writeString(out, entry.getKey().value());
      out.writeLong(entry.getValue());
    }
  }

  /** Replaces the table's content with what {@link #writeTo} wrote. */
  public void readFrom(DataInput in) throws IOException {
    open.clear();
    deadlines.clear();
    expired.clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      SessionId id = SessionId.of(WireFormat.readString(in));
      SessionRecord record =
          new SessionRecord(
              WireFormat.readPrincipal(in),
              in.readLong(),
              in.readLong(),
              WireFormat.readOutcome(in),
              WireFormat.readResumePoint(in),
              in.readLong());
      open.put(id, record);
      deadlines.add(new Deadline(record.expiresAtMillis(), id));
    }
    int tombstones = in.readInt();
    for (int i = 0; i < tombstones; i++) {
      expired.put(SessionId.of(WireFormat.readString(in)), in.readLong());
    }
  }

  private static Outcome opened() {
    return Outcome.applied(io.steadfast.api.Position.ZERO, new byte[0], ResumePoint.start());
  }
}
