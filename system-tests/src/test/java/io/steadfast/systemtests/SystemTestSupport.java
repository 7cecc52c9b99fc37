package io.steadfast.systemtests;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.SteadfastException;
import io.steadfast.examples.mortgage.IntakeField;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanRoles;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.server.Admin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/** What the system tests share: users driving sessions, tokens, ports, and waiting for states. */
final class SystemTestSupport {

  private SystemTestSupport() {}

  static String token(ECKey key, String user) {
    return token(key, user, LoanRoles.OFFICER);
  }

  /** A signed token for {@code user} holding {@code role}, valid for an hour. */
  static String token(ECKey key, String user, String role) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
              new JWTClaimsSet.Builder()
                  .subject(user)
                  .claim("roles", List.of(role))
                  .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                  .build());
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String awaitPrimary(MemberProcesses members, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      String primary = members.primary();
      if (!primary.isEmpty()) {
        return primary;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no single primary within " + timeout);
  }

  static void awaitAcks(ConcurrentLinkedQueue<Long> acks, int more, Duration timeout)
      throws InterruptedException {
    int target = acks.size() + more;
    long end = System.nanoTime() + timeout.toNanos();
    while (acks.size() < target) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no progress: " + acks.size() + " of " + target + " acks");
      }
      Thread.sleep(20);
    }
  }

  /**
   * Asserts that {@code digests} (from {@link #awaitConvergence}) hold one state; if not, the
   * message describes every member, quoting the logs of those that differ and of the primary.
   */
  static void assertConverged(MemberProcesses members, Map<String, String> digests) {
    org.assertj.core.api.Assertions.assertThat(Set.copyOf(digests.values()))
        .as(() -> "digests " + digests + "; members:" + members.describe(outliers(digests)))
        .hasSize(1);
  }

  /**
   * The members whose digest differs from the one most members have (ties: the first in digest
   * order), for quoting their logs when the members did not converge.
   */
  private static Set<String> outliers(Map<String, String> digests) {
    Map<String, Long> counts = new TreeMap<>();
    digests.values().forEach(d -> counts.merge(d, 1L, Long::sum));
    String common =
        counts.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse("");
    Set<String> out = new java.util.TreeSet<>();
    digests.forEach(
        (id, digest) -> {
          if (!digest.equals(common)) {
            out.add(id);
          }
        });
    return out;
  }

  static Map<String, String> awaitConvergence(MemberProcesses members, Duration timeout)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Map<String, String> digests = new TreeMap<>();
    while (System.nanoTime() < end) {
      digests.clear();
      for (String id : members.ids()) {
        Map<String, Object> digest =
            JSONObjectUtils.parse(members.get(id, "/steadfast/v1/status?digest=true"));
        if (digest.get("journalIndex") == null || digest.get("sha256") == null) {
          throw new AssertionError(id + " answered no digest: " + digest);
        }
        digests.put(id, digest.get("journalIndex") + "/" + digest.get("sha256"));
      }
      if (Set.copyOf(digests.values()).size() == 1) {
        return digests;
      }
      Thread.sleep(200);
    }
    return digests;
  }

  /** The key set file's name in a run's directory ({@link #signingKey}). */
  static final String JWKS = "jwks.json";

  /** {@code dir} emptied (a former run's files deleted) and created, as an absolute path. */
  static Path freshDirectory(Path dir) throws IOException {
    deleteTree(dir);
    return java.nio.file.Files.createDirectories(dir).toAbsolutePath();
  }

  /**
   * A new key for the users' tokens; its public half is written to {@code dir}/{@value #JWKS} for
   * the members' {@code auth.jwt.jwks}.
   */
  static ECKey signingKey(Path dir) throws IOException {
    try {
      ECKey key =
          new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
              .keyID("system-test")
              .generate();
      java.nio.file.Files.writeString(
          dir.resolve(JWKS), new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());
      return key;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Every port {@link #freePorts} has handed out in this JVM. */
  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /**
   * {@code count} loopback ports free now and never handed out before in this JVM. The system picks
   * each, and may pick one it gave a moment ago whose socket is closed: a member's metrics port,
   * asked for after its cluster's ports, once came out equal to another member's journal port that
   * was not bound yet, and that member could not start (CI, 2026-12-07).
   */
  static synchronized int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int found = 0;
      for (int attempt = 0; found < count; attempt++) {
        if (attempt > 100 * count) {
          throw new IOException("no " + count + " fresh loopback ports in " + attempt + " tries");
        }
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket); // held open while the others are found, so none repeats within a call
        if (HANDED_OUT.add(socket.getLocalPort())) {
          ports[found++] = socket.getLocalPort();
        }
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** One user: types its name field again and again, settling every unknown outcome by retry. */
  static void drive(
      SteadfastClient<LoanCommand, LoanResult> client,
      User user,
      AtomicBoolean running,
      ConcurrentLinkedQueue<Long> acks) {
    try {
      user.session = client.openSession(LoanRoles.officer(user.name));
    } catch (SteadfastException e) {
      user.errors.add("open: " + e);
      return;
    }
    while (running.get()) {
      long n = user.sent + 1;
      String value = "Officer " + user.name.substring(user.name.indexOf('-') + 1) + " Entry " + n;
      LoanCommand command = new LoanCommand.EnterIntakeField(IntakeField.BORROWER_NAME, value);
      LoanResult result = null;
      try {
        result = user.session.execute(command);
      } catch (IndeterminateOutcomeException unknown) {
        for (int attempt = 0; attempt < 10 && result == null; attempt++) {
          try {
            result = user.session.retry();
          } catch (IndeterminateOutcomeException stillUnknown) {
            // try again: the cluster is between primaries
          }
        }
        if (result == null) {
          user.errors.add("request " + n + " never settled");
          return;
        }
      } catch (SteadfastException e) {
        user.errors.add("request " + n + ": " + e);
        return;
      }
      user.sent = n;
      user.lastValue = ((LoanResult.FieldAccepted) result).value();
      acks.add(System.nanoTime());
    }
  }

  /** What one run of {@code steadfast-admin} printed and returned. */
  record Result(int status, String out, String err) {}

  /** Runs {@code steadfast-admin} as an operator would, with the member secret. */
  static Result admin(List<String> endpoints, String command, String... options) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(endpoints);
    args.add("--member-secret");
    args.add(MemberProcesses.SECRET);
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new Admin());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int status = line.execute(args.toArray(String[]::new));
    return new Result(status, out.toString(), err.toString());
  }

  /** {@code --endpoint} options naming every member but {@code except}. */
  static List<String> endpointArgs(MemberProcesses members, String except) {
    List<String> args = new ArrayList<>();
    for (String id : members.ids()) {
      if (!id.equals(except)) {
        args.add("--endpoint");
        args.add(endpoint(members.httpPort(id)).toString());
      }
    }
    return args;
  }

  /** The HTTP endpoint of a member listening on loopback {@code port}. */
  static URI endpoint(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Waits until member {@code id} answers 200 on {@code /health/live}. */
  static void awaitLive(MemberProcesses members, String id, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (members.probe(id, "/steadfast/v1/health/live") != 200) {
      if (System.nanoTime() > end) {
        throw new AssertionError(id + " not live within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until member {@code id} answers 200 on {@code /health/ready}: it serves and caught up.
   */
  static void awaitReady(MemberProcesses members, String id, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (members.probe(id, "/steadfast/v1/health/ready") != 200) {
      if (System.nanoTime() > end) {
        throw new AssertionError(id + " not ready within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Users, named {@code officer-0} and on, each driving its session ({@link #drive}) on a thread of
   * its own until {@link #stop}.
   */
  static final class Shift {
    final List<User> users = new ArrayList<>();
    final ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code count} users, each with the client {@code clients} gives it. */
    Shift(
        int count,
        java.util.function.Function<User, SteadfastClient<LoanCommand, LoanResult>> clients) {
      for (int u = 0; u < count; u++) {
        User user = new User("officer-" + u);
        users.add(user);
        SteadfastClient<LoanCommand, LoanResult> client = clients.apply(user);
        Thread thread = new Thread(() -> drive(client, user, running, acks), user.name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    /** Stops the users after their current command and waits for them (at most 60 s each). */
    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(60_000);
      }
    }
  }

  /** What one user's session sent and was told. */
  static final class User {
    final String name;
    volatile Session<LoanCommand, LoanResult> session;
    volatile long sent;
    volatile String lastValue = "";
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    User(String name) {
      this.name = name;
    }
  }
}
