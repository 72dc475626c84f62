package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.FolderSecret;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretCommandTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void newPrintsOneReadWriteTokenLine() {
        CliRun run = CliRun.of("secret", "new");

        assertEquals(0, run.exitCode());
        assertEquals(1, run.outLines().size());
        String secret = run.outLines().get(0);
        assertTrue(secret.matches("\\S+"), secret);
        assertEquals(AccessLevel.READ_WRITE, FolderSecret.parse(secret).level());
        assertEquals("", run.err());
    }

    @Test
    void showJsonOfReadWriteSecretDerivesTheOthers() throws Exception {
        FolderSecret secret = FolderSecret.generate();

        CliRun run = CliRun.of("secret", "show", secret.text(), "--json");

        assertEquals(0, run.exitCode());
        JsonNode shown = json.readTree(run.out());
        assertEquals("read-write", shown.get("access").asText());
        assertEquals(secret.folderId().toString(), shown.get("folderId").asText());
        assertEquals(secret.text(), shown.get("readWrite").asText());
        assertEquals(secret.readOnly().orElseThrow().text(), shown.get("readOnly").asText());
        assertEquals(secret.encrypted().orElseThrow().text(), shown.get("encrypted").asText());
    }

    @Test
    void showJsonOfReadOnlySecretCannotGiveReadWrite() throws Exception {
        FolderSecret readOnly = FolderSecret.generate().readOnly().orElseThrow();

        JsonNode shown = json.readTree(CliRun.of("secret", "show", readOnly.text(), "--json").out());

        assertEquals("read-only", shown.get("access").asText());
        assertTrue(shown.get("readWrite").isNull());
        assertEquals(readOnly.text(), shown.get("readOnly").asText());
        assertTrue(shown.get("encrypted").isTextual());
    }

    @Test
    void showPrintsLevelFolderAndDerivedSecretsForPeople() {
        FolderSecret secret = FolderSecret.generate();

        CliRun run = CliRun.of("secret", "show", secret.text());

        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("read-write"));
        assertTrue(run.out().contains(secret.folderId().toString()));
        assertTrue(run.out().contains(secret.readOnly().orElseThrow().text()));
    }

    @Test
    void badSecretFailsWithOneSentenceAndNoStackTrace() {
        CliRun run = CliRun.of("secret", "show", "Wnot-a-secret");

        assertEquals(1, run.exitCode());
        List<String> err = run.errLines();
        assertEquals(1, err.size(), run.err());
        assertTrue(err.get(0).endsWith("."), err.get(0));
        assertFalse(run.err().contains("Exception"), run.err());
        assertEquals("", run.out());
    }
}
