package io.steadfast.examples.mortgage.workload;

import io.steadfast.examples.mortgage.Amortization;
import io.steadfast.examples.mortgage.LoanRequest;
import io.steadfast.examples.mortgage.LoanStage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Invents plausible borrowers. Every call draws the same number of values from the random source,
 * so a sequence of profiles depends only on the seed. Stateless.
 *
 * <p>Property values run from 150,000 to 1,200,000; most borrowers put down 20–40%, some 10–19% and
 * a few 3–9%; terms are 30, 20 or 15 years at 5% to 8%. Income is derived from a target
 * debt-to-income ratio: 96% of borrowers aim between 18% and 42%, the rest between 44% and 55% (and
 * so fail the 43% rule). 3% have a credit score under 620. Appraisals come in between 96% and 105%
 * of the declared value, which pushes a few low-down-payment loans over the 95% loan-to-value
 * limit. Altogether about one application in ten breaks a rule. About 2% of borrowers withdraw
 * after each of the first three steps.
 */
final class Borrowers {

  private static final List<String> FIRST_NAMES =
      List.of(
          "Ada", "Bruno", "Chen", "Dalia", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Julia",
          "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tara");

  private static final List<String> LAST_NAMES =
      List.of(
          "Abara",
          "Berg",
          "Costa",
          "Dubois",
          "Eriksen",
          "Fischer",
          "Garcia",
          "Haddad",
          "Ito",
          "Jensen",
          "Kowalski",
          "Lindqvist",
          "Moreau",
          "Nakamura",
          "Okafor",
          "Petrov",
          "Rossi",
          "Schmidt",
          "Tanaka",
          "Varga");

  private static final List<String> WITHDRAWAL_REASONS =
      List.of(
          "bought a different house",
          "rate too high",
          "job relocation",
          "chose another lender",
          "seller cancelled the sale");

  private static final int[] TERMS = {360, 360, 360, 360, 360, 360, 360, 240, 180, 180};

  private Borrowers() {}

  /**
   * A borrower's whole story, decided up front.
   *
   * @param request what they ask for at intake
   * @param creditScore what the bureau will report
   * @param appraisedValue what the appraiser will find
   * @param withdrawAfter the stage after which they withdraw, or null if they never do
   * @param withdrawalReason what they say when they withdraw
   */
  record Profile(
      LoanRequest request,
      int creditScore,
      BigDecimal appraisedValue,
      @Nullable LoanStage withdrawAfter,
      String withdrawalReason) {}

  static Profile next(SplittableRandom random) {
    String name =
        FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()))
            + " "
            + LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
    BigDecimal propertyValue = BigDecimal.valueOf(150_000L + 5_000L * random.nextInt(211));

    int downBand = random.nextInt(100);
    int downDraw = random.nextInt(1000);
    int downPercent =
        downBand < 70 ? 20 + downDraw % 21 : downBand < 90 ? 10 + downDraw % 10 : 3 + downDraw % 7;
    BigDecimal loanAmount =
        propertyValue
            .multiply(BigDecimal.valueOf(100 - downPercent))
            .divide(BigDecimal.valueOf(100_000), 0, RoundingMode.DOWN)
            .multiply(BigDecimal.valueOf(1000));

    int term = TERMS[random.nextInt(TERMS.length)];
    BigDecimal rate =
        new BigDecimal("5.000")
            .add(new BigDecimal("0.125").multiply(BigDecimal.valueOf(random.nextInt(25))));
    BigDecimal debts = BigDecimal.valueOf(50L * random.nextInt(31));

    int dtiBand = random.nextInt(100);
    int dtiDraw = random.nextInt(10_000);
    int dtiBasisPoints = dtiBand < 96 ? 1800 + dtiDraw % 2401 : 4400 + dtiDraw % 1101;
    BigDecimal payment = Amortization.monthlyPayment(loanAmount, rate, term);
    BigDecimal income =
        debts
            .add(payment)
            .multiply(BigDecimal.valueOf(10_000))
            .divide(BigDecimal.valueOf(dtiBasisPoints), 0, RoundingMode.CEILING)
            .divide(BigDecimal.TEN, 0, RoundingMode.CEILING)
            .multiply(BigDecimal.TEN);

    int scoreBand = random.nextInt(100);
    int scoreDraw = random.nextInt(1000);
    int creditScore = scoreBand < 97 ? 620 + scoreDraw % 231 : 520 + scoreDraw % 100;

    int appraisalPercent = 96 + random.nextInt(10);
    BigDecimal appraisedValue =
        propertyValue
            .multiply(BigDecimal.valueOf(appraisalPercent))
            .divide(BigDecimal.valueOf(100_000), 0, RoundingMode.HALF_EVEN)
            .multiply(BigDecimal.valueOf(1000));

    int withdrawDraw = random.nextInt(100);
    LoanStage withdrawAfter =
        switch (withdrawDraw) {
          case 0, 1 -> LoanStage.APPLIED;
          case 2, 3 -> LoanStage.CREDIT_CHECKED;
          case 4, 5 -> LoanStage.APPRAISED;
          default -> null;
        };
    String reason = WITHDRAWAL_REASONS.get(random.nextInt(WITHDRAWAL_REASONS.size()));

    LoanRequest request =
        new LoanRequest(name, income, debts, propertyValue, loanAmount, term, rate);
    return new Profile(request, creditScore, appraisedValue, withdrawAfter, reason);
  }
}
