/**
 * Benchmarks of Steadfast: JMH benchmarks of the hot paths (in the sub-packages named after what
 * they measure) and the scenario runner that measures the SDK against raw Apache Ratis.
 *
 * <p>Run everything from {@code benchmarks/target/benchmarks.jar}, built by {@code ./mvnw -B
 * install -DskipTests}; see {@code docs/performance.md}.
 */
@NullMarked
package io.steadfast.benchmarks;

import org.jspecify.annotations.NullMarked;
