package io.steadfast.testkit.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodeDigestTest {

  @Test
  void classDirectory_isHashedWholeAndTheSameTwice() {
    String first = CodeDigest.of(CodeDigestTest.class);

    assertThat(first).matches("sha256:[0-9a-f]{64} \\(\\d+ files under test-classes\\)");
    assertThat(CodeDigest.of(CodeDigestTest.class)).isEqualTo(first);
  }

  @Test
  void jar_isHashedAndNamed() {
    assertThat(CodeDigest.of(Test.class))
        .matches("sha256:[0-9a-f]{64} \\(junit-jupiter-api-.*\\.jar\\)");
  }

  @Test
  void classWithoutCodeSource_isUnknown() {
    assertThat(CodeDigest.of(String.class)).isEqualTo("unknown (no code source)");
  }
}
