package io.steadfast.examples.mortgage.workload;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.mortgage.Harness;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.ResumePoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-threaded multi-session driver: each round, every workflow of a team sends its pending
 * command. Checks after each acknowledged command that the session's resume point is what {@link
 * ResumePoints#after} predicts.
 */
final class Simulation {

  /** One command and its outcome: the result, or the rejection's exception type. */
  record Step(String user, LoanCommand command, String outcome) {}

  final Harness harness = new Harness();
  final List<Step> log = new ArrayList<>();
  final Map<String, Integer> rejections = new LinkedHashMap<>();

  void run(List<LoanWorkflow> team, int rounds) {
    Map<LoanWorkflow, LoanCommand> pending = new LinkedHashMap<>();
    for (LoanWorkflow workflow : team) {
      pending.put(workflow, workflow.start());
    }
    for (int round = 0; round < rounds; round++) {
      for (LoanWorkflow workflow : team) {
        LoanCommand command = pending.get(workflow);
        ResumePoint before = harness.resumePoint(workflow.user());
        LoanCommand next;
        try {
          LoanResult result = harness.send(workflow.principal(), command);
          ResumePoint expected = ResumePoints.after(before, command, result);
          if (!expected.equals(harness.resumePoint(workflow.user()))) {
            throw new AssertionError(
                "resume point of "
                    + workflow.user()
                    + " after "
                    + command
                    + " is "
                    + harness.resumePoint(workflow.user())
                    + ", expected "
                    + expected);
          }
          log.add(new Step(workflow.user(), command, result.toString()));
          next = workflow.next(result);
        } catch (RuntimeException e) {
          String type = e.getClass().getSimpleName();
          rejections.merge(type, 1, Integer::sum);
          log.add(new Step(workflow.user(), command, "rejected " + type));
          next = workflow.afterRejection(type);
        }
        pending.put(workflow, next);
      }
    }
  }
}
