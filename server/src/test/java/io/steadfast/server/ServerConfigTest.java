package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.runtime.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  @TempDir Path dir;

  private Path file(String text) throws Exception {
    Path file = dir.resolve("member.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void fileThenEnvironmentThenFlags_laterWins() throws Exception {
    Path file = file("node.id=n1\ncluster.name=from-file\nstorage.dir=/data\n");
    ServerConfig config =
        ServerConfig.load(
            file,
            Map.of("STEADFAST_CLUSTER_NAME", "from-env", "STEADFAST_STORAGE_DIR", "/env"),
            Map.of("storage.dir", "/flag"));
    assertThat(config.require("node.id")).isEqualTo("n1");
    assertThat(config.require("cluster.name")).isEqualTo("from-env");
    assertThat(config.require("storage.dir")).isEqualTo("/flag");
    assertThat(ServerConfig.environmentName("group-commit")).isEqualTo("STEADFAST_GROUP_COMMIT");
  }

  @Test
  void unknownKey_isRefused_namingIt() throws Exception {
    Path file = file("node.id=n1\nelection.timeuot=100-200\n");
    assertThatThrownBy(() -> ServerConfig.load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo("election.timeuot"));
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("nodeid", "n1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--set");
  }

  @Test
  void badValues_nameTheirKey() throws Exception {
    ServerConfig config =
        ServerConfig.load(
            null,
            Map.of(),
            Map.of(
                "members", "n1=127.0.0.1:9001",
                "checkpoint.every", "-5",
                "checkpoint.journal-ratio", "lots",
                "election.timeout", "150",
                "security.insecure", "yes",
                "rehearsal.commands", "100001"));
    assertThatThrownBy(config::members)
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("members"));
    assertThatThrownBy(() -> config.positive("checkpoint.every"))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo("checkpoint.every"));
    assertThatThrownBy(() -> config.decimal("checkpoint.journal-ratio", 0, 1000))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo("checkpoint.journal-ratio"));
    assertThatThrownBy(() -> config.numbers("election.timeout", "-", 2))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo("election.timeout"));
    assertThatThrownBy(() -> config.flag("security.insecure"))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).isEqualTo("security.insecure"));
    assertThatThrownBy(() -> config.whole("rehearsal.commands", 0, 100_000))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.setting()).isEqualTo("rehearsal.commands");
              assertThat(e.getMessage()).contains("between 0 and 100000");
            });
    assertThatThrownBy(
            () ->
                ServerConfig.load(null, Map.of(), Map.of("rehearsal.commands", "some"))
                    .whole("rehearsal.commands", 0, 100_000))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.getMessage()).contains("whole number"));
    assertThatThrownBy(() -> config.require("node.id"))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("node.id"));
  }

  @Test
  void members_parseInOrder_andDuplicatesAreRefused() {
    ServerConfig config =
        ServerConfig.load(
            null, Map.of(), Map.of("members", "n1=10.0.0.1:9001:9101, n2=10.0.0.2:9001:9101"));
    assertThat(config.members())
        .extracting(m -> m.id().value() + "@" + m.raft().getPort() + "/" + m.http().getPort())
        .containsExactly("n1@9001/9101", "n2@9001/9101");
    ServerConfig twice = ServerConfig.load(null, Map.of(), Map.of("members", "n1=h:1:2,n1=h:3:4"));
    assertThatThrownBy(twice::members).hasMessageContaining("listed twice");
  }

  @Test
  void memberBeyondLoopbackWithoutTls_refusesToStart_namingTls() {
    ServerConfig config =
        ServerConfig.load(
            null,
            Map.of(),
            Map.of(
                "node.id", "n1",
                "storage.dir", dir.resolve("data").toString(),
                "members", "n1=0.0.0.0:47999:48999"));
    assertThatThrownBy(
            () ->
                SteadfastServer.start(
                    config,
                    () -> {
                      throw new AssertionError("must not start");
                    },
                    new io.steadfast.api.codec.CommandCodec<String, String>() {
                      @Override
                      public Class<String> commandType() {
                        return String.class;
                      }

                      @Override
                      public byte[] encodeCommand(String command) {
                        return command.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                      }

                      @Override
                      public String decodeCommand(byte[] bytes) {
                        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                      }

                      @Override
                      public byte[] encodeResult(String result) {
                        return encodeCommand(result);
                      }

                      @Override
                      public String decodeResult(byte[] bytes) {
                        return decodeCommand(bytes);
                      }
                    }))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("tls"));
  }
}
