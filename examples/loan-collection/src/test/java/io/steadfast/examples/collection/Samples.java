package io.steadfast.examples.collection;

import io.steadfast.examples.collection.CollectionCommand.ChargeOff;
import io.steadfast.examples.collection.CollectionCommand.GetAccount;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.QueueSnapshot;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.AccountChargedOff;
import io.steadfast.examples.collection.CollectionResult.AccountDetails;
import io.steadfast.examples.collection.CollectionResult.AccountOpened;
import io.steadfast.examples.collection.CollectionResult.AgingCompleted;
import io.steadfast.examples.collection.CollectionResult.ContactLogged;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionResult.PromiseRecorded;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import io.steadfast.examples.collection.CollectionResult.QueueListing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One or more instances of every command and result type, and the sealed leaves to check against.
 */
final class Samples {

  private static final LocalDate DAY = LocalDate.of(2025, 3, 14);

  private Samples() {}

  static AccountView bareAccount() {
    return new AccountView(
        "ACC-000001",
        "Ada Okafor",
        AccountStatus.PAID_OFF,
        Bucket.CURRENT,
        0,
        new BigDecimal("250.00"),
        money("0"),
        money("0"),
        money("0"),
        money("0"),
        money("0"),
        null,
        null,
        0,
        "",
        0,
        null,
        null,
        null,
        0,
        0,
        "",
        DAY);
  }

  static AccountView fullAccount() {
    return new AccountView(
        "ACC-000002",
        "Sven Nakamura",
        AccountStatus.ACTIVE,
        Bucket.DPD_60_89,
        73,
        new BigDecimal("412.50"),
        money("9125.00"),
        money("1237.50"),
        money("41.25"),
        money("0"),
        money("10403.75"),
        DAY.minusDays(73),
        DAY.plusDays(18),
        2,
        "carol",
        5,
        DAY.minusDays(1),
        ContactOutcome.LEFT_MESSAGE,
        new PromiseView(money("412.50"), DAY.plusDays(4), DAY.minusDays(2), money("100.00")),
        1,
        3,
        "",
        DAY);
  }

  static List<CollectionCommand> commands() {
    return List.of(
        new OpenDelinquentAccount(
            "ACC-000001",
            "Ada Okafor",
            new BigDecimal("12000"),
            new BigDecimal("750.5"),
            DAY.minusDays(95),
            new BigDecimal("250.25")),
        new RunDailyAging("eod-2025-03-14"),
        new NextInQueue(Bucket.DPD_90_119),
        new LogContact("ACC-000001", ContactOutcome.WRONG_NUMBER),
        new RecordPromise("ACC-000001", new BigDecimal("300.00"), DAY.plusDays(7)),
        new PostPayment("PAY-1x-carol-7", "ACC-000001", new BigDecimal("0.01")),
        new ChargeOff("ACC-000001", "deceased, no estate"),
        new GetAccount("ACC-000001"),
        new QueueSnapshot(Bucket.DPD_120_PLUS, 25));
  }

  static List<CollectionResult> results() {
    return List.of(
        new AccountOpened(bareAccount()),
        new AgingCompleted("eod", DAY, 3, 2, List.of("ACC-000002"), List.of()),
        new AccountAssigned(Bucket.DPD_60_89, 147, fullAccount()),
        new QueueEmpty(Bucket.DPD_1_29),
        new ContactLogged(ContactOutcome.SPOKE, fullAccount()),
        new PromiseRecorded(fullAccount()),
        new PaymentPosted(
            "PAY-9",
            new PaymentAllocation(money("10.00"), money("2.50"), money("0"), money("0")),
            true,
            fullAccount()),
        new AccountChargedOff(money("10403.75"), bareAccount()),
        new AccountDetails(fullAccount()),
        new QueueListing(
            Bucket.DPD_30_59,
            7,
            List.of(new QueueEntry("ACC-000003", 99, 31, money("500.00"), 30))));
  }

  /** The simple names of the concrete records under a sealed type. */
  static Set<String> leaves(Class<?> root) {
    Set<String> names = new TreeSet<>();
    Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      Class<?> type = pending.pop();
      if (type.isSealed()) {
        pending.addAll(List.of(type.getPermittedSubclasses()));
      } else {
        names.add(type.getSimpleName());
      }
    }
    return names;
  }

  static Set<Class<?>> leafClasses(Class<?> root) {
    Set<Class<?>> classes = new java.util.LinkedHashSet<>();
    Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      Class<?> type = pending.pop();
      if (type.isSealed()) {
        pending.addAll(List.of(type.getPermittedSubclasses()));
      } else {
        classes.add(type);
      }
    }
    return classes;
  }

  private static BigDecimal money(String value) {
    return new BigDecimal(value).setScale(2);
  }
}
