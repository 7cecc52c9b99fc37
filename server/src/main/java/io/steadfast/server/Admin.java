package io.steadfast.server;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.steadfast.runtime.security.TlsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * {@code steadfast-admin}: an operator's commands against members' endpoints.
 *
 * <pre>
 * steadfast-admin status     --endpoint https://n1:9443 [--digest]
 * steadfast-admin switchover --endpoint https://n1:9443 --endpoint https://n2:9443 --to n2
 * steadfast-admin checkpoint --endpoint https://n1:9443 [--wait 30]
 * steadfast-admin members    --endpoint https://n1:9443
 * steadfast-admin audit      --endpoint https://n1:9443 --endpoint https://n2:9443
 * steadfast-admin finalize   --endpoint https://n1:9443 --version 2
 * steadfast-admin add-member --endpoint https://n1:9443 --id n4 --journal n4:9871 --member-endpoint https://n4:9443
 * steadfast-admin remove-member  --endpoint https://n1:9443 --id n2
 * steadfast-admin replace-member --endpoint https://n1:9443 --old n2 --id n4 --journal n4:9871 --member-endpoint https://n4:9443
 * steadfast-admin add-replica    --endpoint https://n1:9443 --id dr1 --journal dr1:9871 --member-endpoint https://dr1:9443
 * steadfast-admin promote-replica --endpoint https://dr1:9443 --confirm dr1
 * </pre>
 *
 * Credentials: {@code --token} (or {@code STEADFAST_TOKEN}) for a user with the role {@code
 * steadfast-admin}, or {@code --member-secret} (or {@code STEADFAST_MEMBER_SECRET}); {@code --ca}
 * trusts the members' authority for HTTPS, {@code --cert} and {@code --key} present a client
 * certificate. Exit status 0 when done, 1 when refused or failed, 2 for bad usage.
 */
@CommandLine.Command(
    name = "steadfast-admin",
    mixinStandardHelpOptions = true,
    subcommands = {
      Admin.Status.class,
      Admin.Switchover.class,
      Admin.Checkpoint.class,
      Admin.Members.class,
      Admin.Audit.class,
      Admin.Finalize.class,
      Admin.AddMember.class,
      Admin.RemoveMember.class,
      Admin.ReplaceMember.class,
      Admin.AddReplica.class,
      Admin.PromoteReplica.class
    },
    description = "Operator commands against Steadfast members.")
