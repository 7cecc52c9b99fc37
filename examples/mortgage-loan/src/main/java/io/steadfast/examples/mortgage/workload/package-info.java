/**
 * A seeded, deterministic workload for demonstrations, certification and benchmarks: simulated loan
 * officers, underwriters and closers, each a {@link
 * io.steadfast.examples.mortgage.workload.LoanWorkflow} that decides its next command from a seed
 * and the results it has received so far.
 */
@NullMarked
package io.steadfast.examples.mortgage.workload;

import org.jspecify.annotations.NullMarked;
