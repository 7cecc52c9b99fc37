package io.steadfast.examples.mortgage.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.mortgage.Harness;
import io.steadfast.examples.mortgage.IntakeField;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanRoles;
import io.steadfast.examples.mortgage.LoanStage;
import io.steadfast.examples.mortgage.ResumePoints;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoanWorkflowTest {

  @Test
  void team_sameSeed_sameCommandsOutcomesAndState() {
    Simulation first = new Simulation();
    first.run(LoanWorkflow.team(7L, 3, 2, 1), 300);
    Simulation second = new Simulation();
    second.run(LoanWorkflow.team(7L, 3, 2, 1), 300);

    assertThat(second.log).hasSize(300 * 6).isEqualTo(first.log);
    assertThat(second.harness.checkpoint()).isEqualTo(first.harness.checkpoint());
  }

  @Test
  void team_otherSeed_otherCommands() {
    Simulation first = new Simulation();
    first.run(LoanWorkflow.team(7L, 1, 1, 1), 50);
    Simulation second = new Simulation();
    second.run(LoanWorkflow.team(8L, 1, 1, 1), 50);

    assertThat(second.log).isNotEqualTo(first.log);
  }

  @Test
  void team_longRun_fundsMostLoansWithSomeDeclinesAndWithdrawals() {
    Simulation simulation = new Simulation();
    simulation.run(LoanWorkflow.team(2024L, 4, 1, 1), 2000);

    int funded = count(simulation, LoanStage.FUNDED);
    int declined = count(simulation, LoanStage.DECLINED);
    int withdrawn = count(simulation, LoanStage.WITHDRAWN);
    int finished = funded + declined + withdrawn;
    assertThat(finished).isGreaterThan(400);
    assertThat(declined).isBetween(finished / 50, finished / 4);
    assertThat(withdrawn).isBetween(finished / 100, finished / 8);
    assertThat(simulation.rejections.keySet()).isSubsetOf("IllegalLoanStateException");
  }

  @Test
  void team_versionTwo_closersRescheduleSomeClosingsAndStillFund() {
    Simulation simulation = new Simulation();
    List<LoanWorkflow> team =
        List.of(
            LoanWorkflow.of(Desk.OFFICER, "officer-1", 1L, 2),
            LoanWorkflow.of(Desk.OFFICER, "officer-2", 2L, 2),
            LoanWorkflow.of(Desk.UNDERWRITER, "underwriter-1", 3L, 2),
            LoanWorkflow.of(Desk.CLOSER, "closer-1", 4L, 2));
    simulation.run(team, 1000);

    long rescheduled =
        simulation.log.stream()
            .filter(step -> step.command() instanceof LoanCommand.RescheduleClosing)
            .filter(step -> step.outcome().startsWith("ClosingRescheduled"))
            .count();
    assertThat(rescheduled).isGreaterThan(5);
    assertThat(count(simulation, LoanStage.FUNDED)).isGreaterThan(50);
    assertThat(simulation.rejections.keySet()).isSubsetOf("IllegalLoanStateException");
  }

  @Test
  void team_versionOne_neverReschedules() {
    Simulation simulation = new Simulation();
    simulation.run(LoanWorkflow.team(2024L, 4, 1, 1), 1000);

    assertThat(simulation.log)
        .noneMatch(step -> step.command() instanceof LoanCommand.RescheduleClosing);
  }

  @Test
  void of_versionBelowOne_refused() {
    assertThatThrownBy(() -> LoanWorkflow.of(Desk.CLOSER, "closer-1", 1L, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("applicationVersion must be at least 1: 0");
  }

  @Test
  void officer_typesEveryFieldThenSubmitsWhatWasTyped() {
    Harness harness = new Harness();
    LoanWorkflow officer = LoanWorkflow.officer("alice", 11L);
    LoanCommand command = officer.start();
    for (IntakeField field : IntakeField.values()) {
      assertThat(command).isInstanceOf(LoanCommand.EnterIntakeField.class);
      assertThat(((LoanCommand.EnterIntakeField) command).field()).isEqualTo(field);
      command = officer.next(harness.apply(officer.principal(), command));
    }

    LoanCommand.SubmitApplication submit = (LoanCommand.SubmitApplication) command;
    ResumePoint typed = harness.resumePoint("alice");
    assertThat(ResumePoints.screenOf(typed)).contains(ResumePoints.Screen.INTAKE);
    for (IntakeField field : IntakeField.values()) {
      assertThat(typed.get("typed." + field.key())).contains(field.textOf(submit.request()));
    }
  }

  @Test
  void officer_afterRejection_startsTheNextBorrower() {
    LoanWorkflow officer = LoanWorkflow.officer("alice", 11L);
    officer.start();

    LoanCommand next = officer.afterRejection("IllegalLoanStateException");

    assertThat(next).isInstanceOf(LoanCommand.EnterIntakeField.class);
    assertThat(((LoanCommand.EnterIntakeField) next).field()).isEqualTo(IntakeField.BORROWER_NAME);
  }

  @Test
  void underwriter_emptyPipeline_idleAndListsAgain() {
    LoanWorkflow underwriter = LoanWorkflow.underwriter("umar", 3L);
    LoanCommand list = underwriter.start();

    LoanCommand next = underwriter.next(new LoanResult.Pipeline(LoanStage.APPRAISED, List.of(), 0));

    assertThat(list).isEqualTo(new LoanCommand.ListPipeline(LoanStage.APPRAISED, 20));
    assertThat(next).isEqualTo(list);
    assertThat(underwriter.idle()).isTrue();
  }

  @Test
  void closer_nothingApproved_looksForScheduledClosingsBeforeIdling() {
    LoanWorkflow closer = LoanWorkflow.closer("chloe", 3L);
    closer.start();

    LoanCommand second = closer.next(new LoanResult.Pipeline(LoanStage.APPROVED, List.of(), 0));
    boolean idleAfterFirst = closer.idle();
    LoanCommand third =
        closer.next(new LoanResult.Pipeline(LoanStage.CLOSING_SCHEDULED, List.of(), 0));

    assertThat(second).isEqualTo(new LoanCommand.ListPipeline(LoanStage.CLOSING_SCHEDULED, 20));
    assertThat(idleAfterFirst).isFalse();
    assertThat(third).isEqualTo(new LoanCommand.ListPipeline(LoanStage.APPROVED, 20));
    assertThat(closer.idle()).isTrue();
  }

  @Test
  void workflow_outOfOrderCalls_refused() {
    LoanWorkflow officer = LoanWorkflow.officer("alice", 1L);

    assertThatThrownBy(() -> officer.next(new LoanResult.CreditReportRecorded("L-000001", 700)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has not started");
    officer.start();
    assertThatThrownBy(officer::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> officer.next(new LoanResult.Pipeline(LoanStage.APPLIED, List.of(), 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("officer did not expect result Pipeline");
  }

  @Test
  void team_namesDesksAndPrincipals() {
    List<LoanWorkflow> team = LoanWorkflow.team(5L, 2, 1, 1);

    assertThat(team)
        .extracting(LoanWorkflow::user)
        .containsExactly("officer-1", "officer-2", "underwriter-1", "closer-1");
    assertThat(team.get(0).principal().roles()).containsExactly(LoanRoles.OFFICER);
    assertThat(team.get(2).principal().roles()).containsExactly(LoanRoles.UNDERWRITER);
    assertThat(team.get(3).principal().roles()).containsExactly(LoanRoles.CLOSER);
    assertThat(team.get(0).seed()).isNotEqualTo(team.get(1).seed());
  }

  private static int count(Simulation simulation, LoanStage stage) {
    return ((LoanResult.Pipeline)
            simulation.harness.query(
                LoanRoles.officer("auditor"), new LoanCommand.ListPipeline(stage, 1)))
        .total();
  }
}
