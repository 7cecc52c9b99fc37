package io.steadfast.examples.mortgage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoanStageTest {

  @Test
  void finalStages_haveNoSuccessors() {
    for (LoanStage stage : List.of(LoanStage.FUNDED, LoanStage.DECLINED, LoanStage.WITHDRAWN)) {
      assertThat(stage.isFinal()).isTrue();
      assertThat(stage.successors()).isEmpty();
    }
  }

  @Test
  void openStages_mayBeDeclinedOrWithdrawnAndMoveOneStepAhead() {
    List<LoanStage> happyPath =
        List.of(
            LoanStage.APPLIED,
            LoanStage.CREDIT_CHECKED,
            LoanStage.APPRAISED,
            LoanStage.APPROVED,
            LoanStage.CLOSING_SCHEDULED,
            LoanStage.FUNDED);

    for (int i = 0; i < happyPath.size() - 1; i++) {
      LoanStage stage = happyPath.get(i);
      assertThat(stage.isFinal()).isFalse();
      assertThat(stage.successors())
          .containsExactlyInAnyOrder(happyPath.get(i + 1), LoanStage.DECLINED, LoanStage.WITHDRAWN);
      assertThat(stage.canMoveTo(stage)).isFalse();
    }
  }
}
