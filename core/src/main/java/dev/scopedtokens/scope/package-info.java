/**
 * Repository scopes, what each allows, and the registry token-protocol scopes.
 *
 * <p>{@link dev.scopedtokens.scope.Scope} is what a token carries; {@link
 * dev.scopedtokens.scope.AccessPolicy} decides what it may do on a repository, given the
 * repository's visibility and the owner's own access, and denies every account action; {@link
 * dev.scopedtokens.scope.RegistryScope} parses a registry token request's {@code
 * repository:name:pull,push} scopes and grants what was requested and is allowed.
 *
 * <p>Two decisions where the issue left a choice: anyone may pull a public repository, so every
 * scope pulls one whatever the owner's access (push and delete always need the owner's rights); and
 * {@code registry:catalog:*} is never granted to a token, as Docker Hub does not offer it to
 * personal access tokens.
 */
package dev.scopedtokens.scope;
