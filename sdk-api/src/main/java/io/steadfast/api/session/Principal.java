package io.steadfast.api.session;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The user a session was opened for, with the roles that decide which commands they may submit (see
 * {@code javax.annotation.security.RolesAllowed} on command types).
 *
 * <p>Immutable and thread-safe. Roles are kept sorted so that a principal always encodes the same.
 *
 * @param user the user's name, not blank
 * @param roles the user's roles, sorted
 */
public record Principal(String user, SortedSet<String> roles) {

  /** Validates the fields and takes a sorted, unmodifiable copy of the roles. */
  public Principal {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("principal user must not be blank: '" + user + "'");
    }
    TreeSet<String> copy = new TreeSet<>();
    for (String role : roles) {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("principal role must not be blank: '" + role + "'");
      }
      copy.add(role);
    }
    roles = Collections.unmodifiableSortedSet(copy);
  }

  /** The user {@code user} with the given roles. */
  public static Principal of(String user, String... roles) {
    return new Principal(user, new TreeSet<>(Arrays.asList(roles)));
  }

  /** The user {@code user} with the given roles. */
  public static Principal of(String user, Collection<String> roles) {
    return new Principal(user, new TreeSet<>(roles));
  }

  /** Whether the principal has {@code role}. */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
