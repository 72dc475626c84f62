package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.VersionVector;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommonDirectoryTest {
    private static List<FileRecord> records(String paths) {
        return Arrays.stream(paths.split(" ")).map(p -> new FileRecord(p, FileType.DIRECTORY, 0, 0, 0755,
                VersionVector.EMPTY.increment(1), false, 1, 1, 0, List.of(), null, "")).toList();
    }

    @ParameterizedTest
    @CsvSource({
        "'plugins/foo/a.php plugins/foo/inc/b.php', plugins/foo",
        "'plugins/foo plugins/foo/a.php', plugins",
        "'plugins/foo/a.php themes/t/style.css', ''",
        "'a.txt', ''",
        "'plugins/foo/x/y/z.php', plugins/foo/x/y",
        "'plugins/foobar/a plugins/foo/b', plugins",
    })
    void isTheDeepestDirectoryHoldingTheWholeSet(String paths, String expected) {
        assertEquals(expected, SetPull.commonDirectory(records(paths)));
    }
}
