package io.steadfast.examples.mortgage;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.mortgage.workload.Desk;
import io.steadfast.examples.mortgage.workload.LoanWorkflow;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The mortgage pipeline's seeded {@link LoanWorkflow}s as the certification suite's workload: users
 * come in shifts of three officers, two underwriters and a closer, each working one session of 20
 * to 59 steps, with release 2's commands (closers reschedule some closings). {@code ListPipeline},
 * {@code GetLoan} and {@code GetSchedule} are queries.
 */
final class PipelineWorkload implements Workload<LoanCommand, LoanResult> {

  private static final List<Desk> SHIFT =
      List.of(
          Desk.OFFICER,
          Desk.OFFICER,
          Desk.OFFICER,
          Desk.UNDERWRITER,
          Desk.UNDERWRITER,
          Desk.CLOSER);

  @Override
  public Principal principal(int user) {
    return desk(user).principal(name(user));
  }

  @Override
  public UserScript<LoanCommand, LoanResult> newUser(int user, long seed) {
    LoanWorkflow workflow =
        LoanWorkflow.of(desk(user), name(user), seed, MortgageLoanApplication.RELEASE);
    int length = 20 + new SplittableRandom(seed ^ 0x5EED).nextInt(40);
    return new UserScript<>() {
      private int steps;
      private ResumePoint expected = ResumePoint.start();

      @Override
      public Optional<LoanCommand> next(@Nullable LoanResult last) {
        if (steps >= length) {
          return Optional.empty();
        }
        LoanCommand command =
            steps == 0
                ? workflow.start()
                : last != null ? workflow.next(last) : workflow.afterRejection("rejected");
        steps++;
        return Optional.of(command);
      }

      // The screen rules applied to what this user did, from the user's own record.
      @Override
      public Optional<ResumePoint> resumePointAfter(LoanCommand command, LoanResult result) {
        expected = ResumePoints.after(expected, command, result);
        return Optional.of(expected);
      }
    };
  }

  @Override
  public int concurrentUsers() {
    return SHIFT.size();
  }

  @Override
  public List<LoanCommand> invalidCommands() {
    return List.of(
        new LoanCommand.RecordCreditReport("L-999999", 700),
        new LoanCommand.FundLoan("L-999999"),
        new LoanCommand.WithdrawApplication("L-999998", "moved abroad"));
  }

  @Override
  public boolean isQuery(LoanCommand command) {
    return command instanceof LoanCommand.Query;
  }

  private static Desk desk(int user) {
    return SHIFT.get(user % SHIFT.size());
  }

  private static String name(int user) {
    Desk desk = desk(user);
    int seat = (int) SHIFT.subList(0, user % SHIFT.size()).stream().filter(d -> d == desk).count();
    int perShift = (int) SHIFT.stream().filter(d -> d == desk).count();
    return desk.name().toLowerCase(Locale.ROOT) + "-" + (user / SHIFT.size() * perShift + seat + 1);
  }
}
