package io.steadfast.examples.demo;

import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What the collection system's users were told: the accounts whose opening was acknowledged, the
 * contact attempts logged per account, the payments posted, and any answer that shows a command
 * applied twice. The collection demo's checks compare this with the application's state.
 *
 * <p>Thread-safe: written by every user thread, read by the drill.
 */
final class Worklog {

  private final Set<String> accounts = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> contacts = new ConcurrentHashMap<>();
  private final Map<String, PostPayment> payments = new ConcurrentHashMap<>();
  private final AtomicLong repostsRejected = new AtomicLong();
  private final AtomicLong agingRuns = new AtomicLong();
  private final AtomicReference<@Nullable LocalDate> businessDate = new AtomicReference<>();
  private final Queue<String> appliedTwice = new ConcurrentLinkedQueue<>();

  void accountOpened(String accountId) {
    accounts.add(accountId);
  }

  void contactLogged(String accountId) {
    contacts.computeIfAbsent(accountId, id -> new AtomicInteger()).incrementAndGet();
  }

  /** Records an acknowledged payment; false if its reference had been acknowledged before. */
  boolean paymentPosted(PostPayment payment) {
    return payments.putIfAbsent(payment.paymentReference(), payment) == null;
  }

  /** Whether a payment with this reference was acknowledged. */
  boolean posted(String paymentReference) {
    return payments.containsKey(paymentReference);
  }

  /** Counts a deliberate second post of an acknowledged payment, rejected as it must be. */
  void repostRejected() {
    repostsRejected.incrementAndGet();
  }

  void aged(LocalDate date) {
    agingRuns.incrementAndGet();
    businessDate.set(date);
  }

  /** Records an answer that can only mean a command was applied twice. */
  void appliedTwice(String what) {
    appliedTwice.add(what);
  }

  Set<String> accounts() {
    return Set.copyOf(accounts);
  }

  int accountCount() {
    return accounts.size();
  }

  int contacts(String accountId) {
    AtomicInteger count = contacts.get(accountId);
    return count == null ? 0 : count.get();
  }

  long contactsLogged() {
    return contacts.values().stream().mapToLong(AtomicInteger::get).sum();
  }

  List<PostPayment> payments() {
    return List.copyOf(payments.values());
  }

  long repostsRejected() {
    return repostsRejected.get();
  }

  long agingRuns() {
    return agingRuns.get();
  }

  @Nullable LocalDate businessDate() {
    return businessDate.get();
  }

  List<String> appliedTwice() {
    return List.copyOf(appliedTwice);
  }
}
