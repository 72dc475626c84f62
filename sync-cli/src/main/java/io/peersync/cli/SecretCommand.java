package io.peersync.cli;

import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.SecretFormatException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peersync secret}: makes and explains folder secrets, without a daemon. */
@Command(name = "secret", description = "Create or inspect folder secrets.",
        subcommands = {SecretCommand.New.class, SecretCommand.Show.class})
final class SecretCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Main.missingSubcommand(spec);
    }

    /** {@code secret new}. */
    @Command(name = "new", description = "Print a new read-write secret for a new shared folder.")
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println(FolderSecret.generate().text());
            out.flush();
            return 0;
        }
    }

    /** {@code secret show SECRET [--json]}. */
    @Command(name = "show", description = "Print a secret's access level, folder id and the secrets derivable from it.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Parameters(paramLabel = "SECRET", description = "A read-write, read-only or encrypted secret.")
        String text;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            FolderSecret secret;
            try {
                secret = FolderSecret.parse(text);
            } catch (SecretFormatException e) {
                throw new CliFailure(sentence(e.getMessage()));
            }
            Map<String, String> view = new LinkedHashMap<>();
            view.put("access", secret.level().jsonName());
            view.put("folderId", secret.folderId().toString());
            view.put("readWrite", textOf(secret.readWrite()));
            view.put("readOnly", textOf(secret.readOnly()));
            view.put("encrypted", textOf(secret.encrypted()));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, view);
            } else {
                Table table = new Table("access", view.get("access"))
                        .row("folder id", view.get("folderId"));
                row(table, "read-write", view.get("readWrite"));
                row(table, "read-only", view.get("readOnly"));
                row(table, "encrypted", view.get("encrypted"));
                table.print(out);
            }
            return 0;
        }

        private static void row(Table table, String label, String secret) {
            table.row(label, secret == null ? "(cannot be derived from this secret)" : secret);
        }

        private static String textOf(Optional<FolderSecret> secret) {
            return secret.map(FolderSecret::text).orElse(null);
        }

        private static String sentence(String message) {
            String capitalized = Character.toUpperCase(message.charAt(0)) + message.substring(1);
            return capitalized.endsWith(".") ? capitalized : capitalized + ".";
        }
    }
}
