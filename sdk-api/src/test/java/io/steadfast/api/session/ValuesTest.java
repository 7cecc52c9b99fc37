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
  void resumePoint_fromAMapInAnotherOrder_isInNaturalOrder_andLeavesTheOriginalAlone() {
    java.util.TreeMap<String, String> reversed =
        new java.util.TreeMap<>(java.util.Comparator.<String>reverseOrder());
    reversed.put("a", "1");
    reversed.put("c", "3");
    reversed.put("b", "2");
    ResumePoint point = ResumePoint.of(reversed);
    assertThat(point.fields().keySet()).containsExactly("a", "b", "c");
    ResumePoint changed = point.with("b", "two").with("d", "4");
    assertThat(changed.fields())
        .containsExactly(
            Map.entry("a", "1"), Map.entry("b", "two"), Map.entry("c", "3"), Map.entry("d", "4"));
    assertThat(point.get("b")).contains("2");
    assertThat(point.get("d")).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // nulls passed on purpose
  void resumePoint_refusesBlankOrNullKeysAndNullValues_everyWayItIsMade() {
    Map<String, String> nullValue = new java.util.HashMap<>();
    nullValue.put("screen", null);
    assertThatThrownBy(() -> ResumePoint.of(nullValue))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("screen");
    assertThatThrownBy(() -> ResumePoint.of(Map.of(" ", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> ResumePoint.of((String) null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> ResumePoint.of("screen", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("screen");
    ResumePoint point = ResumePoint.of("loan", "L-1");
    assertThatThrownBy(() -> point.with("", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> point.with("screen", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("screen");
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
