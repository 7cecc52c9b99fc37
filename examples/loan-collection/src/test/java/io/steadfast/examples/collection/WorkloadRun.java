package io.steadfast.examples.collection;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs the seeded workload against one application: loads a portfolio, then for each business day
 * ages it and lets every collector take turns through its workflow. Checks on every acknowledged
 * command that the application recorded the resume point {@link ResumePoints#after} predicts.
 */
final class WorkloadRun {

  static final LocalDate START = LocalDate.of(2025, 5, 1);

  /** One submitted command and its outcome: a result, or the rejection's simple type name. */
  record Step(
      String user,
      CollectionCommand command,
      @Nullable CollectionResult result,
      @Nullable String rejection) {}

  final Harness harness;
  final List<Step> transcript = new ArrayList<>();
  final List<CollectorWorkflow> workflows = new ArrayList<>();

  private WorkloadRun(LoanCollectionApplication app) {
    this.harness = new Harness(app);
  }

  static WorkloadRun run(long seed, int accounts, List<String> collectors, int days, int turns) {
    return run(new LoanCollectionApplication(), seed, accounts, collectors, days, turns);
  }

  static WorkloadRun run(
      LoanCollectionApplication app,
      long seed,
      int accounts,
      List<String> collectors,
      int days,
      int turns) {
    WorkloadRun run = new WorkloadRun(app);
    run.harness.on(START);
    for (OpenDelinquentAccount open : AccountLoader.openCommands(seed, accounts, START)) {
      run.record(Harness.SUPERVISOR.user(), open, run.harness.submit(Harness.SUPERVISOR, open));
    }
    List<CollectionCommand> pending = new ArrayList<>();
    List<ResumePoint> expected = new ArrayList<>();
    for (String collector : collectors) {
      CollectorWorkflow workflow = CollectorWorkflow.create(seed, collector);
      run.workflows.add(workflow);
      pending.add(workflow.first());
      expected.add(ResumePoint.start());
    }
    for (int day = 0; day < days; day++) {
      CollectionResult aged = run.harness.age(START.plusDays(day));
      run.record(Harness.SUPERVISOR.user(), new CollectionCommand.RunDailyAging("eod"), aged);
      for (int turn = 0; turn < turns; turn++) {
        for (int i = 0; i < run.workflows.size(); i++) {
          CollectorWorkflow workflow = run.workflows.get(i);
          CollectionCommand command = pending.get(i);
          CollectionResult result;
          try {
            result = run.harness.submit(workflow.principal(), command);
          } catch (RuntimeException e) {
            String type = e.getClass().getSimpleName();
            run.transcript.add(new Step(workflow.collector(), command, null, type));
            pending.set(i, workflow.afterRejection(type));
            continue;
          }
          run.record(workflow.collector(), command, result);
          ResumePoint predicted = ResumePoints.after(expected.get(i), command, result);
          ResumePoint actual = run.harness.resumePoint(workflow.principal());
          if (!predicted.equals(actual)) {
            throw new AssertionError(
                "resume point of "
                    + workflow.collector()
                    + " after "
                    + command
                    + ": expected "
                    + predicted
                    + " but the application recorded "
                    + actual);
          }
          expected.set(i, predicted);
          pending.set(i, workflow.next(result));
        }
      }
    }
    return run;
  }

  private void record(String user, CollectionCommand command, CollectionResult result) {
    transcript.add(new Step(user, command, result, null));
  }

  long count(Class<? extends CollectionResult> type) {
    return transcript.stream().filter(s -> type.isInstance(s.result())).count();
  }

  byte[] checkpoint() {
    return harness.checkpoint();
  }
}
