package io.steadfast.examples.collection;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The collection floor as the certification suite's workload: every fourth user is a supervisor,
 * the first of whom loads a portfolio of {@value #ACCOUNTS} delinquent accounts from {@link
 * AccountLoader} and runs the daily aging; later supervisors run the aging again. Everyone else is
 * a collector driven by a seeded {@link CollectorWorkflow} for 20 to 44 steps. {@code GetAccount}
 * and {@code QueueSnapshot} are queries.
 */
final class CollectionWorkload implements Workload<CollectionCommand, CollectionResult> {

  static final int ACCOUNTS = 24;
  private static final long PORTFOLIO_SEED = 20_250_501L;

  /** The business date of the suite's leader time ({@link Trace#START}). */
  private static final LocalDate AS_OF = LocalDate.ofInstant(Trace.START, ZoneOffset.UTC);

  @Override
  public Principal principal(int user) {
    return user % 4 == 0
        ? CollectionRoles.supervisor("supervisor-" + (user / 4 + 1))
        : CollectionRoles.collector("collector-" + user);
  }

  @Override
  public UserScript<CollectionCommand, CollectionResult> newUser(int user, long seed) {
    if (user % 4 == 0) {
      Deque<CollectionCommand> plan = new ArrayDeque<>();
      if (user == 0) {
        List<OpenDelinquentAccount> portfolio =
            AccountLoader.openCommands(PORTFOLIO_SEED, ACCOUNTS, AS_OF);
        plan.addAll(portfolio);
      }
      plan.add(new CollectionCommand.RunDailyAging("eod-" + user));
      return last -> Optional.ofNullable(plan.poll());
    }
    CollectorWorkflow workflow = CollectorWorkflow.create(seed, "collector-" + user);
    int length = 20 + new SplittableRandom(seed ^ 0xC011EC7L).nextInt(25);
    return new UserScript<>() {
      private int steps;
      private ResumePoint expected = ResumePoint.start();

      @Override
      public Optional<CollectionCommand> next(@Nullable CollectionResult last) {
        if (steps >= length) {
          return Optional.empty();
        }
        CollectionCommand command =
            steps == 0
                ? workflow.first()
                : last != null ? workflow.next(last) : workflow.afterRejection("rejected");
        steps++;
        return Optional.of(command);
      }

      // The worklist rules applied to what this collector did, from the collector's own record.
      @Override
      public Optional<ResumePoint> resumePointAfter(
          CollectionCommand command, CollectionResult result) {
        expected = ResumePoints.after(expected, command, result);
        return Optional.of(expected);
      }
    };
  }

  @Override
  public List<CollectionCommand> invalidCommands() {
    return List.of(
        new CollectionCommand.LogContact("ACC-999999", ContactOutcome.NO_ANSWER),
        new CollectionCommand.PostPayment("PAY-INVALID-1", "ACC-999999", new BigDecimal("10.00")));
  }

  @Override
  public boolean isQuery(CollectionCommand command) {
    return command instanceof CollectionCommand.Query;
  }
}
