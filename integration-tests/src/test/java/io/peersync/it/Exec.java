package io.peersync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end with a time limit and returns its exit code and output (stdout and stderr merged). */
final class Exec {
    private Exec() {
    }

    record Result(List<String> command, int exitCode, String output) {
        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + ": " + output.strip();
        }
    }

    static Result run(Duration limit, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + limit);
        }
        return new Result(List.of(command), p.exitValue(), out.join());
    }

    static Result ok(Duration limit, String... command) throws IOException, InterruptedException {
        Result r = run(limit, command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(r.toString());
        }
        return r;
    }

    /** Stops a server process: SIGTERM, then SIGKILL if it has not ended within 30 s. */
    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
