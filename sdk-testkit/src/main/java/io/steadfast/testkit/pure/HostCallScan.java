package io.steadfast.testkit.pure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A bytecode scan of the vendor's code reachable from the replicated exit points, for calls whose
 * answer depends on the host or the moment: clocks, unseeded randomness, the default time zone,
 * locale and charset (formatting included), identity hashes, the environment, files and the
 * network. Such a call can pass every replay check (all replicas run on the same day, in the same
 * locale, on the test machine) and still make replicas differ in production, so it is looked for in
 * the code instead of in the results.
 *
 * <p><b>What is scanned.</b> Starting from the application class's constructors, {@code apply},
 * {@code checkpoint}, {@code restore} and {@code freeze}, every method those call, transitively, in
 * classes loaded from the same jar or directory as the application class (the vendor's code); a
 * call on a type of that code also reaches the methods that override it there; lambdas and method
 * references are followed; static initializers of every class reached are scanned too. Calls into
 * other jars (libraries, the JDK) are not followed, only compared against the list below. {@code
 * query} is not scanned: it runs on one member and changes nothing.
 *
 * <p>Not thread-safe; one scan per instance.
 */
final class HostCallScan {

  /** One forbidden call found, with the chain of calls that reaches it from an exit point. */
  record Finding(String method, String call, String why, int line, List<String> path) {

    String describe() {
      return method
          + (line > 0 ? " (line " + line + ")" : "")
          + " calls "
          + call
          + ": "
          + why
          + "\n  reached by "
          + String.join(" -> ", path);
    }
  }

  /** The entry points of the replicated state. */
  private static final List<String> EXITS = List.of("apply", "checkpoint", "restore", "freeze");

  private static final Map<String, String> FORBIDDEN = forbidden();

  private final ClassLoader loader;
  private final String scope;
  private final Map<String, @Nullable ClassInfo> classes = new TreeMap<>();
  private final Map<String, List<String>> subtypes = new TreeMap<>();
  private final Map<String, String> reachedFrom = new LinkedHashMap<>();
  private final List<Finding> findings = new ArrayList<>();
  private final Deque<String> work = new ArrayDeque<>();

  /** The application class and its superclasses in the vendor's code, most derived first. */
  private final List<String> applicationChain = new ArrayList<>();

  private boolean hierarchyRead;

  private HostCallScan(Class<?> application) {
    this.loader =
        Optional.ofNullable(application.getClassLoader())
            .orElse(ClassLoader.getSystemClassLoader());
    this.scope = location(application);
  }

  /**
   * Scans the code reachable from {@code application}'s exit points.
   *
   * @throws IOException if a class of the application's code cannot be read
   */
  static HostCallScan scan(Class<?> application) throws IOException {
    HostCallScan scan = new HostCallScan(application);
    scan.run(application);
    return scan;
  }

  /** What the scan found, in the order found; empty if nothing. */
  List<Finding> findings() {
    return List.copyOf(findings);
  }

  /** The jar or directory the class was loaded from, as a URL prefix; empty if unknown. */
  static String location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null
        ? ""
        : source.getLocation().toExternalForm();
  }

  /** How many methods the scan read. */
  int methodsRead() {
    return reachedFrom.size();
  }

  private void run(Class<?> application) throws IOException {
    String owner = internal(application.getName());
    ClassInfo info = info(owner);
    if (info == null) {
      throw new IOException("cannot read the class file of " + application.getName());
    }
    for (String up = owner; up != null; ) {
      ClassInfo type = info(up);
      if (type == null) {
        break;
      }
      applicationChain.add(up);
      up = type.superName;
    }
    for (String key : info.methods.keySet()) {
      String name = key.substring(0, key.indexOf('('));
      if (name.equals("<init>") || EXITS.contains(name)) {
        reach(owner + "." + key, "");
      }
    }
    // Exit points the application inherits from its own superclasses, where not overridden.
    for (String up : applicationChain) {
      ClassInfo type = info(up);
      for (String key : type == null ? List.<String>of() : type.methods.keySet()) {
        if (EXITS.contains(key.substring(0, key.indexOf('('))) && !overridden(up, key)) {
          reach(up + "." + key, "");
        }
      }
    }
    while (!work.isEmpty()) {
      String method = work.poll();
      int dot = method.indexOf('.');
      ClassInfo in = info(method.substring(0, dot));
      MethodBody body = in == null ? null : in.methods.get(method.substring(dot + 1));
      if (body == null) {
        continue;
      }
      for (Call call : body.calls) {
        follow(method, call);
      }
    }
  }

  /** Whether a class below {@code type} in the application's chain declares {@code key}. */
  private boolean overridden(String type, String key) throws IOException {
    for (String below : applicationChain) {
      if (below.equals(type)) {
        return false;
      }
      ClassInfo info = info(below);
      if (info != null && info.methods.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  private void follow(String from, Call call) throws IOException {
    String why = FORBIDDEN.get(call.owner + "." + call.name + call.descriptor);
    if (why == null) {
      why = FORBIDDEN.get(call.owner + "." + call.name);
    }
    if (why == null) {
      why = FORBIDDEN.get(call.owner + ".*");
    }
    if (why != null) {
      findings.add(
          new Finding(
              readable(from), readable(call.owner) + "." + call.name, why, call.line, path(from)));
      return;
    }
    if (info(call.owner) == null) {
      return;
    }
    String key = call.name + call.descriptor;
    boolean virtual = !call.name.equals("<init>") && !call.isStatic;
    if (virtual && applicationChain.contains(call.owner)) {
      // A call on the application's own type (almost always on this): the receiver is the
      // application instance, so the call resolves from the application class upwards, and the
      // other subclasses of its superclasses (other applications) are not reached.
      for (String type : applicationChain) {
        ClassInfo info = info(type);
        if (info != null && info.methods.containsKey(key)) {
          reach(type + "." + key, from);
          return;
        }
      }
      return;
    }
    // The declaration the call resolves to, up the vendor's own superclasses.
    for (String type = call.owner; type != null; ) {
      ClassInfo info = info(type);
      if (info == null) {
        break;
      }
      if (info.methods.containsKey(key)) {
        reach(type + "." + key, from);
        break;
      }
      type = info.superName;
    }
    if (virtual) {
      for (String sub : allSubtypes(call.owner)) {
        ClassInfo info = info(sub);
        if (info != null && info.methods.containsKey(key)) {
          reach(sub + "." + key, from);
        }
      }
    }
  }

  private void reach(String method, String from) throws IOException {
    if (reachedFrom.containsKey(method)) {
      return;
    }
    reachedFrom.put(method, from);
    work.add(method);
    String owner = method.substring(0, method.indexOf('.'));
    String clinit = owner + ".<clinit>()V";
    ClassInfo info = info(owner);
    if (info != null && info.methods.containsKey("<clinit>()V")) {
      reach(clinit, method);
    }
  }

  private List<String> path(String method) {
    List<String> path = new ArrayList<>();
    for (String at = method; !at.isEmpty(); at = reachedFrom.getOrDefault(at, "")) {
      path.add(0, readable(at));
      if (path.size() > 20) {
        break;
      }
    }
    return path;
  }

  private List<String> allSubtypes(String type) throws IOException {
    readHierarchy();
    TreeSet<String> all = new TreeSet<>();
    Deque<String> next = new ArrayDeque<>(List.of(type));
    while (!next.isEmpty()) {
      for (String sub : subtypes.getOrDefault(next.poll(), List.of())) {
        if (all.add(sub)) {
          next.add(sub);
        }
      }
    }
    return List.copyOf(all);
  }

  /** Reads the supertypes of every class of the vendor's code, once, for overriding methods. */
  private void readHierarchy() throws IOException {
    if (hierarchyRead) {
      return;
    }
    hierarchyRead = true;
    for (String name : classNamesInScope()) {
      ClassInfo info = info(name);
      if (info == null) {
        continue;
      }
      List<String> supers = new ArrayList<>(info.interfaces);
      if (info.superName != null) {
        supers.add(info.superName);
      }
      for (String up : supers) {
        subtypes.computeIfAbsent(up, k -> new ArrayList<>()).add(name);
      }
    }
  }

  private List<String> classNamesInScope() throws IOException {
    if (!scope.startsWith("file:")) {
      return List.of();
    }
    Path root;
    try {
      root = Path.of(new URI(scope));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("cannot read the application's code at " + scope, e);
    }
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.toString().endsWith(".class"))
            .forEach(
                f -> {
                  String relative = root.relativize(f).toString().replace('\\', '/');
                  names.add(relative.substring(0, relative.length() - ".class".length()));
                });
      }
    } else if (Files.isRegularFile(root)) {
      try (JarFile jar = new JarFile(root.toFile())) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String entry = entries.nextElement().getName();
          if (entry.endsWith(".class") && !entry.startsWith("META-INF/")) {
            names.add(entry.substring(0, entry.length() - ".class".length()));
          }
        }
      }
    }
    names.sort(null);
    return names;
  }

  /** The class's methods and calls if it belongs to the vendor's code, else null. */
  private @Nullable ClassInfo info(String internalName) throws IOException {
    if (classes.containsKey(internalName)) {
      return classes.get(internalName);
    }
    ClassInfo info = null;
    URL url = loader.getResource(internalName + ".class");
    if (url != null && !scope.isEmpty() && url.toExternalForm().startsWith(jarPrefix(scope))) {
      try (InputStream in = url.openStream()) {
        info = ClassInfo.read(in.readAllBytes());
      }
    }
    classes.put(internalName, info);
    return info;
  }

  /**
   * A class inside a jar has a {@code jar:file:…!/} URL; inside a directory, a {@code file:} one.
   */
  private static String jarPrefix(String location) {
    return location.endsWith(".jar") ? "jar:" + location + "!/" : location;
  }

  private static String internal(String binaryName) {
    return binaryName.replace('.', '/');
  }

  private static String readable(String method) {
    int paren = method.indexOf('(');
    String name = paren < 0 ? method : method.substring(0, paren);
    return name.replace('/', '.');
  }

  /** One call instruction (or method handle) in a method body. */
  private record Call(String owner, String name, String descriptor, boolean isStatic, int line) {}

  private record MethodBody(List<Call> calls) {}

  /** What the scan needs of one class file. */
  private static final class ClassInfo {
    @Nullable String superName;
    List<String> interfaces = List.of();
    final Map<String, MethodBody> methods = new TreeMap<>();

    static ClassInfo read(byte[] bytes) {
      ClassInfo info = new ClassInfo();
      new ClassReader(bytes)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(
                    int version,
                    int access,
                    String name,
                    @Nullable String signature,
                    @Nullable String superName,
                    String @Nullable [] interfaces) {
                  info.superName = superName;
                  info.interfaces = interfaces == null ? List.of() : List.of(interfaces);
                }

                @Override
                public MethodVisitor visitMethod(
                    int access,
                    String name,
                    String descriptor,
                    @Nullable String signature,
                    String @Nullable [] exceptions) {
                  List<Call> calls = new ArrayList<>();
                  info.methods.put(name + descriptor, new MethodBody(calls));
                  return new MethodVisitor(Opcodes.ASM9) {
                    private int line;

                    @Override
                    public void visitLineNumber(int number, Label start) {
                      line = number;
                    }

                    @Override
                    public void visitMethodInsn(
                        int opcode, String owner, String name, String descriptor, boolean itf) {
                      calls.add(
                          new Call(owner, name, descriptor, opcode == Opcodes.INVOKESTATIC, line));
                    }

                    @Override
                    public void visitFieldInsn(
                        int opcode, String owner, String name, String descriptor) {
                      if (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) {
                        // A static field's class runs its static initializer first.
                        calls.add(new Call(owner, "<clinit>", "()V", true, line));
                      }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(
                        String name, String descriptor, Handle bootstrap, Object... arguments) {
                      for (Object argument : arguments) {
                        if (argument instanceof Handle handle) {
                          calls.add(
                              new Call(
                                  handle.getOwner(),
                                  handle.getName(),
                                  handle.getDesc(),
                                  handle.getTag() == Opcodes.H_INVOKESTATIC,
                                  line));
                        }
                      }
                    }
                  };
                }
              },
              ClassReader.SKIP_FRAMES);
      return info;
    }
  }

  private static Map<String, String> forbidden() {
    Map<String, String> calls = new TreeMap<>();
    String clock = "reads the wall clock; use ApplyContext.timestamp()";
    for (String type :
        List.of(
            "Instant",
            "LocalDate",
            "LocalDateTime",
            "LocalTime",
            "ZonedDateTime",
            "OffsetDateTime",
            "OffsetTime",
            "Year",
            "YearMonth",
            "MonthDay")) {
      calls.put("java/time/" + type + ".now", clock);
    }
    calls.put("java/lang/System.currentTimeMillis", clock);
    calls.put("java/lang/System.nanoTime", "reads the host's timer; it differs on every member");
    calls.put("java/time/Clock.systemUTC", clock);
    calls.put("java/time/Clock.systemDefaultZone", clock + "; and the host's time zone");
    calls.put("java/util/Date.<init>()V", clock);
    calls.put("java/util/Calendar.getInstance", clock + "; and the host's time zone");
    calls.put("java/util/GregorianCalendar.<init>()V", clock + "; and the host's time zone");
    String random = "unseeded randomness; derive values from the command or the position";
    calls.put("java/lang/Math.random", random);
    calls.put("java/lang/StrictMath.random", random);
    calls.put("java/util/Random.<init>()V", random);
    calls.put("java/security/SecureRandom.<init>", random);
    calls.put("java/util/concurrent/ThreadLocalRandom.current", random);
    calls.put("java/util/UUID.randomUUID", random);
    calls.put("java/time/ZoneId.systemDefault", "reads the host's time zone; name a zone");
    calls.put("java/util/TimeZone.getDefault", "reads the host's time zone; name a zone");
    String locale = "uses the host's default locale; pass Locale.ROOT";
    calls.put("java/util/Locale.getDefault", locale);
    calls.put("java/lang/String.toLowerCase()Ljava/lang/String;", locale);
    calls.put("java/lang/String.toUpperCase()Ljava/lang/String;", locale);
    String charset = "uses the host's default charset; name one (UTF-8)";
    calls.put("java/nio/charset/Charset.defaultCharset", charset);
    calls.put("java/lang/String.getBytes()[B", charset);
    calls.put("java/lang/String.<init>([B)V", charset);
    calls.put(
        "java/lang/System.identityHashCode", "an identity hash differs on every member and run");
    calls.put("java/lang/System.getenv", "reads the member's environment");
    calls.put("java/lang/System.getProperty", "reads the member's system properties");
    String format =
        "formats in the host's default locale (its digits and separators); pass Locale.ROOT";
    calls.put(
        "java/lang/String.format(Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/String;", format);
    calls.put("java/lang/String.formatted", format);
    calls.put("java/util/Formatter.<init>()V", format);
    calls.put("java/util/Formatter.<init>(Ljava/lang/Appendable;)V", format);
    for (String factory :
        List.of("getInstance", "getNumberInstance", "getIntegerInstance", "getCurrencyInstance")) {
      calls.put("java/text/NumberFormat." + factory + "()Ljava/text/NumberFormat;", format);
    }
    calls.put("java/text/NumberFormat.getPercentInstance()Ljava/text/NumberFormat;", format);
    calls.put("java/text/DecimalFormat.<init>()V", format);
    calls.put("java/text/DecimalFormat.<init>(Ljava/lang/String;)V", format);
    calls.put("java/text/SimpleDateFormat.<init>()V", format + "; and its time zone");
    calls.put(
        "java/text/SimpleDateFormat.<init>(Ljava/lang/String;)V", format + "; and its time zone");
    String io =
        "reaches outside the replicated state; every member would see its own answer, a replay"
            + " repeats it, and apply waits for it: bring the data in with the command";
    calls.put("java/net/Socket.<init>", io);
    calls.put("java/net/URL.openConnection", io);
    calls.put("java/net/URL.openStream", io);
    calls.put("java/net/http/HttpClient.send", io);
    calls.put("java/net/http/HttpClient.sendAsync", io);
    calls.put("java/net/InetAddress.getByName", io);
    calls.put("java/net/InetAddress.getAllByName", io);
    calls.put("java/net/InetAddress.getLocalHost", io);
    calls.put("java/nio/channels/SocketChannel.open", io);
    calls.put("java/nio/channels/FileChannel.open", io);
    calls.put("java/io/FileInputStream.<init>", io);
    calls.put("java/io/FileOutputStream.<init>", io);
    calls.put("java/io/FileReader.<init>", io);
    calls.put("java/io/FileWriter.<init>", io);
    calls.put("java/io/RandomAccessFile.<init>", io);
    calls.put("java/lang/ProcessBuilder.start", io);
    calls.put("java/lang/Runtime.exec", io);
    // Every static method of Files reads or writes the member's file system.
    calls.put("java/nio/file/Files.*", io);
    return calls;
  }
}
