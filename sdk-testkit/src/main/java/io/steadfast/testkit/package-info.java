/**
 * The certification testkit: {@link io.steadfast.testkit.CertificationSuite}, the JUnit 5 class a
 * vendor extends once to have every rule of {@code docs/spec.md} checked against its application
 * and a certificate written under {@code target/steadfast-certification/}.
 */
@NullMarked
package io.steadfast.testkit;

import org.jspecify.annotations.NullMarked;
