package dev.scopedtokens.server.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An {@link AccountDirectory} read from a YAML file, in the shape operators know from the
 * registry's own {@code config.yml}: accounts with Argon2id password hashes and optional TOTP
 * secrets, and an ordered list of namespace rules.
 *
 * <pre>{@code
 * accounts:
 *   alice:
 *     password: "$argon2id$v=19$m=19456,t=2,p=1$..."   # java -jar ...-standalone.jar hash-password
 *     totp: JBSWY3DPEHPK3PXP                          # optional: the account has two-factor auth
 *   bob:
 *     password: "$argon2id$v=19$m=19456,t=2,p=1$..."
 * namespaces:
 *   - repositories: "team/*"      # * is one path segment, ** any number of them
 *     visibility: private         # private (default) or public
 *     owners: [alice]             # admin: pull, push, delete
 *     members: {bob: write}       # read, write or admin
 *   - repositories: "library/**"
 *     visibility: public
 *     owners: [alice]
 * catalog: [alice]                # who may list /v2/_catalog; nobody by default
 * }</pre>
 *
 * <p>The first rule whose pattern matches a repository decides its visibility and every account's
 * access to it; an account that the rule does not name has no access of its own (a public
 * repository can still be pulled by anyone), and a repository that no rule matches is {@link
 * RepositoryAccess#INACCESSIBLE}. Other top-level keys are ignored, so the directory can live in
 * the standalone server's own configuration file.
 *
 * <p>Passwords are checked with the given {@link SecretHasher} (Argon2id); an unknown account costs
 * the same hashing work as a wrong password. A TOTP code (RFC 6238: HMAC-SHA1, 30 s, 6 digits, one
 * step of tolerance either side) is good once: a code of a step at or before the last accepted one
 * is refused. The directory is immutable and thread-safe; its {@code toString} shows no hash or
 * secret.
 */
public final class FileAccountDirectory implements AccountDirectory {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
  private static final Pattern REPOSITORY_PATTERN =
      Pattern.compile("[a-z0-9*][a-z0-9._/*-]{0,254}(?:\\*\\*)?");

  private final Map<String, Entry> accounts;
  private final List<Rule> rules;
  private final Set<String> catalog;
  private final SecretHasher hasher;
  private final Clock clock;
  private final Map<String, Long> lastTotpStep = new ConcurrentHashMap<>();

  private FileAccountDirectory(
      Map<String, Entry> accounts,
      List<Rule> rules,
      Set<String> catalog,
      SecretHasher hasher,
      Clock clock) {
    this.accounts = accounts;
    this.rules = rules;
    this.catalog = catalog;
    this.hasher = hasher;
    this.clock = clock;
  }

  /**
   * Reads the directory from a YAML file.
   *
   * @param file the file
   * @param hasher checks passwords; must read the files' {@code $argon2id$} hashes
   * @param clock the time for TOTP codes
   * @throws IllegalArgumentException if the file cannot be read or is not a valid directory; the
   *     message names the file and the key (never a hash or a secret)
   */
  public static FileAccountDirectory load(Path file, SecretHasher hasher, Clock clock) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    try {
      return parse(text, hasher, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the directory from YAML text.
   *
   * @throws IllegalArgumentException if the text is not a valid directory; the message names the
   *     key (never a hash or a secret)
   */
  public static FileAccountDirectory parse(String yaml, SecretHasher hasher, Clock clock) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(hasher, "hasher");
    Objects.requireNonNull(clock, "clock");
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      // Jackson's message can quote the document; the location is enough.
      String where =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                  && p.getLocation() != null
              ? " at line " + p.getLocation().getLineNr()
              : "";
      throw new IllegalArgumentException("not valid YAML" + where, e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = new ObjectMapper().createObjectNode();
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("the document must be a mapping with accounts: and more");
    }
    Map<String, Entry> accounts = accounts(root.path("accounts"));
    List<Rule> rules = rules(root.path("namespaces"), accounts);
    Set<String> catalog = Set.copyOf(names(root.path("catalog"), "catalog", accounts));
    return new FileAccountDirectory(accounts, rules, catalog, hasher, clock);
  }

  @Override
  public Optional<Account> authenticate(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Entry entry = accounts.get(username);
    // An empty password cannot be wrapped; a one-character stand-in costs the same hashing work.
    TokenSecret presented = TokenSecret.of(password.isEmpty() ? "\0" : password);
    if (entry == null) {
      hasher.verifyDecoy(presented);
      return Optional.empty();
    }
    boolean good = hasher.verify(entry.passwordHash, presented) && !password.isEmpty();
    return good ? Optional.of(new Account(entry.name, entry.totpKey != null)) : Optional.empty();
  }

  @Override
  public boolean verifySecondFactor(Account account, String code) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(code, "code");
    Entry entry = accounts.get(account.name());
    if (entry == null || entry.totpKey == null) {
      return false;
    }
    OptionalLong matched = OneTimeCodes.matchingStep(entry.totpKey, code, clock.instant());
    if (matched.isEmpty()) {
      return false;
    }
    long step = matched.getAsLong();
    boolean[] fresh = {false};
    lastTotpStep.compute(
        entry.name,
        (name, last) -> {
          if (last != null && last >= step) {
            return last;
          }
          fresh[0] = true;
          return step;
        });
    return fresh[0];
  }

  @Override
  public RepositoryAccess repositoryAccess(Optional<String> account, String repository) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(repository, "repository");
    for (Rule rule : rules) {
      if (rule.pattern.matcher(repository).matches()) {
        OwnerAccess access =
            account
                .map(name -> rule.access.getOrDefault(name, OwnerAccess.NONE))
                .orElse(OwnerAccess.NONE);
        return RepositoryAccess.of(rule.visibility, access);
      }
    }
    return RepositoryAccess.INACCESSIBLE;
  }

  @Override
  public boolean mayListCatalog(String account) {
    return catalog.contains(account);
  }

  /** The number of accounts and rules; no names, hashes or secrets. */
  @Override
  public String toString() {
    return "FileAccountDirectory[" + accounts.size() + " accounts, " + rules.size() + " rules]";
  }

  private static Map<String, Entry> accounts(JsonNode node) {
    Map<String, Entry> accounts = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return accounts;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("accounts: must be a mapping of account names");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      String where = "accounts." + name;
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "accounts: an account name must be 1 to 255 letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit");
      }
      JsonNode account = field.getValue();
      if (!account.isObject()) {
        throw new IllegalArgumentException(where + ": must be a mapping with password:");
      }
      checkKeys(account, where, Set.of("password", "totp"));
      JsonNode password = account.path("password");
      if (!password.isTextual() || !password.asText().startsWith("$argon2id$")) {
        throw new IllegalArgumentException(
            where
                + ".password: must be an Argon2id PHC string ($argon2id$v=19$...); make one with"
                + " the hash-password command");
      }
      byte[] totpKey = null;
      JsonNode totp = account.path("totp");
      if (!totp.isMissingNode() && !totp.isNull()) {
        if (!totp.isTextual()) {
          throw new IllegalArgumentException(where + ".totp: must be a Base32 secret");
        }
        totpKey = totpKey(totp.asText(), where + ".totp");
      }
      accounts.put(name, new Entry(name, password.asText(), totpKey));
    }
    return accounts;
  }

  private static List<Rule> rules(JsonNode node, Map<String, Entry> accounts) {
    List<Rule> rules = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return rules;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("namespaces: must be a list of rules");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode rule = node.get(i);
      String where = "namespaces[" + i + "]";
      if (!rule.isObject()) {
        throw new IllegalArgumentException(where + ": must be a mapping with repositories:");
      }
      checkKeys(rule, where, Set.of("repositories", "visibility", "owners", "members"));
      JsonNode glob = rule.path("repositories");
      if (!glob.isTextual() || !REPOSITORY_PATTERN.matcher(glob.asText()).matches()) {
        throw new IllegalArgumentException(
            where
                + ".repositories: must be a repository name or pattern of lower-case letters,"
                + " digits, '.', '_', '-' and '/', where * is one path segment and ** any number");
      }
      RepositoryVisibility visibility =
          switch (rule.path("visibility").asText("private")) {
            case "private" -> RepositoryVisibility.PRIVATE;
            case "public" -> RepositoryVisibility.PUBLIC;
            default ->
                throw new IllegalArgumentException(
                    where + ".visibility: must be private or public");
          };
      Map<String, OwnerAccess> access = new LinkedHashMap<>();
      JsonNode members = rule.path("members");
      if (!members.isMissingNode() && !members.isNull()) {
        if (!members.isObject()) {
          throw new IllegalArgumentException(
              where + ".members: must map account names to read, write or admin");
        }
        for (Map.Entry<String, JsonNode> member : members.properties()) {
          known(member.getKey(), where + ".members", accounts);
          OwnerAccess right =
              switch (member.getValue().asText("").toLowerCase(Locale.ROOT)) {
                case "read" -> OwnerAccess.READ;
                case "write" -> OwnerAccess.WRITE;
                case "admin" -> OwnerAccess.ADMIN;
                default ->
                    throw new IllegalArgumentException(
                        where + ".members." + member.getKey() + ": must be read, write or admin");
              };
          access.put(member.getKey(), right);
        }
      }
      for (String owner : names(rule.path("owners"), where + ".owners", accounts)) {
        access.put(owner, OwnerAccess.ADMIN);
      }
      rules.add(new Rule(glob(glob.asText()), visibility, Map.copyOf(access)));
    }
    return List.copyOf(rules);
  }

  private static List<String> names(JsonNode node, String where, Map<String, Entry> accounts) {
    List<String> names = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return names;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ": must be a list of account names");
    }
    for (JsonNode name : node) {
      known(name.asText(""), where, accounts);
      names.add(name.asText());
    }
    return names;
  }

  private static void known(String name, String where, Map<String, Entry> accounts) {
    if (!accounts.containsKey(name)) {
      throw new IllegalArgumentException(
          where + ": names an account that accounts: does not define; define it there first");
    }
  }

  private static void checkKeys(JsonNode node, String where, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            where + ": unknown key " + key + "; allowed are " + String.join(", ", allowed));
      }
    }
  }

  /** {@code *} is one path segment (no {@code /}), {@code **} any number of segments. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else {
          regex.append("[^/]*");
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  /** Reads an account's TOTP secret: Base32, at least 80 bits as RFC 4226 requires. */
  private static byte[] totpKey(String base32, String where) {
    byte[] key = OneTimeCodes.fromBase32(base32, where);
    if (key.length < 10) {
      throw new IllegalArgumentException(
          where + ": must hold at least 80 bits (16 Base32 letters)");
    }
    return key;
  }

  /** An account; holds a hash and a key, so it is never printed. */
  private static final class Entry {
    final String name;
    final String passwordHash;
    final byte[] totpKey;

    Entry(String name, String passwordHash, byte[] totpKey) {
      this.name = name;
      this.passwordHash = passwordHash;
      this.totpKey = totpKey;
    }

    @Override
    public String toString() {
      return "Entry[" + name + "]";
    }
  }

  private record Rule(
      Pattern pattern, RepositoryVisibility visibility, Map<String, OwnerAccess> access) {}
}
