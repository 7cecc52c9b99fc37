package io.steadfast.runtime.internal.journal;

import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} on command types, from
 * {@code javax.annotation.security} or {@code jakarta.annotation.security} alike: at the door,
 * before anything is journaled, and again at apply from the journaled principal, so that no race (a
 * command sent while its session's OPEN is still in flight) skips it.
 *
 * <p>The annotation on the concrete type wins; otherwise the nearest annotated supertype (a sealed
 * parent interface, searched breadth first) decides. <b>A type with no annotation anywhere is
 * refused</b>: authorization fails closed. An application that means "anyone with a session" says
 * so with {@code @PermitAll} on its command root; one whose commands are not its own types (a
 * {@code byte[]}, a {@code String}) says so in the node builder.
 *
 * <p>The annotations are recognised by name, so neither annotation jar is needed at run time.
 * Thread safe; the rule of each type is computed once.
 */
public final class Authorizer {

  /** The rule for one type: {@code permitAll}, or the roles that may (empty: nobody may). */
  private record Rule(Set<String> roles, boolean permitAll, boolean declared) {}

  private static final Rule PERMIT = new Rule(Set.of(), true, true);
  private static final Rule DENY = new Rule(Set.of(), false, true);
  private static final Rule UNDECLARED = new Rule(Set.of(), false, false);

  private static final Set<String> PACKAGES =
      Set.of("javax.annotation.security.", "jakarta.annotation.security.");

  private final Map<Class<?>, Rule> rules = new ConcurrentHashMap<>();
  private final boolean permitUndeclared;

  /** Fails closed: a command type that declares no rule is refused. */
  public Authorizer() {
    this(false);
  }

  /**
   * @param permitUndeclared whether a command type that declares no rule is permitted to all (the
   *     application said so in its builder: its commands are not types it can annotate)
   */
  public Authorizer(boolean permitUndeclared) {
    this.permitUndeclared = permitUndeclared;
  }

  /**
   * Checks that {@code principal} may submit {@code command}.
   *
   * @throws NotAuthorizedException naming the roles that would have allowed it (none for a type
   *     denied to all or declaring no rule; the message then says which)
   */
  public void check(Principal principal, Object command) {
    Rule rule = rules.computeIfAbsent(command.getClass(), Authorizer::ruleOf);
    if (rule.permitAll() || (permitUndeclared && !rule.declared())) {
      return;
    }
    for (String role : rule.roles()) {
      if (principal.hasRole(role)) {
        return;
      }
    }
    String type = command.getClass().getSimpleName();
    if (!rule.declared()) {
      throw new NotAuthorizedException(
          principal.user(),
          type,
          Set.of(),
          "command type "
              + type
              + " declares no @RolesAllowed, @PermitAll or @DenyAll (nor does any supertype):"
              + " refused, authorization fails closed");
    }
    throw new NotAuthorizedException(principal.user(), type, rule.roles());
  }

  private static Rule ruleOf(Class<?> type) {
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      Class<?> next = pending.poll();
      Rule rule = declaredOn(next);
      if (rule != null) {
        return rule;
      }
      pending.addAll(Arrays.asList(next.getInterfaces()));
      if (next.getSuperclass() != null && next.getSuperclass() != Object.class) {
        pending.add(next.getSuperclass());
      }
    }
    return UNDECLARED;
  }

  /** The rule {@code type} itself declares; {@code @DenyAll} before roles before permit-all. */
  private static @org.jspecify.annotations.Nullable Rule declaredOn(Class<?> type) {
    Rule roles = null;
    boolean permit = false;
    for (Annotation annotation : type.getDeclaredAnnotations()) {
      String name = annotation.annotationType().getName();
      if (PACKAGES.stream().noneMatch(name::startsWith)) {
        continue;
      }
      switch (name.substring(name.lastIndexOf('.') + 1)) {
        case "DenyAll" -> {
          return DENY;
        }
        case "RolesAllowed" -> roles = new Rule(rolesOf(annotation), false, true);
        case "PermitAll" -> permit = true;
        default -> {}
      }
    }
    return roles != null ? roles : permit ? PERMIT : null;
  }

  private static Set<String> rolesOf(Annotation rolesAllowed) {
    try {
      Object value = rolesAllowed.annotationType().getMethod("value").invoke(rolesAllowed);
      return new TreeSet<>(Arrays.asList((String[]) value));
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("unreadable " + rolesAllowed, e);
    }
  }
}
