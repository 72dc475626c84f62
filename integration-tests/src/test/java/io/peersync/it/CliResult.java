package io.peersync.it;

import java.util.List;

/** What one CLI process did: its exit code and everything it printed. */
public record CliResult(List<String> args, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
        return "peersync " + String.join(" ", args) + " -> exit " + exitCode
                + (stdout.isBlank() ? "" : "\n--- stdout ---\n" + stdout.strip())
                + (stderr.isBlank() ? "" : "\n--- stderr ---\n" + stderr.strip());
    }
}
