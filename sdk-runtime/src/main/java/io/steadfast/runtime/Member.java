package io.steadfast.runtime;

import io.steadfast.api.NodeId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One member of a cluster's configuration: who it is, where its journal (Raft) port listens, and
 * its HTTP endpoint when it serves one. Read with {@link SteadfastNode#members()}; given to {@link
 * SteadfastNode#addMember} to grow the cluster.
 *
 * <p>The configuration is journaled: every member, a restarted one included, uses the newest
 * configuration its journal holds, not the list it was started with.
 *
 * @param id the member's id
 * @param journal where its journal port listens (kept unresolved: the name is looked up when
 *     connecting, so a member's changed DNS entry is followed)
 * @param endpoint its HTTP endpoint ({@code https://host:port} with TLS, else {@code http://}), or
 *     null when it serves none
 */
public record Member(NodeId id, InetSocketAddress journal, @Nullable URI endpoint) {

  /**
   * @throws ConfigurationException if the journal port is out of range or the endpoint is not an
   *     absolute http(s) URI
   */
  public Member {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(journal, "journal");
    if (journal.getPort() <= 0 || journal.getPort() > 65535) {
      throw new ConfigurationException(
          "member", "journal port of " + id + " out of range: " + journal);
    }
    if (journal.getHostString().isBlank()) {
      throw new ConfigurationException("member", "journal host of " + id + " is blank");
    }
    if (endpoint != null
        && (endpoint.getHost() == null
            || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
      throw new ConfigurationException(
          "member", "endpoint of " + id + " must be http://host:port or https://host:port");
    }
  }

  /** Its HTTP endpoint, if it serves one. */
  public Optional<URI> httpEndpoint() {
    return Optional.ofNullable(endpoint);
  }
}
