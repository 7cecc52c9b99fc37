package io.steadfast.examples.collection;

import io.steadfast.api.Position;
import io.steadfast.api.QueryContext;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.examples.collection.CollectionCommand.GetAccount;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.QueueSnapshot;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import io.steadfast.examples.collection.CollectionResult.AccountDetails;
import io.steadfast.examples.collection.CollectionResult.AgingCompleted;
import io.steadfast.examples.collection.CollectionResult.QueueListing;
import io.steadfast.testkit.apply.TestApplyContext;
import io.steadfast.testkit.checkpoint.Checkpoints;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives one {@link LoanCollectionApplication} the way the runtime would: positions in order, a
 * leader timestamp the test sets, one session (and resume point) per user.
 */
final class Harness {

  static final Principal SUPERVISOR = CollectionRoles.supervisor("sam");
  static final Principal MANAGER = CollectionRoles.manager("mia");
  static final Principal ALICE = CollectionRoles.collector("alice");
  static final Principal BOB = CollectionRoles.collector("bob");

  /** The first day of every test unless it says otherwise. */
  static final LocalDate DAY0 = LocalDate.of(2025, 1, 1);

  final LoanCollectionApplication app;
  private final Map<String, ResumePoint> resumePoints = new TreeMap<>();
  private long index;
  private Instant now;

  Harness() {
    this(new LoanCollectionApplication());
  }

  Harness(LoanCollectionApplication app) {
    this.app = app;
    this.now = noonOf(DAY0);
  }

  static Instant noonOf(LocalDate date) {
    return date.atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
  }

  /** Sets the leader timestamp of the following commands. */
  Harness at(Instant timestamp) {
    now = timestamp;
    return this;
  }

  /** Sets the leader timestamp to noon UTC of {@code date}. */
  Harness on(LocalDate date) {
    return at(noonOf(date));
  }

  /** Applies {@code command} for {@code principal}; keeps the resume point only if accepted. */
  CollectionResult submit(Principal principal, CollectionCommand command) {
    TestApplyContext context =
        TestApplyContext.create()
            .position(new Position(++index, 1))
            .session(SessionId.of("session-" + principal.user()), principal)
            .timestamp(now)
            .resumePoint(resumePoints.getOrDefault(principal.user(), ResumePoint.start()));
    CollectionResult result = app.apply(command, context);
    ResumePoint recorded =
        context
            .pendingResumePoint()
            .orElseThrow(() -> new AssertionError("apply set no resume point for " + command));
    resumePoints.put(principal.user(), recorded);
    return result;
  }

  <T extends CollectionResult> T submit(
      Principal principal, CollectionCommand command, Class<T> type) {
    return type.cast(submit(principal, command));
  }

  ResumePoint resumePoint(Principal principal) {
    return resumePoints.getOrDefault(principal.user(), ResumePoint.start());
  }

  /** Opens an account as the supervisor. */
  AccountView open(
      String id, String principal, String pastDue, LocalDate oldestDue, String installment) {
    return submit(
            SUPERVISOR,
            new OpenDelinquentAccount(
                id,
                "Borrower " + id,
                new BigDecimal(principal),
                new BigDecimal(pastDue),
                oldestDue,
                new BigDecimal(installment)),
            CollectionResult.AccountOpened.class)
        .account();
  }

  /** Runs the daily aging at noon UTC of {@code date}. */
  AgingCompleted age(LocalDate date) {
    on(date);
    return submit(SUPERVISOR, new RunDailyAging("eod-" + date), AgingCompleted.class);
  }

  AccountView account(String id) {
    return query(new GetAccount(id), AccountDetails.class).account();
  }

  QueueListing queue(Bucket bucket) {
    return query(new QueueSnapshot(bucket, QueueSnapshot.MAX_LIMIT), QueueListing.class);
  }

  List<String> queueIds(Bucket bucket) {
    return queue(bucket).entries().stream().map(QueueEntry::accountId).toList();
  }

  <T extends CollectionResult> T query(CollectionCommand request, Class<T> type) {
    return type.cast(app.query(request, queryContext()));
  }

  QueryContext queryContext() {
    Position position = new Position(index, 1);
    return new QueryContext() {
      @Override
      public Position position() {
        return position;
      }

      @Override
      public Principal principal() {
        return ALICE;
      }
    };
  }

  byte[] checkpoint() {
    return checkpointOf(app);
  }

  static byte[] checkpointOf(LoanCollectionApplication app) {
    return Checkpoints.take(app);
  }

  static void restore(LoanCollectionApplication app, byte[] bytes, int version) throws IOException {
    Checkpoints.restore(app, bytes, version, new Position(1, 1));
  }
}
