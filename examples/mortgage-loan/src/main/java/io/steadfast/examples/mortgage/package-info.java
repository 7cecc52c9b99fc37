/**
 * The Mortgage Loan Production System (MLPS): a continuously available loan pipeline built on
 * Steadfast.
 *
 * <p>Loan officers take an application through intake, credit check and appraisal; an underwriter
 * applies the {@linkplain io.steadfast.examples.mortgage.Underwriting underwriting rules} and
 * approves or declines; a closer schedules the closing and funds the loan. A loan may be declined
 * or withdrawn at any stage before it is funded.
 *
 * <p>{@link io.steadfast.examples.mortgage.MortgageLoanApplication} is the replicated application;
 * {@link io.steadfast.examples.mortgage.LoanCommand} and {@link
 * io.steadfast.examples.mortgage.LoanResult} are what clients send and get back; {@link
 * io.steadfast.examples.mortgage.ResumePoints} says where a user resumes after each command. Money
 * is exact {@link java.math.BigDecimal} arithmetic, rounded half-even to cents wherever it is
 * rounded.
 */
@NullMarked
package io.steadfast.examples.mortgage;

import org.jspecify.annotations.NullMarked;
