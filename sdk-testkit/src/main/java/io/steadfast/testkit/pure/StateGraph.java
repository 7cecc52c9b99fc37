package io.steadfast.testkit.pure;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Compares two application instances field by field, to find what taking a checkpoint changed
 * (CP-2): a list sorted in place, a map trimmed, a counter reset. Vendor classes are compared by
 * their fields, transient and static fields left out (a cache the checkpoint fills belongs in a
 * transient field); lists, queues and arrays in their order; maps by key; sets, strings, numbers,
 * enums and other JDK values by {@code equals}. A JDK object that does not define {@code equals} (a
 * lock, an executor) is not compared. Cycles and depth are bounded.
 */
final class StateGraph {

  private static final int MAX_DEPTH = 32;
  private static final int MAX_SHOWN = 120;

  private StateGraph() {}

  /**
   * The first difference between {@code a} and {@code b}, as the path of fields to it and the two
   * values; null if they are equal as far as this comparison sees.
   */
  static @Nullable String firstDifference(Object a, Object b) {
    return diff("state", a, b, 0, new IdentityHashMap<>());
  }

  private static @Nullable String diff(
      String path,
      @Nullable Object a,
      @Nullable Object b,
      int depth,
      IdentityHashMap<Object, Object> seen) {
    if (a == b) {
      return null;
    }
    if (a == null || b == null) {
      return path + ": " + show(a) + " against " + show(b);
    }
    if (a.getClass() != b.getClass()) {
      return path + ": a " + a.getClass().getName() + " against a " + b.getClass().getName();
    }
    if (a instanceof Enum<?>) {
      return path + ": " + a + " against " + b;
    }
    if (depth > MAX_DEPTH || seen.put(a, b) != null) {
      return null;
    }
    Class<?> type = a.getClass();
    if (type.isArray()) {
      int length = Array.getLength(a);
      if (length != Array.getLength(b)) {
        return path + ": " + length + " elements against " + Array.getLength(b);
      }
      for (int i = 0; i < length; i++) {
        String found =
            diff(path + "[" + i + "]", Array.get(a, i), Array.get(b, i), depth + 1, seen);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
      if (!left.keySet().equals(right.keySet())) {
        return path + ": keys " + show(left.keySet()) + " against " + show(right.keySet());
      }
      for (Object key : sortedIfPossible(left.keySet())) {
        String found =
            diff(path + "[" + show(key) + "]", left.get(key), right.get(key), depth + 1, seen);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (a instanceof Set<?> && b instanceof Set<?>) {
      return a.equals(b) ? null : path + ": " + show(a) + " against " + show(b);
    }
    if (a instanceof Collection<?> left && b instanceof Collection<?> right) {
      if (left.size() != right.size()) {
        return path + ": " + left.size() + " elements against " + right.size();
      }
      Iterator<?> l = left.iterator();
      Iterator<?> r = right.iterator();
      for (int i = 0; l.hasNext() && r.hasNext(); i++) {
        String found = diff(path + "[" + i + "]", l.next(), r.next(), depth + 1, seen);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (isJdk(type)) {
      if (!definesEquals(type)) {
        return null;
      }
      return a.equals(b) ? null : path + ": " + show(a) + " against " + show(b);
    }
    for (Class<?> c = type; c != null && !isJdk(c); c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)) {
          continue;
        }
        try {
          field.setAccessible(true);
        } catch (RuntimeException e) {
          continue; // a module that does not open the class: not compared
        }
        Object left;
        Object right;
        try {
          left = field.get(a);
          right = field.get(b);
        } catch (IllegalAccessException e) {
          continue;
        }
        String found = diff(path + "." + field.getName(), left, right, depth + 1, seen);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static boolean isJdk(Class<?> type) {
    String name = type.getName();
    return type.isPrimitive()
        || name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jdk.")
        || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }

  private static boolean definesEquals(Class<?> type) {
    try {
      return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static List<?> sortedIfPossible(Set<?> keys) {
    List<Object> list = new ArrayList<>(keys);
    try {
      list.sort(null);
    } catch (ClassCastException | NullPointerException e) {
      // unordered keys: the order only decides which difference is reported first
    }
    return list;
  }

  private static String show(@Nullable Object value) {
    String text = String.valueOf(value);
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "…";
  }
}
