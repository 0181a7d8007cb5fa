package dev.scopedtokens.token;

import dev.scopedtokens.scope.Scope;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Something that happened to a token, as a {@link TokenEventListener} receives it: metadata only,
 * never a secret or a hash. Events are delivered after the change is committed.
 */
public sealed interface TokenEvent {

  /** Returns when it happened, by the service's clock. */
  Instant at();

  /**
   * Returns the account concerned. For {@link Rejected} it is the owner of the token when the
   * presented token was found, otherwise the account name the client presented, otherwise empty.
   */
  String owner();

  /**
   * An event about one token the service holds: every event but {@link Rejected}, which may concern
   * a token that does not exist.
   *
   * <pre>{@code
   * if (event instanceof TokenEvent.OfToken about) {
   *   audit.record(about.token().id(), event);
   * }
   * }</pre>
   */
  sealed interface OfToken extends TokenEvent
      permits Created,
          Renamed,
          ScopesChanged,
          Activated,
          Deactivated,
          Revoked,
          Deleted,
          Evicted,
          Used {

    /** Returns the token's metadata as it is after the event (as it was, for one removed). */
    AccessToken token();

    /** Returns the token's owner. */
    @Override
    default String owner() {
      return token().owner();
    }
  }

  /**
   * A token was issued, manual or auto-generated.
   *
   * @param at when
   * @param token the new token
   */
  record Created(Instant at, AccessToken token) implements OfToken {
    /** Validates the components. */
    public Created {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * A token's label changed.
   *
   * @param at when
   * @param token the token after the change
   * @param previousLabel the label before
   */
  record Renamed(Instant at, AccessToken token, String previousLabel) implements OfToken {
    /** Validates the components. */
    public Renamed {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(previousLabel, "previousLabel");
    }
  }

  /**
   * A token's scopes changed.
   *
   * @param at when
   * @param token the token after the change
   * @param previousScopes the scopes before
   */
  record ScopesChanged(Instant at, AccessToken token, Set<Scope> previousScopes)
      implements OfToken {
    /** Validates the components and copies {@code previousScopes}. */
    public ScopesChanged {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(previousScopes, "previousScopes");
      previousScopes = Collections.unmodifiableSet(EnumSet.copyOf(previousScopes));
    }
  }

  /**
   * An inactive token was activated.
   *
   * @param at when
   * @param token the token after the change
   */
  record Activated(Instant at, AccessToken token) implements OfToken {
    /** Validates the components. */
    public Activated {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * An active token was deactivated.
   *
   * @param at when
   * @param token the token after the change
   */
  record Deactivated(Instant at, AccessToken token) implements OfToken {
    /** Validates the components. */
    public Deactivated {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * A token was revoked, irreversibly.
   *
   * @param at when
   * @param token the token after the change
   */
  record Revoked(Instant at, AccessToken token) implements OfToken {
    /** Validates the components. */
    public Revoked {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * A token was deleted by its owner.
   *
   * @param at when
   * @param token the token as it was
   */
  record Deleted(Instant at, AccessToken token) implements OfToken {
    /** Validates the components. */
    public Deleted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * An auto-generated token was deleted to make room for a new one, the account being at its plan's
   * cap.
   *
   * @param at when
   * @param token the evicted token as it was, with the newest last use the service knew
   * @param replacedBy the id of the auto-generated token issued in its place
   */
  record Evicted(Instant at, AccessToken token, UUID replacedBy) implements OfToken {
    /** Validates the components. */
    public Evicted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(replacedBy, "replacedBy");
    }
  }

  /**
   * A token was verified successfully.
   *
   * @param at when
   * @param token the token, with its last use set to {@code at}
   */
  record Used(Instant at, AccessToken token) implements OfToken {
    /** Validates the components. */
    public Used {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * A presented token was rejected.
   *
   * @param at when
   * @param reason why, for logs and metrics
   * @param tokenId the id of the token found by the presented token's lookup key, when one was
   * @param account the owner of that token when one was found, otherwise the account name the
   *     client presented, if any; a presented name is left out unless it is a valid owner (not
   *     blank, at most 255 characters, no control characters, no token in it), so that neither a
   *     secret (a client that swapped user name and token) nor a forged log line reaches a log
   */
  record Rejected(
      Instant at, RejectionReason reason, Optional<UUID> tokenId, Optional<String> account)
      implements TokenEvent {
    /** Validates the components. */
    public Rejected {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(account, "account");
    }

    /** Returns the {@link #account()}, or the empty string when it is not known. */
    @Override
    public String owner() {
      return account.orElse("");
    }
  }
}
