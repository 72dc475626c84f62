package io.peersync.daemon.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChangeUnitTest {
    @Test
    void eachPluginThemeAndMuPluginOfAWpContentFolderIsAUnit() {
        assertEquals("plugins/akismet", ChangeUnit.of("plugins/akismet"));
        assertEquals("plugins/akismet", ChangeUnit.of("plugins/akismet/views/notice.php"));
        assertEquals("themes/twentytwentythree", ChangeUnit.of("themes/twentytwentythree/style.css"));
        assertEquals("mu-plugins/loader.php", ChangeUnit.of("mu-plugins/loader.php"));
        assertEquals("plugins/hello.php", ChangeUnit.of("plugins/hello.php"));
        assertEquals("plugins", ChangeUnit.of("plugins"));
    }

    @Test
    void soUnderWpContentOfAWordPressRoot() {
        assertEquals("wp-content/plugins/akismet", ChangeUnit.of("wp-content/plugins/akismet/akismet.php"));
        assertEquals("wp-content", ChangeUnit.of("wp-content/plugins"));
        assertEquals("wp-content", ChangeUnit.of("wp-content/uploads/2026/a.jpg"));
    }

    @Test
    void anythingElseBelongsToItsTopLevelEntry() {
        assertEquals("uploads", ChangeUnit.of("uploads/2026/12/a.jpg"));
        assertEquals("index.php", ChangeUnit.of("index.php"));
        assertEquals("docs", ChangeUnit.of("docs/plugins/x"));
        assertEquals("", ChangeUnit.of(""));
    }
}
