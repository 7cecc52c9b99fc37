package io.steadfast.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

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
}
