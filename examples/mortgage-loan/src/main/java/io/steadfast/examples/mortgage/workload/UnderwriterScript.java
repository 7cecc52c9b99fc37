package io.steadfast.examples.mortgage.workload;

import io.steadfast.examples.mortgage.Condition;
import io.steadfast.examples.mortgage.Loan;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanStage;
import io.steadfast.examples.mortgage.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An underwriter: lists the appraised loans, picks one at random (so that several underwriters
 * rarely collide) and asks to approve it, letting the rules decline it if they must; 2% of the time
 * declines on judgement instead. Attaches a few conditions at random. Not thread-safe.
 */
final class UnderwriterScript implements Script {

  private final SplittableRandom random;
  private boolean idle;

  UnderwriterScript(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public LoanCommand start() {
    return list();
  }

  @Override
  public LoanCommand next(LoanResult result) {
    if (result instanceof LoanResult.Pipeline pipeline) {
      idle = pipeline.loans().isEmpty();
      return idle ? list() : underwrite(pick(pipeline.loans()));
    }
    if (result instanceof LoanResult.Decided) {
      return list();
    }
    throw new IllegalStateException(
        "underwriter did not expect result " + result.getClass().getSimpleName());
  }

  @Override
  public LoanCommand afterRejection(String errorType) {
    return list();
  }

  @Override
  public boolean idle() {
    return idle;
  }

  private LoanCommand underwrite(Loan loan) {
    boolean decline = random.nextInt(100) < 2;
    List<Condition> conditions = new ArrayList<>();
    addSometimes(conditions, Condition.PROOF_OF_INCOME, 30);
    addSometimes(conditions, Condition.HOMEOWNERS_INSURANCE, 50);
    addSometimes(conditions, Condition.PAYOFF_OF_DEBTS, 10);
    addSometimes(conditions, Condition.CLEAR_TITLE, 20);
    return new LoanCommand.Underwrite(
        loan.loanId(),
        decline ? Verdict.DECLINE : Verdict.APPROVE,
        conditions,
        decline ? "declined on the underwriter's judgement" : "");
  }

  private void addSometimes(List<Condition> conditions, Condition condition, int percent) {
    if (random.nextInt(100) < percent) {
      conditions.add(condition);
    }
  }

  private Loan pick(List<Loan> loans) {
    return loans.get(random.nextInt(loans.size()));
  }

  private static LoanCommand list() {
    return new LoanCommand.ListPipeline(LoanStage.APPRAISED, LoanWorkflow.LISTING_LIMIT);
  }
}
