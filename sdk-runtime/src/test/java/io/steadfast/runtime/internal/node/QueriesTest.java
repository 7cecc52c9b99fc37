package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.Health;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.runtime.internal.audit.Fingerprints;
import io.steadfast.runtime.internal.audit.ResyncCopies;
import org.junit.jupiter.api.Test;

class QueriesTest {

  private static Queries.PeerFacts facts(long committed) {
    return new Queries.PeerFacts(
        Health.up(),
        new Fingerprints(),
        new ResyncCopies(),
        () -> 7,
        () -> committed,
        () -> new DeadPrimaryWatch.JournalEnd(5, committed + 2),
        3);
  }

  @Test
  void aPeerAnswersTheProgressQuestionWithItsOwnCommitIndex() {
    byte[] answer = Queries.answerPeer(Queries.progressQuery(), facts(709));
    assertThat(Queries.decodeProgress(answer)).isEqualTo(709);
    assertThat(Queries.decodeProgress(Queries.answerPeer(Queries.progressQuery(), facts(-1))))
        .isEqualTo(-1);
  }

  @Test
  void aPeerAnswersWhereItsJournalEnds() {
    byte[] answer = Queries.answerPeer(Queries.journalEndQuery(), facts(40));
    assertThat(Queries.decodeJournalEnd(answer)).isEqualTo(new DeadPrimaryWatch.JournalEnd(5, 42));
    assertThat(Queries.isJournalEndQuery(Queries.journalEndQuery())).isTrue();
    assertThat(Queries.isJournalEndQuery(Queries.progressQuery())).isFalse();
    assertThatThrownBy(() -> Queries.decodeJournalEnd(new byte[8]))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("journal end");
    Queries.PeerFacts closed =
        new Queries.PeerFacts(
            Health.up(), new Fingerprints(), new ResyncCopies(), () -> 7, () -> 1, () -> null, 3);
    assertThatThrownBy(() -> Queries.answerPeer(Queries.journalEndQuery(), closed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAnswerOfTheWrongLength_isATypedError() {
    assertThatThrownBy(() -> Queries.decodeProgress(new byte[7]))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("progress");
  }

  @Test
  void anUnknownQuestion_isATypedError() {
    assertThatThrownBy(() -> Queries.answerPeer(new byte[] {99}, facts(1)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("unknown peer question");
  }
}
