package dev.scopedtokens.store;

import dev.scopedtokens.internal.TokenRules;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import dev.scopedtokens.token.TokenStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The embedded {@link TokenStore}: thread-safe, in memory, lost when the process ends.
 *
 * <p>Each account is locked on its own, so changes to one account are serialized and changes to
 * different accounts run in parallel. A global index from lookup key to token answers {@link
 * #findByLookupKey} without taking any lock. Tokens are kept in a compact form (absent instants as
 * null, scopes as a bit set) and turned into {@link StoredToken}s on read, so a million tokens fit
 * in well under a kilobyte each. {@link #list} sorts the account's tokens on each call, which is
 * cheap for the tens of tokens an account holds.
 *
 * <p>It has a {@linkplain #changeFeed() change feed}, so several services over one store behave as
 * the nodes of a service over a shared database do, and multi-node behaviour can be tested without
 * one.
 *
 * <pre>{@code
 * TokenService service = TokenService.builder().store(new InMemoryTokenStore()).build();
 * }</pre>
 */
public final class InMemoryTokenStore implements TokenStore {
  private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<LookupKey, Entry> byLookupKey = new ConcurrentHashMap<>();
  private final LocalChangeFeed feed = new LocalChangeFeed();

  /** Returns an empty store. */
  public InMemoryTokenStore() {}

  @Override
  public Optional<StoredToken> find(String owner, UUID id) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(id, "id");
    Account account = accounts.get(owner);
    if (account == null) {
      return Optional.empty();
    }
    synchronized (account) {
      Entry entry = account.tokens.get(id);
      return entry == null ? Optional.empty() : Optional.of(entry.toStored());
    }
  }

  @Override
  public Optional<StoredToken> findByLookupKey(LookupKey lookupKey) {
    Objects.requireNonNull(lookupKey, "lookupKey");
    // Entries are immutable and replaced whole, so the index can be read without a lock.
    Entry entry = byLookupKey.get(lookupKey);
    return entry == null ? Optional.empty() : Optional.of(entry.toStored());
  }

  @Override
  public AccountPage list(String owner, long offset, int limit, Instant now) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    if (offset < 0) {
      throw new IllegalArgumentException("offset: " + offset + "; must be 0 or more");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + "; must be 1 or more");
    }
    Account account = accounts.get(owner);
    if (account == null) {
      return new AccountPage(List.of(), 0, 0);
    }
    List<Entry> entries;
    synchronized (account) {
      entries = new ArrayList<>(account.tokens.values());
    }
    long active = entries.stream().filter(e -> e.isActiveAt(now)).count();
    entries.sort(Entry.NEWEST_FIRST);
    List<StoredToken> page = new ArrayList<>();
    for (long i = offset; i < entries.size() && page.size() < limit; i++) {
      page.add(entries.get((int) i).toStored());
    }
    return new AccountPage(page, entries.size(), active);
  }

  @Override
  public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(change, "change");
    AccountChange<R> committed = applyAtomically(owner, change);
    // Outside the account's lock, so a slow subscriber holds up no other change of the account,
    // and before returning, so a change is known to every service when its caller goes on.
    feed.publish(committed);
    return committed.result();
  }

  /**
   * {@inheritDoc}
   *
   * <p>This store's feed is always healthy and delivers each change on the committing thread before
   * {@code update} returns: several services over one store see each other's changes at once.
   */
  @Override
  public Optional<TokenChangeFeed> changeFeed() {
    return Optional.of(feed);
  }

  private <R> AccountChange<R> applyAtomically(
      String owner, Function<AccountSnapshot, AccountChange<R>> change) {
    while (true) {
      Account account = accounts.computeIfAbsent(owner, Account::new);
      synchronized (account) {
        if (account.retired) {
          continue; // emptied and unmapped while we waited for its lock; take the new one
        }
        try {
          Snapshot snapshot = new Snapshot(account);
          AccountChange<R> decided;
          try {
            decided = Objects.requireNonNull(change.apply(snapshot), "change returned null");
          } finally {
            snapshot.open = false;
          }
          checkConsistent(account, decided);
          apply(account, decided);
          return decided;
        } finally {
          if (account.tokens.isEmpty()) {
            // Keep no trace of accounts without tokens; a waiter sees `retired` and retries.
            account.retired = true;
            accounts.remove(owner, account);
          }
        }
      }
    }
  }

  @Override
  public boolean recordLastUse(String owner, UUID id, Instant usedAt) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(usedAt, "usedAt");
    Account account = accounts.get(owner);
    if (account == null) {
      return false;
    }
    synchronized (account) {
      Entry entry = account.tokens.get(id);
      if (entry == null) {
        return false;
      }
      if (entry.lastUsedAt == null || entry.lastUsedAt.isBefore(usedAt)) {
        Entry used = entry.withLastUsedAt(usedAt);
        account.tokens.put(id, used);
        byLookupKey.put(used.lookupKey, used);
      }
      return true;
    }
  }

  private void checkConsistent(Account account, AccountChange<?> change) {
    Set<LookupKey> inserted = new HashSet<>();
    for (StoredToken put : change.puts()) {
      AccessToken token = put.token();
      if (!token.owner().equals(account.owner)) {
        throw new IllegalArgumentException(
            "puts: token " + token.id() + " belongs to another account than the one updated");
      }
      Entry existing = account.tokens.get(token.id());
      if (existing != null) {
        if (!existing.lookupKey.equals(put.lookupKey())) {
          throw new IllegalArgumentException(
              "puts: token "
                  + token.id()
                  + " carries another lookup key; a lookup key never changes");
        }
      } else if (byLookupKey.containsKey(put.lookupKey()) || !inserted.add(put.lookupKey())) {
        throw new IllegalArgumentException(
            "puts: token " + token.id() + " has a lookup key another token already has");
      }
    }
    for (UUID delete : change.deletes()) {
      if (!account.tokens.containsKey(delete)) {
        throw new IllegalArgumentException(
            "deletes: the account holds no token "
                + delete
                + "; only its own tokens can be deleted");
      }
    }
  }

  private void apply(Account account, AccountChange<?> change) {
    for (UUID delete : change.deletes()) {
      Entry removed = account.tokens.remove(delete);
      byLookupKey.remove(removed.lookupKey, removed);
    }
    for (StoredToken put : change.puts()) {
      Entry entry = Entry.of(account.owner, put);
      account.tokens.put(entry.id, entry);
      byLookupKey.put(entry.lookupKey, entry);
    }
  }

  /** One account's tokens; guarded by its own monitor. */
  private static final class Account {
    final String owner;
    final Map<UUID, Entry> tokens = new HashMap<>(4);
    boolean retired;

    Account(String owner) {
      this.owner = owner;
    }
  }

  /** The view {@link #update} hands to its function; refuses use after the call. */
  private static final class Snapshot implements AccountSnapshot {
    private final Account account;
    boolean open = true;

    Snapshot(Account account) {
      this.account = account;
    }

    @Override
    public String owner() {
      return account.owner;
    }

    @Override
    public Optional<StoredToken> find(UUID id) {
      Objects.requireNonNull(id, "id");
      checkOpen();
      Entry entry = account.tokens.get(id);
      return entry == null ? Optional.empty() : Optional.of(entry.toStored());
    }

    @Override
    public long count(TokenOrigin origin) {
      Objects.requireNonNull(origin, "origin");
      checkOpen();
      return account.tokens.values().stream().filter(e -> e.origin == origin).count();
    }

    @Override
    public List<StoredToken> tokens(TokenOrigin origin) {
      Objects.requireNonNull(origin, "origin");
      checkOpen();
      List<Entry> entries = new ArrayList<>();
      for (Entry entry : account.tokens.values()) {
        if (entry.origin == origin) {
          entries.add(entry);
        }
      }
      entries.sort(Entry.NEWEST_FIRST);
      List<StoredToken> tokens = new ArrayList<>(entries.size());
      entries.forEach(e -> tokens.add(e.toStored()));
      return Collections.unmodifiableList(tokens);
    }

    private void checkOpen() {
      if (!open) {
        throw new IllegalStateException("an account snapshot is valid only during update");
      }
    }
  }

  /**
   * A token in its compact, immutable stored form: absent instants are null rather than Optional,
   * scopes a bit set, the owner shared with the account.
   */
  private static final class Entry {
    static final Comparator<Entry> NEWEST_FIRST =
        Comparator.<Entry, Instant>comparing(e -> e.createdAt)
            .thenComparing(e -> e.id, ID_ORDER)
            .reversed();

    private static final Scope[] SCOPES = Scope.values();

    final UUID id;
    final String owner;
    final String label;
    final byte scopeBits;
    final TokenOrigin origin;
    final boolean active;
    final Instant createdAt;
    final Instant lastUsedAt;
    final Instant expiresAt;
    final Instant revokedAt;
    final ClientInfo client;
    final LookupKey lookupKey;
    final String encodedHash;

    private Entry(
        UUID id,
        String owner,
        String label,
        byte scopeBits,
        TokenOrigin origin,
        boolean active,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        Instant revokedAt,
        ClientInfo client,
        LookupKey lookupKey,
        String encodedHash) {
      this.id = id;
      this.owner = owner;
      this.label = label;
      this.scopeBits = scopeBits;
      this.origin = origin;
      this.active = active;
      this.createdAt = createdAt;
      this.lastUsedAt = lastUsedAt;
      this.expiresAt = expiresAt;
      this.revokedAt = revokedAt;
      this.client = client;
      this.lookupKey = lookupKey;
      this.encodedHash = encodedHash;
    }

    static Entry of(String sharedOwner, StoredToken stored) {
      AccessToken t = stored.token();
      int bits = 0;
      for (Scope scope : t.scopes()) {
        bits |= 1 << scope.ordinal();
      }
      return new Entry(
          t.id(),
          sharedOwner,
          t.label(),
          (byte) bits,
          t.origin(),
          t.active(),
          t.createdAt(),
          t.lastUsedAt().orElse(null),
          t.expiresAt().orElse(null),
          t.revokedAt().orElse(null),
          t.client(),
          stored.lookupKey(),
          stored.encodedHash());
    }

    Entry withLastUsedAt(Instant usedAt) {
      return new Entry(
          id,
          owner,
          label,
          scopeBits,
          origin,
          active,
          createdAt,
          usedAt,
          expiresAt,
          revokedAt,
          client,
          lookupKey,
          encodedHash);
    }

    /** Whether the token is active at {@code now}: the status rule, without building a token. */
    boolean isActiveAt(Instant now) {
      return TokenRules.status(active, expiresAt, revokedAt, now) == TokenStatus.ACTIVE;
    }

    StoredToken toStored() {
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (Scope scope : SCOPES) {
        if ((scopeBits & (1 << scope.ordinal())) != 0) {
          scopes.add(scope);
        }
      }
      AccessToken token =
          new AccessToken(
              id,
              owner,
              label,
              scopes,
              origin,
              active,
              createdAt,
              Optional.ofNullable(lastUsedAt),
              Optional.ofNullable(expiresAt),
              Optional.ofNullable(revokedAt),
              client);
      return StoredToken.of(token, lookupKey, encodedHash);
    }
  }
}
