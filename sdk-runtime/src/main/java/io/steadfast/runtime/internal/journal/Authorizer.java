package io.steadfast.runtime.internal.journal;

import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.security.DenyAll;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;

/**
 * Enforces {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} on command types: at the
 * door, before anything is journaled, and again at apply from the journaled principal, so that no
 * race (a command sent while its session's OPEN is still in flight) skips it. The annotation on the
 * concrete type wins; otherwise the nearest annotated supertype (a sealed parent interface)
 * decides; a type with none anywhere is permitted.
 *
 * <p>Thread-safe; the rule of each type is computed once.
 */
public final class Authorizer {

  /** The rule for one type: null roles means permit all, an empty set means deny all. */
  private record Rule(Set<String> roles, boolean permitAll) {}

  private static final Rule PERMIT = new Rule(Set.of(), true);

  private final Map<Class<?>, Rule> rules = new ConcurrentHashMap<>();

  /**
   * Checks that {@code principal} may submit {@code command}.
   *
   * @throws NotAuthorizedException naming the roles that would have allowed it
   */
  public void check(Principal principal, Object command) {
    Rule rule = rules.computeIfAbsent(command.getClass(), Authorizer::ruleOf);
    if (rule.permitAll()) {
      return;
    }
    for (String role : rule.roles()) {
      if (principal.hasRole(role)) {
        return;
      }
    }
    throw new NotAuthorizedException(
        principal.user(), command.getClass().getSimpleName(), rule.roles());
  }

  private static Rule ruleOf(Class<?> type) {
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      Class<?> next = pending.poll();
      if (next.isAnnotationPresent(DenyAll.class)) {
        return new Rule(Set.of(), false);
      }
      RolesAllowed allowed = next.getAnnotation(RolesAllowed.class);
      if (allowed != null) {
        return new Rule(new TreeSet<>(Arrays.asList(allowed.value())), false);
      }
      if (next.isAnnotationPresent(PermitAll.class)) {
        return PERMIT;
      }
      pending.addAll(Arrays.asList(next.getInterfaces()));
      if (next.getSuperclass() != null && next.getSuperclass() != Object.class) {
        pending.add(next.getSuperclass());
      }
    }
    return PERMIT;
  }
}
