package dev.scopedtokens.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the journal masks, in one place; see {@link RecordedRequest} for the rules. */
final class Masking {
  static final String MASK = "***";

  /** Schemes shown in a masked {@code Authorization} header: fixed words, never client text. */
  private static final Set<String> SCHEMES = Set.of("Basic", "Bearer", "JWT", "Token", "Digest");

  /** Long runs of the characters tokens, JWTs, keys and hashes are written in. */
  private static final Pattern SECRET_LIKE = Pattern.compile("[A-Za-z0-9_\\-+/=.~%]{32,}");

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Field, parameter and header names whose values are always masked. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i)(.*[-_])?(pass(word)?|secret|code|((access|refresh|identity|login_2fa|id)_)?token"
              + "|jwt|t?otp|(api_?)?key|session|cookie|authorization)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> passwords;

  /** A masking that also masks every password in {@code passwords}, a live view. */
  Masking(Set<String> passwords) {
    this.passwords = Objects.requireNonNull(passwords, "passwords");
  }

  /** An {@code Authorization} value: a well-known scheme and {@code ***}, or {@code ***}. */
  static String authorization(String value) {
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    for (String known : SCHEMES) {
      if (known.equalsIgnoreCase(scheme)) {
        return known + " " + MASK;
      }
    }
    return MASK;
  }

  /** A header value: wholly masked when the name sounds secret, otherwise masked within. */
  String header(String name, String value) {
    if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")) {
      return authorization(value);
    }
    return SECRET_NAME.matcher(name).matches() ? MASK : text(value);
  }

  /** A query string or form: the values of secret-sounding names wholly, the rest within. */
  String query(String query) {
    StringBuilder out = new StringBuilder(query.length());
    for (String pair : query.split("&", -1)) {
      if (out.length() > 0 || query.startsWith("&")) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && SECRET_NAME.matcher(name).matches()) {
        out.append(text(name)).append('=').append(MASK);
      } else {
        out.append(text(pair));
      }
    }
    return out.toString();
  }

  /** A body: JSON with its secret-named fields masked, or any other text masked within. */
  String body(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JsonNode tree = JSON.readTree(text);
        if (tree != null && tree.isContainerNode()) {
          return JSON.writeValueAsString(json(tree));
        }
      } catch (java.io.IOException notJson) {
        // Masked as text below.
      }
    }
    return text(text);
  }

  /**
   * Free text: tokens, JWTs, long random-looking strings and known passwords become {@code ***}.
   */
  String text(String text) {
    String masked = text;
    for (String password : passwords) {
      if (!password.isEmpty() && masked.contains(password)) {
        masked = masked.replace(password, MASK);
      }
    }
    Matcher m = SECRET_LIKE.matcher(masked);
    StringBuilder out = new StringBuilder(masked.length());
    while (m.find()) {
      m.appendReplacement(out, UUID.matcher(m.group()).matches() ? "$0" : MASK);
    }
    m.appendTail(out);
    return out.toString();
  }

  private JsonNode json(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        field.setValue(
            SECRET_NAME.matcher(field.getKey()).matches() && !field.getValue().isContainerNode()
                ? TextNode.valueOf(MASK)
                : json(field.getValue()));
      }
      return object;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, json(array.get(i)));
      }
      return array;
    }
    return node.isTextual() ? TextNode.valueOf(text(node.asText())) : node;
  }

  /** {@code text} cut to {@code max} characters, after masking. */
  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }

  /** Lower-case, for comparisons of header names. */
  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
