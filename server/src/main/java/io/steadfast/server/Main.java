package io.steadfast.server;

import io.steadfast.runtime.ConfigurationException;
import java.lang.reflect.InvocationTargetException;

/**
 * The runnable form: {@code java -cp <app and steadfast jars> io.steadfast.server.Main --config
 * member.properties}, with {@code application.class} naming a {@link ServerApplication}. The same
 * flags as {@link SteadfastServer}; the key may also come from the environment or {@code --set}.
 */
public final class Main {

  private Main() {}

  /** Entry point. */
  public static void main(String[] args) {
    String name = applicationClass(args);
    ServerApplication<Object, Object> application;
    try {
      application = instantiate(name);
    } catch (ConfigurationException e) {
      System.err.println("steadfast-server: setting '" + e.setting() + "': " + e.getMessage());
      System.exit(SteadfastServer.CONFIGURATION_ERROR);
      return;
    }
    SteadfastServer.run(args, application::newApplication, application.codec());
  }

  /** Finds application.class in --set, the environment or the --config file, without starting. */
  private static String applicationClass(String[] args) {
    java.nio.file.Path config = null;
    java.util.Map<String, String> set = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--config")) {
        config = java.nio.file.Path.of(args[i + 1]);
      } else if (args[i].equals("--set") && args[i + 1].startsWith("application.class=")) {
        set.put("application.class", args[i + 1].substring("application.class=".length()));
      }
    }
    try {
      return ServerConfig.load(config, System.getenv(), set).require("application.class");
    } catch (ConfigurationException e) {
      if (java.util.Arrays.asList(args).contains("--help")
          || java.util.Arrays.asList(args).contains("--keys")) {
        return "";
      }
      System.err.println("steadfast-server: setting '" + e.setting() + "': " + e.getMessage());
      System.exit(SteadfastServer.CONFIGURATION_ERROR);
      return "";
    }
  }

  @SuppressWarnings("unchecked")
  static ServerApplication<Object, Object> instantiate(String name) {
    if (name.isEmpty()) {
      return new ServerApplication<>() {
        @Override
        public io.steadfast.api.ResilientApplication<Object, Object> newApplication() {
          throw new IllegalStateException("no application");
        }

        @Override
        public io.steadfast.api.codec.CommandCodec<Object, Object> codec() {
          throw new IllegalStateException("no application");
        }
      };
    }
    try {
      Class<?> type = Class.forName(name);
      if (!ServerApplication.class.isAssignableFrom(type)) {
        throw new ConfigurationException(
            "application.class", name + " does not implement " + ServerApplication.class.getName());
      }
      return (ServerApplication<Object, Object>) type.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException(
          "application.class", "no class " + name + " on the class path");
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new ConfigurationException(
          "application.class", name + " has no public no-argument constructor that works: " + e);
    }
  }
}
