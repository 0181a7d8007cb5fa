package dev.scopedtokens.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server rejected the request as invalid (400). Docker Hub names the fields it rejected: {@code
 * {"fields": {"token_label": ["..."]}, "text": "..."}}.
 */
public final class HubBadRequestException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * The server's messages by field name. Transient because {@code Map} is not {@code Serializable};
   * a deserialized copy answers an empty map.
   */
  private final transient Map<String, List<String>> fieldErrors;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param serverMessage the server's explanation, if any
   * @param fieldErrors the server's messages by field name, in the order it sent them
   * @param attempts the requests the call sent
   */
  HubBadRequestException(
      String message,
      Optional<String> serverMessage,
      Map<String, List<String>> fieldErrors,
      int attempts) {
    super(message, 400, serverMessage, attempts, null);
    Objects.requireNonNull(fieldErrors, "fieldErrors");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    fieldErrors.forEach((field, errors) -> copy.put(field, List.copyOf(errors)));
    this.fieldErrors = Collections.unmodifiableMap(copy);
  }

  /**
   * The server's messages by field name (such as {@code token_label}); may be empty.
   *
   * @return an unmodifiable map in the server's order
   */
  public Map<String, List<String>> fieldErrors() {
    return fieldErrors == null ? Map.of() : fieldErrors;
  }
}
