package io.steadfast.testkit.pure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The bytecode scan behind JR-5 on small classes shaped like the defects vendors make. */
class HostCallScanTest {

  @Test
  void callThroughALambdaInApply_isFound_withThePathFromApply() throws Exception {
    List<HostCallScan.Finding> found = HostCallScan.scan(LambdaApp.class).findings();

    assertThat(found).hasSize(1);
    assertThat(found.get(0).call()).isEqualTo("java.util.UUID.randomUUID");
    assertThat(found.get(0).why()).contains("unseeded randomness");
    assertThat(found.get(0).line()).isPositive();
    assertThat(found.get(0).path().get(0)).endsWith("LambdaApp.apply");
  }

  @Test
  void staticInitializerOfAClassApplyUses_isScanned() throws Exception {
    List<HostCallScan.Finding> found = HostCallScan.scan(StaticStartApp.class).findings();

    assertThat(found)
        .extracting(HostCallScan.Finding::call)
        .containsExactly("java.time.Instant.now");
    assertThat(found.get(0).method()).endsWith("Started.<clinit>");
  }

  @Test
  void interfaceCall_reachesTheVendorsImplementations() throws Exception {
    List<HostCallScan.Finding> found = HostCallScan.scan(RuleApp.class).findings();

    assertThat(found)
        .extracting(HostCallScan.Finding::call)
        .containsExactly("java.lang.String.toUpperCase");
    assertThat(found.get(0).method()).endsWith("ShoutingRule.check");
  }

  @Test
  void namedLocaleSeededRandomAndQueries_areNotFindings() throws Exception {
    HostCallScan scan = HostCallScan.scan(CleanApp.class);

    assertThat(scan.findings()).isEmpty();
    // The constructor and apply; query is not an entry point.
    assertThat(scan.methodsRead()).isEqualTo(2);
  }

  static final class LambdaApp {
    public Object apply(Object command) {
      Supplier<String> id = () -> UUID.randomUUID().toString();
      return id.get();
    }
  }

  @SuppressWarnings("TimeInStaticInitializer") // the defect under test
  static final class Started {
    static final Instant AT = Instant.now();

    private Started() {}
  }

  static final class StaticStartApp {
    public Object apply(Object command) {
      return Started.AT;
    }
  }

  interface Rule {
    String check(String text);
  }

  @SuppressWarnings("StringCaseLocaleUsage") // the defect under test
  static final class ShoutingRule implements Rule {
    @Override
    public String check(String text) {
      return text.toUpperCase();
    }
  }

  static final class RuleApp {
    private final Rule rule = new QuietRule();

    public Object apply(Object command) {
      return rule.check(String.valueOf(command));
    }
  }

  static final class QuietRule implements Rule {
    @Override
    public String check(String text) {
      return text.toLowerCase(Locale.ROOT);
    }
  }

  static final class CleanApp {
    private final java.util.SplittableRandom random = new java.util.SplittableRandom(7);

    public Object apply(Object command) {
      return String.valueOf(command).toLowerCase(Locale.ROOT) + random.nextInt(3);
    }

    public Object query(Object request) {
      return Instant.now();
    }
  }
}
