package dev.scopedtokens.server.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable HTTP header fields, looked up without regard to case. Built by the adapters from what
 * arrived, and by endpoints for what they answer.
 *
 * <p>{@link #toString()} lists the names only: values may hold credentials.
 */
public final class HttpHeaders {
  private static final HttpHeaders EMPTY = new HttpHeaders(Map.of());

  /** Lower-cased name to the values in arrival order; the first spelling of each name is kept. */
  private final Map<String, List<String>> values;

  private final Map<String, String> spelling;

  private HttpHeaders(Map<String, List<String>> values) {
    Map<String, List<String>> lower = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    values.forEach(
        (name, list) -> {
          String key = name.toLowerCase(Locale.ROOT);
          names.putIfAbsent(key, name);
          lower.computeIfAbsent(key, k -> new ArrayList<>()).addAll(list);
        });
    lower.replaceAll((k, v) -> List.copyOf(v));
    this.values = Collections.unmodifiableMap(lower);
    this.spelling = Collections.unmodifiableMap(names);
  }

  /** No header fields. */
  public static HttpHeaders empty() {
    return EMPTY;
  }

  /**
   * Header fields from a map of names to values.
   *
   * @throws IllegalArgumentException if a name or value holds CR, LF or NUL
   */
  public static HttpHeaders of(Map<String, List<String>> fields) {
    Objects.requireNonNull(fields, "fields");
    fields.forEach(
        (name, list) -> {
          checkField(name, "header name");
          list.forEach(value -> checkField(value, "value of header " + name));
        });
    return fields.isEmpty() ? EMPTY : new HttpHeaders(fields);
  }

  /** The first value of {@code name}, if any. */
  public Optional<String> first(String name) {
    List<String> list = values.get(name.toLowerCase(Locale.ROOT));
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  /** Every value of {@code name}, in arrival order; empty if none. */
  public List<String> all(String name) {
    return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The fields as a map from each name (as first spelled) to its values. */
  public Map<String, List<String>> asMap() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    values.forEach((key, list) -> map.put(spelling.get(key), list));
    return Collections.unmodifiableMap(map);
  }

  /** A copy with {@code name} set to {@code value}, replacing earlier values of that name. */
  public HttpHeaders with(String name, String value) {
    checkField(name, "header name");
    checkField(value, "value of header " + name);
    Map<String, List<String>> map = new LinkedHashMap<>();
    String key = name.toLowerCase(Locale.ROOT);
    values.forEach(
        (k, list) -> {
          if (!k.equals(key)) {
            map.put(spelling.get(k), list);
          }
        });
    map.put(name, List.of(value));
    return new HttpHeaders(map);
  }

  /** Whether there are no fields. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  private static void checkField(String text, String what) {
    Objects.requireNonNull(text, what);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            what + ": holds a line break or NUL at index " + i + ", which would split the header");
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpHeaders that && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The names only; values may hold credentials. */
  @Override
  public String toString() {
    return "HttpHeaders" + spelling.values();
  }
}
