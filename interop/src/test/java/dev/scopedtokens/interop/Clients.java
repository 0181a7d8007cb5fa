package dev.scopedtokens.interop;

import static dev.scopedtokens.interop.Processes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real docker, podman and skopeo against one registry on loopback, over plain HTTP. Every login
 * writes a credentials file of its own, and podman keeps its images in scratch storage of its own,
 * deleted on {@link #close()}, so runs share nothing with each other or with the machine.
 */
final class Clients implements AutoCloseable {
  private final Path work;
  private final String registryHost;
  private final Path podmanDir;
  private final List<String> podman;
  private final AtomicInteger counter = new AtomicInteger();

  /**
   * Clients of the registry at {@code registryHost} ({@code localhost:port}), writing their files
   * under {@code work}; podman's storage goes under {@code /tmp}, in a directory named {@code
   * podmanPrefix...}.
   */
  Clients(Path work, String registryHost, String podmanPrefix) throws IOException {
    this.work = work;
    this.registryHost = registryHost;
    // podman refuses a run root longer than 50 characters: keep it short, under /tmp.
    this.podmanDir = Files.createTempDirectory(Path.of("/tmp"), podmanPrefix);
    this.podman =
        List.of(
            "podman",
            "--root",
            podmanDir.resolve("root").toString(),
            "--runroot",
            podmanDir.resolve("run").toString(),
            "--storage-driver",
            "vfs");
  }

  /** Logs in with {@code client} (docker, podman or skopeo), the secret on standard input. */
  Processes.Result login(String client, String user, String secret) {
    Path dir = work.resolve("auth-" + counter.incrementAndGet());
    return switch (client) {
      case "docker" -> dockerLogin(dir, user, secret);
      case "podman" ->
          login(
              concat(podman, "login", "--tls-verify=false", "--authfile", dir + ".json"),
              user,
              secret);
      case "skopeo" ->
          login(
              List.of("skopeo", "login", "--tls-verify=false", "--authfile", dir + ".json"),
              user,
              secret);
      default -> throw new IllegalArgumentException("no client named " + client);
    };
  }

  /** docker login with {@code configDir} as docker's configuration directory. */
  Processes.Result dockerLogin(Path configDir, String user, String secret) {
    return login(List.of("docker", "--config", configDir.toString(), "login"), user, secret);
  }

  private Processes.Result login(List<String> command, String user, String secret) {
    return run(concat(command, "-u", user, "--password-stdin", registryHost), secret);
  }

  /** A new single-layer image in podman's storage, unlike any other; returns its name. */
  String localImage() {
    try {
      int n = counter.incrementAndGet();
      Path rootfs = Files.createDirectories(work.resolve("rootfs-" + n));
      Files.writeString(rootfs.resolve("file.txt"), "image " + n + " " + UUID.randomUUID());
      Path tar = work.resolve("rootfs-" + n + ".tar");
      Processes.Result tarred =
          run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."), null);
      assertThat(tarred.ok()).as(tarred.toString()).isTrue();
      String name = "localhost/interop-" + n + ":1";
      Processes.Result imported = run(concat(podman, "import", tar.toString(), name), null);
      assertThat(imported.ok()).as(imported.toString()).isTrue();
      return name;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Pushes a local {@code image} to the registry's {@code target} with podman. */
  Processes.Result push(String image, String target, String user, String secret) {
    return run(
        concat(
            podman,
            "push",
            "--tls-verify=false",
            "--creds",
            user + ":" + secret,
            image,
            "docker://" + registryHost + "/" + target),
        null);
  }

  /** Pulls with skopeo into a fresh OCI layout; anonymous when {@code user} is null. */
  Processes.Result pull(String source, String user, String secret) {
    List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false"));
    if (user == null) {
      command.add("--src-no-creds");
    } else {
      command.add("--src-creds");
      command.add(user + ":" + secret);
    }
    command.add("docker://" + registryHost + "/" + source);
    command.add("oci:" + work.resolve("pulled-" + counter.incrementAndGet()) + ":1");
    return run(command, null);
  }

  /** skopeo inspect with the credentials in {@code authFile}, as a docker login left them. */
  Processes.Result inspect(String source, Path authFile) {
    return run(
        List.of(
            "skopeo",
            "inspect",
            "--tls-verify=false",
            "--authfile",
            authFile.toString(),
            "docker://" + registryHost + "/" + source),
        null);
  }

  /** Runs skopeo's {@code verb} (delete, inspect...) on {@code target} with the credentials. */
  Processes.Result skopeo(String verb, String target, String user, String secret) {
    return run(
        List.of(
            "skopeo",
            verb,
            "--tls-verify=false",
            "--creds",
            user + ":" + secret,
            "docker://" + registryHost + "/" + target),
        null);
  }

  /** Deletes podman's scratch storage. */
  @Override
  public void close() {
    Processes.deleteScratch(podmanDir);
  }

  private static Processes.Result run(List<String> command, String stdin) {
    return Processes.run(command, Map.of(), stdin);
  }
}
