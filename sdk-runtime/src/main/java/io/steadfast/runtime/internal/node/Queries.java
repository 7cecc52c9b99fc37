package io.steadfast.runtime.internal.node;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.Health;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.Position;
import io.steadfast.api.QueryContext;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.apply.ReplicatedCore;
import io.steadfast.runtime.internal.audit.Fingerprints;
import io.steadfast.runtime.internal.audit.ResyncCopies;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.session.SessionRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The read requests a node answers through the engine's linearizable read path: a session's record,
 * and the application's own queries. Encoding and answering, in one place.
 */
public final class Queries {

  private static final byte SESSION = 1;
  private static final byte APPLICATION = 2;
  private static final byte HEALTH = 3;
  private static final byte AUDIT = 4;
  private static final byte VERSION = 5;
  private static final byte RESYNC = 6;
  private static final byte PROGRESS = 7;
  private static final byte JOURNAL_END = 8;

  private Queries() {}

  public static byte[] sessionQuery(SessionId session) {
    return write(
        out -> {
          out.writeByte(SESSION);
          WireFormat.writeString(out, session.value());
        });
  }

  public static byte[] appQuery(Principal principal, byte[] payload) {
    return write(
        out -> {
          out.writeByte(APPLICATION);
          WireFormat.writePrincipal(out, principal);
          WireFormat.writeBytes(out, payload);
        });
  }

  /** The principal and encoded request of {@link #appQuery} bytes. */
  public record AppQuery(Principal principal, byte[] payload) {}

