package io.steadfast.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.journal.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SessionTableTest {

  private static final Principal CLERK = Principal.of("u", "clerk");
  private final SessionTable table = new SessionTable();

  private static SessionId id(int i) {
    return SessionId.of("s" + i);
  }

  @Test
  void expire_takesSessionsInDeadlineOrder_andLeavesTombstones() {
    table.open(id(1), CLERK, 100, 0);
    table.open(id(2), CLERK, 50, 0);
    table.open(id(3), CLERK, 1_000, 0);

    assertThat(table.expire(60)).containsExactly(id(2));
    assertThat(table.expire(200)).containsExactly(id(1));
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.isExpired(id(1))).isTrue();
    assertThat(table.nextExpiryMillis()).isEqualTo(1_000);
  }

  @Test
  void activity_movesTheDeadline() {
    SessionRecord record = table.open(id(1), CLERK, 100, 0);
    table.record(
        id(1),
        record,
        1,
        42,
        Outcome.applied(new Position(1, 1), new byte[0], ResumePoint.of("k", "v")),
        ResumePoint.of("k", "v"),
        90);

    assertThat(table.expire(150)).isEmpty();
    assertThat(table.expire(191)).containsExactly(id(1));
  }

  @Test
  void closedSession_isRemembered_andReopensWithItsNumbering() {
    SessionRecord record = table.open(id(1), CLERK, 100, 0);
    table.record(
        id(1),
        record,
        5,
        7,
        Outcome.applied(new Position(1, 1), new byte[0], ResumePoint.start()),
        ResumePoint.of("at", "5"),
        10);
    table.close(id(1), 20);

    assertThat(table.get(id(1))).isEmpty();
    assertThat(table.tombstone(id(1)))
        .get()
        .satisfies(t -> assertThat(t.end()).isEqualTo(Tombstone.End.CLOSED));
    SessionRecord reopened = table.open(id(1), CLERK, 100, 30);
    assertThat(reopened.lastSequence()).isEqualTo(5);
    assertThat(reopened.lastDigest()).isEqualTo(7);
    assertThat(reopened.resumePoint()).isEqualTo(ResumePoint.of("at", "5"));
    assertThat(table.tombstone(id(1))).isEmpty();
  }

  @Test
  void tombstones_areForgottenAfterTheRetention() {
    table.open(id(1), CLERK, 10, 0);
    table.expire(11);
    long retention = SessionTable.TOMBSTONE_RETENTION.toMillis();

    table.expire(10 + retention);
    assertThat(table.tombstone(id(1))).isPresent();
    table.expire(11 + retention);
    assertThat(table.tombstone(id(1))).isEmpty();
  }

  @Test
  void writeTo_readFrom_roundTripsToTheSameBytes() throws IOException {
    SessionRecord record = table.open(id(1), CLERK, 100, 0);
    table.record(
        id(1),
        record,
        3,
        99,
        Outcome.rejected(new Position(2, 1), "X", "", ResumePoint.start()),
        ResumePoint.start(),
        5);
    table.open(id(2), CLERK, 100, 0);
    table.close(id(2), 6);
    table.open(id(3), CLERK, 1, 0);
    table.expire(50);

    byte[] first = bytes(table);
    SessionTable copy = new SessionTable();
    copy.readFrom(
        new DataInputStream(new ByteArrayInputStream(first)), CheckpointFile.FORMAT_VERSION);

    assertThat(bytes(copy)).isEqualTo(first);
    assertThat(copy.tombstones()).isEqualTo(2);
  }

  private static byte[] bytes(SessionTable table) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      table.writeTo(data);
    }
    return out.toByteArray();
  }

  @Test
  void get_findsExactlyTheOpenSessions_afterOpensClosesExpiriesAndARestore() throws IOException {
    java.util.Random random = new java.util.Random(7);
    java.util.TreeMap<SessionId, Long> model = new java.util.TreeMap<>();
    SessionTable current = table;
    long now = 0;
    for (int step = 0; step < 5_000; step++) {
      now += random.nextInt(20);
      SessionId session = id(random.nextInt(200));
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          if (!model.containsKey(session) && !current.isExpired(session)) {
            current.open(session, CLERK, 50 + random.nextInt(500), now);
            model.put(session, now);
          }
        }
        case 2 -> {
          current.close(session, now);
          model.remove(session);
        }
        case 3 -> {
          for (SessionId gone : current.expire(now)) {
            assertThat(model.remove(gone)).as("expired %s was open", gone).isNotNull();
          }
        }
        default -> {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          current.writeTo(new DataOutputStream(bytes));
          SessionTable restored = new SessionTable();
          restored.readFrom(
              new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
              CheckpointFile.FORMAT_VERSION);
          current = restored;
        }
      }
      for (int i = 0; i < 200; i++) {
        assertThat(current.get(id(i)).isPresent())
            .as("step %d: session %s", step, id(i))
            .isEqualTo(model.containsKey(id(i)));
      }
      assertThat(current.size()).isEqualTo(model.size());
    }
  }

  /**
   * Activity moves a deadline without re-filing it; expiry must still take exactly the sessions
   * past their real deadline, in (deadline, session) order, and a replica that restores checkpoints
   * at random points (and so files every record exactly) must expire the same and hold the same
   * bytes as one that never restores.
   */
  @Test
  void expire_matchesTheRealDeadlines_whereverActivityLeftARecordFiled() throws IOException {
    java.util.Random random = new java.util.Random(11);
    record Live(long lastActivity, long ttl) {
      long expiresAt() {
        return lastActivity + ttl;
      }
    }
    java.util.TreeMap<SessionId, Live> model = new java.util.TreeMap<>();
    SessionTable steady = table;
    SessionTable restoring = new SessionTable();
    long now = 0;
    for (int step = 0; step < 20_000; step++) {
      now += random.nextInt(4) == 0 ? random.nextInt(200) : 0; // batches share their leader time
      SessionId session = id(random.nextInt(100));
      switch (random.nextInt(8)) {
        case 0 -> {
          if (!model.containsKey(session) && !steady.isExpired(session)) {
            long ttl = 50L + random.nextInt(400);
            steady.open(session, CLERK, ttl, now);
            restoring.open(session, CLERK, ttl, now);
            model.put(session, new Live(now, ttl));
          }
        }
        case 1 -> {
          steady.close(session, now);
          restoring.close(session, now);
          model.remove(session);
        }
        case 2, 3, 4 -> {
          Live live = model.get(session);
          if (live != null) {
            long sequence = steady.get(session).orElseThrow().lastSequence() + 1;
            Outcome outcome =
                Outcome.applied(new Position(1, sequence), new byte[0], ResumePoint.start());
            for (SessionTable t : java.util.List.of(steady, restoring)) {
              t.record(
                  session,
                  t.get(session).orElseThrow(),
                  sequence,
                  sequence,
                  outcome,
                  ResumePoint.start(),
                  now);
            }
            model.put(session, new Live(now, live.ttl()));
          }
        }
        case 5 -> {
          if (model.containsKey(session)) {
            steady.touch(session, steady.get(session).orElseThrow(), now);
            restoring.touch(session, restoring.get(session).orElseThrow(), now);
            model.put(session, new Live(now, model.get(session).ttl()));
          }
        }
        case 6 -> {
          long at = now;
          java.util.List<SessionId> expected =
              model.entrySet().stream()
                  .filter(e -> e.getValue().expiresAt() < at)
                  .sorted(
                      java.util.Map.Entry.<SessionId, Live>comparingByValue(
                              java.util.Comparator.comparingLong(Live::expiresAt))
                          .thenComparing(java.util.Map.Entry.comparingByKey()))
                  .map(java.util.Map.Entry::getKey)
                  .toList();
          assertThat(steady.expire(now)).as("step %d", step).isEqualTo(expected);
          assertThat(restoring.expire(now)).as("step %d", step).isEqualTo(expected);
          expected.forEach(model::remove);
        }
        default -> restoring = restored(restoring);
      }
      assertThat(bytes(steady)).as("step %d", step).isEqualTo(bytes(restoring));
      long realNext =
          model.values().stream().mapToLong(Live::expiresAt).min().orElse(Long.MAX_VALUE);
      assertThat(steady.nextExpiryMillis()).as("step %d", step).isLessThanOrEqualTo(realNext);
      assertThat(restoring.nextExpiryMillis()).as("step %d", step).isLessThanOrEqualTo(realNext);
    }
  }

  private static SessionTable restored(SessionTable from) throws IOException {
    SessionTable restored = new SessionTable();
    restored.readFrom(
        new DataInputStream(new ByteArrayInputStream(bytes(from))), CheckpointFile.FORMAT_VERSION);
    return restored;
  }
}
