package io.steadfast.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/guide.md} quotes compiled code: each {@code ```java} block must appear, line for line
 * and ignoring only leading indentation, in the Java source file named (in backquotes) in the text
 * since the previous block.
 */
class GuideSnippetsTest {

  private static final Path ROOT = Path.of("..", "..");
  private static final Path GUIDE = ROOT.resolve("docs").resolve("guide.md");
  private static final Pattern SOURCE =
      Pattern.compile("`([\\w./-]+/src/(?:main|test)/java/[\\w./-]+\\.java)`");

  /** One quoted block and the file it names, or null when the text named none. */
  record Quote(int line, @Nullable String file, List<String> code) {}

  @Test
  void guide_everyJavaBlock_appearsVerbatimInItsNamedSourceFile() throws IOException {
    List<Quote> quotes = quotes(Files.readAllLines(GUIDE, StandardCharsets.UTF_8));

    assertThat(quotes).as("java blocks in the guide").hasSizeGreaterThanOrEqualTo(10);
    List<String> problems = new ArrayList<>();
    for (Quote quote : quotes) {
      String problem = check(quote);
      if (problem != null) {
        problems.add(problem);
      }
    }
    assertThat(problems).as("quotes that drifted from their files").isEmpty();
  }

  @Test
  void readme_sample_appearsVerbatimInTheTestThatRunsIt() throws IOException {
    List<Quote> quotes =
        quotes(Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8));

    assertThat(quotes).as("java blocks in the README").hasSize(1);
    assertThat(quotes.get(0).file()).endsWith("ReadmeSampleIT.java");
    assertThat(check(quotes.get(0))).isNull();
  }

  @Test
  void check_blockCopiedWithOtherIndentation_passes() {
    Quote quote =
        new Quote(
            1,
            "examples/demo/src/main/java/io/steadfast/examples/demo/Pause.java",
            List.of("static void pause(Duration duration) {", "  try {"));

    assertThat(check(quote)).isNull();
  }

  @Test
  void check_blockWithAnEditedLine_isReported() {
    Quote quote =
        new Quote(
            7,
            "examples/demo/src/main/java/io/steadfast/examples/demo/Pause.java",
            List.of("static void pause(Duration duration) {", "  try { // edited"));

    assertThat(check(quote)).contains("line 7").contains("Pause.java");
  }

  @Test
  void check_blockNamingNoFile_isReported() {
    assertThat(check(new Quote(3, null, List.of("int x;"))))
        .contains("line 3")
        .contains("names no");
  }

  @Test
  void quotes_takeTheFileNamedSinceThePreviousBlock() {
    List<Quote> quotes =
        quotes(
            List.of(
                "From `a/src/main/java/A.java`:",
                "```java",
                "class A {}",
                "```",
                "Then no file:",
                "```java",
                "class B {}",
                "```",
                "```sh",
                "not java",
                "```"));

    assertThat(quotes)
        .containsExactly(
            new Quote(2, "a/src/main/java/A.java", List.of("class A {}")),
            new Quote(6, null, List.of("class B {}")));
  }

  /** The java blocks of a Markdown text, each with the source file named before it. */
  static List<Quote> quotes(List<String> markdown) {
    List<Quote> quotes = new ArrayList<>();
    @Nullable String named = null;
    for (int i = 0; i < markdown.size(); i++) {
      String line = markdown.get(i);
      if (line.startsWith("```")) {
        int start = i;
        List<String> code = new ArrayList<>();
        for (i++; i < markdown.size() && !markdown.get(i).startsWith("```"); i++) {
          code.add(markdown.get(i));
        }
        if (line.equals("```java")) {
          quotes.add(new Quote(start + 1, named, code));
          named = null;
        }
        continue;
      }
      Matcher source = SOURCE.matcher(line);
      while (source.find()) {
        named = source.group(1);
      }
    }
    return quotes;
  }

  /** Null if the quote is found in its file; otherwise what is wrong, for the failure message. */
  static @Nullable String check(Quote quote) {
    String file = quote.file();
    if (file == null) {
      return "block at guide line " + quote.line() + " names no source file before it";
    }
    Path path = ROOT.resolve(file);
    List<String> source;
    try {
      source = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "block at guide line "
          + quote.line()
          + " names "
          + file
          + ", which cannot be read: "
          + e;
    }
    List<String> wanted = quote.code().stream().map(String::stripLeading).toList();
    List<String> lines = source.stream().map(String::stripLeading).toList();
    for (int start = 0; start + wanted.size() <= lines.size(); start++) {
      if (lines.subList(start, start + wanted.size()).equals(wanted)) {
        return null;
      }
    }
    return "block at guide line "
        + quote.line()
        + " is not in "
        + file
        + ": "
        + String.join(" / ", quote.code());
  }
}
