package io.peersync.daemon.control;

import io.peersync.daemon.config.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The control API's bearer token: new at every daemon start, readable only by the owner of the home directory. */
final class ApiToken {
    static final String FILE_NAME = "api-token";
    private static final int BYTES = 32;

    private final byte[] expectedHeader;

    private ApiToken(String token) {
        this.expectedHeader = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    }

    /** Makes a new token and replaces {@code home/api-token} with it (mode 0600 from the file's creation). */
    static ApiToken createIn(Path home) throws IOException {
        byte[] raw = new byte[BYTES];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        AtomicFiles.write(home.resolve(FILE_NAME), token + "\n", "rw-------");
        return new ApiToken(token);
    }

    /** True if an {@code Authorization} header value carries this token; the comparison takes constant time. */
    boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHeader, authorizationHeader.trim().getBytes(StandardCharsets.UTF_8));
    }
}
