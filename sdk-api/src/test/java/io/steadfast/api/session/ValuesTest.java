package io.steadfast.api.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void resumePoint_isSortedWhateverTheInsertionOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("screen", "credit");
    a.put("loan", "L-1");
    ResumePoint first = ResumePoint.of(a);
    ResumePoint second = ResumePoint.of("loan", "L-1", "screen", "credit");
    assertThat(first).isEqualTo(second);
    assertThat(first.fields().firstKey()).isEqualTo("loan");
    assertThat(first.with("screen", "appraisal").get("screen")).contains("appraisal");
    assertThat(ResumePoint.of(Map.of())).isSameAs(ResumePoint.start());
    assertThatThrownBy(() -> ResumePoint.of("odd")).hasMessageContaining("pairs");
  }

  @Test
  void principal_sortsRolesAndRejectsBlankNames() {
    Principal p = Principal.of("alice", "underwriter", "officer");
    assertThat(p.roles()).containsExactly("officer", "underwriter");
    assertThat(p.hasRole("officer")).isTrue();
    assertThatThrownBy(() -> Principal.of(" ")).hasMessageContaining("blank");
  }

  @Test
  void position_printsAndParsesAndOrdersByIndex() {
    Position p = Position.parse("42@7");
    assertThat(p).isEqualTo(new Position(42, 7));
    assertThat(p.toString()).isEqualTo("42@7");
    assertThat(new Position(41, 9)).isLessThan(p);
    assertThatThrownBy(() -> Position.parse("42")).hasMessageContaining("index@epoch");
    assertThatThrownBy(() -> new Position(-1, 0)).hasMessageContaining("-1");
  }

  @Test
  void ids_validateTheirSpelling() {
    assertThat(NodeId.of("n-1").value()).isEqualTo("n-1");
    assertThatThrownBy(() -> NodeId.of("n 1")).hasMessageContaining("'n 1'".replace("'", ""));
    assertThatThrownBy(() -> SessionId.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sessionId_acceptsExactlyLettersDigitsAndFourMarks_upTo128() {
    assertThat(SessionId.of("aZ09_.:-").value()).isEqualTo("aZ09_.:-");
    assertThat(SessionId.of("x".repeat(128)).value()).hasSize(128);
    for (String bad : new String[] {"x".repeat(129), "a b", "a/b", "é", "a\n", "a*"}) {
      assertThatThrownBy(() -> SessionId.of(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("session id");
    }
    assertThatThrownBy(() -> new SessionId(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sessionId_acceptsEachCharacterExactlyAsTheDocumentedPattern() {
    java.util.regex.Pattern documented = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]");
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String one = "a" + c;
      boolean accepted;
      try {
        SessionId.of(one);
        accepted = true;
      } catch (IllegalArgumentException e) {
        accepted = false;
      }
      assertThat(accepted).as("U+%04X", (int) c).isEqualTo(documented.matcher("" + c).matches());
    }
  }
}
