package io.steadfast.runtime;

import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.client.RemoteRouting;
import io.steadfast.runtime.internal.client.Routing;
import io.steadfast.runtime.internal.node.Access;
import io.steadfast.runtime.internal.node.Queries;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.runtime.security.TlsFiles;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Opens sessions whose requests reach the primary. Obtained from {@link EmbeddedCluster#client()}
 * (follows the primary across failovers) or through {@link SteadfastNode#openSession} (one node).
 *
 * <p>Thread-safe; each {@link Session} serves one user at a time.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class SteadfastClient<C, R> {

  /** How long a session may stay idle before the cluster expires it, unless told otherwise. */
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(30);

  private final CommandCodec<C, R> codec;
  private final Routing<C, R> routing;
  private final Duration deadline;

  SteadfastClient(CommandCodec<C, R> codec, Routing<C, R> routing, Duration deadline) {
    this.codec = codec;
    this.routing = routing;
    this.deadline = deadline;
  }

  /**
   * A client that reaches the cluster over HTTP(S): {@code members} maps each node to its endpoint
   * ({@code https://host:port} with TLS, {@code http://host:port} without), or a name of your
   * choosing that is no member's id to the address of a load balancer in front of the members.
   * Requests start at any member and follow the primary; each is retried with its original number
   * until {@code deadline}. A client given members' addresses learns of members added later; one
   * given a load balancer's keeps sending through it. The members decide who the client is from
   * {@code credentials}: a session can be opened only for the authenticated user, with the roles
   * the member's authenticator gives.
   *
   * @throws ConfigurationException if an endpoint's scheme does not match the credentials' TLS
   */
  public static <C, R> SteadfastClient<C, R> remote(
      CommandCodec<C, R> codec,
      Map<NodeId, URI> members,
      Duration deadline,
      ClientCredentials credentials) {
    Objects.requireNonNull(codec, "codec");
    if (deadline == null || deadline.toMillis() < 1) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    Supplier<String> token = credentials.token().orElse(null);
    Access access =
        new Access(
            credentials.tlsFiles().map(TlsFiles::context).orElse(null),
            token == null ? Map::of : () -> Map.of("Authorization", "Bearer " + token.get()));
    try {
      return new SteadfastClient<>(
          codec, new RemoteRouting<>(members, Duration.ofSeconds(2), access), deadline);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("members", String.valueOf(e.getMessage()));
    }
  }

  /**
   * Answers a read-only request from the application's {@code query} on the primary, linearizably
   * (confirmed with a majority first): nothing is journaled, no session is needed. Follows the
   * primary and retries until the client's deadline. A remote client may query only as the user its
   * credentials prove, with the roles they give.
   *
   * @throws io.steadfast.api.CommandRejectedException if the application's query threw
   * @throws io.steadfast.api.session.NotAuthorizedException if the principal lacks the role
   * @throws SteadfastException if no primary answered within the deadline
   */
  public R query(Principal principal, C request) {
    return query(principal, request, false);
  }

  /**
   * Answers a read-only request from the application's {@code query} as one member's applied state
   * has it, preferably a backup's, without confirming anything with a majority: the answer may miss
   * commands acknowledged in the last moments (a ready backup is at most a few journal entries
   * behind what it knows committed), but it costs the primary nothing. For screens and reports that
   * tolerate that; a decision that must see the user's own last command uses {@link #query}. Tries
   * the next member when one is not ready, until the client's deadline.
   *
   * @throws io.steadfast.api.CommandRejectedException if the application's query threw
   * @throws io.steadfast.api.session.NotAuthorizedException if the principal lacks the role
   * @throws SteadfastException if no member answered within the deadline
   */
  public R queryStale(Principal principal, C request) {
    return query(principal, request, true);
  }

  private R query(Principal principal, C request, boolean stale) {
    Objects.requireNonNull(principal, "principal");
    byte[] query =
        Queries.appQuery(principal, codec.encodeCommand(Objects.requireNonNull(request)));
    long end = System.nanoTime() + deadline.toNanos();
    long backoff = 2;
    while (true) {
      try {
        return Queries.decodeAppReply(
            stale ? routing.queryStale(query) : routing.query(query), codec);
      } catch (NotPrimaryException e) {
        if (!routing.redirect(e) || System.nanoTime() > end) {
          throw e;
        }
      } catch (io.steadfast.api.session.NotAuthorizedException
          | io.steadfast.api.session.NotAuthenticatedException
          | io.steadfast.api.MalformedCommandException
          | io.steadfast.api.CommandRejectedException e) {
        throw e;
      } catch (SteadfastException e) {
        routing.failed(e);
        if (System.nanoTime() > end) {
          throw e;
        }
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SteadfastException("interrupted during a query", e);
      }
      backoff = Math.min(backoff * 2, 50);
    }
  }

  /** Opens a new session with a random id for {@code principal}. */
  public Session<C, R> openSession(Principal principal) {
    return openSession(SessionId.of("s-" + UUID.randomUUID()), principal, DEFAULT_SESSION_TTL);
  }

  /**
   * Opens session {@code id} for {@code principal}, expiring after {@code ttl} of leader time
   * without a request. Opening an id that is already open for the same principal is a no-op.
   */
  public Session<C, R> openSession(SessionId id, Principal principal, Duration ttl) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(principal, "principal");
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("session ttl must be positive: " + ttl);
    }
    Session<C, R> session = new Session<>(id, principal, codec, routing, deadline, 0);
    session.open(ttl);
    return session;
  }

  /**
   * Re-attaches to a session opened earlier (for example by a web tier that restarted), continuing
   * its numbering from the replicated record; the primary's application is told through {@code
   * onResume}, and {@link Session#resumePoint()} says where the user continues.
   */
  public Session<C, R> attach(SessionId id, Principal principal) {
    Session<C, R> probe = new Session<>(id, principal, codec, routing, deadline, 0);
    long applied = probe.attach().lastSequence();
    return new Session<>(id, principal, codec, routing, deadline, applied);
  }
}
