/**
 * The README demo: one of the example applications on an embedded three-node cluster, with
 * simulated users working while the primary is killed and later switched over for maintenance.
 *
 * <p>{@link io.steadfast.examples.demo.Demo} is the entry point. {@code Drill} runs the timeline
 * and the checks every application shares; {@code MortgageDemo} and {@code CollectionDemo} plug in
 * their users and their own checks through {@code Scenario} and {@code Script}. A member as a
 * process of its own is {@code MortgageServer} or {@code CollectionServer} in the examples (see
 * docs/operations.md).
 */
@NullMarked
package io.steadfast.examples.demo;

import org.jspecify.annotations.NullMarked;
