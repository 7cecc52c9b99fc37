package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.steadfast.api.ApplyContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.security.JwtAuthenticator;
import io.steadfast.runtime.security.NodeSecurity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** steadfast-admin against an embedded cluster's endpoints: roles, switchover, checkpoint. */
class AdminIT {

  @TempDir Path dir;

  /** Counts commands; its state is the count. */
  static final class Counter implements ResilientApplication<String, String> {
    private long count;

    @Override
    public String apply(String command, ApplyContext context) {
      return Long.toString(++count);
    }

    @Override
    public void checkpoint(CheckpointWriter out) throws IOException {
      out.writeLong(count);
    }

    @Override
    public void restore(CheckpointReader in) throws IOException {
      count = in.readLong();
    }
  }

  static final CommandCodec<String, String> TEXT =
      new CommandCodec<>() {
        @Override
        public Class<String> commandType() {
          return String.class;
        }

        @Override
        public byte[] encodeCommand(String command) {
          return command.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decodeCommand(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] encodeResult(String result) {
          return encodeCommand(result);
        }

        @Override
        public String decodeResult(byte[] bytes) {
          return decodeCommand(bytes);
        }
      };

  private record Run(int status, String out, String err) {}

  private static Run admin(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new Admin());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int status = line.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static String token(ECKey key, String user, String... roles) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .subject(user)
                .claim("roles", List.of(roles))
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void adminCommands_needTheAdminRole_switchOver_andCheckpoint() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("admin-it").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    try (EmbeddedCluster<String, String> cluster =
        EmbeddedCluster.<String, String>builder()
            .application(Counter::new)
            .codec(TEXT)
            .permitUnannotatedCommands()
            .authenticator(JwtAuthenticator.jwks(jwks))
            .start()) {
      List<String> endpoints = new ArrayList<>();
      for (URI uri : cluster.endpoints().values()) {
        endpoints.add("--endpoint");
        endpoints.add(uri.toString());
      }
      String admin = token(key, "ops", NodeSecurity.ADMIN_ROLE);
      String clerk = token(key, "clerk", "clerk");
      String primary = cluster.primary().id().value();
      String target = memberOtherThan(cluster, primary);

      List<String> refused =
          new ArrayList<>(List.of("switchover", "--to", target, "--token", clerk));
      refused.addAll(endpoints);
      Run denied = admin(refused.toArray(String[]::new));
      assertThat(denied.status()).isEqualTo(1);
      assertThat(denied.err()).contains("403").contains(NodeSecurity.ADMIN_ROLE);
      assertThat(cluster.primary().id().value()).isEqualTo(primary);

      List<String> allowed =
          new ArrayList<>(List.of("switchover", "--to", target, "--token", admin));
      allowed.addAll(endpoints);
      Run moved = admin(allowed.toArray(String[]::new));
      assertThat(moved.status()).as(moved.err()).isZero();
      assertThat(cluster.primary().id().value()).isEqualTo(target);

      URI backup =
          cluster.endpoints().entrySet().stream()
              .filter(e -> !e.getKey().value().equals(target))
              .findFirst()
              .orElseThrow()
              .getValue();
      Run checkpoint =
          admin(
              "checkpoint",
              "--token",
              admin,
              "--wait",
              "20",
              "--endpoint",
              target(cluster, target));
      assertThat(checkpoint.status()).as(checkpoint.err()).isZero();
      assertThat(checkpoint.out()).contains("checkpoint at journal index");

      Run status = admin("status", "--token", admin, "--endpoint", backup.toString());
      assertThat(status.status()).isZero();
      assertThat(status.out()).contains("\"role\":\"BACKUP\"").contains("\"primary\":\"" + target);
      Run anonymous = admin("status", "--endpoint", backup.toString());
      assertThat(anonymous.status()).isEqualTo(1);
      assertThat(anonymous.err()).contains("401");

      // A member that refuses connections is passed over: the command reaches the primary.
      String gone = "http://127.0.0.1:" + closedPort();
      List<String> audit =
          new ArrayList<>(List.of("audit", "--resync", "--token", admin, "--endpoint", gone));
      audit.addAll(endpoints);
      Run audited = admin(audit.toArray(String[]::new));
      assertThat(audited.status()).as(audited.err()).isZero();
      assertThat(audited.out()).contains("\"foundDifference\":false").contains("\"resyncing\":[]");
      // With no primary among the endpoints, it keeps asking for --primary-wait, then says why.
      Run nobody = admin("audit", "--token", admin, "--primary-wait", "1", "--endpoint", gone);
      assertThat(nobody.status()).isEqualTo(1);
      assertThat(nobody.err())
          .contains("is the primary (asked for 1 s")
          .contains(gone + " unreachable");

      // A switchover to a member that is down fails, and the operator is told why: what the
      // primary knows of the target, and that the primary stays.
      String down = memberOtherThan(cluster, target);
      cluster.crash(io.steadfast.api.NodeId.of(down));
      List<String> toDown =
          new ArrayList<>(
              List.of("switchover", "--to", down, "--token", admin, "--primary-wait", "1"));
      toDown.add("--endpoint");
      toDown.add(target(cluster, target));
      Run notMoved = admin(toDown.toArray(String[]::new));
      assertThat(notMoved.status()).isEqualTo(1);
      assertThat(notMoved.err())
          .contains("answered 409: node " + target + " could not hand the primary role to " + down)
          .contains(down + " last reported journal index")
          .contains(target + " stays primary");
      assertThat(cluster.primary().id().value()).isEqualTo(target);
    }
  }

  /** The id of a member of {@code cluster} other than {@code id}. */
  private static String memberOtherThan(EmbeddedCluster<String, String> cluster, String id) {
    return cluster.ids().stream()
        .map(member -> member.value())
        .filter(member -> !member.equals(id))
        .findFirst()
        .orElseThrow();
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String target(EmbeddedCluster<String, String> cluster, String id) {
    return cluster.endpoints().entrySet().stream()
        .filter(e -> e.getKey().value().equals(id))
        .findFirst()
        .orElseThrow()
        .getValue()
        .toString();
  }
}
