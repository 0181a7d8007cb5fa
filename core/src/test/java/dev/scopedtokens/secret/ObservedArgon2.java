package dev.scopedtokens.secret;

import de.mkammerer.argon2.Argon2Advanced;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the real argon2-jvm binding and watches the calls that run Argon2 in native code ({@code
 * hashAdvanced} for hashing, {@code rawHashAdvanced} for verifying): how many, with which
 * parameters, and how many at once. It can hold every call inside until released, which lets a test
 * fill the hasher's slots deterministically.
 */
final class ObservedArgon2 implements InvocationHandler {
  private static final List<String> NATIVE_CALLS = List.of("hashAdvanced", "rawHashAdvanced");

  private final Argon2Advanced real;
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger maxInside = new AtomicInteger();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;

  ObservedArgon2(Argon2Advanced real) {
    this.real = real;
  }

  /** Returns the binding to hand to {@link Argon2idHasher.Builder}. */
  Argon2Advanced binding() {
    return (Argon2Advanced)
        Proxy.newProxyInstance(
            Argon2Advanced.class.getClassLoader(), new Class<?>[] {Argon2Advanced.class}, this);
  }

  /**
   * From now on, every native call counts down {@code entered} once inside and then waits for
   * {@code release}.
   */
  void holdCalls(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
  }

  /** Native calls so far, each as {@code name(t=…, m=…, p=…)}. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  /** Native calls in progress now. */
  int inside() {
    return inside.get();
  }

  /** The most native calls ever in progress at once. */
  int maxInside() {
    return maxInside.get();
  }

  /** Forgets the calls so far (for instance the decoy hash made at construction). */
  void clearCalls() {
    calls.clear();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (!NATIVE_CALLS.contains(method.getName())) {
      return forward(method, args);
    }
    // argon2-jvm's order: iterations, memory, parallelism.
    calls.add(method.getName() + "(t=" + args[0] + ", m=" + args[1] + ", p=" + args[2] + ")");
    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    try {
      CountDownLatch held = release;
      if (held != null) {
        entered.countDown();
        held.await();
      }
      return forward(method, args);
    } finally {
      inside.decrementAndGet();
    }
  }

  private Object forward(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
