/**
 * The Steadfast runtime: {@link io.steadfast.runtime.SteadfastNode} runs one member of a replicated
 * cluster around an application, {@link io.steadfast.runtime.EmbeddedCluster} runs several in one
 * JVM, and {@link io.steadfast.runtime.SteadfastClient} opens sessions whose requests survive
 * failover exactly once.
 */
@NullMarked
package io.steadfast.runtime;

import org.jspecify.annotations.NullMarked;
