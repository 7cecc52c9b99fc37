package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.Position;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.checkpoint.CheckpointHeader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks of checkpoints, on real files: newest first, refused ones set aside. */
class CheckpointRecoveryTest {

  @TempDir Path storage;

  private Path group() {
    return storage.resolve("group");
  }

  private Path checkpoint(long term, long index) throws IOException {
    Path sm = Files.createDirectories(group().resolve("sm"));
    Path file = sm.resolve("snapshot." + term + "_" + index);
    CheckpointFile.write(
        file,
        new CheckpointHeader(
            CheckpointFile.FORMAT_VERSION, 1, term, index, new Position(index, term)),
        new byte[] {0, 0, 0, 0},
        out -> out.write(("state at " + index).getBytes(StandardCharsets.UTF_8)));
    return file;
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      raw.seek(at);
      int b = raw.read();
      raw.seek(at);
      raw.write(b ^ 0xFF);
    }
  }

  private long quarantined() throws IOException {
    try (Stream<Path> all = Files.walk(storage)) {
      return all.filter(p -> !p.startsWith(group()) && Files.isRegularFile(p)).count();
    }
  }

  @Test
  void soundNewest_isAccepted_andNothingMoves() throws IOException {
    checkpoint(1, 10);
    Path newest = checkpoint(2, 20);

    assertThat(CheckpointRecovery.checkNewest(group(), 1, storage, null)).isNull();
    assertThat(newest).exists();
    assertThat(quarantined()).isZero();
  }

  @Test
  void corruptNewest_isSetAside_andTheOlderOneIsUsed() throws IOException {
    Path older = checkpoint(1, 10);
    Path newest = checkpoint(2, 20);
    flipByte(newest, Files.size(newest) / 2);

    String refusal = CheckpointRecovery.checkNewest(group(), 1, storage, null);

    assertThat(refusal).isNotNull().contains("snapshot.2_20");
    assertThat(newest).doesNotExist();
    assertThat(older).exists();
    assertThat(quarantined()).isPositive();
  }

  @Test
  void noSoundCheckpointLeft_journalFromTheStart_isKeptAndReplayed() throws IOException {
    flipByte(checkpoint(1, 10), 3);
    Path current = Files.createDirectories(group().resolve("current"));
    Files.writeString(current.resolve("log_0-9"), "journal");

    assertThat(CheckpointRecovery.checkNewest(group(), 1, storage, null))
        .contains("replaying the whole journal");
    assertThat(current.resolve("log_0-9")).exists();
  }

  @Test
  void noSoundCheckpointLeft_journalWithAGap_isSetAsideButTheVoteRecordStays() throws IOException {
    flipByte(checkpoint(1, 10), 3);
    Path current = Files.createDirectories(group().resolve("current"));
    Files.writeString(current.resolve("log_500-509"), "journal");
    Files.writeString(current.resolve("raft-meta"), "term 1 voted n1");

    assertThat(CheckpointRecovery.checkNewest(group(), 1, storage, null)).isNotNull();
    assertThat(current.resolve("log_500-509")).doesNotExist();
    assertThat(current.resolve("raft-meta")).exists();
  }
}
