package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.ContactLogged;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionResult.PromiseRecorded;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class CollectorWorkflowTest {

  private static final List<String> COLLECTORS = List.of("carol", "dev", "erin");

  @Test
  void run_sameSeed_issuesTheSameCommandsAndGetsTheSameResults() {
    WorkloadRun first = WorkloadRun.run(42, 80, COLLECTORS, 5, 25);
    WorkloadRun second = WorkloadRun.run(42, 80, COLLECTORS, 5, 25);

    assertThat(second.transcript).isEqualTo(first.transcript);
  }

  @Test
  void run_otherSeed_issuesOtherCommands() {
    WorkloadRun first = WorkloadRun.run(42, 80, COLLECTORS, 3, 25);
    WorkloadRun other = WorkloadRun.run(43, 80, COLLECTORS, 3, 25);

    assertThat(other.transcript).isNotEqualTo(first.transcript);
  }

  @Test
  void run_exercisesEveryCollectorStep() {
    WorkloadRun run = WorkloadRun.run(42, 80, COLLECTORS, 5, 25);

    assertThat(run.count(AccountAssigned.class)).isPositive();
    assertThat(run.count(ContactLogged.class)).isPositive();
    assertThat(run.count(PromiseRecorded.class)).isPositive();
    assertThat(run.count(PaymentPosted.class)).isPositive();
  }

  @Test
  void run_everyDeliberateDuplicateIsRejectedAndNothingElseIs() {
    WorkloadRun run = WorkloadRun.run(42, 80, COLLECTORS, 5, 25);

    int retries = run.workflows.stream().mapToInt(CollectorWorkflow::duplicateRetries).sum();
    int rejected = run.workflows.stream().mapToInt(CollectorWorkflow::duplicatesRejected).sum();
    int other = run.workflows.stream().mapToInt(CollectorWorkflow::otherRejections).sum();
    assertThat(retries).isPositive();
    assertThat(rejected).isEqualTo(retries);
    assertThat(other).isZero();
    assertThat(run.workflows).allSatisfy(w -> assertThat(w.paymentsFoundPosted()).isZero());
    assertThat(run.transcript.stream().filter(s -> s.rejection() != null))
        .allSatisfy(
            s -> assertThat(s.rejection()).isEqualTo(CollectorWorkflow.DUPLICATE_REJECTION));
  }

  @Test
  void run_acceptedPaymentReferencesAreUniqueAndDerivedFromTheSeed() {
    WorkloadRun run = WorkloadRun.run(42, 80, COLLECTORS, 5, 25);

    List<String> references =
        run.transcript.stream()
            .map(WorkloadRun.Step::result)
            .filter(PaymentPosted.class::isInstance)
            .map(r -> ((PaymentPosted) r).paymentReference())
            .toList();
    assertThat(references).isNotEmpty().doesNotHaveDuplicates();
    assertThat(references).allSatisfy(r -> assertThat(r).startsWith("PAY-16-"));
  }

  @Test
  void next_afterPaymentPosted_sometimesRepeatsTheSamePayment() {
    WorkloadRun run = WorkloadRun.run(42, 80, COLLECTORS, 5, 25);

    List<WorkloadRun.Step> steps = run.transcript;
    boolean repeated = false;
    for (int i = 0; i < steps.size(); i++) {
      WorkloadRun.Step step = steps.get(i);
      if (step.rejection() != null) {
        PostPayment retry = (PostPayment) step.command();
        repeated |=
            steps.subList(0, i).stream()
                .anyMatch(
                    s -> Objects.equals(s.command(), retry) && s.result() instanceof PaymentPosted);
      }
    }
    assertThat(repeated).isTrue();
  }

  @Test
  void afterRejection_duplicateOfAFreshPayment_countsItAsFoundPosted() {
    CollectorWorkflow workflow = CollectorWorkflow.create(3, "carol");
    workflow.first();
    AccountView account = Samples.fullAccount();
    CollectionCommand command =
        workflow.next(new CollectionResult.AccountAssigned(Bucket.DPD_60_89, 100, account));
    for (int i = 0; i < 200 && !(command instanceof PostPayment); i++) {
      command =
          command instanceof CollectionCommand.LogContact
              ? workflow.next(new CollectionResult.ContactLogged(ContactOutcome.SPOKE, account))
              : workflow.next(new CollectionResult.AccountAssigned(Bucket.DPD_60_89, 100, account));
    }
    assertThat(command).isInstanceOf(PostPayment.class);

    CollectionCommand after = workflow.afterRejection(CollectorWorkflow.DUPLICATE_REJECTION);

    assertThat(workflow.paymentsFoundPosted()).isEqualTo(1);
    assertThat(workflow.otherRejections()).isZero();
    assertThat(workflow.duplicatesRejected()).isZero();
    assertThat(after).isInstanceOf(CollectionCommand.NextInQueue.class);
  }

  @Test
  void first_calledTwice_isRefused() {
    CollectorWorkflow workflow = CollectorWorkflow.create(1, "carol");
    workflow.first();

    assertThatThrownBy(workflow::first).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void next_beforeFirst_isRefused() {
    CollectorWorkflow workflow = CollectorWorkflow.create(1, "carol");

    assertThatThrownBy(() -> workflow.next(new CollectionResult.QueueEmpty(Bucket.DPD_1_29)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void create_nameUnfitForAPaymentReference_isRefused() {
    assertThatThrownBy(() -> CollectorWorkflow.create(1, "carol smith"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carol smith");
  }

  @Test
  void principal_isACollectorNamedAfterTheWorkflow() {
    CollectorWorkflow workflow = CollectorWorkflow.create(1, "carol");

    assertThat(workflow.principal()).isEqualTo(CollectionRoles.collector("carol"));
  }
}
