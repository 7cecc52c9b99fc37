package io.steadfast.examples.collection;

import static io.steadfast.examples.collection.Harness.ALICE;
import static io.steadfast.examples.collection.Harness.BOB;
import static io.steadfast.examples.collection.Harness.DAY0;
import static io.steadfast.examples.collection.Harness.MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.collection.CollectionCommand.ChargeOff;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionRuleException.Violation;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PaymentTest {

  private final Harness harness = new Harness();

  private PaymentPosted pay(String reference, String account, String amount) {
    return harness.submit(
        ALICE, new PostPayment(reference, account, new BigDecimal(amount)), PaymentPosted.class);
  }

  @Test
  void postPayment_allocatesPastDueThenFeesThenPrincipal() {
    harness.open("ACC-1", "1000.00", "100.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(30));
    assertThat(harness.account("ACC-1").feesDue()).isEqualTo(new BigDecimal("15.00"));

    PaymentPosted posted = pay("P-1", "ACC-1", "150.00");

    assertThat(posted.allocation())
        .isEqualTo(
            new PaymentAllocation(
                new BigDecimal("100.00"),
                new BigDecimal("15.00"),
                new BigDecimal("35.00"),
                new BigDecimal("0.00")));
    assertThat(posted.allocation().total()).isEqualTo(new BigDecimal("150.00"));
    AccountView account = posted.account();
    assertThat(account.amountPastDue()).isEqualTo(new BigDecimal("0.00"));
    assertThat(account.feesDue()).isEqualTo(new BigDecimal("0.00"));
    assertThat(account.principalBalance()).isEqualTo(new BigDecimal("965.00"));
    assertThat(account.bucket()).isEqualTo(Bucket.CURRENT);
    assertThat(account.oldestUnpaidDueDate()).isNull();
  }

  @Test
  void postPayment_partial_paysTheOldestInstallmentFirst() {
    // 250 past due over three installments: 50 (due Jan 1), 100 (Feb 1), 100 (Mar 1)
    harness.open("ACC-1", "1000.00", "250.00", DAY0, "100.00");
    harness.age(LocalDate.of(2025, 3, 10));

    PaymentPosted posted = pay("P-1", "ACC-1", "120.00");

    assertThat(posted.allocation().toPastDue()).isEqualTo(new BigDecimal("120.00"));
    assertThat(posted.allocation().toFees()).isEqualTo(new BigDecimal("0.00"));
    assertThat(posted.account().amountPastDue()).isEqualTo(new BigDecimal("130.00"));
    assertThat(posted.account().oldestUnpaidDueDate()).isEqualTo(LocalDate.of(2025, 2, 1));
    assertThat(posted.account().daysPastDue()).isEqualTo(37);
  }

  @Test
  void postPayment_sameReferenceTwice_isRejectedAndChangesNothing() {
    harness.open("ACC-1", "1000.00", "300.00", DAY0, "100.00");
    harness.open("ACC-2", "1000.00", "300.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(40));
    pay("P-1", "ACC-1", "100.00");
    byte[] before = harness.checkpoint();
    ResumePoint resumeBefore = harness.resumePoint(ALICE);

    for (PostPayment retry :
        new PostPayment[] {
          new PostPayment("P-1", "ACC-1", new BigDecimal("100.00")),
          new PostPayment("P-1", "ACC-1", new BigDecimal("5.00")),
          new PostPayment("P-1", "ACC-2", new BigDecimal("100.00"))
        }) {
      assertThatThrownBy(() -> harness.submit(ALICE, retry))
          .isInstanceOfSatisfying(
              DuplicatePaymentException.class,
              e -> {
                assertThat(e.paymentReference()).isEqualTo("P-1");
                assertThat(e.postedTo()).isEqualTo("ACC-1");
              });
    }
    assertThatThrownBy(() -> harness.submit(BOB, new PostPayment("P-1", "ACC-1", BigDecimal.ONE)))
        .isInstanceOf(DuplicatePaymentException.class);

    assertThat(harness.checkpoint()).isEqualTo(before);
    assertThat(harness.resumePoint(ALICE)).isEqualTo(resumeBefore);
    assertThat(harness.account("ACC-1").amountPastDue()).isEqualTo(new BigDecimal("200.00"));
  }

  @Test
  void postPayment_moreThanOwed_isRejectedAndChangesNothing() {
    harness.open("ACC-1", "100.00", "50.00", DAY0, "50.00");
    byte[] before = harness.checkpoint();

    assertThatThrownBy(() -> pay("P-1", "ACC-1", "150.01"))
        .isInstanceOfSatisfying(
            CollectionRuleException.class,
            e -> {
              assertThat(e.violation()).isEqualTo(Violation.AMOUNT_EXCEEDS_BALANCE);
              assertThat(e.getMessage()).startsWith("amount_exceeds_balance:").contains("150.01");
            });
    assertThat(harness.checkpoint()).isEqualTo(before);

    // the rejected reference was never posted, so it may still be used
    assertThat(pay("P-1", "ACC-1", "150.00").account().status()).isEqualTo(AccountStatus.PAID_OFF);
  }

  @Test
  void postPayment_settlingEverything_paysTheAccountOffAndClosesIt() {
    harness.open("ACC-1", "100.00", "50.00", DAY0, "50.00");

    PaymentPosted posted = pay("P-1", "ACC-1", "150.00");

    assertThat(posted.account().status()).isEqualTo(AccountStatus.PAID_OFF);
    assertThat(posted.account().totalOwed()).isEqualTo(new BigDecimal("0.00"));
    assertThat(posted.account().nextDueDate()).isNull();
    assertThatThrownBy(() -> pay("P-2", "ACC-1", "1.00"))
        .isInstanceOfSatisfying(
            CollectionRuleException.class,
            e -> assertThat(e.violation()).isEqualTo(Violation.ACCOUNT_CLOSED));
    assertThat(harness.age(DAY0.plusDays(400)).accountsAged()).isZero();
  }

  @Test
  void postPayment_onChargedOffAccount_isARecovery() {
    harness.open("ACC-1", "900.00", "100.00", DAY0, "100.00");
    harness.submit(MANAGER, new ChargeOff("ACC-1", "borrower bankrupt"));

    PaymentPosted posted = pay("P-1", "ACC-1", "400.00");

    assertThat(posted.allocation())
        .isEqualTo(
            new PaymentAllocation(
                BigDecimal.ZERO.setScale(2),
                BigDecimal.ZERO.setScale(2),
                BigDecimal.ZERO.setScale(2),
                new BigDecimal("400.00")));
    assertThat(posted.account().status()).isEqualTo(AccountStatus.CHARGED_OFF);
    assertThat(posted.account().chargedOffBalance()).isEqualTo(new BigDecimal("600.00"));
    assertThatThrownBy(() -> pay("P-2", "ACC-1", "600.01"))
        .isInstanceOf(CollectionRuleException.class);
  }

  @Test
  void postPayment_unknownAccount_isRejectedAndDoesNotBurnTheReference() {
    harness.open("ACC-1", "900.00", "100.00", DAY0, "100.00");

    assertThatThrownBy(() -> pay("P-1", "ACC-9", "10.00"))
        .isInstanceOfSatisfying(
            UnknownAccountException.class, e -> assertThat(e.accountId()).isEqualTo("ACC-9"));
    assertThat(pay("P-1", "ACC-1", "10.00").paymentReference()).isEqualTo("P-1");
  }

  @Test
  void chargeOff_byManager_movesTheBalanceAndRefusesASecondTime() {
    harness.open("ACC-1", "900.00", "100.00", DAY0, "100.00");

    CollectionResult.AccountChargedOff result =
        harness.submit(
            MANAGER, new ChargeOff("ACC-1", "fraud"), CollectionResult.AccountChargedOff.class);

    assertThat(result.amount()).isEqualTo(new BigDecimal("1000.00"));
    assertThat(result.account().chargeOffReason()).isEqualTo("fraud");
    byte[] before = harness.checkpoint();
    assertThatThrownBy(() -> harness.submit(MANAGER, new ChargeOff("ACC-1", "again")))
        .isInstanceOfSatisfying(
            CollectionRuleException.class,
            e -> assertThat(e.violation()).isEqualTo(Violation.ACCOUNT_CLOSED));
    assertThat(harness.checkpoint()).isEqualTo(before);
  }
}
