package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiskErrorsTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new AccessDeniedException("/srv/wp/a.php"),
                        "cannot write to the folder: permission denied (/srv/wp/a.php)"),
                // What an immutable or foreign-owned directory gives a rename: EPERM, reported on the target.
                Arguments.of(new FileSystemException("/srv/wp/.peersync/tmp/t1", "/srv/wp/plugins/x.php",
                        "Operation not permitted"),
                        "cannot write to the folder: permission denied (/srv/wp/plugins/x.php)"),
                Arguments.of(new IOException("No space left on device"),
                        "cannot write to the folder: no space left on the disk"),
                Arguments.of(new FileSystemException("/srv/wp/big.bin", null, "No space left on device"),
                        "cannot write to the folder: no space left on the disk (/srv/wp/big.bin)"),
                Arguments.of(new IOException("Disk quota exceeded"), "cannot write to the folder: disk quota exceeded"),
                Arguments.of(new FileSystemException("/srv/wp/a", null, "Read-only file system"),
                        "cannot write to the folder: the file system is read-only (/srv/wp/a)"),
                Arguments.of(new IOException("java.io.IOException: Permission denied"),
                        "cannot write to the folder: permission denied"),
                // A translated system message still carries the errno where a native call reported it.
                Arguments.of(new FileSystemException("/srv/wp/a", "/srv/wp/b", "Vorgang nicht zulässig (errno 1)"),
                        "cannot write to the folder: permission denied (/srv/wp/b)"),
                Arguments.of(new FileSystemException("/srv/wp/a", "/srv/wp/b", "Kein Platz (errno 28)"),
                        "cannot write to the folder: no space left on the disk (/srv/wp/b)"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void saysWhatTheUserMustFixInOneSentence(IOException e, String expected) {
        assertEquals(Optional.of(expected), DiskErrors.describe(e));
    }

    static Stream<IOException> passing() {
        return Stream.of(new NoSuchFileException("/srv/wp/gone"), new DirectoryNotEmptyException("/srv/wp/d"),
                new IOException("a.txt changed while it was being pulled"), new IOException((String) null),
                new FileSystemException("/srv/wp/a", "/srv/wp/b", "No such file or directory (errno 2)"),
                new FileSystemException("/srv/wp/a", "/srv/wp/b", "Invalid argument (errno 22)"));
    }

    @ParameterizedTest
    @MethodSource("passing")
    void leavesPassingFailuresToTheNextTry(IOException e) {
        assertEquals(Optional.empty(), DiskErrors.describe(e));
    }
}
