package io.steadfast.runtime.internal.journal;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Encodes journal entries and outcomes as compact binary: big-endian numbers, UTF-8 text with a
 * length prefix. The format is versioned by its first byte.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireFormat {

  private static final byte FORMAT = 1;
  private static final byte BATCH = 1;
  private static final byte HAND_OVER = 2;
  private static final byte AUDIT = 3;
  private static final byte FINALIZE = 4;
  private static final byte RESYNC = 5;

  /** The most members a re-sync entry names in each of its lists. */
  private static final int MAX_MEMBERS = 64;

  private static final int MAX_ITEMS = 1 << 20;

  /** The longest byte array or text the format carries. */
  private static final int MAX_BYTES = 64 * 1024 * 1024;

  private WireFormat() {}

  /** Encodes a journal entry. */
  public static byte[] encode(JournalEntry entry) {
    return write(
        estimate(entry),
        out -> {
          out.writeByte(FORMAT);
          if (entry instanceof JournalEntry.Batch batch) {
            out.writeByte(BATCH);
            out.writeLong(batch.leaderTimeMillis());
            out.writeInt(batch.requests().size());
            for (Request request : batch.requests()) {
              writeRequest(out, request);
            }
          } else if (entry instanceof JournalEntry.HandOver handOver) {
            out.writeByte(HAND_OVER);
            writeString(out, handOver.target().value());
            writeString(out, handOver.reason().name());
            out.writeLong(handOver.epoch());
          } else if (entry instanceof JournalEntry.Audit audit) {
            out.writeByte(AUDIT);
            out.writeLong(audit.round());
          } else if (entry instanceof JournalEntry.Finalize finalize) {
            out.writeByte(FINALIZE);
            out.writeInt(finalize.version());
          } else if (entry instanceof JournalEntry.Resync resync) {
            out.writeByte(RESYNC);
            out.writeLong(resync.round());
            writeMembers(out, resync.targets());
            writeMembers(out, resync.sources());
          } else {
            throw new IllegalArgumentException("unknown journal entry " + entry);
          }
        });
  }

  /**
   * Decodes a journal entry.
   *
   * @throws IOException if the bytes are not a journal entry of a known format
   */
  public static JournalEntry decode(byte[] bytes) throws IOException {
    ByteReader in = new ByteReader(bytes);
    byte format = in.readByte();
    if (format != FORMAT) {
      throw new IOException("unknown journal entry format " + format);
    }
    byte kind = in.readByte();
    switch (kind) {
      case BATCH -> {
        long time = in.readLong();
        int count = count(in);
        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          requests.add(readRequest(in));
        }
        return new JournalEntry.Batch(time, requests);
      }
      case HAND_OVER -> {
        return new JournalEntry.HandOver(
            NodeId.of(readString(in)), RoleChange.Reason.valueOf(readString(in)), in.readLong());
      }
      case AUDIT -> {
        return new JournalEntry.Audit(in.readLong());
      }
      case FINALIZE -> {
        int version = in.readInt();
        if (version < 1) {
          throw new IOException("application version must be positive: " + version);
        }
        return new JournalEntry.Finalize(version);
      }
      case RESYNC -> {
        long round = in.readLong();
        List<NodeId> targets = readMembers(in);
        List<NodeId> sources = readMembers(in);
        try {
          return new JournalEntry.Resync(round, targets, sources);
        } catch (IllegalArgumentException e) {
          throw new IOException("unreadable re-sync entry: " + e.getMessage(), e);
        }
      }
      default -> throw new IOException("unknown journal entry kind " + kind);
    }
  }

  /**
   * About the encoded size of {@code entry}, so that a batch is written into one array without
   * growing it: its payloads and session ids (ASCII by {@link SessionId}'s rule) and each request's
   * fixed fields.
   */
  private static int estimate(JournalEntry entry) {
    if (!(entry instanceof JournalEntry.Batch batch)) {
      return 64;
    }
    long size = 16;
    for (Request request : batch.requests()) {
      byte[] payload = request.payload();
      size += 32 + request.session().value().length() + (payload == null ? 64 : payload.length);
    }
    return (int) Math.min(size, 1 << 20);
  }

  private static void writeMembers(DataOutput out, List<NodeId> members) throws IOException {
    out.writeByte(members.size());
    for (NodeId member : members) {
      writeString(out, member.value());
    }
  }

  private static List<NodeId> readMembers(DataInput in) throws IOException {
    int count = in.readUnsignedByte();
    if (count > MAX_MEMBERS) {
      throw new IOException(
          "a re-sync entry names " + count + " members, more than " + MAX_MEMBERS);
    }
    List<NodeId> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      try {
        members.add(NodeId.of(readString(in)));
      } catch (IllegalArgumentException e) {
        throw new IOException("unreadable member id: " + e.getMessage(), e);
      }
    }
    return members;
  }

  /** Encodes one request on its own (for the remote client's wire). */
  public static byte[] encodeRequest(Request request) {
    return write(out -> writeRequest(out, request));
  }

  /** Decodes what {@link #encodeRequest} wrote. */
  public static Request decodeRequest(byte[] bytes) throws IOException {
    return readRequest(new ByteReader(bytes));
  }

  /** Encodes one outcome on its own. */
  public static byte[] encodeOutcome(Outcome outcome) {
    return write(out -> writeOutcome(out, outcome));
  }

  /** Decodes what {@link #encodeOutcome} wrote. */
  public static Outcome decodeOutcome(byte[] bytes) throws IOException {
    return readOutcome(new ByteReader(bytes));
  }

  /** Encodes the outcomes of one batch, in request order. */
  public static byte[] encodeOutcomes(List<Outcome> outcomes) {
    return write(
        out -> {
          out.writeInt(outcomes.size());
          for (Outcome outcome : outcomes) {
            writeOutcome(out, outcome);
          }
        });
  }

  /** Decodes the outcomes of one batch. */
  public static List<Outcome> decodeOutcomes(byte[] bytes) throws IOException {
    ByteReader in = new ByteReader(bytes);
    int count = count(in);
    List<Outcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      outcomes.add(readOutcome(in));
    }
    return outcomes;
  }

  /** Writes one outcome. */
  public static void writeOutcome(DataOutput out, Outcome outcome) throws IOException {
    out.writeByte(outcome.status().ordinal());
    writePosition(out, outcome.position());
    writeBytes(out, outcome.result());
    writeString(out, outcome.errorType());
    writeString(out, outcome.message());
    writeResumePoint(out, outcome.resumePoint());
    out.writeLong(outcome.lastSequence());
  }

  /** Reads one outcome. */
  public static Outcome readOutcome(DataInput in) throws IOException {
    int status = in.readByte();
    Outcome.Status[] statuses = Outcome.Status.values();
    if (status < 0 || status >= statuses.length) {
      throw new IOException("unknown outcome status " + status);
    }
    return new Outcome(
        statuses[status],
        readPosition(in),
        readBytes(in),
        readString(in),
        readString(in),
        readResumePoint(in),
        in.readLong());
  }

  private static void writeRequest(DataOutput out, Request request) throws IOException {
    out.writeByte(request.kind().ordinal());
    writeString(out, request.session().value());
    out.writeLong(request.sequence());
    switch (request.kind()) {
      case OPEN -> {
        // Request's constructor guarantees these for the kind.
        writePrincipal(out, java.util.Objects.requireNonNull(request.principal()));
        out.writeLong(java.util.Objects.requireNonNull(request.ttl()).toMillis());
      }
      case COMMAND -> writeBytes(out, java.util.Objects.requireNonNull(request.payload()));
      case CLOSE -> {}
    }
  }

  private static Request readRequest(DataInput in) throws IOException {
    int kind = in.readByte();
    SessionId session = SessionId.of(readString(in));
    long sequence = in.readLong();
    if (kind == Request.Kind.OPEN.ordinal()) {
      Principal principal = readPrincipal(in);
      return Request.open(session, principal, Duration.ofMillis(in.readLong()));
    } else if (kind == Request.Kind.COMMAND.ordinal()) {
      return Request.command(session, sequence, readBytes(in));
    } else if (kind == Request.Kind.CLOSE.ordinal()) {
      return Request.close(session, sequence);
    }
    throw new IOException("unknown request kind " + kind);
  }

  /** Writes a principal. */
  public static void writePrincipal(DataOutput out, Principal principal) throws IOException {
    writeString(out, principal.user());
    out.writeInt(principal.roles().size());
    for (String role : principal.roles()) {
      writeString(out, role);
    }
  }

  /** Reads a principal. */
  public static Principal readPrincipal(DataInput in) throws IOException {
    String user = readString(in);
    int count = count(in);
    TreeSet<String> roles = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      roles.add(readString(in));
    }
    return new Principal(user, roles);
  }

  /** Writes a resume point, fields in key order. */
  public static void writeResumePoint(DataOutput out, ResumePoint point) throws IOException {
    out.writeInt(point.fields().size());
    for (Map.Entry<String, String> field : point.fields().entrySet()) {
      writeString(out, field.getKey());
      writeString(out, field.getValue());
    }
  }

  /** Reads a resume point. */
  public static ResumePoint readResumePoint(DataInput in) throws IOException {
    int count = count(in);
    TreeMap<String, String> fields = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      fields.put(readString(in), readString(in));
    }
    return ResumePoint.of(fields);
  }

  /** Writes a position. */
  public static void writePosition(DataOutput out, Position position) throws IOException {
    out.writeLong(position.index());
    out.writeLong(position.epoch());
  }

  /** Reads a position. */
  public static Position readPosition(DataInput in) throws IOException {
    return new Position(in.readLong(), in.readLong());
  }

  /** Writes text as length and UTF-8 bytes. */
  public static void writeString(DataOutput out, String value) throws IOException {
    writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads text. */
  public static String readString(DataInput in) throws IOException {
    if (in instanceof ByteReader reader) {
      return reader.readUtf8(checkedLength(in));
    }
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  /** Writes bytes as length and content. */
  public static void writeBytes(DataOutput out, byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }

  /** Reads bytes written by {@link #writeBytes}. */
  public static byte[] readBytes(DataInput in) throws IOException {
    byte[] bytes = new byte[checkedLength(in)];
    in.readFully(bytes);
    return bytes;
  }

  /** Reads a length and checks it against the format's bound and the bytes left. */
  private static int checkedLength(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_BYTES) {
      throw new IOException("byte array length out of range: " + length);
    }
    // Never allocate more than the input still holds: a 5-byte body must not claim 64 MiB.
    int left = bytesLeft(in);
    if (length > left) {
      throw new IOException("byte array length " + length + " exceeds the " + left + " bytes left");
    }
    return length;
  }

  /** What an in-memory input still holds; {@link Integer#MAX_VALUE} for another input. */
  private static int bytesLeft(DataInput in) throws IOException {
    if (in instanceof ByteReader reader) {
      return reader.remaining();
    }
    if (in instanceof DataInputStream stream) {
      return stream.available();
    }
    return Integer.MAX_VALUE;
  }

  /**
   * Reads an item count from untrusted bytes and checks it against the format's bound and, for an
   * in-memory input, against the bytes left (every item takes at least one), so that no collection
   * is sized beyond what the input can hold.
   */
  public static int count(DataInput in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_ITEMS) {
      throw new IOException("item count out of range: " + count);
    }
    int left = bytesLeft(in);
    if (count > left) {
      throw new IOException("item count " + count + " exceeds the " + left + " bytes left");
    }
    return count;
  }

  private interface Writer {
    void write(DataOutput out) throws IOException;
  }

  private static byte[] write(Writer writer) {
    return write(256, writer);
  }

  private static byte[] write(int estimate, Writer writer) {
    ByteWriter out = new ByteWriter(estimate);
    try {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory write failed", e);
    }
    return out.toByteArray();
  }
}
