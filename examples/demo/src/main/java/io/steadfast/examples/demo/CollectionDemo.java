package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.examples.collection.CollectionCommand;
import io.steadfast.examples.collection.CollectionCommand.GetAccount;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionResult;
import io.steadfast.examples.collection.CollectionResult.AccountDetails;
import io.steadfast.examples.collection.CollectionRoles;
import io.steadfast.examples.collection.CollectorWorkflow;
import io.steadfast.examples.collection.LoanCollectionApplication;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The Delinquent Loan Collection System in the demo: one supervisor loads a portfolio and closes
 * each business day with the daily aging; every other user is a collector working bucket queues,
 * logging contacts, recording promises and posting payments. The leader clock jumps a day at each
 * close ({@link BusinessDayClock}), so accounts age, fees fall due, promises break and accounts
 * charge off while the demo runs.
 *
 * <p>Its own checks, against what the users were told ({@link Worklog}):
 *
 * <ul>
 *   <li>every account whose opening was acknowledged can be read back, and its count of contact
 *       attempts equals the number of acknowledged {@code LogContact} commands for it (more means a
 *       contact applied twice, fewer means one lost);
 *   <li>every acknowledged payment is on the books: posting it once more, from an auditor's
 *       session, is rejected as a duplicate of a payment to the same account. (If a payment had
 *       been lost, that audit would post it; the run fails either way.)
 *   <li>no answer showed a command applied twice: no payment acknowledged twice, no first post
 *       found already posted, no account opening rejected. The collectors' deliberate second posts
 *       of acknowledged payments must all be rejected, and are counted apart.
 * </ul>
 *
 * <p>Thread-safe where {@link Scenario} requires: the worklog is.
 */
final class CollectionDemo implements Scenario<CollectionCommand, CollectionResult> {

  /** Accounts loaded per collector. */
  static final int ACCOUNTS_PER_COLLECTOR = 12;

  private static final Principal AUDITOR = CollectionRoles.supervisor("auditor");

  private final BusinessDayClock clock = new BusinessDayClock(Clock.systemUTC());
  private final Worklog worklog = new Worklog();
  private final CountDownLatch portfolioReady = new CountDownLatch(1);
  private int accounts;

  @Override
  public String name() {
    return "collection";
  }

  @Override
  public void configure(EmbeddedCluster.Builder<CollectionCommand, CollectionResult> cluster) {
    cluster
        .application(LoanCollectionApplication::new)
        .codec(LoanCollectionApplication.codec())
        .clock(clock);
  }

  /** A year of leader time: the clock jumps a day at each close of business. */
  @Override
  public Duration sessionTtl() {
    return Duration.ofDays(365);
  }

  @Override
  public List<Script<CollectionCommand, CollectionResult>> users(long seed, int count) {
    if (count < 2) {
      throw new IllegalArgumentException("the collection demo needs at least 2 users: " + count);
    }
    int collectors = count - 1;
    accounts = collectors * ACCOUNTS_PER_COLLECTOR;
    List<Script<CollectionCommand, CollectionResult>> scripts = new ArrayList<>();
    scripts.add(new SupervisorScript(seed, accounts, clock, portfolioReady, worklog));
    for (int i = 1; i <= collectors; i++) {
      String name = String.format(Locale.ROOT, "collector-%02d", i);
      scripts.add(
          new CollectorScript(CollectorWorkflow.create(seed, name), portfolioReady, worklog));
    }
    return scripts;
  }

  /** Ready once the supervisor has loaded and aged the portfolio and the collectors may start. */
  @Override
  public boolean ready() {
    return portfolioReady.getCount() == 0;
  }

  @Override
  public String progress() {
    return String.format(
        Locale.ROOT,
        "business date %s, %d of %d accounts loaded, %d contacts" + " logged, %d payments posted",
        worklog.businessDate(),
        worklog.accountCount(),
        accounts,
        worklog.contactsLogged(),
        worklog.payments().size());
  }

  @Override
  public Findings verify(EmbeddedCluster<CollectionCommand, CollectionResult> cluster) {
    Findings findings = new Findings();
    checkAccounts(cluster, findings);
    checkPayments(cluster, findings);
    for (String twice : worklog.appliedTwice()) {
      findings.duplicated(1, twice);
    }
    return findings
        .note(
            String.format(
                Locale.ROOT,
                "%d accounts, %d contacts and %d payments, each read or audited; %d deliberate"
                    + " second posts rejected as duplicates; %d business days closed",
                worklog.accountCount(),
                worklog.contactsLogged(),
                worklog.payments().size(),
                worklog.repostsRejected(),
                Math.max(0, worklog.agingRuns() - 2)))
        .count("accountsLoaded", worklog.accountCount())
        .count("contactsLogged", worklog.contactsLogged())
        .count("paymentsPosted", worklog.payments().size())
        .count("duplicatePostsRejected", worklog.repostsRejected())
        .count("businessDaysClosed", Math.max(0, worklog.agingRuns() - 2));
  }

  private void checkAccounts(
      EmbeddedCluster<CollectionCommand, CollectionResult> cluster, Findings findings) {
    for (String accountId : worklog.accounts()) {
      CollectionResult answer;
      try {
        answer = PrimaryQueries.ask(cluster, AUDITOR, new GetAccount(accountId));
      } catch (CommandRejectedException e) {
        findings.lost(1, "acknowledged account " + accountId + " is missing: " + e.reason());
        continue;
      }
      int recorded = ((AccountDetails) answer).account().contactAttempts();
      int told = worklog.contacts(accountId);
      if (recorded > told) {
        findings.duplicated(
            recorded - told,
            "account "
                + accountId
                + " shows "
                + recorded
                + " contact attempts but "
                + told
                + " were acknowledged");
      } else if (recorded < told) {
        findings.lost(
            told - recorded,
            "account "
                + accountId
                + " shows "
                + recorded
                + " contact attempts but "
                + told
                + " were acknowledged");
      }
    }
  }

  private void checkPayments(
      EmbeddedCluster<CollectionCommand, CollectionResult> cluster, Findings findings) {
    Session<CollectionCommand, CollectionResult> audit =
        cluster.client().openSession(SessionId.of("demo-auditor"), AUDITOR, sessionTtl());
    for (PostPayment payment : worklog.payments()) {
      String expected = "already posted to account " + payment.accountId();
      try {
        audit.execute(payment);
        findings.lost(
            1,
            "acknowledged payment "
                + payment.paymentReference()
                + " was not on the books; the audit has now posted it");
      } catch (CommandRejectedException e) {
        if (!CollectorWorkflow.DUPLICATE_REJECTION.equals(e.errorType())
            || !e.reason().endsWith(expected)) {
          findings.lost(
              1,
              "acknowledged payment "
                  + payment.paymentReference()
                  + " was not on the books: "
                  + e.errorType()
                  + " "
                  + e.reason());
        }
      }
    }
  }
}
