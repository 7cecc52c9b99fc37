package io.steadfast.examples.mortgage;

import io.steadfast.api.session.Principal;
import java.math.BigDecimal;
import java.util.List;

/** Users and loans shared by the tests. */
final class Fixtures {

  static final Principal OFFICER = LoanRoles.officer("olivia");
  static final Principal UNDERWRITER = LoanRoles.underwriter("umar");
  static final Principal CLOSER = LoanRoles.closer("chloe");

  private Fixtures() {}

  static Principal closer(String name) {
    return LoanRoles.closer(name);
  }

  static BigDecimal money(String amount) {
    return new BigDecimal(amount);
  }

  /**
   * A request that passes every rule: 200,000 at 6% over 30 years (payment 1,199.10) on a 300,000
   * house, income 8,000, debts 500 (DTI 21.24%, LTV 66.67%).
   */
  static LoanRequest goodRequest(String name) {
    return new LoanRequest(
        name, money("8000"), money("500"), money("300000"), money("200000"), 360, money("6"));
  }

  /** Submits, checks credit and appraises; returns the loan id. */
  static String appraised(Harness harness, LoanRequest request, int score, String appraisedValue) {
    String id = submitted(harness, request);
    harness.apply(OFFICER, new LoanCommand.RecordCreditReport(id, score));
    harness.apply(OFFICER, new LoanCommand.RecordAppraisal(id, money(appraisedValue)));
    return id;
  }

  static String submitted(Harness harness, LoanRequest request) {
    LoanResult.ApplicationSubmitted submitted =
        (LoanResult.ApplicationSubmitted)
            harness.apply(OFFICER, new LoanCommand.SubmitApplication(request));
    return submitted.loanId();
  }

  static String approved(Harness harness, LoanRequest request) {
    String id = appraised(harness, request, 740, request.propertyValue().toPlainString());
    LoanResult.Decided decided =
        (LoanResult.Decided)
            harness.apply(
                UNDERWRITER, new LoanCommand.Underwrite(id, Verdict.APPROVE, List.of(), ""));
    if (!decided.decision().approved()) {
      throw new AssertionError("fixture loan was not approved: " + decided);
    }
    return id;
  }

  static Loan loan(Harness harness, String id) {
    return ((LoanResult.LoanDetails) harness.query(OFFICER, new LoanCommand.GetLoan(id))).loan();
  }
}
