package io.steadfast.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.Position;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.api.checkpoint.CheckpointException.Problem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

  @TempDir Path dir;

  private Path write(int appVersion) throws IOException {
    Path file = dir.resolve("snapshot.2_40");
    CheckpointFile.write(
        file,
        new CheckpointHeader(1, appVersion, 2, 40, new Position(17, 2)),
        new byte[] {1, 2, 3},
        out -> out.write("payload bytes".getBytes(StandardCharsets.UTF_8)));
    return file;
  }

  @Test
  void write_reportsTheSizeAndMd5OfTheFileItWrote() throws Exception {
    Path file = dir.resolve("snapshot.3_41");
    CheckpointFile.Written written =
        CheckpointFile.write(
            file,
            new CheckpointHeader(1, 1, 3, 41, new Position(5, 3)),
            new byte[] {9},
            out -> out.write(new byte[200_000]));
    byte[] bytes = Files.readAllBytes(file);
    assertThat(written.size()).isEqualTo(bytes.length);
    assertThat(written.md5())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
  }

  @Test
  void write_thatFailsLeavesNoFileBehind() {
    Path file = dir.resolve("snapshot.3_42");
    assertThatThrownBy(
            () ->
                CheckpointFile.write(
                    file,
                    new CheckpointHeader(1, 1, 3, 42, new Position(6, 3)),
                    new byte[0],
                    out -> {
                      out.write(1);
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void open_readsBackHeaderStateAndPayload() throws IOException {
    Path file = write(1);
    try (CheckpointFile.Opened opened = CheckpointFile.open(file, 1)) {
      assertThat(opened.header().position()).isEqualTo(new Position(17, 2));
      assertThat(opened.header().journalIndex()).isEqualTo(40);
      assertThat(opened.runtimeState()).containsExactly(1, 2, 3);
      assertThat(new String(opened.payload().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("payload bytes");
    }
  }

  @Test
  void flippedByte_isRefusedAsCorrupt_namingTheFile() throws IOException {
    Path file = write(1);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(60);
      int b = raf.read();
      raf.seek(60);
      raf.write(b ^ 1);
    }
    assertThatThrownBy(() -> CheckpointFile.verify(file, 1))
        .isInstanceOfSatisfying(
            CheckpointException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.CORRUPT);
              assertThat(e.checkpoint()).isEqualTo("snapshot.2_40");
            });
  }

  @Test
  void truncation_isRefused() throws IOException {
    Path file = write(1);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() - 3);
    }
    assertThatThrownBy(() -> CheckpointFile.verify(file, 1))
        .isInstanceOf(CheckpointException.class);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(20);
    }
    assertThatThrownBy(() -> CheckpointFile.verify(file, 1))
        .isInstanceOfSatisfying(
            CheckpointException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TRUNCATED));
  }

  @Test
  void foreignFile_isRefusedAsForeign() throws IOException {
    Path file = dir.resolve("snapshot.1_1");
    Files.writeString(file, "this is not a checkpoint at all, just some text");
    assertThatThrownBy(() -> CheckpointFile.verify(file, 1))
        .isInstanceOfSatisfying(
            CheckpointException.class, e -> assertThat(e.problem()).isEqualTo(Problem.FOREIGN));
  }

  @Test
  void newerApplicationVersion_isRefused() throws IOException {
    Path file = write(3);
    assertThatThrownBy(() -> CheckpointFile.verify(file, 2))
        .isInstanceOfSatisfying(
            CheckpointException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_VERSION);
              assertThat(e.getMessage()).contains("3").contains("2");
            });
  }
}
