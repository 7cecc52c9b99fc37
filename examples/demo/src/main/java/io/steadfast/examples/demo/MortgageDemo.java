package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.examples.mortgage.ResumePoints;
import io.steadfast.examples.mortgage.workload.LoanWorkflow;
import io.steadfast.runtime.EmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The Mortgage Loan Production System in the demo: officers take applications while underwriters
 * and closers move loans through the pipeline (about one in eight users is an underwriter and one
 * in eight a closer).
 *
 * <p>Its own checks: every loan whose submission was acknowledged can be read back, and no loan
 * exists beyond those submitted (loan ids are assigned in order, so a submission applied twice
 * would leave one more loan than there were acknowledged submissions).
 *
 * <p>Thread-safe where {@link Scenario} requires: the submitted-loan set is concurrent.
 */
final class MortgageDemo implements Scenario<LoanCommand, LoanResult> {

  private static final Duration IDLE = Duration.ofMillis(20);

  private final Set<String> submittedLoans = ConcurrentHashMap.newKeySet();
  private @Nullable Principal reader;

  @Override
  public String name() {
    return "mortgage";
  }

  @Override
  public void configure(EmbeddedCluster.Builder<LoanCommand, LoanResult> cluster) {
    cluster.application(MortgageLoanApplication::new).codec(MortgageLoanApplication.codec());
  }

  @Override
  public List<Script<LoanCommand, LoanResult>> users(long seed, int count) {
    if (count < 3) {
      throw new IllegalArgumentException("the mortgage demo needs at least 3 users: " + count);
    }
    int underwriters = Math.max(1, count / 8);
    int closers = Math.max(1, count / 8);
    List<Script<LoanCommand, LoanResult>> scripts = new ArrayList<>();
    for (LoanWorkflow workflow :
        LoanWorkflow.team(seed, count - underwriters - closers, underwriters, closers)) {
      scripts.add(new Desk(workflow));
    }
    reader = scripts.get(0).principal();
    return scripts;
  }

  @Override
  public String progress() {
    return submittedLoans.size() + " loans taken";
  }

  @Override
  public Findings verify(EmbeddedCluster<LoanCommand, LoanResult> cluster) {
    Principal asker = reader;
    if (asker == null) {
      throw new IllegalStateException("verify before users");
    }
    Findings findings = new Findings();
    for (String loanId : submittedLoans) {
      try {
        PrimaryQueries.ask(cluster, asker, new LoanCommand.GetLoan(loanId));
      } catch (CommandRejectedException e) {
        findings.lost(1, "acknowledged loan " + loanId + " is missing: " + e.getMessage());
      }
    }
    String next = String.format(Locale.ROOT, "L-%06d", submittedLoans.size() + 1);
    try {
      PrimaryQueries.ask(cluster, asker, new LoanCommand.GetLoan(next));
      findings.duplicated(
          1,
          "loan "
              + next
              + " exists although only "
              + submittedLoans.size()
              + " applications were acknowledged");
    } catch (CommandRejectedException expected) {
      // no loan beyond those submitted: no submission was applied twice
    }
    return findings
        .note(submittedLoans.size() + " loans taken, each one read back")
        .count("loansSubmitted", submittedLoans.size());
  }

  /** One loan officer, underwriter or closer, following the example's {@link LoanWorkflow}. */
  private final class Desk implements Script<LoanCommand, LoanResult> {
    private final LoanWorkflow workflow;

    Desk(LoanWorkflow workflow) {
      this.workflow = workflow;
    }

    @Override
    public Principal principal() {
      return workflow.principal();
    }

    @Override
    public LoanCommand first() {
      return workflow.start();
    }

    @Override
    public LoanCommand next(LoanCommand command, LoanResult result) {
      if (result instanceof LoanResult.ApplicationSubmitted submitted) {
        submittedLoans.add(submitted.loanId());
      }
      return workflow.next(result);
    }

    @Override
    public LoanCommand afterRejection(LoanCommand command, CommandRejectedException rejection) {
      return workflow.afterRejection(rejection.errorType());
    }

    @Override
    public boolean isQuery(LoanCommand command) {
      return command instanceof LoanCommand.Query;
    }

    @Override
    public ResumePoint resumeAfter(ResumePoint previous, LoanCommand command, LoanResult result) {
      return ResumePoints.after(previous, command, result);
    }

    /** A moment after a listing found no loan to work on. */
    @Override
    public Duration pause() {
      return workflow.idle() ? IDLE : Duration.ZERO;
    }
  }
}