  /**
   * Reads {@link #appQuery} bytes.
   *
   * @throws MalformedCommandException if they are not an application query
   */
  public static AppQuery decodeAppQuery(byte[] query) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(query));
      if (in.readByte() != APPLICATION) {
        throw new MalformedCommandException("not an application query");
      }
      Principal principal = WireFormat.readPrincipal(in);
      byte[] payload = WireFormat.readBytes(in);
      if (in.available() > 0) {
        throw new MalformedCommandException("bytes after the query");
      }
      return new AppQuery(principal, payload);
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedCommandException("unreadable query: " + e.getMessage(), e);
    }
  }

  public static byte[] healthQuery() {
    return new byte[] {HEALTH};
  }

  /** Asks a peer for its fingerprint of audit {@code round}. */
  public static byte[] auditQuery(long round) {
    return write(
        out -> {
          out.writeByte(AUDIT);
          out.writeLong(round);
        });
  }

  /**
   * A peer's answer about one audit round.
   *
   * @param state what the peer has for the round
   * @param journalIndex the audit entry's index (0 unless {@link AuditState#DONE})
   * @param runtime the runtime state's SHA-256 (empty unless done)
   * @param application the application state's SHA-256 (empty unless done)
   */
  public record AuditAnswer(
      AuditState state, long journalIndex, String runtime, String application) {}

  /** What a peer has for an audit round. */
  public enum AuditState {
    /** It has not applied the audit entry (behind), or no longer remembers it. */
    UNKNOWN,
    /** Applied; the application's part is still being hashed. */
    PENDING,
    /** Both fingerprints are ready. */
    DONE,
    /** The application's checkpoint failed while fingerprinting. */
    FAILED
  }

  /** Asks a peer which application version its code supports. */
  public static byte[] versionQuery() {
    return new byte[] {VERSION};
  }

  /**
   * Asks a peer for its engine's commit index as it counts it itself: the primary's replication
   * watch compares it with its own, because the engine's leader can keep a wrong record of a
   * follower.
   */
  public static byte[] progressQuery() {
    return new byte[] {PROGRESS};
  }

  /**
   * Asks a peer where its journal ends. A backup asks it of the other backups once it found the
   * primary's process gone, to let the member with the longest journal stand first; the question
   * also tells the peer to probe the primary itself ({@link #isJournalEndQuery}).
   */
  public static byte[] journalEndQuery() {
    return new byte[] {JOURNAL_END};
  }

  /** Whether {@code query} is {@link #journalEndQuery()}. */
  public static boolean isJournalEndQuery(byte[] query) {
    return query.length == 1 && query[0] == JOURNAL_END;
  }

  /**
   * Reads a peer's answer to {@link #journalEndQuery()}.
   *
   * @throws MalformedCommandException if the answer is not one
   */
  public static DeadPrimaryWatch.JournalEnd decodeJournalEnd(byte[] reply) {
    if (reply.length != 16) {
      throw new MalformedCommandException("unreadable journal end answer");
    }
    ByteBuffer at = ByteBuffer.wrap(reply);
    return new DeadPrimaryWatch.JournalEnd(at.getLong(), at.getLong());
  }

  /**
   * Reads a peer's answer to {@link #progressQuery()}.
   *
   * @throws MalformedCommandException if the answer is not one
   */
  public static long decodeProgress(byte[] reply) {
    if (reply.length != 8) {
      throw new MalformedCommandException("unreadable progress answer");
    }
    return ByteBuffer.wrap(reply).getLong();
  }

  /**
   * Reads a peer's supported application version.
   *
   * @throws MalformedCommandException if the answer is not one
   */
  public static int decodeVersion(byte[] reply) {
    if (reply.length != 4) {
      throw new MalformedCommandException("unreadable version answer");
    }
    return ByteBuffer.wrap(reply).getInt();
  }

  /**
   * Asks a peer for the chunk at {@code offset} of its copy of the state for re-sync {@code round},
   * whose entry is at {@code journalIndex}.
   */
  public static byte[] resyncQuery(long round, long journalIndex, long offset) {
    return write(
        out -> {
          out.writeByte(RESYNC);
          out.writeLong(round);
          out.writeLong(journalIndex);
          out.writeLong(offset);
        });
  }

  /**
   * Reads a peer's answer to {@link #resyncQuery}.
   *
   * @throws MalformedCommandException if it is not one
   */
  public static ResyncCopies.Chunk decodeResync(byte[] reply) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
      int ordinal = in.readByte();
      if (ordinal < 0 || ordinal >= ResyncCopies.State.values().length) {
        throw new MalformedCommandException("unknown re-sync state " + ordinal);
      }
      ResyncCopies.State state = ResyncCopies.State.values()[ordinal];
      if (state != ResyncCopies.State.READY) {
        return new ResyncCopies.Chunk(state, 0, new byte[0]);
      }
      long length = in.readLong();
      byte[] chunk = WireFormat.readBytes(in);
      if (length < 0 || chunk.length > ResyncCopies.CHUNK) {
        throw new MalformedCommandException("re-sync chunk out of bounds");
      }
      return new ResyncCopies.Chunk(state, length, chunk);
    } catch (IOException e) {
      throw new MalformedCommandException("unreadable re-sync answer", e);
    }
  }

  /** What a member consults to answer its peers' direct questions. */
  public record PeerFacts(
      Health health,
      Fingerprints fingerprints,
      ResyncCopies copies,
      java.util.function.LongSupplier applied,
      java.util.function.LongSupplier committed,
      java.util.function.Supplier<DeadPrimaryWatch.@Nullable JournalEnd> journalEnd,
      int supportedVersion) {}

  /**
   * Answers a peer's direct question: health, a fingerprint, a chunk of a re-sync copy, the
   * engine's commit index, where the journal ends, or the application version this member's code
   * supports; none reads replicated state.
   *
   * @throws IllegalStateException if the journal's end is asked while the engine is not running
   */
  public static byte[] answerPeer(byte[] query, PeerFacts facts) {
    Fingerprints fingerprints = facts.fingerprints();
    Health health = facts.health();
    int supportedVersion = facts.supportedVersion();
    if (query.length == 25 && query[0] == RESYNC) {
      ByteBuffer at = ByteBuffer.wrap(query, 1, 24);
      ResyncCopies.Chunk chunk =
          facts.copies().read(at.getLong(), at.getLong(), at.getLong(), facts.applied());
      return write(
          out -> {
            out.writeByte(chunk.state().ordinal());
            if (chunk.state() == ResyncCopies.State.READY) {
              out.writeLong(chunk.length());
              WireFormat.writeBytes(out, chunk.chunk());
            }
          });
    }
    if (query.length == 1 && query[0] == PROGRESS) {
      return ByteBuffer.allocate(8).putLong(facts.committed().getAsLong()).array();
    }
    if (isJournalEndQuery(query)) {
      DeadPrimaryWatch.JournalEnd end = facts.journalEnd().get();
      if (end == null) {
        throw new IllegalStateException("the journal is not open");
      }
      return ByteBuffer.allocate(16).putLong(end.term()).putLong(end.index()).array();
    }
    if (query.length == 1 && query[0] == VERSION) {
      return ByteBuffer.allocate(4).putInt(supportedVersion).array();
    }
    if (query.length == 9 && query[0] == AUDIT) {
      long round = ByteBuffer.wrap(query, 1, 8).getLong();
      return write(out -> writeAuditAnswer(out, fingerprints.of(round).orElse(null)));
    }
    if (query.length != 1 || query[0] != HEALTH) {
      throw new MalformedCommandException("unknown peer question");
    }
    return write(
        out -> {
          out.writeByte(health.status().ordinal());
          WireFormat.writeString(out, health.detail());
        });
  }

  private static void writeAuditAnswer(
      DataOutputStream out, Fingerprints.@Nullable Fingerprint fingerprint) throws IOException {
    if (fingerprint == null) {
      out.writeByte(AuditState.UNKNOWN.ordinal());
      return;
    }
    CompletableFuture<String> application = fingerprint.application();
    if (!application.isDone()) {
      out.writeByte(AuditState.PENDING.ordinal());
      return;
    }
    if (application.isCompletedExceptionally()) {
      out.writeByte(AuditState.FAILED.ordinal());
      return;
    }
    out.writeByte(AuditState.DONE.ordinal());
    out.writeLong(fingerprint.journalIndex());
    WireFormat.writeString(out, fingerprint.runtime());
    WireFormat.writeString(out, application.join());
  }

  /** This node's own answer about {@code round}, as a peer would give it. */
  public static AuditAnswer auditAnswer(Fingerprints fingerprints, long round) {
    return decodeAudit(write(out -> writeAuditAnswer(out, fingerprints.of(round).orElse(null))));
  }

  /**
   * Reads a peer's answer about an audit round.
   *
   * @throws MalformedCommandException if it is not one
   */
  public static AuditAnswer decodeAudit(byte[] reply) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
      int ordinal = in.readByte();
      if (ordinal < 0 || ordinal >= AuditState.values().length) {
        throw new MalformedCommandException("unknown audit state " + ordinal);
      }
      AuditState state = AuditState.values()[ordinal];
      if (state != AuditState.DONE) {
        return new AuditAnswer(state, 0, "", "");
      }
      return new AuditAnswer(
          state, in.readLong(), WireFormat.readString(in), WireFormat.readString(in));
    } catch (IOException e) {
      throw new MalformedCommandException("unreadable audit answer", e);
    }
  }

  public static Health decodeHealth(byte[] reply) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
      Health.Status status = Health.Status.values()[in.readByte()];
      return new Health(status, WireFormat.readString(in));
    } catch (IOException | RuntimeException e) {
      throw new MalformedCommandException("unreadable health reply", e);
    }
  }

  /** Answers a query against {@code core}; the caller holds the state's read lock. */
  public static <C, R> byte[] answer(
      byte[] query, ReplicatedCore<C, R> core, CommandCodec<C, R> codec) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(query));
      byte kind = in.readByte();
      if (kind == SESSION) {
        SessionId id = SessionId.of(WireFormat.readString(in));
        Optional<SessionRecord> record = core.sessions().get(id);
        return write(
            out -> {
              if (record.isPresent()) {
                out.writeByte(SessionView.State.OPEN.ordinal());
                out.writeLong(record.get().lastSequence());
                WireFormat.writeResumePoint(out, record.get().resumePoint());
                WireFormat.writeString(out, record.get().principal().user());
              } else {
                out.writeByte(
                    (core.sessions().isExpired(id)
                            ? SessionView.State.EXPIRED
                            : SessionView.State.UNKNOWN)
                        .ordinal());
                out.writeLong(0);
                WireFormat.writeResumePoint(out, ResumePoint.start());
                WireFormat.writeString(out, "");
              }
            });
      }
      if (kind == APPLICATION) {
        Principal principal = WireFormat.readPrincipal(in);
        C request = codec.decodeCommand(WireFormat.readBytes(in));
        Position position = core.lastPosition();
        QueryContext context =
            new QueryContext() {
              @Override
              public Position position() {
                return position;
              }

              @Override
              public Principal principal() {
                return principal;
              }
            };
        try {
          R result = core.application().query(request, context);
          byte[] encoded = codec.encodeResult(result);
          return write(
              out -> {
                out.writeBoolean(true);
                WireFormat.writeBytes(out, encoded);
              });
        } catch (Exception e) {
          return write(
              out -> {
                out.writeBoolean(false);
                WireFormat.writeString(out, e.getClass().getSimpleName());
                WireFormat.writeString(out, e.getMessage() == null ? "" : e.getMessage());
              });
        }
      }
      throw new MalformedCommandException("unknown query kind " + kind);
    } catch (IOException e) {
      throw new MalformedCommandException("unreadable query: " + e.getMessage(), e);
    }
  }

  public static SessionView decodeSessionReply(byte[] reply) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
      SessionView.State state = SessionView.State.values()[in.readByte()];
      return new SessionView(
          state, in.readLong(), WireFormat.readResumePoint(in), WireFormat.readString(in));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable session reply", e);
    }
  }

  public static <C, R> R decodeAppReply(byte[] reply, CommandCodec<C, R> codec) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
      if (in.readBoolean()) {
        return codec.decodeResult(WireFormat.readBytes(in));
      }
      throw new CommandRejectedException(WireFormat.readString(in), WireFormat.readString(in));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable query reply", e);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
