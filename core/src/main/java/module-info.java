/**
 * Scoped Tokens core: scoped access tokens modelled on Docker Hub's personal access tokens.
 *
 * <p>Start with {@code dev.scopedtokens.token.TokenService}.
 */
// argon2-jvm's module descriptor sits under META-INF/versions/11, which javac does not read when
// it resolves the module path, so it sees an automatic module of the same name.
@SuppressWarnings("requires-automatic")
module dev.scopedtokens.core {
  requires transitive com.fasterxml.jackson.annotation;
  requires de.mkammerer.argon2.nolibs;
  requires com.sun.jna;

  exports dev.scopedtokens.scope;
  exports dev.scopedtokens.token;
  exports dev.scopedtokens.plan;
  exports dev.scopedtokens.secret;
  exports dev.scopedtokens.store;
}
