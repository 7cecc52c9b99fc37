package io.steadfast.runtime.internal.session;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.WireFormat;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every open session, and a tombstone for every session closed or expired recently, holding its
 * last request number, payload digest and outcome so that a late retry gets its original outcome.
 *
 * <p>Bounded: at most {@link #MAX_OPEN} open sessions (an open beyond it is refused), at most
 * {@link #MAX_TOMBSTONES} tombstones, each kept for {@link #TOMBSTONE_RETENTION} of leader time
 * (the oldest go first). Expiry and tombstone purge take from the head of time-ordered sets, so a
 * batch costs time in proportion to what actually expires, not to the table's size.
 *
 * <p>Replicated state: changed only on the apply thread, by journaled requests, with leader time;
 * sorted collections only, so checkpoints are canonical. The bounds are constants of the runtime,
 * the same on every member, so what they refuse is refused on every replica. Not thread-safe.
 */
public final class SessionTable {

  /** The most sessions open at once. */
  public static final int MAX_OPEN = 100_000;

  /** The most tombstones kept; beyond it the oldest is forgotten. */
  public static final int MAX_TOMBSTONES = 100_000;

  /** How long a tombstone is kept, in leader time. */
  public static final Duration TOMBSTONE_RETENTION = Duration.ofHours(24);

  /** The longest idle time-to-live a session may be opened with. */
  public static final Duration MAX_TTL = Duration.ofDays(366);

  /**
   * A session's deadline, ordered by time, then session. Comparable itself rather than through a
   * composed {@code Comparator}: the deadline set is searched whenever a session is opened, closed
   * or re-filed, and the composed comparator's lambdas showed in the apply thread's profile.
   */
  private record Deadline(long atMillis, SessionId session) implements Comparable<Deadline> {
    @Override
    public int compareTo(Deadline other) {
      int byTime = Long.compare(atMillis, other.atMillis);
      return byTime != 0 ? byTime : session.compareTo(other.session);
    }
  }

  private final TreeMap<SessionId, SessionRecord> open = new TreeMap<>();

  /**
   * The same records as {@link #open}, for lookup only: every command looks its session up on every
   * replica, and with 1,024 sessions the sorted map's lookups (about ten string comparisons each)
   * were 18 % of a profile's execution samples. Never iterated, so its order cannot reach
   * replicated state; {@link #open} keeps the canonical order for checkpoints. At most {@link
   * #MAX_OPEN} entries, like {@link #open}.
   */
  private final HashMap<SessionId, SessionRecord> byId = new HashMap<>();

  /**
   * Every open session, filed under a time no later than its deadline ({@link
   * SessionRecord#filedAtMillis}). Activity only moves a deadline later, so a command leaves its
   * session where it is filed: with 1,024 sessions, moving the entry on every command (a removal
   * and an insertion, and every command of a batch shares its leader time, so the ties were broken
   * by string comparisons) was 12 % of a profile's execution samples. {@link #expire} re-files what
   * it finds filed too early and expires the rest in exact deadline order, so what it returns does
   * not depend on where a record happened to be filed: a replica that restored a checkpoint (which
   * files every record at its exact deadline) expires exactly what the others do.
   */
  private final TreeSet<Deadline> deadlines = new TreeSet<>();

  private final TreeMap<SessionId, Tombstone> ended = new TreeMap<>();
  private final TreeSet<Deadline> endings = new TreeSet<>();

  /** The open session {@code id}, if any. */
  public Optional<SessionRecord> get(SessionId id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The tombstone of {@code id}, if it was closed or expired and is still remembered. */
  public Optional<Tombstone> tombstone(SessionId id) {
    return Optional.ofNullable(ended.get(id));
  }

  /** Whether {@code id} expired recently (its tombstone is still kept). */
  public boolean isExpired(SessionId id) {
    Tombstone tombstone = ended.get(id);
    return tombstone != null && tombstone.end() == Tombstone.End.EXPIRED;
  }

  /**
   * A leader time before which no open session expires, or {@link Long#MAX_VALUE} with none open.
   * It may be earlier than the next real expiry (deadlines are re-filed lazily); an {@link #expire}
   * at that time then only re-files.
   */
  public long nextExpiryMillis() {
    return deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.first().atMillis();
  }

  /** The number of open sessions. */
  public int size() {
    return open.size();
  }

  /** The number of tombstones kept. */
  public int tombstones() {
    return ended.size();
  }

  /**
   * Opens a session, or re-opens one its owner closed (numbering, last outcome and resume point go
   * on). The caller has checked that it is not open, not expired, and within {@link #MAX_OPEN}.
   */
  public SessionRecord open(SessionId id, Principal principal, long ttlMillis, long nowMillis) {
    Tombstone closed = ended.remove(id);
    SessionRecord record;
    if (closed != null) {
      endings.remove(new Deadline(closed.endedAtMillis(), id));
      record = closed.record().reopened(ttlMillis, nowMillis);
    } else {
      record =
          new SessionRecord(
              principal,
              ttlMillis,
              0,
              0,
              Outcome.session(0, ResumePoint.start()),
              ResumePoint.start(),
              nowMillis);
    }
    open.put(id, record);
    byId.put(id, record);
    file(id, record);
    return record;
  }

  private void file(SessionId id, SessionRecord record) {
    record.filedAtMillis = record.expiresAtMillis();
    deadlines.add(new Deadline(record.filedAtMillis, id));
  }

  private void unfile(SessionId id, SessionRecord record) {
    deadlines.remove(new Deadline(record.filedAtMillis, id));
  }

  /** Re-files the record only if its deadline moved earlier than where it is filed. */
  private void refileIfEarlier(SessionId id, SessionRecord record) {
    if (record.expiresAtMillis() < record.filedAtMillis) {
      unfile(id, record);
      file(id, record);
    }
  }

  /** Records the outcome of request {@code sequence} and moves the session's deadline. */
  public void record(
      SessionId id,
      SessionRecord record,
      long sequence,
      long digest,
      Outcome outcome,
      ResumePoint point,
      long nowMillis) {
    record.record(sequence, digest, outcome.forRecord(), point, nowMillis);
    refileIfEarlier(id, record);
  }

  /** Marks activity without a new request (a retry), moving the deadline. */
  public void touch(SessionId id, SessionRecord record, long nowMillis) {
    record.touch(nowMillis);
    refileIfEarlier(id, record);
  }

  /** Closes an open session at its owner's request, keeping a tombstone. */
  public void close(SessionId id, long nowMillis) {
    SessionRecord record = open.remove(id);
    byId.remove(id);
    if (record != null) {
      unfile(id, record);
      bury(id, new Tombstone(record, Tombstone.End.CLOSED, nowMillis));
    }
  }

  /**
   * Expires every session idle past its time-to-live at leader time {@code nowMillis}, in deadline
   * order (then by session), and forgets tombstones older than the retention, oldest first.
   *
   * @return the sessions that expired now, in order
   */
  public List<SessionId> expire(long nowMillis) {
    List<Deadline> due = new ArrayList<>();
    while (!deadlines.isEmpty() && deadlines.first().atMillis() < nowMillis) {
      SessionId id = deadlines.pollFirst().session();
      SessionRecord record =
          java.util.Objects.requireNonNull(
              byId.get(id), "every deadline belongs to an open session");
      if (record.expiresAtMillis() < nowMillis) {
        due.add(new Deadline(record.expiresAtMillis(), id));
      } else {
        file(id, record); // filed early: activity moved it past nowMillis, so it stays open
      }
    }
    // Filed times differ between replicas (a restore files exactly); the real deadlines do not.
    due.sort(null);
    List<SessionId> gone = new ArrayList<>(due.size());
    for (Deadline deadline : due) {
      SessionId id = deadline.session();
      SessionRecord record = java.util.Objects.requireNonNull(open.remove(id));
      byId.remove(id);
      bury(id, new Tombstone(record, Tombstone.End.EXPIRED, deadline.atMillis()));
      gone.add(id);
    }
    long horizon = nowMillis - TOMBSTONE_RETENTION.toMillis();
    while (!endings.isEmpty() && endings.first().atMillis() < horizon) {
      ended.remove(endings.pollFirst().session());
    }
    return gone;
  }

  private void bury(SessionId id, Tombstone tombstone) {
    Tombstone previous = ended.put(id, tombstone);
    if (previous != null) {
      endings.remove(new Deadline(previous.endedAtMillis(), id));
    }
    endings.add(new Deadline(tombstone.endedAtMillis(), id));
    while (ended.size() > MAX_TOMBSTONES) {
      ended.remove(endings.pollFirst().session());
    }
  }

  /** Writes the table in canonical order (the current layout). */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(open.size());
    for (Map.Entry<SessionId, SessionRecord> entry : open.entrySet()) {
      WireFormat.writeString(out, entry.getKey().value());
      writeRecord(out, entry.getValue());
    }
    out.writeInt(ended.size());
    for (Map.Entry<SessionId, Tombstone> entry : ended.entrySet()) {
      Tombstone tombstone = entry.getValue();
      WireFormat.writeString(out, entry.getKey().value());
      out.writeByte(tombstone.end().ordinal());
      out.writeLong(tombstone.endedAtMillis());
      writeRecord(out, tombstone.record());
    }
  }

  /**
   * Replaces the table's content with what {@link #writeTo} wrote; {@code layout} 1 reads the
   * layout before tombstones kept records (its tombstones then answer only "expired").
   */
  public void readFrom(DataInput in, int layout) throws IOException {
    open.clear();
    byId.clear();
    deadlines.clear();
    ended.clear();
    endings.clear();
    int count = WireFormat.count(in);
    for (int i = 0; i < count; i++) {
      SessionId id = SessionId.of(WireFormat.readString(in));
      SessionRecord record = readRecord(in, layout);
      open.put(id, record);
      byId.put(id, record);
      file(id, record);
    }
    int tombstones = WireFormat.count(in);
    for (int i = 0; i < tombstones; i++) {
      SessionId id = SessionId.of(WireFormat.readString(in));
      Tombstone tombstone;
      if (layout == 1) {
        long at = in.readLong();
        tombstone =
            new Tombstone(
                new SessionRecord(
                    Principal.of("unknown"), 0, -1, 0, Outcome.expired(), ResumePoint.start(), at),
                Tombstone.End.EXPIRED,
                at);
      } else {
        int end = in.readByte();
        if (end < 0 || end >= Tombstone.End.values().length) {
          throw new IOException("unknown session end " + end);
        }
        long at = in.readLong();
        tombstone = new Tombstone(readRecord(in, layout), Tombstone.End.values()[end], at);
      }
      ended.put(id, tombstone);
      endings.add(new Deadline(tombstone.endedAtMillis(), id));
    }
  }

  private static void writeRecord(DataOutput out, SessionRecord r) throws IOException {
    WireFormat.writePrincipal(out, r.principal());
    out.writeLong(r.ttlMillis());
    out.writeLong(r.lastSequence());
    out.writeLong(r.lastDigest());
    WireFormat.writeOutcome(out, r.lastOutcome());
    WireFormat.writeResumePoint(out, r.resumePoint());
    out.writeLong(r.lastActivityMillis());
  }

  private static SessionRecord readRecord(DataInput in, int layout) throws IOException {
    Principal principal = WireFormat.readPrincipal(in);
    long ttl = in.readLong();
    long lastSequence = in.readLong();
    long digest = layout == 1 ? 0 : in.readLong();
    return new SessionRecord(
        principal,
        ttl,
        lastSequence,
        digest,
        WireFormat.readOutcome(in),
        WireFormat.readResumePoint(in),
        in.readLong());
  }
}
