package io.steadfast.testkit.pure;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.TraceEntry;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * The main class of the JVM that CP-3 forks: instantiates the vendor's suite class, restores each
 * checkpoint into a fresh application, applies the following entries and writes what it saw.
 *
 * <p>Not API. Run as {@code java ForkedRestore <request.json> <reply.json>}.
 */
final class ForkedRestore {

  private ForkedRestore() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ForkProtocol.Request request = mapper.readValue(new File(args[0]), ForkProtocol.Request.class);
    ForkProtocol.Reply reply;
    try {
      reply = run(request);
    } catch (Throwable t) {
      reply =
          new ForkProtocol.Reply(
              Charset.defaultCharset().name(),
              TimeZone.getDefault().getID(),
              Locale.getDefault().toLanguageTag(),
              List.of(),
              Evidence.describe(t));
    }
    mapper.writeValue(new File(args[1]), reply);
    System.exit(0);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ForkProtocol.Reply run(ForkProtocol.Request request) throws Exception {
    Class<?> suiteClass = Class.forName(request.suiteClass());
    Constructor<?> constructor = suiteClass.getDeclaredConstructor();
    constructor.setAccessible(true);
    Object suite = constructor.newInstance();
    Method factory = find(suiteClass, "newApplication");
    CommandCodec codec = (CommandCodec) find(suiteClass, "codec").invoke(suite);
    List<ForkProtocol.Result> results = new ArrayList<>();
    for (ForkProtocol.Case c : request.cases()) {
      ResilientApplication app = (ResilientApplication) factory.invoke(suite);
      Replica replica = Replica.of(app, codec);
      TreeMap<SessionId, ResumePoint> sessions = new TreeMap<>();
      c.resumePoints()
          .forEach((id, fields) -> sessions.put(SessionId.of(id), ResumePoint.of(fields)));
      try {
        replica.restore(
            new Replica.Snapshot(c.payload(), c.version(), Position.parse(c.position()), sessions));
      } catch (Exception e) {
        results.add(new ForkProtocol.Result(Evidence.describe(e), null, List.of(), null));
        continue;
      }
      String restored = replica.fingerprint().hex();
      List<String> outcomes = new ArrayList<>();
      for (ForkProtocol.Entry e : c.entries()) {
        TraceEntry entry =
            new TraceEntry<>(
                Position.parse(e.position()),
                SessionId.of(e.session()),
                Principal.of(e.user(), e.roles()),
                Instant.parse(e.timestamp()),
                codec.decodeCommand(e.command()),
                e.userNumber(),
                e.injected());
        outcomes.add(replica.apply(entry).toString());
      }
      results.add(new ForkProtocol.Result(null, restored, outcomes, replica.fingerprint().hex()));
    }
    return new ForkProtocol.Reply(
        Charset.defaultCharset().name(),
        TimeZone.getDefault().getID(),
        Locale.getDefault().toLanguageTag(),
        results,
        null);
  }

  private static Method find(Class<?> type, String name) throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == 0) {
          m.setAccessible(true);
          return m;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + "()");
  }

  static Map<String, Map<String, String>> encode(Map<SessionId, ResumePoint> sessions) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    sessions.forEach((id, point) -> out.put(id.value(), point.fields()));
    return out;
  }
}
