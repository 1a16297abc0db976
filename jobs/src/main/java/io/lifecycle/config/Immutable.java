package io.lifecycle.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only copies for the config records' collections: a config is shared by every step of a run (and
 * hashed into run_log), so no step may change what another reads. Order and null values are kept, which
 * {@code Map.copyOf} would not.
 */
final class Immutable {
  private Immutable() {}

  static <K, V> Map<K, V> map(Map<K, V> m) {
    return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  static <T> java.util.Set<T> set(java.util.Set<T> s) {
    return s == null ? null : Collections.unmodifiableSet(new java.util.LinkedHashSet<>(s));
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? null : Collections.unmodifiableList(new ArrayList<>(l));
  }
}