public final class Admin implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec;

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Admin()).execute(args));
  }

  @Override
  public Integer call() {
    if (spec != null) {
      spec.commandLine().usage(spec.commandLine().getErr());
    }
    return 2;
  }

  /** What every command needs to reach members. */
  static class Connection {
    @CommandLine.Option(
        names = "--endpoint",
        required = true,
        paramLabel = "URL",
        description = "a member's endpoint; repeat to name several")
    List<URI> endpoints = new ArrayList<>();

    @CommandLine.Option(
        names = "--token",
        defaultValue = "${env:STEADFAST_TOKEN}",
        description = "bearer token of a steadfast-admin user")
    @Nullable String token;

    @CommandLine.Option(
        names = "--member-secret",
        defaultValue = "${env:STEADFAST_MEMBER_SECRET}",
        description = "the members' shared secret (clusters without TLS)")
    @Nullable String memberSecret;

    @CommandLine.Option(names = "--ca", description = "PEM authorities to trust for HTTPS")
    @Nullable Path ca;

    @CommandLine.Option(names = "--cert", description = "PEM client certificate chain")
    @Nullable Path cert;

    @CommandLine.Option(names = "--key", description = "PEM PKCS#8 key of --cert")
    @Nullable Path key;

    @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec;

    private @Nullable HttpClient http;

    HttpClient http() {
      if (http == null) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (ca != null) {
          TlsFiles tls =
              cert != null && key != null ? TlsFiles.of(cert, key, ca) : TlsFiles.trusting(ca);
          builder.sslContext(tls.context());
        }
        http = builder.build();
      }
      return http;
    }

    HttpResponse<String> send(URI endpoint, String method, String path)
        throws IOException, InterruptedException {
      return send(endpoint, method, path, Duration.ofSeconds(30));
    }

    HttpResponse<String> send(URI endpoint, String method, String path, Duration timeout)
        throws IOException, InterruptedException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(endpoint.resolve(path))
              .timeout(timeout)
              .method(method, HttpRequest.BodyPublishers.noBody());
      if (token != null && !token.isBlank()) {
        request.header("Authorization", "Bearer " + token);
      }
      if (memberSecret != null && !memberSecret.isBlank()) {
        request.header("Steadfast-Member", memberSecret);
      }
      return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    PrintWriter out() {
      return spec == null
          ? new PrintWriter(
              new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8),
              true)
          : spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec == null
          ? new PrintWriter(
              new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8),
              true)
          : spec.commandLine().getErr();
    }

    @CommandLine.Option(
        names = "--primary-wait",
        defaultValue = "15",
        description =
            "seconds to keep asking while no endpoint answers as the primary (an election under"
                + " way, a member unreachable)")
    int primaryWaitSeconds;

    /** The primary's answer, and which endpoint gave it. */
    record Answer(URI endpoint, HttpResponse<String> response) {}

    /**
     * Sends a request meant for the primary: asks each endpoint in turn, passing over those that
     * say they are not the primary (421), are not ready (503) or refuse the connection, and asks
     * round after round every 200 ms until {@code --primary-wait} runs out, as an operator would
     * while an election finishes.
     *
     * @return the first other answer (success or refusal), or null if no endpoint answered as the
     *     primary in time (the reason is printed)
     */
    @Nullable Answer toPrimary(String method, String path, Duration timeout)
        throws IOException, InterruptedException {
      long end = System.nanoTime() + Duration.ofSeconds(primaryWaitSeconds).toNanos();
      String last = "";
      String unavailable = "";
      while (true) {
        for (URI endpoint : endpoints) {
          HttpResponse<String> response;
          try {
            response = send(endpoint, method, path, timeout);
          } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            last = endpoint + " unreachable (" + e.getClass().getSimpleName() + ")";
            continue;
          }
          if (response.statusCode() != 421 && response.statusCode() != 503) {
            return new Answer(endpoint, response);
          }
          last = endpoint + " answered " + response.statusCode();
          if (response.statusCode() == 503) {
            // A member that could not do it says why (a primary still replaying its journal, a
            // request that ran out of time); that reason, not the backups' 421s, is what the
            // operator needs at the end.
            unavailable = endpoint + " answered 503: " + messageOf(response);
          }
        }
        if (System.nanoTime() > end) {
          err()
              .println(
                  "none of "
                      + endpoints
                      + " is the primary (asked for "
                      + primaryWaitSeconds
                      + " s; last: "
                      + last
                      + (unavailable.isEmpty() ? "" : "; last refusal: " + unavailable)
                      + ")");
          return null;
        }
        Thread.sleep(200);
      }
    }

    /** Prints a refusal's message and answers 1. */
    int refused(URI endpoint, HttpResponse<String> response) {
      err().println(endpoint + " answered " + response.statusCode() + ": " + messageOf(response));
      return 1;
    }

    /** The message of a refusal (the body as it is when it is not the endpoint's JSON). */
    static String messageOf(HttpResponse<String> response) {
      try {
        Object message = JSONObjectUtils.parse(response.body()).get("message");
        return message == null ? response.body() : String.valueOf(message);
      } catch (java.text.ParseException notJson) {
        return response.body();
      }
    }
  }

  /** Prints a member's status. */
  @CommandLine.Command(name = "status", description = "print each member's status as JSON")
  static final class Status extends Connection implements Callable<Integer> {
    @CommandLine.Option(names = "--digest", description = "the state's fingerprint instead")
    boolean digest;

    @Override
    public Integer call() throws Exception {
      int result = 0;
      for (URI endpoint : endpoints) {
        HttpResponse<String> response =
            send(endpoint, "GET", "/steadfast/v1/status" + (digest ? "?digest=true" : ""));
        if (response.statusCode() == 200) {
          out().println(response.body());
        } else {
          result = refused(endpoint, response);
        }
      }
      return result;
    }
  }

  /** Moves the primary role. */
  @CommandLine.Command(
      name = "switchover",
      description = "move the primary role to a member; asks each endpoint until the primary")
  static final class Switchover extends Connection implements Callable<Integer> {
    @CommandLine.Option(names = "--to", required = true, description = "the member to promote")
    String target = "";

    @Override
    public Integer call() throws Exception {
      Answer answer =
          toPrimary(
              "POST",
              "/steadfast/v1/admin/switchover?to="
                  + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8),
              Duration.ofSeconds(30));
      if (answer == null) {
        return 1;
      }
      if (answer.response().statusCode() == 200) {
        out().println("primary is now " + target);
        return 0;
      }
      return refused(answer.endpoint(), answer.response());
    }
  }

  /** Prints the membership in force. */
  @CommandLine.Command(
      name = "members",
      description = "print the members in force (id, journal address, endpoint) as JSON")
  static final class Members extends Connection implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      int result = 1;
      for (URI endpoint : endpoints) {
        HttpResponse<String> response = send(endpoint, "GET", "/steadfast/v1/members");
        if (response.statusCode() == 200) {
          out().println(response.body());
          return 0;
        }
        result = refused(endpoint, response);
      }
      return result;
    }
  }

  /** Finalizes a rolling upgrade of the application. */
  @CommandLine.Command(
      name = "finalize",
      description =
          "raise the cluster's active application version once every member runs code that"
              + " supports it; asks each endpoint until the primary")
  static final class Finalize extends Connection implements Callable<Integer> {
    @CommandLine.Option(names = "--version", required = true, description = "the new version")
    int version;

    @Override
    public Integer call() throws Exception {
      Answer answer =
          toPrimary(
              "POST", "/steadfast/v1/admin/finalize?version=" + version, Duration.ofSeconds(30));
      if (answer == null) {
        return 1;
      }
      if (answer.response().statusCode() == 200) {
        out().println(answer.response().body());
        return 0;
      }
      return refused(answer.endpoint(), answer.response());
    }
  }

  /** Audits the replicas now. */
  @CommandLine.Command(
      name = "audit",
      description =
          "compare every member's state at one journal entry now; asks each endpoint until the"
              + " primary; exit 1 when a member differs")
  static final class Audit extends Connection implements Callable<Integer> {
    @CommandLine.Option(
        names = "--resync",
        description =
            "also re-synchronise the members whose state differs from the majority's (they"
                + " replace it with a copy of a matching member's)")
    boolean resync;

    @Override
    public Integer call() throws Exception {
      Answer answer =
          toPrimary(
              "POST",
              "/steadfast/v1/admin/audit" + (resync ? "?resync=true" : ""),
              Duration.ofSeconds(30));
      if (answer == null) {
        return 1;
      }
      if (answer.response().statusCode() == 200) {
        out().println(answer.response().body());
        Object differs = JSONObjectUtils.parse(answer.response().body()).get("foundDifference");
        return Boolean.TRUE.equals(differs) ? 1 : 0;
      }
      return refused(answer.endpoint(), answer.response());
    }
  }

  /**
   * What the membership commands share: they go to the primary (each endpoint is asked in turn) and
   * wait until the change is committed.
   */
  abstract static class MemberChange extends Connection implements Callable<Integer> {
    @CommandLine.Option(
        names = "--wait",
        defaultValue = "300",
        description = "seconds to wait for the change, a new member's catch-up included")
    int waitSeconds;

    abstract String query();

    abstract String done();

    @Override
    public Integer call() throws Exception {
      Answer answer =
          toPrimary(
              "POST", "/steadfast/v1/admin/members?" + query(), Duration.ofSeconds(waitSeconds));
      if (answer == null) {
        return 1;
      }
      if (answer.response().statusCode() == 200) {
        out().println(done());
        out().println(answer.response().body());
        return 0;
      }
      return refused(answer.endpoint(), answer.response());
    }

    static String encode(String value) {
      return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Where a new member is. */
  static final class NewMember {
    @CommandLine.Option(names = "--id", required = true, description = "the new member's id")
    String id = "";

    @CommandLine.Option(
        names = "--journal",
        required = true,
        paramLabel = "HOST:PORT",
        description = "the new member's journal (Raft) address")
    String journal = "";

    @CommandLine.Option(
        names = "--member-endpoint",
        paramLabel = "URL",
        description = "the new member's HTTP endpoint")
    @Nullable URI endpoint;

    String query() {
      return "add="
          + MemberChange.encode(id)
          + "&journal="
          + MemberChange.encode(journal)
          + (endpoint == null ? "" : "&endpoint=" + MemberChange.encode(endpoint.toString()));
    }
  }

  /** Adds a member. */
  @CommandLine.Command(
      name = "add-member",
      description =
          "add a member (started with join=true) to the running cluster; it catches up first")
  static final class AddMember extends MemberChange {
    @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
    NewMember member = new NewMember();

    @Override
    String query() {
      return member.query();
    }

    @Override
    String done() {
      return member.id + " is a member";
    }
  }

  /** Adds a disaster-recovery replica. */
  @CommandLine.Command(
      name = "add-replica",
      description =
          "add a disaster-recovery replica (started with join=true): it receives every entry and"
              + " never votes or becomes primary by election")
  static final class AddReplica extends MemberChange {
    @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
    NewMember member = new NewMember();

    @Override
    String query() {
      return member.query() + "&replica=true";
    }

    @Override
    String done() {
      return member.id + " is a replica";
    }
  }

  /** Promotes a replica after the primary site is lost. */
  @CommandLine.Command(
      name = "promote-replica",
      description =
          "on a replica whose primary site is lost: it stops and, started again, is the only"
              + " voting member and primary; refused while a primary answers")
  static final class PromoteReplica extends Connection implements Callable<Integer> {
    @CommandLine.Option(
        names = "--confirm",
        required = true,
        paramLabel = "ID",
        description = "the replica's own id, to confirm which member is promoted")
    String confirm = "";

    @Override
    public Integer call() throws Exception {
      if (endpoints.size() != 1) {
        err().println("name exactly one --endpoint: the replica's own");
        return 1;
      }
      URI endpoint = endpoints.get(0);
      HttpResponse<String> response =
          send(
              endpoint,
              "POST",
              "/steadfast/v1/admin/promote?confirm=" + MemberChange.encode(confirm));
      if (response.statusCode() == 202) {
        out().println(response.body());
        return 0;
      }
      return refused(endpoint, response);
    }
  }

  /** Removes a member. */
  @CommandLine.Command(
      name = "remove-member",
      description = "remove a member or a replica (not the primary: switch over first)")
  static final class RemoveMember extends MemberChange {
    @CommandLine.Option(names = "--id", required = true, description = "the member to remove")
    String id = "";

    @Override
    String query() {
      return "remove=" + encode(id);
    }

    @Override
    String done() {
      return id + " is no longer a member; stop it";
    }
  }

  /** Replaces a member in one change. */
  @CommandLine.Command(
      name = "replace-member",
      description = "replace a member (for example one whose host is lost) by a new one")
  static final class ReplaceMember extends MemberChange {
    @CommandLine.Option(names = "--old", required = true, description = "the member to replace")
    String old = "";

    @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
    NewMember member = new NewMember();

    @Override
    String query() {
      return "remove=" + encode(old) + "&" + member.query();
    }

    @Override
    String done() {
      return member.id + " replaced " + old;
    }
  }

  /** Takes a checkpoint now. */
  @CommandLine.Command(
      name = "checkpoint",
      description = "take a checkpoint now on each member named, and wait until it is written")
  static final class Checkpoint extends Connection implements Callable<Integer> {
    @CommandLine.Option(
        names = "--wait",
        defaultValue = "30",
        description = "seconds to wait for each checkpoint (0: do not wait)")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
      for (URI endpoint : endpoints) {
        long before = lastCheckpoint(endpoint);
        HttpResponse<String> response = send(endpoint, "POST", "/steadfast/v1/admin/checkpoint");
        if (response.statusCode() != 202) {
          return refused(endpoint, response);
        }
        long end = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        long now = before;
        while (waitSeconds > 0 && now <= before && System.nanoTime() < end) {
          Thread.sleep(100);
          now = lastCheckpoint(endpoint);
        }
        if (waitSeconds > 0 && now <= before) {
          err().println(endpoint + ": no new checkpoint within " + waitSeconds + " s");
          return 1;
        }
        out().println(endpoint + ": checkpoint at journal index " + now);
      }
      return 0;
    }

    private long lastCheckpoint(URI endpoint) throws IOException, InterruptedException {
      HttpResponse<String> response = send(endpoint, "GET", "/steadfast/v1/status");
      if (response.statusCode() != 200) {
        return Long.MIN_VALUE;
      }
      try {
        Map<String, Object> status = JSONObjectUtils.parse(response.body());
        return status.get("lastCheckpointIndex") instanceof Number index
            ? index.longValue()
            : Long.MIN_VALUE;
      } catch (java.text.ParseException | RuntimeException e) {
        return Long.MIN_VALUE;
      }
    }
  }
}
