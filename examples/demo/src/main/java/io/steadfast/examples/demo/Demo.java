package io.steadfast.examples.demo;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one example application on an embedded three-node cluster through a failover and a planned
 * switchover, then checks that nothing acknowledged was lost or applied twice and that every
 * session resumed where its user was. Prints progress, a summary and one {@code RESULT {json}}
 * line; exits 0 if all is well, 1 if anything was lost, applied twice or resumed at the wrong
 * place, 2 for bad options.
 *
 * <p>Run from the repository root: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl
 * examples/demo exec:java}, adding {@code -Dexec.args="--app collection"} for the collection
 * system. Options: {@code --app mortgage|collection} (default mortgage), {@code --seed N} (default
 * 4711), {@code --users N} (sessions; default 32 for mortgage, 25 for collection: 24 collectors and
 * a supervisor).
 */
public final class Demo {

  /** gRPC's shaded JUL logger, held so that the level set on it is not lost to collection. */
  private static final Logger GRPC_LOG = Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  private Demo() {}

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws InterruptedException {
    String app = "mortgage";
    long seed = 4711;
    Integer users = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--app" -> app = value(args, ++i).toLowerCase(Locale.ROOT);
          case "--seed" -> seed = number(args, ++i);
          case "--users" -> users = Math.toIntExact(number(args, ++i));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      usage(String.valueOf(e.getMessage()));
      return;
    }
    boolean mortgage = app.equals("mortgage");
    if (!mortgage && !app.equals("collection")) {
      usage("unknown --app " + app);
    }
    int sessions = users != null ? users : mortgage ? 32 : 25;
    int fewest = mortgage ? 3 : 2;
    if (sessions < fewest) {
      usage("--app " + app + " needs --users " + fewest + " or more, not " + sessions);
    }
    GRPC_LOG.setLevel(Level.WARNING);
    boolean ok =
        mortgage
            ? new Drill<>(new MortgageDemo(), seed, sessions).run()
            : new Drill<>(new CollectionDemo(), seed, sessions).run();
    System.exit(ok ? 0 : 1);
  }

  private static String value(String[] args, int index) {
    if (index >= args.length) {
      throw new IllegalArgumentException(args[index - 1] + " needs a value");
    }
    return args[index];
  }

  private static long number(String[] args, int index) {
    String text = value(args, index);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[index - 1] + " needs a whole number, not " + text);
    }
  }

  private static void usage(String problem) {
    System.err.println(problem + "; options: --app mortgage|collection, --seed N, --users N");
    System.exit(2);
  }
}
