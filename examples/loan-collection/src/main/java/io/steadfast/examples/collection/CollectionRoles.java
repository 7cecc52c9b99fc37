package io.steadfast.examples.collection;

import io.steadfast.api.session.Principal;

/**
 * The roles of the collection system, as named in {@code @RolesAllowed} on the command types, and a
 * {@link Principal} factory for each.
 *
 * <p>Stateless and thread-safe.
 */
public final class CollectionRoles {

  /** Works bucket queues: takes accounts, logs contacts, records promises, posts payments. */
  public static final String COLLECTOR = "collector";

  /** Everything a collector does, plus loading accounts and running the daily aging. */
  public static final String SUPERVISOR = "supervisor";

  /** Everything a supervisor does, plus charging accounts off. */
  public static final String MANAGER = "manager";

  private CollectionRoles() {}

  /** A principal named {@code user} holding only the collector role. */
  public static Principal collector(String user) {
    return Principal.of(user, COLLECTOR);
  }

  /** A principal named {@code user} holding the supervisor role. */
  public static Principal supervisor(String user) {
    return Principal.of(user, SUPERVISOR);
  }

  /** A principal named {@code user} holding the manager role. */
  public static Principal manager(String user) {
    return Principal.of(user, MANAGER);
  }
}
