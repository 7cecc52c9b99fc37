package io.steadfast.testkit.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.testkit.pure.PureRules;
import io.steadfast.testkit.rule.Level;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateTest {

  private static RuleResult result(Rule rule, Verdict verdict, boolean required) {
    return new RuleResult(
        rule.id(),
        rule.level(),
        rule.intent(),
        verdict,
        required,
        "s",
        1,
        new TreeMap<>(),
        null,
        null);
  }

  private static List<RuleResult> allPure(Verdict verdict) {
    List<RuleResult> results = new ArrayList<>();
    PureRules.rules().forEach(r -> results.add(result(r, verdict, true)));
    return results;
  }

  private static Certificate grant(List<Rule> registered, List<RuleResult> results) {
    return Certificate.grant("app", "suite", new TreeMap<>(), 1, false, 200, registered, results);
  }

  @Test
  void grant_everyPureRulePasses_resilientOnly() {
    Certificate c = grant(PureRules.rules(), allPure(Verdict.PASS));

    assertThat(c.granted()).contains("Resilient");
    assertThat(c.levels().get("ClusterProven")).contains("no rules of this level");
  }

  @Test
  void grant_ruleNotRun_notGranted() {
    List<RuleResult> results = allPure(Verdict.PASS);
    results.remove(3);

    Certificate c = grant(PureRules.rules(), results);

    assertThat(c.granted()).isEmpty();
    assertThat(c.levels().get("Resilient")).contains("rules not run: HV-4");
  }

  @Test
  void grant_waivedSkipCounts_blockedSkipAndUnknownDoNot() {
    int jr3 = PureRules.rules().indexOf(PureRules.JR3);
    List<RuleResult> waived = allPure(Verdict.PASS);
    waived.set(jr3, result(PureRules.JR3, Verdict.SKIPPED, false));
    List<RuleResult> blocked = allPure(Verdict.PASS);
    blocked.set(jr3, result(PureRules.JR3, Verdict.SKIPPED, true));
    List<RuleResult> unknown = allPure(Verdict.PASS);
    unknown.set(jr3, result(PureRules.JR3, Verdict.UNKNOWN, true));

    assertThat(grant(PureRules.rules(), waived).granted()).contains("Resilient");
    assertThat(grant(PureRules.rules(), blocked).granted()).isEmpty();
    assertThat(grant(PureRules.rules(), unknown).levels().get("Resilient"))
        .contains("JR-3 UNKNOWN");
  }

  @Test
  void grant_higherLevelRegisteredButFailing_keepsLowerLevel() {
    Rule cluster = Rule.of("RL-9", Level.CLUSTER_PROVEN, "a cluster rule for this test");
    List<Rule> registered = new ArrayList<>(PureRules.rules());
    registered.add(cluster);
    List<RuleResult> results = allPure(Verdict.PASS);
    results.add(result(cluster, Verdict.FAIL, true));

    Certificate c = grant(registered, results);

    assertThat(c.granted()).contains("Resilient");
    assertThat(c.levels().get("ClusterProven")).isEqualTo("not granted: RL-9 FAIL");
  }

  @Test
  void write_jsonAndMarkdown_roundTrip(@TempDir Path dir) throws Exception {
    Certificate c = grant(PureRules.rules(), allPure(Verdict.PASS));

    CertificateWriter.write(c, dir);

    assertThat(CertificateWriter.read(dir.resolve(CertificateWriter.JSON))).isEqualTo(c);
    assertThat(Files.readString(dir.resolve(CertificateWriter.JSON)))
        .contains("\"schemaVersion\" : 1");
    assertThat(Files.readString(dir.resolve(CertificateWriter.MARKDOWN)))
        .contains("| level granted | **Resilient** |")
        .contains("| CP-1 | Resilient | PASS |");
  }
}
