/**
 * The scenario runner: failover, switchover, throughput, catch-up, checkpoint and footprint,
 * measured for the SDK and for a raw Ratis baseline in one run, reported as a console table and
 * {@code benchmarks/target/results.json}. Entry point: {@link ScenarioRunner}.
 */
@NullMarked
package io.steadfast.benchmarks.scenario;

import org.jspecify.annotations.NullMarked;
