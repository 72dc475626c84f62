package io.peersync.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Run at package time, not shipped as a command: writes the bash completion script ({@code completion FILE}) or the
 * man pages' AsciiDoc sources ({@code man DIR}) for the whole command tree, which {@link Main} otherwise builds only
 * in part. The man pages need picocli-codegen on the class path; the package's jar does not hold it.
 */
public final class Docs {
    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Docs completion FILE | Docs man DIR");
        }
        switch (args[0]) {
            case "completion" -> Files.writeString(Path.of(args[1]),
                    AutoComplete.bash("peersync", Main.commandLine()), StandardCharsets.UTF_8);
            case "man" -> {
                int exit = ManPageGenerator.generateManPage(new File(args[1]), null, new boolean[0], true,
                        Main.commandLine().getCommandSpec());
                if (exit != 0) {
                    throw new IOException("the man page generator failed with exit code " + exit);
                }
            }
            default -> throw new IllegalArgumentException("unknown output " + args[0] + "; use completion or man");
        }
    }
}
