package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.steadfast.api.NodeId;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.node.BatchFormat;
import io.steadfast.runtime.security.JwtAuthenticator;
import io.steadfast.runtime.testapp.LedgerCommand;
import io.steadfast.runtime.testapp.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random and mutated requests into every route of a member's endpoint: methods, paths,
 * credentials and bodies. Properties: every answer is a documented status, every refusal a JSON
 * body naming the error, nothing a refusal touches is journaled, and the member is still the ready
 * primary at the end.
 *
 * <p>{@value #DEFAULT_CASES} cases here; a long run: {@code ./mvnw -pl sdk-runtime verify
 * -Dit.test=EndpointFuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsteadfast.fuzz.cases=100000 -Dsteadfast.fuzz.seed=N}.
 */
class EndpointFuzzIT {

  private static final int DEFAULT_CASES = 2_000;
  private static final int CASES = Integer.getInteger("steadfast.fuzz.cases", DEFAULT_CASES);
  private static final long SEED = Long.getLong("steadfast.fuzz.seed", 20261203L);
  private static final Set<Integer> DOCUMENTED =
      Set.of(200, 400, 401, 403, 404, 405, 409, 413, 421, 503);
  private static final List<String> ROUTES =
      List.of(
          "/steadfast/v1/requests",
          "/steadfast/v1/requests/batch",
          "/steadfast/v1/primary",
          "/steadfast/v1/status",
          "/steadfast/v1/checkpoint",
          "/steadfast/v1/sessions/s-1",
          "/steadfast/v1/sessions/s-1?attach=true",
          "/steadfast/v1/sessions/",
          "/steadfast/v1/primaryXYZ",
          "/steadfast/v1/",
          "/steadfast/v2/primary",
          "/",
          "/steadfast/v1/sessions/a/b",
          "/steadfast/v1/sessions/%00",
          "/steadfast/v1/sessions/" + "x".repeat(3000));
  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE-ISH");

  @TempDir static Path keys;
  private static EmbeddedCluster<LedgerCommand, Long> cluster;
  private static TestTokens tokens;

  @BeforeAll
  static void start() throws Exception {
    tokens = TestTokens.issuer(keys.resolve("jwks.json"));
    cluster =
        ClusterTestSupport.ledgerCluster(ClusterTestSupport.newChangeLog())
            .nodes(1)
            .authenticator(JwtAuthenticator.jwks(tokens.jwks()))
            .start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void randomRequests_getDocumentedAnswers_journalNothing_andTheMemberStays() throws Exception {
    SteadfastNode<LedgerCommand, Long> node = cluster.primary();
    URI base = cluster.endpoints().get(NodeId.of("n1"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String valid = tokens.token("fuzzer", "clerk");
    List<byte[]> seeds =
        List.of(
            WireFormat.encodeRequest(
                Request.open(SessionId.of("s-1"), Principal.of("fuzzer"), Duration.ofMinutes(5))),
            WireFormat.encodeRequest(
                Request.command(
                    SessionId.of("s-unknown"),
                    1,
                    ClusterTestSupport.CODEC.encodeCommand(
                        new LedgerCommand.Deposit("f", 1, "f-1")))),
            WireFormat.encodeRequest(Request.close(SessionId.of("s-unknown"), 1)));
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < CASES; i++) {
      String route = ROUTES.get(random.nextInt(ROUTES.size()));
      String method = METHODS.get(random.nextInt(METHODS.size()));
      byte[] body =
          route.endsWith("/batch") && random.nextBoolean()
              ? batchBody(random, seeds)
              : body(random, seeds);
      // A valid token only with bodies that cannot open a session: every request here must be
      // refused, so none may move the journal.
      boolean opens =
          (body.length > 0 && body[0] == (byte) Request.Kind.OPEN.ordinal()) || opensInBatch(body);
      String authorization =
          switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> "Bearer " + (opens ? "not.a.jwt" : valid);
            case 2 -> "Bearer " + randomText(random, random.nextInt(0, 200));
            default -> "Basic " + randomText(random, 12);
          };
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(route))
              .timeout(Duration.ofSeconds(10))
              .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      long before = node.appliedPosition().index();
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String what = "case " + i + " (seed " + SEED + "): " + method + " " + route;
      assertThat(response.statusCode()).as(what).isIn(DOCUMENTED);
      if (response.statusCode() != 200 && !route.equals("/steadfast/v1/primary")) {
        assertThat(JSONObjectUtils.parse(response.body()))
            .as(what + " body " + response.body())
            .containsKeys("status", "error", "message");
      }
      if (response.statusCode() != 200 || !route.startsWith("/steadfast/v1/requests")) {
        assertThat(node.appliedPosition().index()).as(what + ": journaled").isEqualTo(before);
      }
    }
    assertThat(node.stopped()).isFalse();
    assertThat(node.isPrimary()).isTrue();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(base.resolve("/steadfast/v1/primary")).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
  }

  /** One to three seed requests as a batch, sometimes with a byte or two changed. */
  private static byte[] batchBody(SplittableRandom random, List<byte[]> seeds) {
    List<byte[]> requests = new java.util.ArrayList<>();
    for (int n = random.nextInt(1, 4); n > 0; n--) {
      requests.add(seeds.get(random.nextInt(seeds.size())));
    }
    byte[] bytes = BatchFormat.encodeRequests(requests);
    for (int m = random.nextInt(0, 3); m > 0; m--) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** Whether a body reads as a batch that opens a session. */
  private static boolean opensInBatch(byte[] body) {
    try {
      return BatchFormat.decodeRequests(body, Integer.MAX_VALUE).stream()
          .anyMatch(request -> request.kind() == Request.Kind.OPEN);
    } catch (java.io.IOException unreadable) {
      return false;
    }
  }

  private static byte[] body(SplittableRandom random, List<byte[]> seeds) {
    switch (random.nextInt(4)) {
      case 0 -> {
        return new byte[0];
      }
      case 2 -> {
        if (random.nextInt(8) != 0) {
          return new byte[0];
        }
        byte[] big = new byte[(1 << 20) + random.nextInt(1, 4096)];
        big[0] = 1;
        return big;
      }
      case 1 -> {
        byte[] garbage = new byte[random.nextInt(1, 512)];
        random.nextBytes(garbage);
        return garbage;
      }
      default -> {
        byte[] bytes = seeds.get(random.nextInt(seeds.size())).clone();
        for (int m = random.nextInt(0, 3); m > 0; m--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
      }
    }
  }

  private static String randomText(SplittableRandom random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) random.nextInt(0x21, 0x7f));
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII).length == length
        ? text.toString()
        : "";
  }
}
