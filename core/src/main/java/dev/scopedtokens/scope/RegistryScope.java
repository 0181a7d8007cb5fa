package dev.scopedtokens.scope;

import dev.scopedtokens.internal.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A resource scope of the registry token protocol (the CNCF distribution spec and Docker's registry
 * token authentication): {@code <type>[(<class>)]:<name>:<action>[,<action>...]}, such as {@code
 * repository:team/app:pull,push}, {@code repository:localhost:5000/team/app:pull} or {@code
 * registry:catalog:*}.
 *
 * <p>Parsing follows the spec's grammar. The resource type is everything before the first {@code
 * ':'} and the actions everything after the last, so the name may carry a registry {@code
 * host[:port]/} prefix. A type may carry a resource class, as in {@code repository(plugin)}. For
 * the {@code repository} type the name must be a repository name: lowercase path components of
 * {@code [a-z0-9]} joined by {@code .}, {@code _}, {@code __} or dashes, separated by {@code /},
 * optionally after a registry host (letters, digits, dots and dashes, then an optional {@code
 * :port}), at most 255 characters. Actions are lowercase words or {@code *}; actions this library
 * does not know (anything but {@code pull}, {@code push}, {@code delete} and {@code *}) are kept
 * when parsing but are never granted. The actions are a set: duplicates collapse and they are kept
 * in a canonical order (pull, push, delete, {@code *}, then the others alphabetically), so {@link
 * #format()} of equal scopes is equal.
 *
 * <p>{@link #grant(Collection, Collection, Function)} answers a token request: what was requested,
 * intersected with what the token and its owner allow on each repository.
 *
 * <pre>{@code
 * List<RegistryScope> requested = RegistryScope.parseAll("repository:team/app:pull,push registry:catalog:*");
 * List<RegistryScope> granted = RegistryScope.grant(
 *     token.scopes(), requested, name -> repositories.accessOf(owner, name));
 * RegistryScope.formatAll(granted);   // "repository:team/app:pull" for a repo:read token
 * }</pre>
 *
 * @param resourceType the resource type, such as {@code repository} or {@code registry}
 * @param resourceClass the resource class, such as {@code plugin} in {@code repository(plugin)}
 * @param name the resource's name, such as {@code team/app} or {@code catalog}
 * @param actions the actions, unmodifiable and in canonical order
 */
public record RegistryScope(
    String resourceType, Optional<String> resourceClass, String name, Set<String> actions) {

  /** The resource type of a repository. */
  public static final String REPOSITORY = "repository";

  /** The resource type of the registry as a whole (its only resource is {@code catalog}). */
  public static final String REGISTRY = "registry";

  /** The action that stands for every action the token is allowed. */
  public static final String WILDCARD = "*";

  private static final int MAX_NAME_LENGTH = 255;
  private static final Pattern TYPE_VALUE = Pattern.compile("[a-z0-9]+");
  private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");
  private static final Pattern OTHER_NAME = Pattern.compile("[\\x21-\\x7e]+");
  private static final Pattern REPOSITORY_NAME;

  static {
    String alphaNumeric = "[a-z0-9]+";
    String component = alphaNumeric + "(?:(?:[._]|__|-+)" + alphaNumeric + ")*";
    String hostComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    String host = hostComponent + "(?:\\." + hostComponent + ")*(?::[0-9]+)?";
    REPOSITORY_NAME = Pattern.compile("(?:" + host + "/)?" + component + "(?:/" + component + ")*");
  }

  private static final List<String> ACTION_ORDER = List.of("pull", "push", "delete", WILDCARD);
  private static final Comparator<String> CANONICAL_ORDER =
      Comparator.<String>comparingInt(
              a -> ACTION_ORDER.contains(a) ? ACTION_ORDER.indexOf(a) : ACTION_ORDER.size())
          .thenComparing(Comparator.naturalOrder());

  // Declared after the patterns and the order it is checked with: static fields initialise in
  // order.
  /** Listing every repository of the registry: {@code registry:catalog:*}. Never granted. */
  public static final RegistryScope CATALOG =
      new RegistryScope(REGISTRY, Optional.empty(), "catalog", Set.of(WILDCARD));

  /**
   * Validates the components and puts the actions in canonical order.
   *
   * @param resourceType the resource type, one or more of {@code [a-z0-9]}
   * @param resourceClass the resource class, one or more of {@code [a-z0-9]}, if any
   * @param name a repository name for the {@code repository} type, else printable ASCII
   * @param actions at least one action: lowercase letters or {@code *}
   * @throws IllegalArgumentException naming the offending part and what is allowed
   */
  public RegistryScope {
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceClass, "resourceClass");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actions, "actions");
    actions = check("registry scope", resourceType, resourceClass, name, actions);
  }

  /**
   * Returns a scope without a resource class, validated as the canonical constructor does.
   *
   * @param resourceType the resource type, one or more of {@code [a-z0-9]}
   * @param name a repository name for the {@code repository} type, else printable ASCII
   * @param actions at least one action: lowercase letters or {@code *}
   */
  public RegistryScope(String resourceType, String name, Set<String> actions) {
    this(resourceType, Optional.empty(), name, actions);
  }

  /**
   * Returns a {@code repository} scope for these actions.
   *
   * @param name the repository name, such as {@code team/app} or {@code localhost:5000/app}
   * @param actions at least one action
   * @throws IllegalArgumentException when the name is not a repository name or no action is given
   */
  public static RegistryScope repository(String name, RegistryAction... actions) {
    Objects.requireNonNull(actions, "actions");
    return repository(name, Arrays.asList(actions));
  }

  /**
   * Returns a {@code repository} scope for these actions.
   *
   * @param name the repository name, such as {@code team/app} or {@code localhost:5000/app}
   * @param actions at least one action
   * @throws IllegalArgumentException when the name is not a repository name or no action is given
   */
  public static RegistryScope repository(String name, Collection<RegistryAction> actions) {
    Objects.requireNonNull(actions, "actions");
    Set<String> wire = new LinkedHashSet<>();
    for (RegistryAction action : actions) {
      wire.add(Objects.requireNonNull(action, "actions must not contain null").wireValue());
    }
    return new RegistryScope(REPOSITORY, Optional.empty(), name, wire);
  }

  /**
   * Parses one resource scope, such as {@code repository:localhost:5000/team/app:pull,push}.
   *
   * @param scope the wire form
   * @return the scope
   * @throws IllegalArgumentException naming the part that is malformed and what is allowed
   */
  public static RegistryScope parse(String scope) {
    Objects.requireNonNull(scope, "scope");
    String context = "registry scope " + Messages.quote(scope);
    int first = scope.indexOf(':');
    int last = scope.lastIndexOf(':');
    if (first < 0 || first == last) {
      throw new IllegalArgumentException(
          context + ": expected <type>:<name>:<actions>, such as repository:team/app:pull,push");
    }
    String type = scope.substring(0, first);
    Optional<String> resourceClass = Optional.empty();
    int open = type.indexOf('(');
    if (open >= 0) {
      if (!type.endsWith(")") || open == 0) {
        throw new IllegalArgumentException(
            context
                + ": resource type "
                + Messages.quote(type)
                + " must be <type> or <type>(<class>), such as repository(plugin)");
      }
      resourceClass = Optional.of(type.substring(open + 1, type.length() - 1));
      type = type.substring(0, open);
    }
    String name = scope.substring(first + 1, last);
    // split with a negative limit keeps empty actions, so "pull," is reported rather than ignored
    List<String> actions = Arrays.asList(scope.substring(last + 1).split(",", -1));
    Set<String> checked = check(context, type, resourceClass, name, actions);
    return new RegistryScope(type, resourceClass, name, checked);
  }

  /**
   * Parses a space-separated list of resource scopes, as a token request's {@code scope} parameter
   * carries them. Runs of spaces and leading or trailing spaces are ignored; a blank string is an
   * empty list.
   *
   * @param spaceSeparated the wire forms, separated by spaces
   * @return the scopes in the order given, unmodifiable
   * @throws IllegalArgumentException naming the scope that is malformed and what is wrong with it
   */
  public static List<RegistryScope> parseAll(String spaceSeparated) {
    Objects.requireNonNull(spaceSeparated, "spaceSeparated");
    List<RegistryScope> scopes = new ArrayList<>();
    for (String part : spaceSeparated.split(" ")) {
      if (!part.isEmpty()) {
        scopes.add(parse(part));
      }
    }
    return List.copyOf(scopes);
  }

  /** Returns the wire form, such as {@code repository:team/app:pull,push}. */
  public String format() {
    StringBuilder out = new StringBuilder(resourceType);
    resourceClass.ifPresent(c -> out.append('(').append(c).append(')'));
    return out.append(':').append(name).append(':').append(String.join(",", actions)).toString();
  }

  /**
   * Returns the scopes' wire forms separated by single spaces, as a token request carries them;
   * empty for no scopes.
   *
   * @param scopes the scopes
   */
  public static String formatAll(Collection<RegistryScope> scopes) {
    Objects.requireNonNull(scopes, "scopes");
    return scopes.stream().map(RegistryScope::format).collect(Collectors.joining(" "));
  }

  /**
   * Returns whether this scope is about a repository: its resource type is {@code repository},
   * whatever the resource class.
   */
  public boolean isRepository() {
    return REPOSITORY.equals(resourceType);
  }

  /**
   * Returns the registry actions this scope names, with {@code *} standing for all of them; empty
   * for a scope that is not about a repository. Actions this library does not know are left out.
   * Unmodifiable.
   */
  public Set<RegistryAction> registryActions() {
    if (!isRepository()) {
      return Set.of();
    }
    if (actions.contains(WILDCARD)) {
      return Collections.unmodifiableSet(EnumSet.allOf(RegistryAction.class));
    }
    EnumSet<RegistryAction> known = EnumSet.noneOf(RegistryAction.class);
    for (String action : actions) {
      RegistryAction.find(action).ifPresent(known::add);
    }
    return Collections.unmodifiableSet(known);
  }

  /**
   * Returns what a token may have of the requested scopes: for each requested repository, the
   * requested actions ({@code *} meaning all) intersected with those {@link AccessPolicy} allows
   * the token on it. Unmodifiable.
   *
   * <ul>
   *   <li>Requesting more than is allowed is not an error: the grant is the subset allowed.
   *   <li>A repository where nothing requested is allowed gets no entry, as registries do.
   *   <li>Several requests for one repository (same resource class) merge into one entry.
   *   <li>Granted entries name only {@code pull}, {@code push} and {@code delete}, in canonical
   *       order, never {@code *} and never an unknown action; entries keep the order in which their
   *       repositories were first requested.
   *   <li>Resources other than repositories are never granted, {@link #CATALOG} included: listing
   *       the catalog reads the whole registry, beyond any one account, and Docker Hub does not
   *       offer it to personal access tokens. A registry that wants to offer it decides so itself.
   * </ul>
   *
   * @param tokenScopes the token's scopes
   * @param requested the scopes the client asked for
   * @param repositories tells, for a repository name exactly as requested (host prefix included),
   *     its visibility and the owner's access; asked at most once per name. Answer {@link
   *     RepositoryAccess#INACCESSIBLE} for a repository that does not exist or the owner cannot see
   * @throws NullPointerException when {@code repositories} answers null
   */
  public static List<RegistryScope> grant(
      Collection<Scope> tokenScopes,
      Collection<RegistryScope> requested,
      Function<String, RepositoryAccess> repositories) {
    Objects.requireNonNull(tokenScopes, "tokenScopes");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(repositories, "repositories");
    Map<String, Set<RegistryAction>> allowedByName = new HashMap<>();
    Map<Resource, EnumSet<RegistryAction>> granted = new LinkedHashMap<>();
    for (RegistryScope request : requested) {
      Objects.requireNonNull(request, "requested must not contain null");
      if (!request.isRepository()) {
        continue;
      }
      Set<RegistryAction> allowed =
          allowedByName.computeIfAbsent(
              request.name(),
              n -> {
                RepositoryAccess access =
                    Objects.requireNonNull(
                        repositories.apply(n),
                        () ->
                            "repositories answered null for "
                                + Messages.quote(n)
                                + "; answer RepositoryAccess.INACCESSIBLE for a repository the"
                                + " owner cannot reach");
                return AccessPolicy.allowedActions(tokenScopes, access);
              });
      EnumSet<RegistryAction> actions = EnumSet.noneOf(RegistryAction.class);
      actions.addAll(request.registryActions());
      actions.retainAll(allowed);
      if (!actions.isEmpty()) {
        granted
            .computeIfAbsent(
                new Resource(request.resourceClass(), request.name()),
                k -> EnumSet.noneOf(RegistryAction.class))
            .addAll(actions);
      }
    }
    List<RegistryScope> result = new ArrayList<>(granted.size());
    granted.forEach(
        (resource, actions) ->
            result.add(
                new RegistryScope(
                    REPOSITORY,
                    resource.resourceClass(),
                    resource.name(),
                    actions.stream().map(RegistryAction::wireValue).collect(Collectors.toSet()))));
    return Collections.unmodifiableList(result);
  }

  /** Returns the {@linkplain #format() wire form}. */
  @Override
  public String toString() {
    return format();
  }

  /** A repository as a grant merges requests for it: by resource class and name. */
  private record Resource(Optional<String> resourceClass, String name) {}

  /** Validates every part and returns the actions as an unmodifiable set in canonical order. */
  private static Set<String> check(
      String context,
      String type,
      Optional<String> resourceClass,
      String name,
      Collection<String> actions) {
    if (!TYPE_VALUE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          context
              + ": resource type "
              + Messages.quote(type)
              + " must be one or more of [a-z0-9], such as repository or registry");
    }
    resourceClass.ifPresent(
        c -> {
          if (!TYPE_VALUE.matcher(c).matches()) {
            throw new IllegalArgumentException(
                context
                    + ": resource class "
                    + Messages.quote(c)
                    + " must be one or more of [a-z0-9], such as plugin");
          }
        });
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          context
              + ": resource name "
              + Messages.quote(name)
              + " must be 1 to "
              + MAX_NAME_LENGTH
              + " characters long");
    }
    if (REPOSITORY.equals(type)) {
      if (!REPOSITORY_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            context
                + ": "
                + Messages.quote(name)
                + " is not a repository name; use lowercase path components of [a-z0-9] joined by"
                + " '.', '_', '__' or '-', separated by '/', optionally after a registry"
                + " host[:port]/, such as team/app or localhost:5000/team/app");
      }
    } else if (!OTHER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          context
              + ": resource name "
              + Messages.quote(name)
              + " must be printable ASCII without spaces");
    }
    if (actions.isEmpty()) {
      throw new IllegalArgumentException(
          context + ": must name at least one action, such as pull, push, delete or *");
    }
    Set<String> sorted = new TreeSet<>(CANONICAL_ORDER);
    for (String action : actions) {
      Objects.requireNonNull(action, "actions must not contain null");
      if (!ACTION.matcher(action).matches()) {
        throw new IllegalArgumentException(
            context
                + ": action "
                + Messages.quote(action)
                + " must be lowercase letters or *, such as pull, push, delete or *");
      }
      sorted.add(action);
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(sorted));
  }
}
