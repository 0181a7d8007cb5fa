package dev.scopedtokens.scope;

import dev.scopedtokens.internal.Messages;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a client may do to a repository through the registry: the actions of the registry token
 * protocol's {@code repository:<name>:<actions>} scopes.
 */
public enum RegistryAction {
  /** Read manifests and blobs. */
  PULL("pull"),
  /** Upload blobs and manifests, create tags. */
  PUSH("push"),
  /** Delete manifests, tags and the repository's content. */
  DELETE("delete");

  private static final String VALID_VALUES =
      Arrays.stream(values()).map(RegistryAction::wireValue).collect(Collectors.joining(", "));

  private final String wireValue;

  RegistryAction(String wireValue) {
    this.wireValue = wireValue;
  }

  /** Returns the value used in registry scopes, such as {@code pull}. */
  public String wireValue() {
    return wireValue;
  }

  /**
   * Parses a wire value exactly (case and whitespace matter).
   *
   * @param wireValue the value, such as {@code pull}
   * @return the action
   * @throws IllegalArgumentException naming the value and listing the valid ones
   */
  public static RegistryAction parse(String wireValue) {
    return find(wireValue)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "registry action: unknown value "
                        + Messages.quote(wireValue)
                        + "; valid values are "
                        + VALID_VALUES));
  }

  /**
   * Looks a wire value up exactly.
   *
   * @param wireValue the value, such as {@code pull}; may be null
   * @return the action with this exact wire value, or empty when there is none
   */
  public static Optional<RegistryAction> find(String wireValue) {
    for (RegistryAction action : values()) {
      if (action.wireValue.equals(wireValue)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }
}
