/**
 * The Delinquent Loan Collection System (DLCS), an example application for Steadfast.
 *
 * <p>Delinquent accounts age into {@link io.steadfast.examples.collection.Bucket buckets} by a
 * business date taken only from the leader-assigned time of the journal. Collectors take accounts
 * from bucket queues, log contact attempts, record promises to pay and post payments; late fees,
 * broken promises and charge-offs follow the rules stated on {@link
 * io.steadfast.examples.collection.CollectionRules}. The whole state lives in {@link
 * io.steadfast.examples.collection.LoanCollectionApplication}, driven by {@link
 * io.steadfast.examples.collection.CollectionCommand commands} and answered with {@link
 * io.steadfast.examples.collection.CollectionResult results}.
 *
 * <p>{@link io.steadfast.examples.collection.AccountLoader} and {@link
 * io.steadfast.examples.collection.CollectorWorkflow} produce a seeded, repeatable workload for
 * drivers and tests; {@link io.steadfast.examples.collection.ResumePoints} says where a collector's
 * session resumes after each acknowledged command.
 */
@NullMarked
package io.steadfast.examples.collection;

import org.jspecify.annotations.NullMarked;
