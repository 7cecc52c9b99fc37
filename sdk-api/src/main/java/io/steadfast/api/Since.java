package io.steadfast.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Marks a command type introduced by an application version: while the cluster's active version
 * ({@link ApplyContext#activeVersion()}) is lower, a command of this type is refused with a {@link
 * MalformedCommandException} before it is journaled (and, should one reach the journal through a
 * race with the finalize, refused the same way on every replica when applied). A type without it is
 * accepted at every version.
 *
 * <p>Put it on the concrete command type; a supertype's annotation applies to subtypes that have
 * none.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Since {

  /**
   * The application version that introduced the type.
   *
   * @return a positive version number
   */
  int value();

  /**
   * Finds the version that introduced a command type, as the runtime and the certification suite
   * do. Stateless; callable from any thread.
   */
  final class Lookup {

    private Lookup() {}

    /**
     * The version that introduced {@code type}: its own {@link Since}, else the nearest annotated
     * supertype's (searched breadth first, the superclass before the interfaces), else 1.
     *
     * @param type a command type
     * @return a positive version number
     */
    public static int versionOf(Class<?> type) {
      ArrayDeque<Class<?>> queue = new ArrayDeque<>();
      queue.add(type);
      while (!queue.isEmpty()) {
        Class<?> next = queue.removeFirst();
        Since since = next.getAnnotation(Since.class);
        if (since != null) {
          return since.value();
        }
        Class<?> parent = next.getSuperclass();
        if (parent != null) {
          queue.add(parent);
        }
        queue.addAll(Arrays.asList(next.getInterfaces()));
      }
      return 1;
    }
  }
}
