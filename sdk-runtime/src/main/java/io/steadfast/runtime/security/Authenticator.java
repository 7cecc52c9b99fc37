package io.steadfast.runtime.security;

import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Turns a remote request's {@link Credentials} into the {@link Principal} the request acts as. The
 * remote client never chooses its own roles: they come from here. Sessions opened in-process
 * ({@code SteadfastNode.openSession}, the embedded cluster's client) pass their principal directly,
 * as trusted code.
 *
 * <p><b>Implemented by</b> the application or operator, or taken from the built-ins ({@link
 * #clientCertificates}, {@link JwtAuthenticator}). <b>Called</b> on the member's HTTP threads,
 * concurrently, once per request; keep it fast and free of network calls (a token's keys are read
 * from a file, not fetched). <b>Failure</b>: return empty when the credentials are not of a kind
 * this authenticator understands (the next one in {@link #firstOf} is asked); throw {@link
 * NotAuthenticatedException} when they are of its kind but wrong (expired, forged). Any other
 * exception is treated as a refusal too (401), so a broken authenticator fails closed.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The principal these credentials prove, or empty if they are not this authenticator's kind.
   *
   * @throws NotAuthenticatedException if they are its kind but do not prove anyone
   */
  Optional<Principal> authenticate(Credentials credentials);

  /** Asks each of {@code authenticators} in turn; the first non-empty answer or refusal wins. */
  static Authenticator firstOf(Authenticator... authenticators) {
    List<Authenticator> all = List.of(authenticators);
    return credentials -> {
      for (Authenticator next : all) {
        Optional<Principal> principal = next.authenticate(credentials);
        if (principal.isPresent()) {
          return principal;
        }
      }
      return Optional.empty();
    };
  }

  /**
   * Client certificates: the principal's user is the leaf certificate's subject common name (CN),
   * its roles those {@code rolesByCommonName} gives it (none for a name not in the map). The
   * certificate was already verified against the client certificate authorities by TLS (see {@link
   * NodeSecurity#clientCertificates}); a certificate without a CN is refused.
   */
  static Authenticator clientCertificates(Map<String, Set<String>> rolesByCommonName) {
    Map<String, Set<String>> roles = new TreeMap<>();
    rolesByCommonName.forEach((name, given) -> roles.put(name, Set.copyOf(new TreeSet<>(given))));
    return credentials -> {
      if (credentials.certificates().isEmpty()) {
        return Optional.empty();
      }
      String user = commonName(credentials.certificates().get(0));
      return Optional.of(Principal.of(user, roles.getOrDefault(user, Set.of())));
    };
  }

  /**
   * The subject common name of {@code certificate}.
   *
   * @throws NotAuthenticatedException if it has none
   */
  static String commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      throw new NotAuthenticatedException("client certificate subject unreadable");
    }
    throw new NotAuthenticatedException(
        "client certificate " + certificate.getSubjectX500Principal() + " names no CN");
  }
}
