package io.steadfast.server;

import io.steadfast.api.NodeId;
import io.steadfast.runtime.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A member's configuration: a properties file, then environment variables, then {@code --set}
 * flags, later ones winning. Every key is listed in {@link #KEYS}; an unknown key in the file or a
 * flag is refused (a misspelt key must not be silently ignored). The environment variable of a key
 * is {@code STEADFAST_} and the key in upper case with {@code .} and {@code -} as {@code _} (for
 * example {@code STEADFAST_NODE_ID}). Every value is checked when read, and a bad one is a {@link
 * ConfigurationException} naming the key.
 *
 * <p>Immutable.
 */
public final class ServerConfig {

  /** Every key, with what it means; the reference for operators (docs/operations.md). */
  public static final Map<String, String> KEYS = keys();

  private final Map<String, String> values;

  private ServerConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  private static Map<String, String> keys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("node.id", "this member's id (required)");
    keys.put("cluster.name", "the cluster's name, the same on every member (default steadfast)");
    keys.put("storage.dir", "where the journal and checkpoints are kept (required)");
    keys.put(
        "storage.repair-wait",
        "milliseconds a member that cut its damaged journal waits for a primary (default 30000)");
    keys.put(
        "storage.verify-interval",
        "milliseconds between re-reads of the stored journal and checkpoints (0 = off; 600000)");
    keys.put(
        "storage.accept-journal-loss",
        "true: start from a cut journal without a primary (only copy; loses what was cut)");
    keys.put(
        "members",
        "every member as id=host:raftPort:httpPort, comma-separated, this one included (required)");
    keys.put(
        "join",
        "true: this member is new to a running cluster; it waits until the primary adds it"
            + " (members then lists the running members and this one)");
    keys.put("audit.interval", "milliseconds between replica audits (0 = off; 600000)");
    keys.put(
        "audit.resync",
        "true: audits re-synchronise members whose state differs from the majority's (false)");
    keys.put("http.bind", "the address the endpoint binds (default the member's host)");
    keys.put("election.timeout", "min-max in milliseconds (default 150-300)");
    keys.put(
        "election.dead-primary-probe",
        "false to wait out the election timeout even when the primary's port refuses (default true)");
    keys.put("request.deadline", "milliseconds a request may take (default 10000)");
    keys.put("checkpoint.every", "commands between checkpoints, at least (default 20000)");
    keys.put(
        "checkpoint.journal-ratio",
        "journal bytes a checkpoint also waits for, as a multiple of the last checkpoint's size"
            + " (0 = count commands only; default 1)");
    keys.put("segment.size", "journal segment bytes (default 8388608)");
    keys.put(
        "group-commit", "maxRequests,maxBytes,inFlight per journal entry (default 256,1048576,2)");
    keys.put("health.interval", "milliseconds between health probes (default 1000)");
    keys.put("health.probes", "DOWN probes in a row before the primary hands over (default 3)");
    keys.put("commands.permit-unannotated", "true to permit command types without annotations");
    keys.put("tls.certificate", "PEM certificate chain of this member");
    keys.put("tls.key", "PEM PKCS#8 private key of this member");
    keys.put("tls.authorities", "PEM certificates of the members' authority");
    keys.put("tls.client-authorities", "PEM authorities of accepted client certificates");
    keys.put("auth.client-roles", "roles of client certificates: cn=role|role;cn=role");
    keys.put("auth.jwt.jwks", "JWKS file of the token issuer's public keys");
    keys.put("auth.jwt.public-key", "PEM public key of the token issuer");
    keys.put("auth.jwt.issuer", "required iss claim");
    keys.put("auth.jwt.audience", "required aud claim");
    keys.put("auth.jwt.roles-claim", "claim that carries the roles (default roles)");
    keys.put("security.member-secret", "secret members send each other without TLS (32+ chars)");
    keys.put("security.insecure", "true to listen beyond loopback without TLS or authentication");
    keys.put("security.max-request-bytes", "largest request body (default 1048576)");
    keys.put("security.max-concurrent-requests", "HTTP requests in progress at once (default 64)");
    keys.put("shutdown.handover-timeout", "milliseconds a stopping primary tries to hand over");
    keys.put("metrics.bind", "host:port of the Prometheus /metrics port (loopback only)");
    keys.put(
        "rehearsal.commands",
        "commands a member sends a throwaway cluster in its JVM once after start, so that its"
            + " first time as primary runs warm code (0 = off; at most 100000; default 2000)");
    keys.put(
        "rehearsal.delay", "milliseconds after start before that rehearsal runs (default 5000)");
    keys.put("application.class", "a ServerApplication class, for the runnable form (Main)");
    return java.util.Collections.unmodifiableMap(keys);
  }

  /**
   * Reads {@code file} (if not null), then the environment, then {@code overrides}.
   *
   * @throws ConfigurationException naming an unknown key or an unreadable file
   */
  public static ServerConfig load(
      @Nullable Path file, Map<String, String> environment, Map<String, String> overrides) {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new ConfigurationException("config", "cannot read " + file + ": " + e.getMessage());
      }
      for (String key : properties.stringPropertyNames()) {
        values.put(known(key, file.toString()), properties.getProperty(key).trim());
      }
    }
    for (String key : KEYS.keySet()) {
      String variable = environmentName(key);
      String value = environment.get(variable);
      if (value != null) {
        values.put(key, value.trim());
      }
    }
    overrides.forEach((key, value) -> values.put(known(key, "--set"), value.trim()));
    return new ServerConfig(values);
  }

  /** The environment variable that overrides {@code key}. */
  public static String environmentName(String key) {
    return "STEADFAST_"
        + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String known(String key, String where) {
    if (!KEYS.containsKey(key)) {
      throw new ConfigurationException(
          key, "unknown key in " + where + "; known keys: " + String.join(", ", KEYS.keySet()));
    }
    return key;
  }

  /** The raw value of {@code key}, if set and not blank. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
  }

  /** The value of a required key. */
  public String require(String key) {
    return get(key).orElseThrow(() -> new ConfigurationException(key, "missing"));
  }

  /** A positive whole number. */
  public Optional<Long> positive(String key) {
    return get(key).map(v -> parsePositive(key, v));
  }

  /** A whole number from {@code min} to {@code max}. */
  public Optional<Long> whole(String key, long min, long max) {
    return ranged(key, Long::parseLong, "a whole number", min, max);
  }

  /** A decimal number from {@code min} to {@code max}. */
  public Optional<Double> decimal(String key, double min, double max) {
    return ranged(key, Double::parseDouble, "a number", min, max);
  }

  /**
   * A number {@code parse} reads, from {@code min} to {@code max} (a value that compares above
   * every number, such as NaN, is out of range).
   */
  private <T extends Comparable<T>> Optional<T> ranged(
      String key, java.util.function.Function<String, T> parse, String kind, T min, T max) {
    return get(key)
        .map(
            v -> {
              T parsed;
              try {
                parsed = parse.apply(v.trim());
              } catch (NumberFormatException e) {
                throw new ConfigurationException(key, "must be " + kind + ": " + v);
              }
              if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                throw new ConfigurationException(
                    key, "must be between " + min + " and " + max + ": " + v);
              }
              return parsed;
            });
  }

  /** A duration given in milliseconds. */
  public Optional<Duration> millis(String key) {
    return positive(key).map(Duration::ofMillis);
  }

  /** {@code true} or {@code false}. */
  public boolean flag(String key) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigurationException(key, "must be true or false: " + value.get());
    };
  }

  /** A list of positive numbers separated by {@code separator}, exactly {@code count} of them. */
  public Optional<List<Long>> numbers(String key, String separator, int count) {
    return get(key)
        .map(
            v -> {
              String[] parts = v.split(java.util.regex.Pattern.quote(separator), -1);
              if (parts.length != count) {
                throw new ConfigurationException(
                    key, "needs " + count + " numbers separated by '" + separator + "': " + v);
              }
              return java.util.Arrays.stream(parts).map(p -> parsePositive(key, p.trim())).toList();
            });
  }

  /** One member of {@code members}. */
  public record Member(NodeId id, InetSocketAddress raft, InetSocketAddress http) {}

  /** The members, in the order given. */
  public List<Member> members() {
    String list = require("members");
    List<Member> members = new java.util.ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (String entry : list.split(",", -1)) {
      String member = entry.trim();
      if (member.isEmpty()) {
        continue;
      }
      String[] idAndRest = member.split("=", 2);
      String[] parts = idAndRest.length == 2 ? idAndRest[1].split(":", -1) : new String[0];
      if (parts.length != 3 || idAndRest[0].isBlank()) {
        throw new ConfigurationException(
            "members", "each member must be id=host:raftPort:httpPort, got '" + member + "'");
      }
      if (!seen.add(idAndRest[0].trim())) {
        throw new ConfigurationException("members", "member " + idAndRest[0] + " is listed twice");
      }
      members.add(
          new Member(
              NodeId.of(idAndRest[0].trim()),
              address("members", parts[0], parts[1]),
              address("members", parts[0], parts[2])));
    }
    if (members.isEmpty()) {
      throw new ConfigurationException("members", "no member given");
    }
    return members;
  }

  /** A host and port as a socket address, checked. */
  @SuppressWarnings("AddressSelection") // operators name one address per member
  static InetSocketAddress address(String key, String host, String port) {
    long number = parsePositive(key, port.trim());
    if (number > 65535) {
      throw new ConfigurationException(key, "port out of range: " + port);
    }
    if (host.isBlank()) {
      throw new ConfigurationException(key, "host missing before port " + port);
    }
    return new InetSocketAddress(host.trim(), (int) number);
  }

  private static long parsePositive(String key, String value) {
    try {
      long number = Long.parseLong(value);
      if (number < 1) {
        throw new ConfigurationException(key, "must be positive: " + value);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, "not a whole number: " + value);
    }
  }
}
