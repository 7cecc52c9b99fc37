package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.session.Principal;
import io.steadfast.examples.collection.AccountLoader;
import io.steadfast.examples.collection.Bucket;
import io.steadfast.examples.collection.CollectionCommand;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.QueueSnapshot;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import io.steadfast.examples.collection.CollectionResult;
import io.steadfast.examples.collection.CollectionResult.AccountOpened;
import io.steadfast.examples.collection.CollectionResult.AgingCompleted;
import io.steadfast.examples.collection.CollectionResult.QueueListing;
import io.steadfast.examples.collection.CollectionRoles;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The collection floor's supervisor: runs the first aging (which fixes the business date), loads
 * the portfolio with {@link AccountLoader}, ages it, lets the collectors start, and from then on
 * watches the bucket queues and closes the business day, moving the {@link BusinessDayClock} a day
 * forward and running {@link RunDailyAging}, once every queue is worked or the day has lasted long
 * enough. (Collectors working while the portfolio loads slow the loading, which goes one command at
 * a time, more than they gain.)
 *
 * <p>Every command it sends must be acknowledged: a rejection of an account opening means the
 * opening was applied twice and goes into the {@link Worklog} as such. Not thread-safe: used by its
 * user's thread only.
 */
final class SupervisorScript implements CollectionScript {

  private static final Duration IDLE = Duration.ofMillis(50);
  private static final Duration SHORTEST_DAY = Duration.ofSeconds(1);
  private static final Duration LONGEST_DAY = Duration.ofSeconds(4);
  private static final List<Bucket> QUEUES =
      Arrays.stream(Bucket.values()).filter(Bucket::delinquent).toList();

  private final long seed;
  private final int accounts;
  private final BusinessDayClock clock;
  private final CountDownLatch portfolioReady;
  private final Worklog worklog;
  private Iterator<OpenDelinquentAccount> portfolio = List.<OpenDelinquentAccount>of().iterator();
  private boolean loaded;
  private long dayOpenedNanos;
  private int queue;
  private int emptyQueuesInARow;
  private boolean idle;

  SupervisorScript(
      long seed,
      int accounts,
      BusinessDayClock clock,
      CountDownLatch portfolioReady,
      Worklog worklog) {
    this.seed = seed;
    this.accounts = accounts;
    this.clock = clock;
    this.portfolioReady = portfolioReady;
    this.worklog = worklog;
  }

  @Override
  public Principal principal() {
    return CollectionRoles.supervisor("supervisor");
  }

  /** Runs the aging once on the empty system: the answer gives the business date to load at. */
  @Override
  public CollectionCommand first() {
    return new RunDailyAging("open");
  }

  @Override
  public CollectionCommand next(CollectionCommand command, CollectionResult result) {
    idle = false;
    if (result instanceof AccountOpened opened) {
      worklog.accountOpened(opened.account().accountId());
    } else if (result instanceof AgingCompleted aged) {
      worklog.aged(aged.businessDate());
      dayOpenedNanos = System.nanoTime();
      if (!loaded) {
        if (worklog.agingRuns() == 1) {
          portfolio = AccountLoader.openCommands(seed, accounts, aged.businessDate()).iterator();
        } else {
          loaded = true;
          portfolioReady.countDown();
        }
      }
    } else if (result instanceof QueueListing listing) {
      emptyQueuesInARow = listing.eligible() == 0 ? emptyQueuesInARow + 1 : 0;
    }
    if (portfolio.hasNext()) {
      return portfolio.next();
    }
    if (!loaded) {
      return new RunDailyAging("load");
    }
    return watchOrClose();
  }

  @Override
  public CollectionCommand afterRejection(
      CollectionCommand command, CommandRejectedException rejection) {
    idle = false;
    if (command instanceof OpenDelinquentAccount open) {
      worklog.appliedTwice(
          "opening account " + open.accountId() + " was rejected: " + rejection.reason());
    }
    return portfolio.hasNext()
        ? portfolio.next()
        : loaded ? watchOrClose() : new RunDailyAging("load");
  }

  /** A moment between looks at the queues. */
  @Override
  public Duration pause() {
    return idle ? IDLE : Duration.ZERO;
  }

  private CollectionCommand watchOrClose() {
    Duration day = Duration.ofNanos(System.nanoTime() - dayOpenedNanos);
    boolean worked = emptyQueuesInARow >= QUEUES.size();
    if (day.compareTo(LONGEST_DAY) >= 0 || (worked && day.compareTo(SHORTEST_DAY) >= 0)) {
      emptyQueuesInARow = 0;
      clock.nextDay();
      return new RunDailyAging("eod-" + clock.daysAhead());
    }
    idle = true;
    queue = (queue + 1) % QUEUES.size();
    return new QueueSnapshot(QUEUES.get(queue), 1);
  }
}
