/**
 * Scoped Tokens core: scoped access tokens modelled on Docker Hub's personal access tokens.
 *
 * <p>Start with {@code dev.scopedtokens.token.TokenService}.
 */
// "requires-automatic": argon2-jvm's module descriptor sits under META-INF/versions/11, which javac
// does not read when it resolves the module path, so it sees an automatic module of the same name.
// "module": the qualified export below names the modules built after core, which javac cannot see
// while it compiles core and would warn about; the JVM checks nothing here, and a name that matches
// no module exports to nobody. javac honours this suppression on the module declaration.
@SuppressWarnings({"requires-automatic", "module"})
module dev.scopedtokens.core {
  requires de.mkammerer.argon2.nolibs;
  requires com.sun.jna;

  exports dev.scopedtokens.scope;
  exports dev.scopedtokens.token;
  exports dev.scopedtokens.plan;
  exports dev.scopedtokens.secret;
  exports dev.scopedtokens.store;
  // Shared rules and message text for the project's own modules only; not API.
  exports dev.scopedtokens.internal to
      dev.scopedtokens.client,
      dev.scopedtokens.server,
      dev.scopedtokens.testkit;
}
