package io.steadfast.testkit.certificate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.steadfast.testkit.rule.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a certificate as {@code certificate.json} and {@code report.md} into a directory.
 *
 * <p>Stateless and thread-safe.
 */
public final class CertificateWriter {

  /** The JSON file's name. */
  public static final String JSON = "certificate.json";

  /** The Markdown report's name. */
  public static final String MARKDOWN = "report.md";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private CertificateWriter() {}

  /**
   * Writes both files into {@code directory}, creating it if needed.
   *
   * @throws IOException if a file cannot be written
   */
  public static void write(Certificate certificate, Path directory) throws IOException {
    Files.createDirectories(directory);
    MAPPER.writeValue(directory.resolve(JSON).toFile(), certificate);
    Files.writeString(directory.resolve(MARKDOWN), markdown(certificate), StandardCharsets.UTF_8);
  }

  /** Reads a certificate back from its JSON. */
  public static Certificate read(Path json) throws IOException {
    return MAPPER.readValue(json.toFile(), Certificate.class);
  }

  /** The Markdown report: summary, a table of rules, then the details of each rule. */
  public static String markdown(Certificate c) {
    StringBuilder md = new StringBuilder();
    md.append("# Steadfast certification report\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| application | `").append(c.application()).append("` |\n");
    md.append("| suite | `").append(c.suite()).append("` |\n");
    md.append("| level granted | **").append(c.granted().orElse("none")).append("** |\n");
    md.append("| seed | `").append(c.seed()).append("` |\n");
    md.append("| run | ")
        .append(c.deep() ? "deep" : "default")
        .append(", trace of ")
        .append(c.traceLength())
        .append(" entries |\n");
    c.versions()
        .forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("| schema | ").append(c.schemaVersion()).append(" |\n\n");
    md.append("## Levels\n\n");
    c.levels()
        .forEach(
            (level, status) ->
                md.append("- **").append(level).append("**: ").append(status).append('\n'));
    md.append("\n## Rules\n\n| rule | level | verdict | time | summary |\n|---|---|---|---|---|\n");
    for (RuleResult r : c.rules()) {
      md.append("| ")
          .append(r.rule())
          .append(" | ")
          .append(r.level().title())
          .append(" | ")
          .append(r.verdict())
          .append(r.required() ? "" : " (not applicable)")
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2f s", r.durationMillis() / 1000.0))
          .append(" | ")
          .append(cell(r.summary()))
          .append(" |\n");
    }
    md.append("\n## Details\n");
    for (RuleResult r : c.rules()) {
      md.append("\n### ").append(r.rule()).append(" — ").append(r.verdict()).append("\n\n");
      md.append("*").append(r.intent()).append("*\n\n").append(r.summary()).append("\n");
      if (!r.coverage().isEmpty()) {
        md.append("\nCoverage: ");
        StringBuilder cov = new StringBuilder();
        r.coverage()
            .forEach(
                (k, v) ->
                    cov.append(cov.length() == 0 ? "" : ", ").append(k).append(" ").append(v));
        md.append(cov).append("\n");
      }
      if (r.counterexample() != null) {
        md.append("\nCounterexample:\n\n```\n").append(r.counterexample()).append("\n```\n");
      }
      if (r.verdict() == Verdict.FAIL && r.replayCommand() != null) {
        md.append("\nReplay: `").append(r.replayCommand()).append("`\n");
      }
    }
    return md.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
