package dev.scopedtokens.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decoded {@code application/x-www-form-urlencoded} parameters (a query string or a form body):
 * names to values in arrival order, a name possibly repeated.
 *
 * <p>Decoding is strict: a malformed percent escape, bytes that are not UTF-8, a NUL, or more than
 * {@link #MAX_PARAMETERS} parameters is a {@link HttpRequestException} (400) that names the problem
 * without repeating the input. {@link #toString()} lists names only: values may be passwords.
 */
public final class Parameters {
  /** The most parameters one query string or form body may carry. */
  public static final int MAX_PARAMETERS = 256;

  private static final Parameters EMPTY = new Parameters(Map.of());

  private final Map<String, List<String>> values;

  private Parameters(Map<String, List<String>> values) {
    this.values = values;
  }

  /** No parameters. */
  public static Parameters empty() {
    return EMPTY;
  }

  /**
   * Parses an encoded query string or form body ({@code a=1&b=2&a=3}); {@code +} is a space.
   *
   * @param encoded the raw text, without a leading {@code ?}; empty for none
   * @param what what the text is, for the error message ({@code "query"}, {@code "form body"})
   * @throws HttpRequestException (400) if it is not well-formed UTF-8 form encoding
   */
  public static Parameters parse(String encoded, String what) {
    Objects.requireNonNull(encoded, "encoded");
    Objects.requireNonNull(what, "what");
    if (encoded.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<String>> map = new LinkedHashMap<>();
    int count = 0;
    int start = 0;
    while (start <= encoded.length()) {
      int end = encoded.indexOf('&', start);
      if (end < 0) {
        end = encoded.length();
      }
      if (end > start) {
        if (++count > MAX_PARAMETERS) {
          throw HttpRequestException.badRequest(
              what + ": more than " + MAX_PARAMETERS + " parameters; send at most that many");
        }
        String pair = encoded.substring(start, end);
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), what);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), what);
        map.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
      start = end + 1;
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return new Parameters(Collections.unmodifiableMap(map));
  }

  /** The first value of {@code name}, if any. */
  public Optional<String> first(String name) {
    List<String> list = values.get(name);
    return list == null ? Optional.empty() : Optional.of(list.get(0));
  }

  /**
   * The single value of {@code name}, if any.
   *
   * @throws HttpRequestException (400) if {@code name} is repeated
   */
  public Optional<String> single(String name) {
    List<String> list = values.get(name);
    if (list == null) {
      return Optional.empty();
    }
    if (list.size() > 1) {
      throw HttpRequestException.badRequest(
          name + ": given " + list.size() + " times; give it at most once");
    }
    return Optional.of(list.get(0));
  }

  /** Every value of {@code name}, in arrival order; empty if none. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** The parameter names, in arrival order. */
  public java.util.Set<String> names() {
    return values.keySet();
  }

  /** Whether there are no parameters. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  private static String decode(String text, String what) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      checkNoNul(text, what);
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw HttpRequestException.badRequest(
              what + ": a '%' must be followed by two hexadecimal digits");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        // Text an adapter already decoded: keep it as UTF-8, refusing a lone surrogate.
        int cp = text.codePointAt(i);
        if (Character.isSurrogate((char) cp)) {
          throw HttpRequestException.badRequest(what + ": holds an unpaired surrogate");
        }
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      throw HttpRequestException.badRequest(what + ": percent escapes that are not UTF-8");
    }
    checkNoNul(decoded, what);
    return decoded;
  }

  private static void checkNoNul(String text, String what) {
    if (text.indexOf('\0') >= 0) {
      throw HttpRequestException.badRequest(what + ": holds a NUL character");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Parameters that && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The names only; values may be passwords or tokens. */
  @Override
  public String toString() {
    return "Parameters" + values.keySet();
  }
}
