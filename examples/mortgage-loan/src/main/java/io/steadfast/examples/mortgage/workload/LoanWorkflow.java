package io.steadfast.examples.mortgage.workload;

import io.steadfast.api.session.Principal;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One simulated user of the loan pipeline: a deterministic state machine that decides the next
 * command from a seed and the outcomes of the commands before it.
 *
 * <p>Use one workflow per user session. Open the session with {@link #principal()}, send {@link
 * #start()}, and from then on report each command's outcome, acknowledged or rejected, to get the
 * next one:
 *
 * <pre>{@code
 * LoanWorkflow officer = LoanWorkflow.officer("alice", 42);
 * LoanCommand command = officer.start();
 * while (running) {
 *   try {
 *     LoanResult result = command instanceof LoanCommand.Query
 *         ? client.query(officer.principal(), command)  // read-only: not journaled
 *         : session.execute(command);
 *     command = officer.next(result);
 *   } catch (CommandRejectedException e) {
 *     command = officer.afterRejection(e.errorType());
 *   }
 *   if (officer.idle()) {
 *     pause();  // the last listing found no work; the next command lists again
 *   }
 * }
 * }</pre>
 *
 * <p>The same seed and the same outcomes always give the same commands; outcomes are needed because
 * loan ids and the loans listed depend on what other sessions did. Random draws are taken from a
 * {@link SplittableRandom} seeded once.
 *
 * <p>Officers send {@code EnterIntakeField} for each intake field, then {@code SubmitApplication},
 * {@code RecordCreditReport} and {@code RecordAppraisal}; about 2% of borrowers withdraw after each
 * of those three steps, and about one in ten applications breaks an underwriting rule. Underwriters
 * and closers poll the pipeline with {@code ListPipeline} queries, so run at least one of each for
 * loans to reach funding. Rejections are expected when several underwriters or closers reach for
 * the same loan, and when a borrower withdraws a loan already decided: the workflow moves on.
 *
 * <p>Closers also send {@code RescheduleClosing} when the workflow is built for application version
 * 2 ({@link #of(Desk, String, long, int)}).
 *
 * <p>Not thread-safe: one workflow is driven by one thread at a time.
 */
public final class LoanWorkflow {

  /** How many loans an underwriter or closer lists at a time. */
  static final int LISTING_LIMIT = 20;

  private final Desk desk;
  private final String user;
  private final long seed;
  private final Script script;
  private boolean started;
  private long commandsIssued;

  private LoanWorkflow(Desk desk, String user, long seed, int applicationVersion) {
    if (applicationVersion < 1) {
      throw new IllegalArgumentException(
          "applicationVersion must be at least 1: " + applicationVersion);
    }
    this.desk = Objects.requireNonNull(desk, "desk");
    this.user = Objects.requireNonNull(user, "user");
    if (user.isBlank()) {
      throw new IllegalArgumentException("workflow user must not be blank: '" + user + "'");
    }
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    this.script =
        switch (desk) {
          case OFFICER -> new OfficerScript(random);
          case UNDERWRITER -> new UnderwriterScript(random);
          case CLOSER -> new CloserScript(random, applicationVersion);
        };
  }

  /**
   * A workflow for {@code user} at {@code desk}, seeded with {@code seed}, that sends only the
   * commands of application version 1, which every release and every cluster accepts.
   */
  public static LoanWorkflow of(Desk desk, String user, long seed) {
    return of(desk, user, seed, 1);
  }

  /**
   * A workflow that also sends the commands added up to {@code applicationVersion}: from 2 a closer
   * moves about one closing in four with {@code RescheduleClosing} before funding it. Give the
   * version the cluster runs; sent to a cluster that has not finalized it, a newer command is
   * refused at the door ({@code MalformedCommandException}) and the workflow moves on through
   * {@link #afterRejection}.
   *
   * @throws IllegalArgumentException if {@code applicationVersion} is below 1
   */
  public static LoanWorkflow of(Desk desk, String user, long seed, int applicationVersion) {
    return new LoanWorkflow(desk, user, seed, applicationVersion);
  }

  /** A loan officer called {@code user}. */
  public static LoanWorkflow officer(String user, long seed) {
    return of(Desk.OFFICER, user, seed);
  }

  /** An underwriter called {@code user}. */
  public static LoanWorkflow underwriter(String user, long seed) {
    return of(Desk.UNDERWRITER, user, seed);
  }

  /** A closer called {@code user}. */
  public static LoanWorkflow closer(String user, long seed) {
    return of(Desk.CLOSER, user, seed);
  }

  /**
   * A team of officers, underwriters and closers called {@code officer-1}, …, {@code
   * underwriter-1}, …, {@code closer-1}, …, each with its own seed drawn from {@code seed}.
   *
   * @return the workflows, officers first, in a fixed order
   */
  public static List<LoanWorkflow> team(long seed, int officers, int underwriters, int closers) {
    if (officers < 0 || underwriters < 0 || closers < 0) {
      throw new IllegalArgumentException(
          "team sizes must not be negative: " + officers + ", " + underwriters + ", " + closers);
    }
    SplittableRandom seeds = new SplittableRandom(seed);
    List<LoanWorkflow> team = new ArrayList<>(officers + underwriters + closers);
    for (int i = 1; i <= officers; i++) {
      team.add(officer("officer-" + i, seeds.nextLong()));
    }
    for (int i = 1; i <= underwriters; i++) {
      team.add(underwriter("underwriter-" + i, seeds.nextLong()));
    }
    for (int i = 1; i <= closers; i++) {
      team.add(closer("closer-" + i, seeds.nextLong()));
    }
    return team;
  }

  /** The desk this user works at. */
  public Desk desk() {
    return desk;
  }

  /** The user's name. */
  public String user() {
    return user;
  }

  /** The seed the workflow started from. */
  public long seed() {
    return seed;
  }

  /** The principal to open this user's session with: the user and the desk's role. */
  public Principal principal() {
    return desk.principal(user);
  }

  /**
   * The first command.
   *
   * @throws IllegalStateException if called twice
   */
  public LoanCommand start() {
    if (started) {
      throw new IllegalStateException("workflow for " + user + " already started");
    }
    started = true;
    return issue(script.start());
  }

  /**
   * The next command, after the previous one was acknowledged with {@code result}.
   *
   * @throws IllegalStateException if the workflow has not started, or the result is not one this
   *     desk's commands can produce
   */
  public LoanCommand next(LoanResult result) {
    Objects.requireNonNull(result, "result");
    expectOutcome();
    return issue(script.next(result));
  }

  /**
   * The next command, after the previous one was rejected by the application.
   *
   * @param errorType the rejection's {@code CommandRejectedException.errorType()}
   * @throws IllegalStateException if the workflow has not started
   */
  public LoanCommand afterRejection(String errorType) {
    Objects.requireNonNull(errorType, "errorType");
    expectOutcome();
    return issue(script.afterRejection(errorType));
  }

  /**
   * Whether the last pipeline listing found no work; the command just returned lists again, and a
   * driver may pause before sending it. Always false for officers.
   */
  public boolean idle() {
    return script.idle();
  }

  /** How many commands this workflow has returned. */
  public long commandsIssued() {
    return commandsIssued;
  }

  private void expectOutcome() {
    if (!started) {
      throw new IllegalStateException(
          "workflow for " + user + " has not started; call start() first");
    }
  }

  private LoanCommand issue(LoanCommand command) {
    commandsIssued++;
    return command;
  }

  @Override
  public String toString() {
    return "LoanWorkflow{"
        + desk
        + " "
        + user
        + ", seed "
        + seed
        + ", "
        + commandsIssued
        + " commands}";
  }
}
