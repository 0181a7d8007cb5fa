package dev.scopedtokens.token;

import java.util.List;

/** The service's listeners: each event goes to each, in order; one that throws is logged. */
final class Listeners {
  private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

  private final List<TokenEventListener> listeners;

  Listeners(List<TokenEventListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Hands {@code event} to every listener; call after the change it describes is committed. */
  void emit(TokenEvent event) {
    for (TokenEventListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            () ->
                "token event listener "
                    + listener.getClass().getName()
                    + " failed on "
                    + event.getClass().getSimpleName()
                    + " for account "
                    + event.owner(),
            e);
      }
    }
  }
}
